// serve_load: a bounded load test of a running `wordspace serve` on loopback. N clients (threads)
// send a mix of the page's queries for S seconds, each on a fresh connection (as many
// short-lived visitors would), after a warm-up that is not counted. Prints requests per second,
// p50/p99/max latency and the server's resident memory after the warm-up and after the run
// (from /proc/PID/status), as one JSON line with --json. Exits 1 if any request failed (an
// error, or a status other than 200) or, with --max-rss-growth-mb, if the memory grew more.
//
//   serve_load --port 8080 --pid 1234 --clients 32 --seconds 20 --max-rss-growth-mb 8
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/json.h"

namespace {

using Clock = std::chrono::steady_clock;

// VmRSS of process `pid` in KB; -1 when it cannot be read.
long ResidentKb(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

std::string Encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

struct Args {
  std::string host = "127.0.0.1";
  int port = 0;
  long pid = 0;
  int clients = 32;
  double seconds = 20;
  double warmup = 2;
  double max_rss_growth_mb = -1;
  bool json = false;
};

int Usage() {
  std::fprintf(stderr,
               "usage: serve_load --port P [--host 127.0.0.1] [--pid SERVER_PID] [--clients 32]\n"
               "                  [--seconds 20] [--warmup 2] [--max-rss-growth-mb MB] [--json]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "--json") {
      a.json = true;
    } else if ((arg == "--host") && (v = next())) {
      a.host = v;
    } else if (arg == "--port" && (v = next())) {
      a.port = std::atoi(v);
    } else if (arg == "--pid" && (v = next())) {
      a.pid = std::atol(v);
    } else if (arg == "--clients" && (v = next())) {
      a.clients = std::atoi(v);
    } else if (arg == "--seconds" && (v = next())) {
      a.seconds = std::atof(v);
    } else if (arg == "--warmup" && (v = next())) {
      a.warmup = std::atof(v);
    } else if (arg == "--max-rss-growth-mb" && (v = next())) {
      a.max_rss_growth_mb = std::atof(v);
    } else {
      return Usage();
    }
  }
  if (a.port <= 0 || a.clients < 1 || a.seconds <= 0 || a.warmup < 0) return Usage();

  // The vocabulary's first words (most frequent first) and whether there is a model.
  httplib::Client probe(a.host, a.port);
  probe.set_read_timeout(10);
  auto info = probe.Get("/api/info");
  if (!info || info->status != 200) {
    std::fprintf(stderr, "error: no answer from http://%s:%d/api/info\n", a.host.c_str(), a.port);
    return 1;
  }
  const bool model = !wordspace::Json::parse(info->body)["model"].is_null();
  std::vector<std::string> words;
  for (char c = 'a'; c <= 'z'; ++c) {
    auto r = probe.Get(("/api/complete?k=8&prefix=" + std::string(1, c)).c_str());
    if (!r || r->status != 200) {
      std::fprintf(stderr, "note: /api/complete?prefix=%c: %s\n", c,
                   r ? std::to_string(r->status).c_str() : httplib::to_string(r.error()).c_str());
      continue;
    }
    const wordspace::Json body = wordspace::Json::parse(r->body);
    for (const auto& w : body["words"]) words.push_back(w);
  }
  if (words.size() < 3) {
    std::fprintf(stderr, "error: fewer than 3 words to query\n");
    return 1;
  }

  // The mix: mostly neighbours (what the search box does), maps and analogies, completions, the
  // page itself, and with a model its next-word and attention views.
  auto request = [&](std::mt19937& rng) {
    auto word = [&] { return Encode(words[rng() % words.size()]); };
    const int kind = static_cast<int>(rng() % 20);
    if (kind < 7) return "/api/neighbors?k=10&q=" + word();
    if (kind < 10) return "/api/map?k=8&words=" + word();
    if (kind < 12) return "/api/analogy?k=8&include_inputs=1&a=" + word() + "&b=" + word() + "&c=" + word();
    if (kind < 14) return "/api/complete?prefix=" + word().substr(0, 2);
    if (kind < 15) return std::string("/");
    if (!model) return "/api/neighbors?k=10&q=" + word();
    const std::string text = word() + "%20" + word() + "%20" + word();
    if (kind < 18) return "/api/lm/next?k=10&text=" + text;
    return "/api/lm/attention?text=" + text;
  };

  std::atomic<bool> counting{false}, stop{false};
  std::atomic<long> failed{0};
  std::vector<std::vector<double>> latencies(a.clients);
  std::vector<std::string> first_failure(a.clients);
  std::vector<std::thread> threads;
  for (int c = 0; c < a.clients; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937 rng(1000 + c);
      while (!stop) {
        const std::string path = request(rng);
        httplib::Client client(a.host, a.port);  // a fresh connection per request
        client.set_connection_timeout(10);
        client.set_read_timeout(30);
        const auto start = Clock::now();
        auto r = client.Get(path.c_str());
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        if (!r || r->status != 200) {
          if (first_failure[c].empty()) {
            first_failure[c] = path + ": " + (r ? std::to_string(r->status) + " " + r->body
                                                : httplib::to_string(r.error()));
          }
          ++failed;
        } else if (counting) {
          latencies[c].push_back(ms);
        }
      }
    });
  }
  auto sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
  sleep(a.warmup);
  const long rss_before = a.pid > 0 ? ResidentKb(a.pid) : -1;
  counting = true;
  const auto start = Clock::now();
  sleep(a.seconds);
  counting = false;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  stop = true;
  for (std::thread& t : threads) t.join();
  const long rss_after = a.pid > 0 ? ResidentKb(a.pid) : -1;

  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto quantile = [&](double q) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(q * all.size()))];
  };
  const double rate = all.size() / elapsed;
  const double growth_mb = rss_before >= 0 && rss_after >= 0 ? (rss_after - rss_before) / 1024.0 : 0;
  if (a.json) {
    wordspace::Json out = {{"clients", a.clients},
                           {"seconds", elapsed},
                           {"requests", all.size()},
                           {"failed", failed.load()},
                           {"requests_per_second", rate},
                           {"p50_ms", quantile(0.50)},
                           {"p99_ms", quantile(0.99)},
                           {"max_ms", all.empty() ? 0.0 : all.back()},
                           {"rss_before_kb", rss_before},
                           {"rss_after_kb", rss_after},
                           {"model", model}};
    std::printf("%s\n", wordspace::Dump(out).c_str());
  } else {
    std::printf("%d clients, %.1f s: %zu requests, %.0f requests/s, p50 %.2f ms, p99 %.2f ms, "
                "max %.2f ms, %ld failed\n",
                a.clients, elapsed, all.size(), rate, quantile(0.5), quantile(0.99),
                all.empty() ? 0.0 : all.back(), failed.load());
    if (rss_before >= 0) {
      std::printf("server memory (VmRSS): %ld KB after the warm-up, %ld KB after the run (%+.1f MB)\n",
                  rss_before, rss_after, growth_mb);
    }
  }
  int exit = 0;
  if (failed > 0) {
    for (const std::string& f : first_failure) {
      if (!f.empty()) {
        std::fprintf(stderr, "FAIL: %ld requests failed; first: %s\n", failed.load(), f.c_str());
        break;
      }
    }
    exit = 1;
  }
  if (all.empty()) {
    std::fprintf(stderr, "FAIL: no request was answered while counting\n");
    exit = 1;
  }
  if (a.max_rss_growth_mb >= 0 && rss_before >= 0 && growth_mb > a.max_rss_growth_mb) {
    std::fprintf(stderr, "FAIL: the server's memory grew by %.1f MB during the run (limit %.1f)\n",
                 growth_mb, a.max_rss_growth_mb);
    exit = 1;
  }
  return exit;
}
