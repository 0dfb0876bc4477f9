// The thread pool and the parallel loops on it: every index once, the parts ParallelFor hands
// out, nested and concurrent callers, growth.
#include "base/parallel_for.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

namespace wordspace {
namespace {

TEST_CASE("ParallelRanges covers every index exactly once", "[base][pool]") {
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

TEST_CASE("Nested and concurrent calls complete with every index once", "[base][pool]") {
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

TEST_CASE("ParallelFor gives each part its id and its contiguous range", "[base][pool]") {
  const size_t n = 103;
  for (int threads : {1, 2, 3, 8}) {
    std::vector<std::pair<size_t, size_t>> ranges(threads, {0, 0});
    std::vector<int> calls(threads, 0);
    ParallelFor(n, threads, [&](int t, size_t b, size_t e) {
      ranges[t] = {b, e};
      calls[t]++;
    });
    for (int t = 0; t < threads; ++t) {
      CHECK(calls[t] == 1);
      CHECK(ranges[t].first == n * t / threads);
      CHECK(ranges[t].second == n * (t + 1) / threads);
    }
  }
}

TEST_CASE("ParallelFor runs its body once, empty, when there is nothing to do", "[base][pool]") {
  int calls = 0;
  ParallelFor(0, 4, [&](int t, size_t b, size_t e) {
    CHECK(t == 0);
    CHECK(b == e);
    calls++;
  });
  CHECK(calls == 1);
}

TEST_CASE("Parts run on other threads than the caller when the pool is free", "[base][pool]") {
  std::vector<std::thread::id> ids(2);
  ParallelFor(2, 2, [&](int t, size_t, size_t) { ids[t] = std::this_thread::get_id(); });
  CHECK(ids[0] == std::this_thread::get_id());
  CHECK(ids[1] != ids[0]);
}

TEST_CASE("The global pool grows on demand", "[base][pool]") {
  ThreadPool& small = ThreadPool::Global(2);
  CHECK(small.workers() >= 1);
  ThreadPool& big = ThreadPool::Global(6);
  CHECK(big.workers() >= 5);
  std::vector<int> parts(6, 0);
  big.Run(6, [&](int t) { parts[t] = t + 1; });
  CHECK(parts == std::vector<int>{1, 2, 3, 4, 5, 6});
}

}  // namespace
}  // namespace wordspace
