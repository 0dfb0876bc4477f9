#include "base/thread_pool.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <chrono>
#include <memory>

#include "base/check.h"

namespace wordspace {
namespace {

// About 20 µs of polling before sleeping: long enough to bridge the serial gaps between the
// parallel regions of a step, short enough not to matter when the machine is busy.
constexpr int kSpinIterations = 4000;

// A hint to the core that this is a spin-wait loop (a no-op where there is no such hint).
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

}  // namespace

ThreadPool::ThreadPool(int workers) {
  threads_.reserve(workers);
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this, i] { WorkerLoop(i + 1); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    generation_.fetch_add(1, std::memory_order_release);
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ThreadPool::WorkerLoop(int id) {
  uint64_t seen = 0;
  while (true) {
    uint64_t gen = generation_.load(std::memory_order_acquire);
    for (int i = 0; i < kSpinIterations && gen == seen; ++i) {
      CpuRelax();
      gen = generation_.load(std::memory_order_acquire);
    }
    const std::function<void(int)>* job;
    int parts;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock,
                    [&] { return stop_ || generation_.load(std::memory_order_acquire) != seen; });
      if (stop_) return;
      seen = generation_.load(std::memory_order_acquire);
      job = job_;
      parts = job_parts_;
    }
    if (id < parts) {
      (*job)(id);
      if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mu_);
        done_cv_.notify_one();
      }
    }
  }
}

void ThreadPool::Run(int parts, const std::function<void(int)>& body) {
  CHECK(parts >= 1 && parts <= workers() + 1);
  std::unique_lock<std::mutex> run_lock(run_mu_, std::try_to_lock);
  if (parts == 1 || !run_lock.owns_lock()) {
    for (int i = 0; i < parts; ++i) body(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &body;
    job_parts_ = parts;
    remaining_.store(parts - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  work_cv_.notify_all();
  body(0);
  for (int i = 0; i < kSpinIterations && remaining_.load(std::memory_order_acquire) != 0; ++i) {
    CpuRelax();
  }
  if (remaining_.load(std::memory_order_acquire) != 0) {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return remaining_.load(std::memory_order_acquire) == 0; });
  }
}

ThreadPool& ThreadPool::Global(int threads) {
  static std::mutex mu;
  static std::vector<std::unique_ptr<ThreadPool>> pools;  // the last is current
  std::lock_guard<std::mutex> lock(mu);
  if (pools.empty() || pools.back()->workers() < threads - 1) {
    // A smaller pool may still be running work on another thread (or be the caller's own), so
    // it is kept, idle, rather than destroyed; this happens at most a few times per process.
    pools.push_back(std::make_unique<ThreadPool>(std::max(0, threads - 1)));
  }
  return *pools.back();
}

}  // namespace wordspace
