// serve/server.h over real loopback sockets (127.0.0.1, a port the kernel picks): the page and
// its files, the API's JSON and 4xx answers, and what the server refuses: paths outside its
// embedded files, methods other than GET/HEAD, bodies over 4 KB, another machine's Host header.
// Many clients at once all get their answers, and Stop ends Run with every thread joined.
#include "serve/server.h"

#include <httplib.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "serve/explorer.h"
#include "serve/page_assets.h"

namespace wordspace::serve {
namespace {

std::unique_ptr<Explorer> FixtureExplorer() {
  const std::vector<std::string> words = {"the", "cat", "dog", "kitten", "king", "queen", "man",
                                          "woman", "he", "she"};
  std::mt19937 rng(3);
  std::normal_distribution<float> n(0.0f, 1.0f);
  std::vector<float> values(words.size() * 6);
  for (float& v : values) v = n(rng);
  auto e = Explorer::Create(embeddings::WordVectors(words, 6, values), std::nullopt,
                            {.vectors_label = "fixture.vec", .model_label = ""});
  REQUIRE(e.ok());
  return std::move(*e);
}

// A server on 127.0.0.1 with a port of the kernel's choosing, run on a thread of the test's.
class Running {
 public:
  explicit Running(Explorer* explorer, ServerOptions options = {})
      : server_(explorer, WithPort0(options)) {
    auto port = server_.Bind();
    REQUIRE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { server_.Run(); });
  }
  ~Running() {
    server_.Stop();
    thread_.join();
  }
  int port() const { return port_; }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    return c;
  }

 private:
  static ServerOptions WithPort0(ServerOptions o) {
    o.host = "127.0.0.1";
    o.port = 0;
    return o;
  }
  Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_CASE("the page and its files are served from the binary", "[serve]") {
  auto explorer = FixtureExplorer();
  Running running(explorer.get());
  httplib::Client client = running.Client();
  auto r = client.Get("/");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(r->body.find("<title>wordspace explorer</title>") != std::string::npos);
  CHECK(r->get_header_value("Content-Security-Policy").find("default-src 'self'") !=
        std::string::npos);
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  for (const PageAsset& asset : PageAssets()) {
    auto f = client.Get(std::string(asset.path).c_str());
    REQUIRE(f);
    CHECK(f->status == 200);
    CHECK(f->body == asset.bytes);
    CHECK(f->get_header_value("Content-Type") == asset.content_type);
  }
  auto head = client.Head("/app.js");
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->body.empty());
}

TEST_CASE("no request path reaches the file system", "[serve]") {
  auto explorer = FixtureExplorer();
  Running running(explorer.get());
  httplib::Client client = running.Client();
  for (const char* path : {"/etc/passwd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                           "/index.html/../../etc/passwd", "/serve/page/app.js", "/CMakeLists.txt",
                           "//etc/passwd", "/api/../etc/passwd"}) {
    INFO(path);
    auto r = client.Get(path);
    REQUIRE(r);
    CHECK((r->status == 404 || r->status == 400));
    CHECK(r->body.find("root:") == std::string::npos);
    CHECK(Json::parse(r->body).contains("error"));
  }
}

TEST_CASE("the API answers JSON, and 4xx JSON errors for bad requests", "[serve]") {
  auto explorer = FixtureExplorer();
  Running running(explorer.get());
  httplib::Client client = running.Client();
  auto r = client.Get("/api/neighbors?q=cat&k=3");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  Json body = Json::parse(r->body);
  CHECK(body["answers"].size() == 3);
  // Parameters are decoded before they are checked: "king%20-%20man" is an expression.
  r = client.Get("/api/neighbors?q=king%20-%20man%20%2B%20woman&k=2");
  REQUIRE(r);
  CHECK(r->status == 200);
  struct Bad {
    const char* path;
    int status;
  };
  for (const Bad& bad : {Bad{"/api/neighbors?k=3", 400}, Bad{"/api/neighbors?q=cat&k=1000", 400},
                         Bad{"/api/neighbors?q=zebra", 404}, Bad{"/api/analogy?a=man", 400},
                         Bad{"/api/map?words=zzz", 400}, Bad{"/api/lm/next?text=the", 404},
                         Bad{"/api/nothing", 404}, Bad{"/api/neighbors?q=cat&evil=1", 400}}) {
    INFO(bad.path);
    r = client.Get(bad.path);
    REQUIRE(r);
    CHECK(r->status == bad.status);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(Json::parse(r->body).contains("error"));
  }
  const std::string long_query = "/api/neighbors?q=" + std::string(400, 'a');
  r = client.Get(long_query.c_str());
  REQUIRE(r);
  CHECK(r->status == 400);
}

TEST_CASE("only GET and HEAD and local Host headers are served; bodies are never read", "[serve]") {
  auto explorer = FixtureExplorer();
  Running running(explorer.get());
  httplib::Client client = running.Client();
  auto r = client.Post("/api/neighbors?q=cat", "q=dog", "application/x-www-form-urlencoded");
  REQUIRE(r);
  CHECK(r->status == 405);
  CHECK(r->get_header_value("Allow") == "GET, HEAD");
  r = client.Delete("/");
  REQUIRE(r);
  CHECK(r->status == 405);
  // A body is never read: a large POST is refused as a POST, and the server goes on answering.
  r = client.Post("/api/info", std::string(1 << 20, 'x'), "text/plain");
  if (r) CHECK(r->status == 405);
  r = running.Client().Get("/api/info");
  REQUIRE(r);
  CHECK(r->status == 200);
  // DNS rebinding: a page on another site whose name resolves to 127.0.0.1.
  r = client.Get("/api/info", {{"Host", "evil.example:8080"}});
  REQUIRE(r);
  CHECK(r->status == 403);
  for (const char* host : {"localhost:8080", "127.0.0.1", "[::1]:8080"}) {
    INFO(host);
    r = client.Get("/api/info", {{"Host", host}});
    REQUIRE(r);
    CHECK(r->status == 200);
  }
}

TEST_CASE("many clients at once all get their answers", "[serve]") {
  auto explorer = FixtureExplorer();
  Running running(explorer.get(), {.workers = 4, .queue = 8});
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client = running.Client();
      for (int i = 0; i < 20; ++i) {
        const char* path = (i + c) % 3 == 0   ? "/api/neighbors?q=cat&k=5"
                           : (i + c) % 3 == 1 ? "/api/map?words=king&k=3"
                                              : "/";
        auto r = client.Get(path);
        (r && r->status == 200 ? ok : failed)++;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  CHECK(failed == 0);
  CHECK(ok == 16 * 20);
}

TEST_CASE("a port in use is an error naming it; Stop before Run is safe", "[serve]") {
  auto explorer = FixtureExplorer();
  Running running(explorer.get());
  Server second(explorer.get(), {.host = "127.0.0.1", .port = running.port()});
  auto port = second.Bind();
  REQUIRE_FALSE(port.ok());
  CHECK(std::string(port.status().message()).find("cannot listen on 127.0.0.1") !=
        std::string::npos);
  Server third(explorer.get(), {.host = "127.0.0.1", .port = 0});
  REQUIRE(third.Bind().ok());
  third.Stop();
  third.Run();  // returns at once
  CHECK(IsLoopbackHost("127.0.0.1"));
  CHECK(IsLoopbackHost("localhost"));
  CHECK(IsLoopbackHost("::1"));
  CHECK_FALSE(IsLoopbackHost("0.0.0.0"));
  CHECK_FALSE(IsLoopbackHost("192.168.1.2"));
}

}  // namespace
}  // namespace wordspace::serve
