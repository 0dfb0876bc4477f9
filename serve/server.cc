#include "serve/server.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "serve/page_assets.h"

namespace wordspace::serve {
namespace {

// httplib's own ThreadPool queues connections without bound. This one holds at most `capacity`
// waiting; enqueue (called by the accept loop) then blocks, so the server stops accepting and
// further connections wait in the kernel's backlog instead of in memory.
class BoundedTaskQueue : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(int workers, int capacity) : capacity_(capacity) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~BoundedTaskQueue() override = default;  // httplib calls shutdown() before deleting it

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return jobs_.size() < capacity_ || shutdown_; });
    jobs_.push_back(std::move(fn));
    not_empty_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      shutdown_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        not_empty_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
        // Connections already accepted are still served after shutdown (httplib closes them).
        if (jobs_.empty()) return;
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      not_full_.notify_one();
      fn();
    }
  }

  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::function<void()>> jobs_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

void SetJsonError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(Dump(Json{{"error", message}}), "application/json");
}

// The Host header's name without its port: "localhost:8080" -> "localhost", "[::1]:80" -> "::1".
std::string_view HostName(std::string_view host) {
  if (host.starts_with("[")) {
    const size_t end = host.find(']');
    return end == std::string_view::npos ? host : host.substr(1, end - 1);
  }
  const size_t colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

Server::Server(Explorer* explorer, ServerOptions options)
    : explorer_(explorer), options_(std::move(options)), http_(std::make_unique<httplib::Server>()) {
  httplib::Server& http = *http_;
  const int workers = options_.workers, queue = options_.queue;
  http.new_task_queue = [workers, queue] { return new BoundedTaskQueue(workers, queue); };
  // No endpoint reads a body (GET only; other methods are refused before theirs is read); the
  // bound is there should one ever be read.
  http.set_payload_max_length(4096);
  // httplib's default options add SO_REUSEPORT, with which a second server of the same user
  // binds the same port and silently shares its connections; SO_REUSEADDR alone lets a restart
  // reuse the port at once, and a port in use is an error.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_read_timeout(options_.timeout_seconds, 0);
  http.set_write_timeout(options_.timeout_seconds, 0);
  http.set_keep_alive_timeout(2);
  http.set_keep_alive_max_count(100);
  http.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      // The page loads only its own files and calls only its own API; it may not be framed.
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
  });
  const bool loopback = IsLoopbackHost(options_.host);
  http.set_pre_routing_handler([loopback](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "GET" && req.method != "HEAD") {
      res.set_header("Allow", "GET, HEAD");
      SetJsonError(res, 405, absl::StrCat(req.method, " is not served: only GET and HEAD"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (loopback && !IsLoopbackHost(HostName(req.get_header_value("Host")))) {
      SetJsonError(res, 403,
                   "this server answers only requests for localhost (the Host header names "
                   "another machine)");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.Get("/api/.*", [this](const httplib::Request& req, httplib::Response& res) {
    ApiReply reply = explorer_->Handle(req.path, req.params);
    res.status = reply.status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(Dump(reply.body), "application/json");
  });
  http.Get(".*", [](const httplib::Request& req, httplib::Response& res) {
    const PageAsset* asset = FindPageAsset(req.path);
    if (asset == nullptr) {
      SetJsonError(res, 404, "not found: the page is / and the API is under /api/");
      return;
    }
    res.set_content(asset->bytes.data(), asset->bytes.size(),
                    std::string(asset->content_type).c_str());
  });
  // httplib's own answers (a malformed request 400, a body too large 413, ...) come without a
  // body; give them one in the API's form.
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      SetJsonError(res, res.status,
                   res.status == 413   ? "the request body is too large (at most 4096 bytes)"
                   : res.status == 414 ? "the request line is too long"
                                       : absl::StrCat("HTTP ", res.status));
    }
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          what = absl::StrCat("internal error: ", ex.what());
        } catch (...) {
        }
        SetJsonError(res, 500, what);
      });
}

Server::~Server() { Stop(); }

absl::StatusOr<int> Server::Bind() {
  if (options_.workers < 1 || options_.queue < 1 || options_.timeout_seconds < 1) {
    return absl::InvalidArgumentError("workers, queue and timeout must be positive");
  }
  if (options_.port < 0 || options_.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--port ", options_.port, " is not a port (0-65535; 0: any free port)"));
  }
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
    if (port < 0) port = 0;
  } else if (!http_->bind_to_port(options_.host, port)) {
    port = 0;
  }
  if (port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.host, ":", options_.port,
                     " (the port is in use, or the address is not this machine's; try --port 0 "
                     "for any free port)"));
  }
  bound_ = true;
  return port;
}

void Server::Run() {
  run_entered_ = true;
  if (bound_ && !stop_requested_) http_->listen_after_bind();
  run_returned_ = true;
}

void Server::Stop() {
  stop_requested_ = true;
  // httplib's stop() does nothing until the server is listening: if Run is about to start,
  // wait for it to (a few microseconds), or it would never return.
  while (bound_ && run_entered_ && !run_returned_ && !http_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  http_->stop();
}

}  // namespace wordspace::serve
