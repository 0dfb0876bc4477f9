// `wordspace serve --vectors V [--model LM]`: the web explorer. Loads the files once and serves
// one page and its JSON API (serve/explorer.h, serve/server.h) until Ctrl-C.
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/json.h"
#include "base/parallel_for.h"
#include "base/string_view.h"
#include "embeddings/vector_io.h"
#include "serve/explorer.h"
#include "serve/server.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"
#include "transformer/language_model.h"

namespace wordspace::tools {
namespace {

// The write end of the pipe the stop signals' handler writes to.
int g_stop_fd = -1;

int RunServe(int argc, char** argv) {
  const std::string usage =
      "wordspace serve --vectors VECTORS [--model MODEL] [--port 8080] [--host 127.0.0.1]";
  std::string vectors_path, model_path, format_name = "auto";
  serve::ServerOptions server_options;
  int threads = 0;
  bool json = false, quiet = false;
  po::options_description options("serve options");
  // clang-format off
  options.add_options()
      ("vectors", po::value(&vectors_path), "vector file (word2vec text/binary, GloVe, fastText .vec)")
      ("model", po::value(&model_path), "a checkpoint written by lm-train: adds the language-model views")
      ("port", po::value(&server_options.port)->default_value(8080), "port to listen on (0: any free port, printed)")
      ("host", po::value(&server_options.host)->default_value("127.0.0.1"), "address to listen on; anything but a loopback address lets other machines in (a warning says so)")
      ("workers", po::value(&server_options.workers)->default_value(8), "requests served at once (more wait in a queue of 64)")
      ("format", po::value(&format_name)->default_value("auto"), "vector format: auto, text, binary or glove")
      ("threads", po::value(&threads)->default_value(0), "cores a language-model query uses (0: all); vector queries use one each")
      ("json", po::bool_switch(&json), "print the address as one JSON line (url, host, port, endpoints)")
      ("quiet", po::bool_switch(&quiet), "no notes on stderr");
  // clang-format on
  po::positional_options_description positional;
  positional.add("vectors", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, usage,
          "A local web page to explore the vectors (neighbours, a 2-D map, analogies, a bias\n"
          "direction) and, with --model, to watch the language model read a sentence (next\n"
          "words, attention, the logit lens, a word's contextual vector). The page's API is\n"
          "JSON under /api/ (README, \"The web explorer\"). Listens on 127.0.0.1 unless --host\n"
          "says otherwise; Ctrl-C stops it.\n\n"
          "  wordspace serve --vectors data/brown.bin --model demo.lm\n"
          "  # then open http://127.0.0.1:8080/?q=cat",
          options, positional, &vm)) {
    return *exit;
  }
  if (vectors_path.empty()) return UsageError("--vectors is required", usage);
  if (server_options.port < 0 || server_options.port > 65535) {
    return UsageError(absl::StrCat("--port ", server_options.port,
                                   " is not a port (0-65535; 0: any free port)"),
                      usage);
  }
  if (server_options.workers < 1 || server_options.workers > 256) {
    return UsageError("--workers must be from 1 to 256", usage);
  }
  if (server_options.host.empty()) return UsageError("--host is empty", usage);
  auto format = embeddings::ParseVectorFormat(format_name);
  if (!format.ok()) return UsageError(ToStd(format.status().message()), usage);
  if (auto exit = CheckInputs({{vectors_path, corpus::FileRole::kVectors},
                               {model_path, corpus::FileRole::kCheckpoint}})) {
    return *exit;
  }

  auto vectors = embeddings::ReadVectors(vectors_path, *format);
  if (!vectors.ok()) return ReportError(vectors.status());
  std::optional<transformer::LanguageModel> lm;
  if (!model_path.empty()) {
    auto loaded = transformer::LanguageModel::Load(model_path);
    if (!loaded.ok()) return ReportError(loaded.status());
    loaded->set_threads(ResolveThreads(threads));
    lm.emplace(std::move(*loaded));
  }
  auto explorer = serve::Explorer::Create(std::move(*vectors), std::move(lm),
                                          {.vectors_label = vectors_path,
                                           .model_label = model_path});
  if (!explorer.ok()) return ReportError(explorer.status());
  serve::Server server(explorer->get(), server_options);
  absl::StatusOr<int> port = server.Bind();
  if (!port.ok()) return ReportError(port.status());

  const bool loopback = serve::IsLoopbackHost(server_options.host);
  if (!loopback) {
    std::cerr << "warning: --host " << server_options.host
              << ": the explorer is open to other machines on the network, with no password; "
                 "use it only on a network you trust\n";
  }
  const std::string shown_host =
      server_options.host.find(':') != std::string::npos ? absl::StrCat("[", server_options.host, "]")
      : server_options.host == "0.0.0.0"                 ? std::string("127.0.0.1")
                                                         : server_options.host;
  const std::string url = absl::StrCat("http://", shown_host, ":", *port, "/");
  if (json) {
    std::cout << Dump({{"url", url},
                       {"host", server_options.host},
                       {"port", *port},
                       {"vectors", vectors_path},
                       {"model", model_path.empty() ? Json(nullptr) : Json(model_path)},
                       {"endpoints", (*explorer)->Endpoints()}})
              << std::endl;
  } else {
    std::cout << "serving " << url << " (vectors " << vectors_path
              << (model_path.empty() ? std::string() : absl::StrCat(", model ", model_path))
              << "); Ctrl-C stops" << std::endl;
  }

  // Ctrl-C and SIGTERM stop the server so that Run returns and every thread is joined. The
  // handler may run on any thread (OpenBLAS starts its own at load time, with no say in their
  // signal masks), so it only writes a byte to a pipe that a thread of ours waits on.
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return ReportError(absl::InternalError("pipe() failed"));
  g_stop_fd = pipe_fds[1];
  struct sigaction action = {};
  action.sa_handler = [](int) {
    const char byte = 1;
    [[maybe_unused]] ssize_t n = write(g_stop_fd, &byte, 1);
  };
  sigemptyset(&action.sa_mask);
  // Installed whatever the disposition was: a shell starts a background job with SIGINT
  // ignored, and `kill -INT` must stop the server too.
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::thread stopper([&] {
    char byte = 0;
    while (read(pipe_fds[0], &byte, 1) < 0 && errno == EINTR) {
    }
    server.Stop();
  });
  server.Run();
  // Run also returns when listening fails; wake the stopper then so that it can be joined.
  const char byte = 0;
  [[maybe_unused]] ssize_t n = write(pipe_fds[1], &byte, 1);
  stopper.join();
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  if (!quiet) std::cerr << "stopped\n";
  return 0;
}

const Registration kServe{"serve", "a local web page to explore the vectors and the model",
                          RunServe};

}  // namespace
}  // namespace wordspace::tools
