// The transformer's thread pool: every index once, nested and concurrent callers, growth.
#include "transformer/thread_pool.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

namespace wordspace::transformer {
namespace {

TEST_CASE("ParallelRanges covers every index exactly once", "[transformer][pool]") {
  for (int threads : {1, 2, 3, 8}) {
    for (int64_t n : {0, 1, 2, 7, 1000}) {
      std::vector<std::atomic<int>> hits(n);
      ParallelRanges(n, threads, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) hits[i]++;
      });
      for (int64_t i = 0; i < n; ++i) REQUIRE(hits[i].load() == 1);
    }
  }
}

TEST_CASE("Nested and concurrent calls complete with every index once", "[transformer][pool]") {
  // Nested: the inner call finds the pool busy and runs serially on its caller.
  std::atomic<int> inner{0};
  ForEachIndex(4, 4, [&](int64_t) { ForEachIndex(10, 4, [&](int64_t) { inner++; }); });
  CHECK(inner.load() == 40);
  // Concurrent callers from several threads (one gets the pool, the others run serially).
  std::atomic<int64_t> sum{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      for (int rep = 0; rep < 50; ++rep) {
        ForEachIndex(100, 3, [&](int64_t i) { sum += i; });
      }
    });
  }
  for (auto& t : callers) t.join();
  CHECK(sum.load() == 4 * 50 * 4950);
}

TEST_CASE("The global pool grows on demand", "[transformer][pool]") {
  ThreadPool& small = ThreadPool::Global(2);
  CHECK(small.workers() >= 1);
  ThreadPool& big = ThreadPool::Global(6);
  CHECK(big.workers() >= 5);
  std::vector<int> parts(6, 0);
  big.Run(6, [&](int t) { parts[t] = t + 1; });
  CHECK(parts == std::vector<int>{1, 2, 3, 4, 5, 6});
}

}  // namespace
}  // namespace wordspace::transformer
