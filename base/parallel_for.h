// ParallelFor: runs body(thread_id, begin, end) over [0, n) split into `threads` contiguous
// ranges, each on its own std::thread joined before return. Thread 0 runs on the caller.
//
//   ParallelFor(rows, threads, [&](int t, size_t b, size_t e) { for (...) ... });
#ifndef WORDSPACE_BASE_PARALLEL_FOR_H_
#define WORDSPACE_BASE_PARALLEL_FOR_H_

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace wordspace {

// Number of worker threads to use when the user gave `requested` (0 or less: all cores).
inline int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

template <typename Body>
void ParallelFor(size_t n, int threads, Body&& body) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(n, 1))));
  if (threads == 1) {
    body(0, size_t{0}, n);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  auto range = [&](int t) { return std::pair<size_t, size_t>(n * t / threads, n * (t + 1) / threads); };
  for (int t = 1; t < threads; ++t) {
    // Init-captures, not a capture of structured bindings: clang before 16 rejects those.
    const std::pair<size_t, size_t> be = range(t);
    workers.emplace_back([&body, t, b = be.first, e = be.second] { body(t, b, e); });
  }
  auto [b0, e0] = range(0);
  body(0, b0, e0);
  for (auto& w : workers) w.join();
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_PARALLEL_FOR_H_
