#include "embeddings/sgns_trainer.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/cpu_time.h"
#include "base/parallel_for.h"
#include "base/random.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "embeddings/negative_sampler.h"
#include "embeddings/sgns_kernels.h"

namespace wordspace::embeddings {
namespace {

using corpus::kSentenceEnd;
using corpus::TokenIdFile;

// word2vec.c's sigmoid table: scores beyond ±kMaxScore saturate.
constexpr float kMaxScore = 6.0f;
constexpr int kTableSize = 1024;
constexpr size_t kReadChunk = 1 << 16;       // ids read from the token-id file at a time
constexpr uint64_t kWordsPerUpdate = 10000;  // how often a thread publishes its word count

struct SigmoidTables {
  float sigmoid[kTableSize + 1];
  float log_sigmoid[kTableSize + 1];  // log σ(x) on the same grid
  SigmoidTables() {
    for (int i = 0; i <= kTableSize; ++i) {
      double x = (2.0 * i / kTableSize - 1.0) * kMaxScore;
      sigmoid[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
      log_sigmoid[i] = static_cast<float>(-std::log1p(std::exp(-x)));
    }
  }
  int Index(float x) const {
    return static_cast<int>((x + kMaxScore) * (kTableSize / kMaxScore / 2.0f));
  }
  // -log σ(x), linear beyond the table (log σ(x) ≈ x for very negative x).
  float NegLogSigmoid(float x) const {
    if (x >= kMaxScore) return 0.0f;
    if (x <= -kMaxScore) return -x;
    return -log_sigmoid[Index(x)];
  }
};

// 64-byte aligned float storage, so vector rows start on cache lines as often as possible.
struct AlignedFree {
  void operator()(float* p) const { std::free(p); }
};
using AlignedFloats = std::unique_ptr<float[], AlignedFree>;

AlignedFloats AllocateFloats(size_t n) {
  size_t bytes = ((n * sizeof(float) + 63) / 64) * 64;
  return AlignedFloats(static_cast<float*>(std::aligned_alloc(64, std::max<size_t>(bytes, 64))));
}

// A weight matrix: 2 MB aligned and, where the kernel allows it, backed by transparent huge
// pages. Every training step touches ~10 random rows of two matrices of tens of MB; with 4 KB
// pages nearly each of those is a TLB miss and a page walk (the profile showed the row
// prefetches stalling on them).
AlignedFloats AllocateMatrix(size_t n) {
  constexpr size_t kHugePage = size_t{2} << 20;
  const size_t bytes =
      std::max<size_t>((n * sizeof(float) + kHugePage - 1) / kHugePage, 1) * kHugePage;
  void* p = std::aligned_alloc(kHugePage, bytes);
  CHECK(p != nullptr);
#if defined(MADV_HUGEPAGE)
  madvise(p, bytes, MADV_HUGEPAGE);  // advice only: without THP the matrix still works
#endif
  return AlignedFloats(static_cast<float*>(p));
}

// Per-thread figures the monitor reads; padded so threads never share a cache line.
struct alignas(64) ThreadSlot {
  std::atomic<double> loss{0};
  std::atomic<uint64_t> pairs{0};
  absl::Status status;
};

struct Shared {
  const SgnsOptions* options;
  const TokenIdFile* corpus;
  const NegativeSampler* sampler;
  const SigmoidTables* tables;
  const float* keep_probability;  // per word id: probability of surviving subsampling
  float* input;                   // syn0: V rows of `stride` floats (dim used, the rest zero)
  float* output;                  // syn1neg: same layout
  int stride;                     // PaddedDim(dim): rows start on 64-byte boundaries
  const SgnsKernels* kernels;     // for SgnsKernel::kBatched
  uint64_t total_words;           // vocabulary words over all epochs, for the learning rate
  // On its own cache line: the fields above are read-only and read by every thread.
  alignas(64) std::atomic<uint64_t> words_done{0};
  std::atomic<int> epoch{1};
};

double CurrentAlpha(const SgnsOptions& o, uint64_t done, uint64_t total) {
  double progress = std::min(1.0, static_cast<double>(done) / static_cast<double>(total + 1));
  return o.alpha - (o.alpha - o.min_alpha) * progress;
}

// Trains every (context, centre) pair of one sentence: word2vec.c's skip-gram loop.
// Cloned per instruction set (AVX-512, AVX2+FMA, baseline) and chosen at run time, so the
// portable binary still runs the wide kernels where the CPU has them.
__attribute__((target_clones("arch=skylake-avx512", "arch=haswell", "default"))) void TrainSentence(
    const uint32_t* sentence, int length, float alpha, int dim, int stride, int window,
    int negative, float* __restrict input, float* __restrict output, const NegativeSampler& sampler,
    const SigmoidTables& tables, FastRng& rng, float* __restrict gradient, double* loss,
    uint64_t* pairs) {
  double local_loss = 0;
  uint64_t local_pairs = 0;
  for (int i = 0; i < length; ++i) {
    const uint32_t centre = sentence[i];
    const int reach = 1 + static_cast<int>(rng.Below(static_cast<uint32_t>(window)));
    const int begin = std::max(0, i - reach);
    const int end = std::min(length, i + reach + 1);
    for (int c = begin; c < end; ++c) {
      if (c == i) continue;
      float* __restrict in = input + static_cast<size_t>(sentence[c]) * stride;
      for (int k = 0; k < dim; ++k) gradient[k] = 0.0f;
      for (int d = 0; d <= negative; ++d) {
        uint32_t target;
        float label;
        if (d == 0) {
          target = centre;
          label = 1.0f;
        } else {
          target = sampler.Sample(rng.Next());
          if (target == centre) continue;
          label = 0.0f;
        }
        float* __restrict out = output + static_cast<size_t>(target) * stride;
        float score = 0.0f;
#pragma omp simd reduction(+ : score)
        for (int k = 0; k < dim; ++k) score += in[k] * out[k];
        float g;
        if (score > kMaxScore) {
          g = (label - 1.0f) * alpha;
        } else if (score < -kMaxScore) {
          g = label * alpha;
        } else {
          g = (label - tables.sigmoid[tables.Index(score)]) * alpha;
        }
        local_loss += tables.NegLogSigmoid(label > 0 ? score : -score);
#pragma omp simd
        for (int k = 0; k < dim; ++k) gradient[k] += g * out[k];
#pragma omp simd
        for (int k = 0; k < dim; ++k) out[k] += g * in[k];
      }
#pragma omp simd
      for (int k = 0; k < dim; ++k) in[k] += gradient[k];
      ++local_pairs;
    }
  }
  *loss += local_loss;
  *pairs += local_pairs;
}

constexpr size_t kNoisePool = 1024;
constexpr int kLossSampling = 8;

// Per-thread buffers of the batched kernel, 64-byte aligned and owned by one thread.
struct BatchBuffers {
  BatchBuffers(int window, int negative)
      : in_rows(2 * window),
        out_rows(1 + negative),
        negatives(negative),
        noise_pool(std::max<size_t>(kNoisePool, negative)),
        scores(AllocateFloats(static_cast<size_t>(2 * window) * (1 + negative))),
        gradient(AllocateFloats(static_cast<size_t>(2 * window) * (1 + negative))),
        scratch(AllocateFloats(SgnsUpdateScratch(2 * window, 1 + negative))) {}
  std::vector<float*> in_rows;
  std::vector<float*> out_rows;
  std::vector<uint32_t> negatives;  // drawn one window ahead, so that their rows are prefetched
  // Noise words are drawn kNoisePool at a time: the draws' random reads of the alias tables
  // are then independent and overlap, where one by one each was a cache miss in turn.
  std::vector<uint32_t> noise_pool;
  size_t noise_next = noise_pool.size();  // all used: the first draw fills the pool
  uint64_t windows = 0;                   // for sampling the loss
  AlignedFloats scores;
  AlignedFloats gradient;
  AlignedFloats scratch;
};

// Starts loading a whole row into the cache, for writing (measured: ~12% less CPU time per
// epoch on corpus-large than without; the first line alone gives most but not all of it).
inline void PrefetchRow(const float* row, int stride) {
  const char* p = reinterpret_cast<const char*>(row);
  for (int b = 0; b < stride * static_cast<int>(sizeof(float)); b += 64) {
    __builtin_prefetch(p + b, 1, 3);
  }
}

// Draws the next window's noise words and prefetches their output rows.
inline void DrawNegatives(const NegativeSampler& sampler, FastRng& rng, const float* output,
                          int stride, BatchBuffers& buffers) {
  std::vector<uint32_t>& pool = buffers.noise_pool;
  if (buffers.noise_next + buffers.negatives.size() > pool.size()) {
    for (uint32_t& id : pool) id = sampler.Sample(rng.Next());
    buffers.noise_next = 0;
  }
  for (uint32_t& id : buffers.negatives) {
    id = pool[buffers.noise_next++];
    PrefetchRow(output + static_cast<size_t>(id) * stride, stride);
  }
}

// The batched kernel on one sentence. Per centre word: the B context rows of the shrunk window
// (inputs) and T = 1 + negative output rows (the centre word, then noise words shared by the
// whole window; a noise word equal to the centre word is dropped, as word2vec.c does) give
// scores (B,T) = in·outᵀ, gradients g = alpha·(label − σ(scores)) with word2vec.c's saturation
// beyond ±kMaxScore, and the updates in += g·out, out += gᵀ·in, all from the old values.
void TrainSentenceBatched(const uint32_t* sentence, int length, float alpha, int window,
                          float* input, float* output, int stride, const SgnsKernels& kernels,
                          const NegativeSampler& sampler, const SigmoidTables& tables, FastRng& rng,
                          BatchBuffers& buffers, double* loss, uint64_t* pairs) {
  float** in_rows = buffers.in_rows.data();
  float** out_rows = buffers.out_rows.data();
  float* scores = buffers.scores.get();
  float* gradient = buffers.gradient.get();
  double local_loss = 0;
  uint64_t local_pairs = 0;
  for (int i = 0; i < length; ++i) {
    const uint32_t centre = sentence[i];
    const int reach = 1 + static_cast<int>(rng.Below(static_cast<uint32_t>(window)));
    const int begin = std::max(0, i - reach);
    const int end = std::min(length, i + reach + 1);
    int B = 0;
    for (int c = begin; c < end; ++c) {
      if (c != i) in_rows[B++] = input + static_cast<size_t>(sentence[c]) * stride;
    }
    int T = 0;
    out_rows[T++] = output + static_cast<size_t>(centre) * stride;
    for (uint32_t id : buffers.negatives) {
      if (id != centre) out_rows[T++] = output + static_cast<size_t>(id) * stride;
    }
    // Rows the next windows need: their noise words, the next centre, the next new context.
    DrawNegatives(sampler, rng, output, stride, buffers);
    if (i + 1 < length) PrefetchRow(output + static_cast<size_t>(sentence[i + 1]) * stride, stride);
    if (i + window + 1 < length) {
      PrefetchRow(input + static_cast<size_t>(sentence[i + window + 1]) * stride, stride);
    }
    if (B == 0) continue;

    kernels.scores(in_rows, B, out_rows, T, stride, scores);
    for (int b = 0; b < B; ++b) {
      const float* s = scores + b * T;
      float* g = gradient + b * T;
      for (int j = 0; j < T; ++j) {
        const float x = s[j];
        const float label = j == 0 ? 1.0f : 0.0f;
        const float sigma = x > kMaxScore    ? 1.0f
                            : x < -kMaxScore ? 0.0f
                                             : tables.sigmoid[tables.Index(x)];
        g[j] = (label - sigma) * alpha;
      }
    }
    // The loss is only reported, so one window in kLossSampling is scored (it cost ~7% of the
    // training time when every window was), weighted to estimate the total.
    if (++buffers.windows % kLossSampling == 0) {
      double window_loss = 0;
      for (int b = 0; b < B; ++b) {
        for (int j = 0; j < T; ++j) {
          const float x = scores[b * T + j];
          window_loss += tables.NegLogSigmoid(j == 0 ? x : -x);
        }
      }
      local_loss += kLossSampling * window_loss;
    }
    kernels.update(in_rows, B, out_rows, T, stride, gradient, buffers.scratch.get());
    local_pairs += static_cast<uint64_t>(B);
  }
  *loss += local_loss;
  *pairs += local_pairs;
}

void Worker(int thread_id, int threads, Shared& shared, ThreadSlot& slot) {
  const SgnsOptions& o = *shared.options;
  const TokenIdFile& corpus = *shared.corpus;
  FastRng rng(o.seed + static_cast<uint64_t>(thread_id));
  const uint64_t begin = corpus.size() * thread_id / threads;
  const uint64_t end = corpus.size() * (thread_id + 1) / threads;
  std::vector<uint32_t> chunk(kReadChunk);
  std::vector<uint32_t> sentence;
  sentence.reserve(corpus::kMaxSentenceWords + 1);
  AlignedFloats gradient = AllocateFloats(o.dim);
  const bool batched = o.kernel == SgnsKernel::kBatched;
  BatchBuffers buffers(o.window, o.negative);
  if (batched) DrawNegatives(*shared.sampler, rng, shared.output, shared.stride, buffers);
  uint64_t unpublished = 0;
  double loss = 0;
  uint64_t pairs = 0;
  float alpha = static_cast<float>(o.alpha);

  auto flush_sentence = [&] {
    if (sentence.size() > 1 && batched) {
      TrainSentenceBatched(sentence.data(), static_cast<int>(sentence.size()), alpha, o.window,
                           shared.input, shared.output, shared.stride, *shared.kernels,
                           *shared.sampler, *shared.tables, rng, buffers, &loss, &pairs);
    } else if (sentence.size() > 1) {
      TrainSentence(sentence.data(), static_cast<int>(sentence.size()), alpha, o.dim, shared.stride,
                    o.window, o.negative, shared.input, shared.output, *shared.sampler,
                    *shared.tables, rng, gradient.get(), &loss, &pairs);
    }
    sentence.clear();
    if (unpublished >= kWordsPerUpdate) {
      uint64_t done =
          shared.words_done.fetch_add(unpublished, std::memory_order_relaxed) + unpublished;
      unpublished = 0;
      alpha = static_cast<float>(CurrentAlpha(o, done, shared.total_words));
      slot.loss.store(loss, std::memory_order_relaxed);
      slot.pairs.store(pairs, std::memory_order_relaxed);
    }
  };

  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    if (thread_id == 0) shared.epoch.store(epoch, std::memory_order_relaxed);
    for (uint64_t at = begin; at < end; at += kReadChunk) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(kReadChunk, end - at));
      if (absl::Status s = corpus.Read(at, n, chunk.data()); !s.ok()) {
        slot.status = s;
        return;
      }
      for (size_t i = 0; i < n; ++i) {
        const uint32_t id = chunk[i];
        if (id == kSentenceEnd) {
          flush_sentence();
          continue;
        }
        ++unpublished;
        if (shared.keep_probability[id] < 1.0f && shared.keep_probability[id] < rng.Uniform()) {
          continue;
        }
        sentence.push_back(id);
        if (sentence.size() >= corpus::kMaxSentenceWords) flush_sentence();
      }
    }
    flush_sentence();  // a sentence cut by the end of this thread's range
  }
  shared.words_done.fetch_add(unpublished, std::memory_order_relaxed);
  slot.loss.store(loss, std::memory_order_relaxed);
  slot.pairs.store(pairs, std::memory_order_relaxed);
}

absl::Status Validate(const SgnsOptions& o) {
  auto bad = [](const std::string& what) { return absl::InvalidArgumentError(what); };
  if (o.dim < 1 || o.dim > 10000) return bad(absl::StrCat("--dim must be 1..10000, got ", o.dim));
  if (o.window < 1) return bad(absl::StrCat("--window must be at least 1, got ", o.window));
  if (o.negative < 1) return bad(absl::StrCat("--negative must be at least 1, got ", o.negative));
  if (o.sample < 0) return bad("--sample must be 0 (off) or positive");
  if (o.alpha <= 0 || o.min_alpha < 0 || o.min_alpha > o.alpha) {
    return bad("--alpha must be positive and --min-alpha between 0 and --alpha");
  }
  if (o.epochs < 1) return bad(absl::StrCat("--epochs must be at least 1, got ", o.epochs));
  return absl::OkStatus();
}

}  // namespace

double DefaultAlpha(SgnsKernel kernel) {
  // Classic: word2vec.c's skip-gram rate. Batched: fastText's skip-gram rate; on corpus-large
  // (sample 1e-4) it gave 17.5% analogy accuracy after 1 epoch and 40.3% after 5, against
  // 11.7% and 37.2% with 0.025 (bench/train_bench.sh).
  return kernel == SgnsKernel::kClassic ? 0.025 : 0.05;
}

const char* SgnsKernelName(SgnsKernel kernel) {
  return kernel == SgnsKernel::kClassic ? "classic" : "batched";
}

absl::StatusOr<SgnsKernel> ParseSgnsKernel(std::string_view name) {
  if (name == "batched") return SgnsKernel::kBatched;
  if (name == "classic") return SgnsKernel::kClassic;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown kernel \"", ToAbsl(name), "\"; use batched or classic"));
}

absl::StatusOr<SgnsResult> TrainSkipGram(const TokenIdFile& corpus, const SgnsOptions& requested,
                                         const SgnsProgressCallback& progress, double interval) {
  SgnsOptions options = requested;
  if (options.alpha == 0) options.alpha = DefaultAlpha(options.kernel);
  if (absl::Status s = Validate(options); !s.ok()) return s;
  const corpus::Vocabulary& vocab = corpus.vocab();
  RETURN_IF_ERROR(corpus.CheckHasTokens());
  const int threads = ResolveThreads(options.threads);
  const size_t V = static_cast<size_t>(vocab.size());
  const int dim = options.dim;

  // Input vectors start uniform in ±0.5/dim, output vectors at zero, as in word2vec.c. Rows are
  // padded to a multiple of 16 floats with zeros (which stay zero), so that every row starts on
  // a cache line and the batched kernels need no tail loop.
  const int stride = PaddedDim(dim);
  AlignedFloats input = AllocateMatrix(V * stride);
  AlignedFloats output = AllocateMatrix(V * stride);
  FastRng init_rng(options.seed ^ 0x5DEECE66Dull);
  for (size_t r = 0; r < V; ++r) {
    float* in = input.get() + r * stride;
    for (int k = 0; k < dim; ++k) in[k] = (init_rng.Uniform() - 0.5f) / static_cast<float>(dim);
    std::fill(in + dim, in + stride, 0.0f);
  }
  std::fill(output.get(), output.get() + V * stride, 0.0f);

  // word2vec.c's subsampling: keep a word of count c with probability
  // (sqrt(c / (sample·N)) + 1) · sample·N / c, where N is the corpus' vocabulary words.
  std::vector<float> keep(V, 1.0f);
  if (options.sample > 0) {
    const double threshold = options.sample * static_cast<double>(vocab.total_count());
    for (size_t i = 0; i < V; ++i) {
      const double c = static_cast<double>(vocab.count(static_cast<int32_t>(i)));
      if (c > 0) keep[i] = static_cast<float>((std::sqrt(c / threshold) + 1.0) * threshold / c);
    }
  }
  NegativeSampler sampler(vocab.counts(), 0.75);
  SigmoidTables tables;

  Shared shared;
  shared.options = &options;
  shared.corpus = &corpus;
  shared.sampler = &sampler;
  shared.tables = &tables;
  shared.keep_probability = keep.data();
  shared.input = input.get();
  shared.output = output.get();
  shared.stride = stride;
  shared.kernels = &SgnsKernels::Best();
  shared.total_words = corpus.tokens() * static_cast<uint64_t>(options.epochs);

  std::vector<ThreadSlot> slots(threads);
  std::atomic<int> finished{0};
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      Worker(t, threads, shared, slots[t]);
      finished.fetch_add(1, std::memory_order_release);
    });
  }

  // The calling thread reports progress until the workers are done.
  SgnsProgress report;
  double last_loss = 0;
  uint64_t last_pairs = 0;
  auto fill_report = [&] {
    double loss = 0;
    uint64_t pairs = 0;
    for (const ThreadSlot& s : slots) {
      loss += s.loss.load(std::memory_order_relaxed);
      pairs += s.pairs.load(std::memory_order_relaxed);
    }
    if (pairs > last_pairs)
      report.loss = (loss - last_loss) / static_cast<double>(pairs - last_pairs);
    last_loss = loss;
    last_pairs = pairs;
    const uint64_t done = shared.words_done.load(std::memory_order_relaxed);
    report.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.fraction =
        std::min(1.0, static_cast<double>(done) / static_cast<double>(shared.total_words));
    report.alpha = CurrentAlpha(options, done, shared.total_words);
    report.words_per_second_per_thread =
        report.elapsed_seconds > 0 ? done / report.elapsed_seconds / threads : 0;
    report.eta_seconds = report.fraction > 0
                             ? report.elapsed_seconds * (1.0 - report.fraction) / report.fraction
                             : -1;
    report.epoch = shared.epoch.load(std::memory_order_relaxed);
  };
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
  for (auto& w : workers) w.join();
  for (const ThreadSlot& s : slots) {
    if (!s.status.ok()) return s.status;
  }
  fill_report();

  SgnsResult result;
  result.seconds = report.elapsed_seconds;
  result.words = shared.words_done.load();
  result.final_loss = report.loss;
  result.alpha = options.alpha;
  result.cpu_seconds = ProcessCpuSeconds() - cpu_start;
  for (const ThreadSlot& s : slots) result.pairs += s.pairs.load(std::memory_order_relaxed);
  result.isa = options.kernel == SgnsKernel::kBatched ? shared.kernels->name : "";
  output.reset();  // before the copy below, to keep peak memory at two matrices
  std::vector<float> values(V * dim);
  for (size_t r = 0; r < V; ++r) {
    std::copy_n(input.get() + r * stride, dim, values.data() + r * dim);
  }
  input.reset();
  result.vectors = WordVectors(vocab.words(), dim, std::move(values));
  return result;
}

}  // namespace wordspace::embeddings
