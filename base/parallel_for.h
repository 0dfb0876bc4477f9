// Parallel loops over [0, n), all run on the process's one persistent pool (base/thread_pool.h),
// so a loop costs a wake-up, not a thread start. [0, n) is split statically into contiguous
// ranges (range t of p is [n*t/p, n*(t+1)/p)), so which index lands in which part never depends
// on timing; part 0 runs on the caller. A loop started while the pool is busy (from inside
// another loop, or from a second thread) runs its parts serially, in order, on the caller.
//
//   ParallelFor(rows, threads, [&](int t, size_t b, size_t e) { ... });  // t: part, owns scratch t
//   ParallelRanges(rows, threads, [&](int64_t b, int64_t e) { ... });
//   ForEachIndex(rows, threads, [&](int64_t i) { ... });
#ifndef WORDSPACE_BASE_PARALLEL_FOR_H_
#define WORDSPACE_BASE_PARALLEL_FOR_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <thread>

#include "base/thread_pool.h"

namespace wordspace {

// Number of worker threads to use when the user gave `requested` (0 or less: all cores).
inline int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

// Calls body(t, begin, end) for t in [0, p) with p = min(threads, n) parts (at least one, so
// body runs once with an empty range when n == 0).
template <typename Body>
void ParallelFor(size_t n, int threads, Body&& body) {
  const int parts = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(n, 1))));
  if (parts == 1) {
    body(0, size_t{0}, n);
    return;
  }
  ThreadPool::Global(parts).Run(parts, [&](int t) {
    body(t, n * static_cast<size_t>(t) / parts, n * static_cast<size_t>(t + 1) / parts);
  });
}

// Calls body(begin, end) on up to `threads` parts over [0, n), skipping empty ranges. Serial
// when threads <= 1 or n <= 1; nothing when n <= 0.
template <typename Body>
void ParallelRanges(int64_t n, int threads, Body&& body) {
  if (n <= 0) return;
  const int parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, n)));
  if (parts == 1) {
    body(int64_t{0}, n);
    return;
  }
  ThreadPool::Global(parts).Run(parts, [&](int t) {
    const int64_t begin = n * t / parts, end = n * (t + 1) / parts;
    if (end > begin) body(begin, end);
  });
}

// Calls body(i) for every i in [0, n), split as ParallelRanges splits.
template <typename Body>
void ForEachIndex(int64_t n, int threads, Body&& body) {
  ParallelRanges(n, threads, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) body(i);
  });
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_PARALLEL_FOR_H_
