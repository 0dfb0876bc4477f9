#include "embeddings/hogwild_driver.h"

#include <chrono>
#include <thread>

#include "base/cpu_time.h"
#include "base/parallel_for.h"

namespace wordspace::embeddings {

HogwildDriver::HogwildDriver(const corpus::TokenIdFile& corpus, const HogwildOptions& options)
    : corpus_(corpus), options_(options), slots_(static_cast<size_t>(options.threads)) {}

absl::StatusOr<HogwildTotals> HogwildDriver::RunWorkers(
    const std::function<absl::Status(int)>& worker, const TrainProgressCallback& progress,
    double interval) {
  const int threads = options_.threads;
  const LearningRateSchedule& schedule = options_.schedule;
  std::vector<absl::Status> status(static_cast<size_t>(threads));
  std::atomic<int> finished{0};
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();

  TrainProgress report;
  double last_loss = 0;
  uint64_t last_pairs = 0;
  auto fill_report = [&] {
    double loss = 0;
    uint64_t pairs = 0;
    for (const Slot& s : slots_) {
      loss += s.loss.load(std::memory_order_relaxed);
      pairs += s.pairs.load(std::memory_order_relaxed);
    }
    if (pairs > last_pairs) {
      report.loss = (loss - last_loss) / static_cast<double>(pairs - last_pairs);
    }
    last_loss = loss;
    last_pairs = pairs;
    const uint64_t done = words_done_.load(std::memory_order_relaxed);
    report.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.fraction =
        std::min(1.0, static_cast<double>(done) / static_cast<double>(schedule.total_words));
    report.alpha = schedule.At(done);
    report.words_per_second_per_thread =
        report.elapsed_seconds > 0 ? done / report.elapsed_seconds / threads : 0;
    report.eta_seconds = report.fraction > 0
                             ? report.elapsed_seconds * (1.0 - report.fraction) / report.fraction
                             : -1;
    report.epoch = epoch_.load(std::memory_order_relaxed);
  };
  // Reports progress until the workers are done. It is the last part of the pool's job, so
  // that when the pool is busy (its parts then run one after another on the caller) it starts
  // after the workers and returns at once, instead of waiting for workers that never start.
  auto monitor = [&] {
    const auto step = std::chrono::milliseconds(20);
    auto next_report = start + std::chrono::duration<double>(interval);
    while (finished.load(std::memory_order_acquire) < threads) {
      std::this_thread::sleep_for(step);
      if (progress && std::chrono::steady_clock::now() >= next_report) {
        fill_report();
        progress(report);
        next_report += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(interval));
      }
    }
  };

  const size_t parts = static_cast<size_t>(threads) + 1;
  ParallelFor(parts, static_cast<int>(parts), [&](int part, size_t, size_t) {
    if (part == threads) {
      monitor();
      return;
    }
    status[part] = worker(part);
    finished.fetch_add(1, std::memory_order_release);
  });
  for (const absl::Status& s : status) {
    if (!s.ok()) return s;
  }
  fill_report();

  HogwildTotals totals;
  totals.seconds = report.elapsed_seconds;
  totals.cpu_seconds = ProcessCpuSeconds() - cpu_start;
  totals.words = words_done_.load();
  totals.final_loss = report.loss;
  for (const Slot& s : slots_) totals.pairs += s.pairs.load(std::memory_order_relaxed);
  return totals;
}

}  // namespace wordspace::embeddings
