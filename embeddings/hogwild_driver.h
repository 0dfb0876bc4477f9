// HogwildDriver: the part of a word-vector trainer that is not the model: Hogwild workers over
// the token-id file (Recht et al., 2011: lock-free row updates), subsampling, the linear
// learning-rate schedule, and the progress and loss monitor. A model (skip-gram, CBOW) with
// its loss and input rows plugs in as a per-worker sentence trainer; the driver never looks
// inside it.
//
// Contract:
//  - worker t of p reads ids [size·t/p, size·(t+1)/p) of the file in every epoch, cuts them
//    into sentences at kSentenceEnd and every kMaxSentenceWords kept words, drops subsampled
//    words, and hands each sentence of 2 words or more to its trainer;
//  - worker t owns a FastRng seeded `seed + t`, shared by subsampling and its trainer, so with
//    one thread and a fixed seed the result is bit-for-bit reproducible;
//  - the learning rate falls linearly with the words read by all workers (published every
//    10000 words per worker);
//  - workers and the monitor run on base's one thread pool; each worker reports its Status in
//    its own slot and Run returns the first error;
//  - a driver runs once: its counters start at zero and are not reset.
//
//   HogwildDriver driver(corpus, {.threads = 4, .epochs = 5, .seed = 1,
//                                 .schedule = {0.025, 0.0001, total_words}});
//   ASSIGN_OR_RETURN(HogwildTotals totals,
//                    driver.Run(subsampler, [&](int t, FastRng& rng) { return MyTrainer(...); },
//                               progress, 0.5));
// where MyTrainer(sentence, length, alpha, &loss, &pairs) trains one sentence.
#ifndef WORDSPACE_EMBEDDINGS_HOGWILD_DRIVER_H_
#define WORDSPACE_EMBEDDINGS_HOGWILD_DRIVER_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/random.h"
#include "base/status_macros.h"
#include "corpus/token_id_file.h"
#include "embeddings/context_window.h"

namespace wordspace::embeddings {

// Linear decay from `start` to `end` over `total_words` words (all epochs), as word2vec.c's.
struct LearningRateSchedule {
  double start = 0;
  double end = 0;
  uint64_t total_words = 0;

  // The rate after `done` words.
  double At(uint64_t done) const {
    const double progress =
        std::min(1.0, static_cast<double>(done) / static_cast<double>(total_words + 1));
    return start - (start - end) * progress;
  }
};

struct TrainProgress {
  double fraction = 0;  // of all epochs
  double words_per_second_per_thread = 0;
  double alpha = 0;
  double loss = 0;  // mean loss per pair since the previous report
  double elapsed_seconds = 0;
  double eta_seconds = 0;
  int epoch = 0;  // 1-based
};

// Called about every `interval` seconds from one thread of base's pool while training runs
// (never two calls at once); the caller of Run is blocked meanwhile.
using TrainProgressCallback = std::function<void(const TrainProgress&)>;

struct HogwildOptions {
  int threads = 1;  // resolved: at least 1
  int epochs = 1;
  uint64_t seed = 1;
  LearningRateSchedule schedule;
  // Run epochs first_epoch..last_epoch only (0: epochs); the schedule still spans all `epochs`.
  int first_epoch = 1;
  int last_epoch = 0;
  // When set (by another thread: a Python binding watching for Ctrl-C, say), the workers stop
  // at their next chunk of the file and Run returns Cancelled. Checked once per kReadChunk ids.
  const std::atomic<bool>* cancel = nullptr;
};

// What a worker carries from one epoch to the next: with it (and the matrices) a run stopped
// after an epoch goes on exactly as if it had not stopped (train --resume).
struct WorkerState {
  std::array<uint64_t, 4> rng{};
  uint64_t unpublished = 0;  // words read but not yet added to the shared count
  float alpha = 0;
  double loss = 0;
  uint64_t pairs = 0;
  std::vector<uint32_t> trainer;  // the trainer's own (its loss' noise words drawn ahead)
};
struct HogwildState {
  uint64_t words_done = 0;  // the shared count, without the workers' unpublished words
  std::vector<WorkerState> workers;
};

struct HogwildTotals {
  double seconds = 0;      // wall time
  double cpu_seconds = 0;  // process CPU time (user + system)
  uint64_t words = 0;      // vocabulary words read over all epochs (before subsampling)
  uint64_t pairs = 0;      // pairs the trainers reported
  double final_loss = 0;   // mean loss per pair over the last reporting interval
};

class HogwildDriver {
 public:
  // `corpus` must outlive the driver.
  HogwildDriver(const corpus::TokenIdFile& corpus, const HogwildOptions& options);

  // Trains options.epochs epochs. make(t, rng) builds worker t's sentence trainer (it may draw
  // from rng, worker t's generator, which the trainer then keeps using): a callable
  //   void(const uint32_t* sentence, int length, float alpha, double* loss, uint64_t* pairs)
  // that adds the sentence's loss and pair count. Internal if reading the file fails.
  //
  // With `from`, the workers start from a saved state (one per thread; the trainer's part
  // through its RestoreState(std::span<const uint32_t>), which returns false when it does not
  // fit); with `at_end`, their state after the last epoch is saved there (the trainer's through
  // SaveState(std::vector<uint32_t>*)).
  template <typename MakeTrainer>
  [[nodiscard]] absl::StatusOr<HogwildTotals> Run(const Subsampler& subsampler, MakeTrainer&& make,
                                                  const TrainProgressCallback& progress,
                                                  double interval,
                                                  const HogwildState* from = nullptr,
                                                  HogwildState* at_end = nullptr);

 private:
  // Per-worker figures the monitor reads; padded so workers never share a cache line.
  struct alignas(64) Slot {
    std::atomic<double> loss{0};
    std::atomic<uint64_t> pairs{0};
  };

  // Runs worker(t) for every t on the pool, and the monitor beside them until they are done.
  absl::StatusOr<HogwildTotals> RunWorkers(const std::function<absl::Status(int)>& worker,
                                           const TrainProgressCallback& progress, double interval);

  // Worker t's epochs over its range of the file.
  template <typename Trainer>
  absl::Status Work(int t, const Subsampler& subsampler, FastRng& rng, Trainer& train,
                    const WorkerState* from, WorkerState* at_end);

  static constexpr size_t kReadChunk = 1 << 16;       // ids read from the file at a time
  static constexpr uint64_t kWordsPerUpdate = 10000;  // how often a worker publishes its count

  const corpus::TokenIdFile& corpus_;
  const HogwildOptions options_;
  std::vector<Slot> slots_;
  // On its own cache line: the fields above are read-only and read by every worker.
  alignas(64) std::atomic<uint64_t> words_done_{0};
  std::atomic<int> epoch_{1};
};

template <typename MakeTrainer>
absl::StatusOr<HogwildTotals> HogwildDriver::Run(const Subsampler& subsampler, MakeTrainer&& make,
                                                 const TrainProgressCallback& progress,
                                                 double interval, const HogwildState* from,
                                                 HogwildState* at_end) {
  const size_t threads = static_cast<size_t>(options_.threads);
  if (from != nullptr) {
    if (from->workers.size() != threads) {
      return absl::InvalidArgumentError(
          absl::StrCat("the saved run had ", from->workers.size(), " threads, not ", threads));
    }
    words_done_.store(from->words_done);
  }
  if (at_end != nullptr) at_end->workers.assign(threads, WorkerState());
  absl::StatusOr<HogwildTotals> totals = RunWorkers(
      [&](int t) -> absl::Status {
        FastRng rng(options_.seed + static_cast<uint64_t>(t));
        auto train = make(t, rng);
        const WorkerState* start = from != nullptr ? &from->workers[t] : nullptr;
        WorkerState* end = at_end != nullptr ? &at_end->workers[t] : nullptr;
        if constexpr (requires(std::span<const uint32_t> s, std::vector<uint32_t>* v) {
                        train.RestoreState(s);
                        train.SaveState(v);
                      }) {
          if (start != nullptr) {
            rng.set_state(start->rng);
            if (!train.RestoreState(start->trainer)) {
              return absl::InvalidArgumentError("the saved run's noise words do not fit this run");
            }
          }
          if (end != nullptr) {
            RETURN_IF_ERROR(Work(t, subsampler, rng, train, start, end));
            train.SaveState(&end->trainer);
            end->rng = rng.state();
            return absl::OkStatus();
          }
        } else {
          if (start != nullptr || end != nullptr) {
            return absl::InternalError("this trainer cannot save or restore its state");
          }
        }
        return Work(t, subsampler, rng, train, start, end);
      },
      progress, interval);
  if (totals.ok() && at_end != nullptr) {
    uint64_t unpublished = 0;
    for (const WorkerState& w : at_end->workers) unpublished += w.unpublished;
    at_end->words_done = words_done_.load() - unpublished;
  }
  return totals;
}

template <typename Trainer>
absl::Status HogwildDriver::Work(int t, const Subsampler& subsampler, FastRng& rng, Trainer& train,
                                 const WorkerState* from, WorkerState* at_end) {
  const int threads = options_.threads;
  const uint64_t begin = corpus_.size() * t / threads;
  const uint64_t end = corpus_.size() * (t + 1) / threads;
  std::vector<uint32_t> chunk(kReadChunk);
  std::vector<uint32_t> sentence;
  sentence.reserve(corpus::kMaxSentenceWords + 1);
  Slot& slot = slots_[t];
  uint64_t unpublished = 0;
  double loss = 0;
  uint64_t pairs = 0;
  float alpha = static_cast<float>(options_.schedule.start);
  if (from != nullptr) {
    unpublished = from->unpublished;
    alpha = from->alpha;
    loss = from->loss;
    pairs = from->pairs;
  }

  auto flush_sentence = [&] {
    if (sentence.size() > 1) {
      train(sentence.data(), static_cast<int>(sentence.size()), alpha, &loss, &pairs);
    }
    sentence.clear();
    if (unpublished >= kWordsPerUpdate) {
      const uint64_t done =
          words_done_.fetch_add(unpublished, std::memory_order_relaxed) + unpublished;
      unpublished = 0;
      alpha = static_cast<float>(options_.schedule.At(done));
      slot.loss.store(loss, std::memory_order_relaxed);
      slot.pairs.store(pairs, std::memory_order_relaxed);
    }
  };

  const int last_epoch = options_.last_epoch > 0 ? options_.last_epoch : options_.epochs;
  for (int epoch = options_.first_epoch; epoch <= last_epoch; ++epoch) {
    if (t == 0) epoch_.store(epoch, std::memory_order_relaxed);
    for (uint64_t at = begin; at < end; at += kReadChunk) {
      if (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed)) {
        return absl::CancelledError("training was stopped before it finished");
      }
      const size_t n = static_cast<size_t>(std::min<uint64_t>(kReadChunk, end - at));
      if (absl::Status s = corpus_.Read(at, n, chunk.data()); !s.ok()) return s;
      for (size_t i = 0; i < n; ++i) {
        const uint32_t id = chunk[i];
        if (id == corpus::kSentenceEnd) {
          flush_sentence();
          continue;
        }
        ++unpublished;
        if (!subsampler.Keep(id, rng)) continue;
        sentence.push_back(id);
        if (sentence.size() >= corpus::kMaxSentenceWords) flush_sentence();
      }
    }
    flush_sentence();  // a sentence cut by the end of this worker's range
  }
  if (at_end != nullptr) *at_end = {rng.state(), unpublished, alpha, loss, pairs, {}};
  words_done_.fetch_add(unpublished, std::memory_order_relaxed);
  slot.loss.store(loss, std::memory_order_relaxed);
  slot.pairs.store(pairs, std::memory_order_relaxed);
  return absl::OkStatus();
}

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_HOGWILD_DRIVER_H_
