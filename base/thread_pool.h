// The process's worker threads: one process-wide pool of persistent std::threads. Every
// parallel loop in wordspace runs on it through base/parallel_for.h (ParallelFor,
// ParallelRanges, ForEachIndex); nothing else starts threads per call.
//
// Why not OpenMP: a training step is a few hundred short parallel regions, and libgomp's
// workers spin-wait between them (its OMP_WAIT_POLICY can only be set before the process
// starts). On a busy machine a spinning worker takes the CPU from the thread that still has
// work: measured here with 2 threads under a load of 10, the step took twice the wall time and
// twice the CPU time of the same code with passive waiting. These workers spin about 20 µs,
// then sleep on a condition variable.
//
// Work is split statically by index, so results never depend on timing. Run may be called from
// several threads at once: a caller that finds the pool busy runs all parts itself, in order.
//
//   ThreadPool::Global(parts).Run(parts, [&](int part) { ... });
#ifndef WORDSPACE_BASE_THREAD_POOL_H_
#define WORDSPACE_BASE_THREAD_POOL_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wordspace {

class ThreadPool {
 public:
  explicit ThreadPool(int workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int workers() const { return static_cast<int>(threads_.size()); }
  // Runs body(0..parts-1): part 0 on the caller, the others on workers; returns when all are
  // done. parts <= workers() + 1.
  void Run(int parts, const std::function<void(int)>& body);

  // The process-wide pool, grown to at least `threads` - 1 workers.
  static ThreadPool& Global(int threads);

 private:
  void WorkerLoop(int id);

  std::mutex mu_;
  std::mutex run_mu_;  // one Run at a time; others run serially
  std::condition_variable work_cv_, done_cv_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> remaining_{0};
  const std::function<void(int)>* job_ = nullptr;
  int job_parts_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace wordspace

#endif  // WORDSPACE_BASE_THREAD_POOL_H_
