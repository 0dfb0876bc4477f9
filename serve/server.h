// Server: the HTTP side of `wordspace serve` (cpp-httplib). GET /api/... goes to the Explorer,
// any other GET path is looked up among the page's compiled-in files (page_assets.h), so no
// request ever touches the file system. Safe by default:
// - it listens where `host` says (the command's default is 127.0.0.1); on a loopback address it
//   also refuses requests whose Host header names another machine, so a web page elsewhere
//   cannot reach it through DNS rebinding;
// - only GET and HEAD are served (405 otherwise, before any body is read), and no request body
//   is ever read;
// - connections are served by `workers` threads, with at most `queue` more accepted and waiting
//   (past that the server stops accepting until a worker is free); a slow client is cut off
//   after `timeout_seconds` of silence, so it holds a worker for no longer than that;
// - every answer carries a Content-Security-Policy that lets the page load only its own files.
//
//   Server server(explorer.get(), {.host = "127.0.0.1", .port = 0});
//   ASSIGN_OR_RETURN(int port, server.Bind());   // the port chosen when 0 was asked for
//   std::thread t([&] { server.Run(); });        // until Stop()
//   ...
//   server.Stop(); t.join();
#ifndef WORDSPACE_SERVE_SERVER_H_
#define WORDSPACE_SERVE_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "serve/explorer.h"

namespace httplib {
class Server;
}

namespace wordspace::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (Bind returns it)
  int workers = 8;  // connections served at once
  int queue = 64;   // accepted connections waiting for a worker
  int timeout_seconds = 5;
};

// True for addresses only this machine reaches: 127.x.y.z, ::1, localhost.
bool IsLoopbackHost(std::string_view host);

class Server {
 public:
  // `explorer` must outlive the server.
  Server(Explorer* explorer, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket. Returns the port; Unavailable when the address cannot be bound
  // (in use, or not this machine's), InvalidArgument for bad options.
  [[nodiscard]] absl::StatusOr<int> Bind();
  // Serves until Stop; returns at once if Bind did not succeed.
  void Run();
  // Stops accepting, lets the requests being served finish, and makes Run return. Safe to call
  // from another thread, and more than once.
  void Stop();

 private:
  Explorer* explorer_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  bool bound_ = false;
  std::atomic<bool> stop_requested_{false}, run_entered_{false}, run_returned_{false};
};

}  // namespace wordspace::serve

#endif  // WORDSPACE_SERVE_SERVER_H_
