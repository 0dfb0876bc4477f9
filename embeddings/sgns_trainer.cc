#include "embeddings/sgns_trainer.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/aligned_buffer.h"
#include "base/check.h"
#include "base/cpu_features.h"
#include "base/parallel_for.h"
#include "base/random.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "embeddings/context_window.h"
#include "embeddings/hierarchical_softmax_loss.h"
#include "embeddings/hogwild_driver.h"
#include "embeddings/huffman_tree.h"
#include "embeddings/input_rows.h"
#include "embeddings/negative_sampler.h"
#include "embeddings/negative_sampling_loss.h"
#include "embeddings/sgns_kernels.h"
#include "embeddings/sigmoid_table.h"
#include "embeddings/skip_gram.h"
#include "embeddings/skip_gram_classic.h"
#include "embeddings/subword_skip_gram.h"
#include "embeddings/subwords.h"

namespace wordspace::embeddings {
namespace {

using corpus::TokenIdFile;

// One worker's parts and buffers, 64-byte aligned and owned by that worker. `Loss` is
// NegativeSamplingLoss or HierarchicalSoftmaxLoss.
template <typename Loss>
class SgnsWorker {
 public:
  SgnsWorker(const SgnsOptions& o, const WordRows& rows, Loss loss, const SgnsKernels& kernels,
             int stride, FastRng& rng)
      : o_(o),
        rows_(rows),
        loss_(std::move(loss)),
        kernels_(kernels),
        stride_(stride),
        rng_(rng),
        scratch_vector_(AlignedBuffer(2 * static_cast<size_t>(o.dim))),
        in_rows_(2 * o.window),
        out_rows_(loss_.MaxTargets()),
        scores_(AlignedBuffer(static_cast<size_t>(2 * o.window) * loss_.MaxTargets())),
        batch_gradient_(AlignedBuffer(static_cast<size_t>(2 * o.window) * loss_.MaxTargets())),
        update_scratch_(AlignedBuffer(SgnsUpdateScratch(2 * o.window, loss_.MaxTargets()))) {
    scratch_ = {in_rows_.data(), out_rows_.data(), scores_.data(), batch_gradient_.data(),
                update_scratch_.data()};
    cbow_scratch_ = {scratch_vector_.data(), scratch_vector_.data() + o.dim, out_rows_.data(),
                     scores_.data(), batch_gradient_.data()};
    if (o.kernel == SgnsKernel::kBatched) loss_.DrawNext(rng);
  }

  void SaveState(std::vector<uint32_t>* state) const { loss_.SaveState(state); }
  bool RestoreState(std::span<const uint32_t> state) { return loss_.RestoreState(state); }

  void operator()(const uint32_t* sentence, int length, float alpha, double* loss,
                  uint64_t* pairs) {
    if (o_.model == WordModel::kCbow && o_.kernel == SgnsKernel::kBatched) {
      cbow_batched_(sentence, length, alpha, o_.dim, o_.window, rows_, loss_, rng_, cbow_scratch_,
                    loss, pairs);
    } else if (o_.model == WordModel::kCbow) {
      cbow_(sentence, length, alpha, o_.dim, o_.window, rows_, loss_, rng_, scratch_vector_.data(),
            loss, pairs);
    } else if (o_.kernel == SgnsKernel::kBatched) {
      SkipGramBatchedSentence(sentence, length, alpha, o_.window, rows_, loss_, kernels_, stride_,
                              rng_, scratch_, loss, pairs);
    } else {
      classic_(sentence, length, alpha, o_.dim, o_.window, rows_, loss_, rng_,
               scratch_vector_.data(), loss, pairs);
    }
  }

 private:
  static constexpr bool kHs = std::is_same_v<Loss, HierarchicalSoftmaxLoss>;
  using SentenceFn = SentenceSignature<Loss>*;
  using CbowBatchedLoop = CbowBatchedSignature<Loss>*;

  static SentenceFn ClassicLoop() {
    if constexpr (kHs)
      return kClassicSentenceHs.Active();
    else
      return kClassicSentence.Active();
  }
  static SentenceFn CbowLoop() {
    if constexpr (kHs)
      return kCbowSentenceHs.Active();
    else
      return kCbowSentence.Active();
  }
  static CbowBatchedLoop CbowBatched() {
    if constexpr (kHs)
      return kCbowBatchedSentenceHs.Active();
    else
      return kCbowBatchedSentence.Active();
  }

  const SgnsOptions& o_;
  const WordRows& rows_;
  Loss loss_;
  const SgnsKernels& kernels_;
  int stride_;
  FastRng& rng_;
  SentenceFn classic_ = ClassicLoop();
  SentenceFn cbow_ = CbowLoop();
  CbowBatchedLoop cbow_batched_ = CbowBatched();
  AlignedBuffer scratch_vector_;  // the per-pair loops' 2·dim floats
  std::vector<float*> in_rows_;
  std::vector<float*> out_rows_;
  AlignedBuffer scores_;
  AlignedBuffer batch_gradient_;
  AlignedBuffer update_scratch_;
  SkipGramBatchScratch scratch_;
  CbowBatchScratch cbow_scratch_;
};

// The subword worker: SgnsWorker's counterpart over subword rows, whose loops are those of
// subword_skip_gram.h and cbow.h compiled per level (skip_gram_classic.h).
template <typename Loss>
class SubwordWorker {
 public:
  SubwordWorker(const SgnsOptions& o, SubwordRows rows, Loss loss, FastRng& rng)
      : o_(o),
        rows_(rows),
        loss_(std::move(loss)),
        rng_(rng),
        vectors_(AlignedBuffer(2 * static_cast<size_t>(o.dim))),
        contexts_(2 * o.window),
        out_rows_(loss_.MaxTargets(2 * o.window)),
        scores_(AlignedBuffer(out_rows_.size())),
        target_gradients_(AlignedBuffer(out_rows_.size())) {
    float* mean = vectors_.data();
    float* gradient = vectors_.data() + o.dim;
    skip_gram_scratch_ = {mean, gradient, contexts_.data(), out_rows_.data(), scores_.data(),
                          target_gradients_.data()};
    cbow_scratch_ = {mean, gradient, out_rows_.data(), scores_.data(), target_gradients_.data()};
    loss_.ReserveTargets(2 * o.window);
    if (o.kernel == SgnsKernel::kBatched) loss_.DrawNext(rng);
  }

  void SaveState(std::vector<uint32_t>* state) const { loss_.SaveState(state); }
  bool RestoreState(std::span<const uint32_t> state) { return loss_.RestoreState(state); }

  void operator()(const uint32_t* sentence, int length, float alpha, double* loss,
                  uint64_t* pairs) {
    const bool cbow = o_.model == WordModel::kCbow;
    if (o_.kernel == SgnsKernel::kBatched) {
      if (cbow) {
        Loops().cbow_batched(sentence, length, alpha, o_.dim, o_.window, rows_, loss_, rng_,
                             cbow_scratch_, loss, pairs);
      } else {
        Loops().skip_gram_batched(sentence, length, alpha, o_.dim, o_.window, rows_, loss_, rng_,
                                  skip_gram_scratch_, loss, pairs);
      }
    } else {
      (cbow ? Loops().cbow : Loops().skip_gram)(sentence, length, alpha, o_.dim, o_.window, rows_,
                                                loss_, rng_, vectors_.data(), loss, pairs);
    }
  }

 private:
  static constexpr bool kHs = std::is_same_v<Loss, HierarchicalSoftmaxLoss>;
  struct LoopSet {
    SubwordSentenceSignature<Loss>* skip_gram;
    SubwordBatchedSignature<Loss>* skip_gram_batched;
    SubwordSentenceSignature<Loss>* cbow;
    SubwordCbowBatchedSignature<Loss>* cbow_batched;
  };
  static const LoopSet& Loops() {
    static const LoopSet loops = [] {
      if constexpr (kHs) {
        return LoopSet{kSubwordSkipGramSentenceHs.Active(),
                       kSubwordSkipGramBatchedSentenceHs.Active(), kSubwordCbowSentenceHs.Active(),
                       kSubwordCbowBatchedSentenceHs.Active()};
      } else {
        return LoopSet{kSubwordSkipGramSentence.Active(), kSubwordSkipGramBatchedSentence.Active(),
                       kSubwordCbowSentence.Active(), kSubwordCbowBatchedSentence.Active()};
      }
    }();
    return loops;
  }

  const SgnsOptions& o_;
  SubwordRows rows_;
  Loss loss_;
  FastRng& rng_;
  AlignedBuffer vectors_;  // the mean and its gradient, dim floats each
  std::vector<uint32_t> contexts_;
  std::vector<float*> out_rows_;
  AlignedBuffer scores_;
  AlignedBuffer target_gradients_;
  SubwordBatchScratch skip_gram_scratch_;
  CbowBatchScratch cbow_scratch_;
};

// Copies a saved model's rows into the fresh matrices: each vocabulary word's input row from
// its row in the saved model (new words keep their fresh rows), the n-gram buckets whole (their
// number must be the same), the output rows likewise.
absl::Status CopyStart(const SgnsStart& start, size_t words, size_t buckets, int dim, bool hs,
                       float* input, int input_stride, float* output, size_t output_rows,
                       int output_stride) {
  if (start.word_rows.size() != words || start.input_rows != start.input_words + buckets) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the saved model has ", start.input_words, " words and ",
        start.input_rows - start.input_words, " n-gram buckets; this run has ", words,
        " words and ", buckets, " buckets"));
  }
  auto copy_row = [dim](const float* from, float* to) { std::copy_n(from, dim, to); };
  for (size_t w = 0; w < words; ++w) {
    const int64_t row = start.word_rows[w];
    if (row < 0) continue;
    if (static_cast<size_t>(row) >= start.input_words) {
      return absl::InvalidArgumentError("a word's row is outside the saved model");
    }
    copy_row(start.input + static_cast<size_t>(row) * dim, input + w * input_stride);
    if (!hs && start.copy_output && static_cast<size_t>(row) < start.output_rows) {
      copy_row(start.output + static_cast<size_t>(row) * dim, output + w * output_stride);
    }
  }
  for (size_t b = 0; b < buckets; ++b) {
    copy_row(start.input + (start.input_words + b) * dim, input + (words + b) * input_stride);
  }
  if (hs && start.copy_output) {
    for (size_t r = 0; r < output_rows && r < start.output_rows; ++r) {
      copy_row(start.output + r * dim, output + r * output_stride);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckSgnsOptions(const SgnsOptions& requested) {
  SgnsOptions o = requested;
  if (o.alpha == 0) o.alpha = DefaultAlpha(o);
  auto bad = [](const std::string& what) { return absl::InvalidArgumentError(what); };
  if (o.dim < 1 || o.dim > 10000) return bad(absl::StrCat("--dim must be 1..10000, got ", o.dim));
  if (o.window < 1) return bad(absl::StrCat("--window must be at least 1, got ", o.window));
  if (o.loss == OutputLoss::kNegativeSampling && o.negative < 1) {
    return bad(absl::StrCat("--negative must be at least 1 with --loss ns, got ", o.negative,
                            " (word2vec.c's -negative 0 goes with -hs 1: --loss hs)"));
  }
  if (o.sample < 0) return bad("--sample must be 0 (off) or positive");
  if (o.alpha <= 0 || o.min_alpha < 0 || o.min_alpha > o.alpha) {
    return bad("--alpha must be positive and --min-alpha between 0 and --alpha");
  }
  if (o.epochs < 1) return bad(absl::StrCat("--epochs must be at least 1, got ", o.epochs));
  if (o.stop_after_epochs < 0 || o.stop_after_epochs > o.epochs) {
    return bad(absl::StrCat("--stop-after-epochs must be 0 (run them all) to --epochs (", o.epochs,
                            "), got ", o.stop_after_epochs));
  }
  const SubwordOptions& sub = o.subwords;
  if (sub.maxn < 0) return bad(absl::StrCat("--maxn must be 0 (no subwords) or more, got ", sub.maxn));
  if (sub.maxn > 0) {
    if (sub.minn < 1 || sub.minn > sub.maxn) {
      return bad(absl::StrCat("--minn must be 1..--maxn (", sub.maxn, "), got ", sub.minn));
    }
    if (sub.bucket < 1) return bad(absl::StrCat("--bucket must be at least 1, got ", sub.bucket));
  }
  return absl::OkStatus();
}

double DefaultAlpha(SgnsKernel kernel) {
  // Classic: word2vec.c's skip-gram rate. Batched: fastText's skip-gram rate; on corpus-large
  // (sample 1e-4) it gave 17.5% analogy accuracy after 1 epoch and 40.3% after 5, against
  // 11.7% and 37.2% with 0.025 (bench/train_bench.sh).
  return kernel == SgnsKernel::kClassic ? 0.025 : 0.05;
}

double DefaultAlpha(const SgnsOptions& options) {
  // word2vec.c's CBOW rate, for both of CBOW's loops.
  // fastText's rate for its subword models, for both loops.
  if (options.model == WordModel::kCbow || UsesSubwords(options)) return 0.05;
  return DefaultAlpha(options.kernel);
}

const char* WordModelName(WordModel model) {
  return model == WordModel::kCbow ? "cbow" : "skipgram";
}

absl::StatusOr<WordModel> ParseWordModel(std::string_view name) {
  if (name == "skipgram" || name == "sg") return WordModel::kSkipGram;
  if (name == "cbow") return WordModel::kCbow;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown model \"", ToAbsl(name), "\"; use skipgram or cbow"));
}

const char* OutputLossName(OutputLoss loss) {
  return loss == OutputLoss::kHierarchicalSoftmax ? "hs" : "ns";
}

absl::StatusOr<OutputLoss> ParseOutputLoss(std::string_view name) {
  if (name == "ns" || name == "negative") return OutputLoss::kNegativeSampling;
  if (name == "hs" || name == "hierarchical") return OutputLoss::kHierarchicalSoftmax;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown loss \"", ToAbsl(name),
                   "\"; use ns (negative sampling) or hs (hierarchical softmax)"));
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
                                         const SgnsProgressCallback& progress, double interval,
                                         const SgnsStart* start) {
  SgnsOptions options = requested;
  if (options.alpha == 0) options.alpha = DefaultAlpha(options);
  if (absl::Status s = CheckSgnsOptions(options); !s.ok()) return s;
  const corpus::Vocabulary& vocab = corpus.vocab();
  RETURN_IF_ERROR(corpus.CheckHasTokens());
  const int threads = ResolveThreads(options.threads);
  const size_t V = static_cast<size_t>(vocab.size());
  const int dim = options.dim;

  const bool hs = options.loss == OutputLoss::kHierarchicalSoftmax;
  const bool subwords = UsesSubwords(options);
  // Hierarchical softmax builds its tree only when chosen, as negative sampling its table.
  const HuffmanTree tree = hs ? HuffmanTree::Build(vocab.counts()) : HuffmanTree();
  const SubwordTable table =
      subwords ? SubwordTable::Build(vocab.words(), options.subwords) : SubwordTable();

  // Input vectors start uniform in ±0.5/dim, output vectors at zero, as in word2vec.c. Rows are
  // padded to a multiple of 16 floats with zeros (which stay zero), so that every row starts on
  // a cache line and the batched kernels need no tail loop. Subword rows are fastText's: uniform
  // in ±1/dim and not padded (their loops need no padding, and 2M buckets of 100 floats would
  // take 12% more memory padded to 112).
  const int stride = PaddedDim(dim);
  const int input_stride = subwords ? dim : stride;
  const size_t input_rows = subwords ? table.rows() : V;
  const size_t output_rows = hs ? std::max<size_t>(1, tree.inner_nodes()) : V;
  AlignedBuffer input = AlignedBuffer::HugePages(input_rows * input_stride);
  AlignedBuffer output = AlignedBuffer::HugePages(output_rows * stride);
  FastRng init_rng(options.seed ^ 0x5DEECE66Dull);
  const float init_scale = subwords ? 2.0f : 1.0f;
  for (size_t r = 0; r < input_rows; ++r) {
    float* in = input.data() + r * input_stride;
    for (int k = 0; k < dim; ++k) {
      in[k] = init_scale * (init_rng.Uniform() - 0.5f) / static_cast<float>(dim);
    }
    std::fill(in + dim, in + input_stride, 0.0f);
  }
  // `output` starts at zero (AlignedBuffer zero-fills), as word2vec.c's syn1neg and syn1 do.
  if (start != nullptr) {
    RETURN_IF_ERROR(CopyStart(*start, V, subwords ? options.subwords.bucket : 0, dim, hs,
                              input.data(), input_stride, output.data(), output_rows, stride));
  }
  const int epochs_done = start != nullptr && start->state ? start->state->epochs_done : 0;
  if (epochs_done >= options.epochs) {
    return absl::InvalidArgumentError(absl::StrCat("the saved run has done its ", epochs_done,
                                                   " epochs; nothing is left to train"));
  }

  const Subsampler subsampler(vocab, options.sample);
  const SigmoidTables tables;
  const WordRows rows(input.data(), stride);
  const SubwordRows subword_rows(table, input.data(), input_stride);
  const SgnsKernels& kernels = SgnsKernels::Best();

  HogwildOptions hogwild;
  hogwild.threads = threads;
  hogwild.epochs = options.epochs;
  hogwild.seed = options.seed;
  hogwild.schedule = {options.alpha, options.min_alpha,
                      corpus.tokens() * static_cast<uint64_t>(options.epochs)};
  hogwild.first_epoch = epochs_done + 1;
  hogwild.last_epoch = options.stop_after_epochs;
  hogwild.cancel = options.cancel;
  HogwildDriver driver(corpus, hogwild);
  const HogwildState* from = epochs_done > 0 ? &start->state->hogwild : nullptr;
  HogwildState at_end;
  auto run = [&](auto make_loss) {
    if (subwords) {
      return driver.Run(
          subsampler,
          [&](int, FastRng& rng) { return SubwordWorker(options, subword_rows, make_loss(), rng); },
          progress, interval, from, &at_end);
    }
    return driver.Run(
        subsampler,
        [&](int, FastRng& rng) {
          return SgnsWorker(options, rows, make_loss(), kernels, stride, rng);
        },
        progress, interval, from, &at_end);
  };
  absl::StatusOr<HogwildTotals> trained;
  if (hs) {
    trained = run([&] { return HierarchicalSoftmaxLoss(tree, tables, output.data(), stride); });
  } else {
    const NegativeSampler sampler(vocab.counts(), 0.75);
    trained = run([&] {
      return NegativeSamplingLoss(sampler, tables, output.data(), stride, options.negative);
    });
  }
  if (!trained.ok()) return trained.status();
  const HogwildTotals& totals = *trained;

  SgnsResult result;
  result.state.epochs_done = options.stop_after_epochs > 0 ? options.stop_after_epochs
                                                           : options.epochs;
  result.state.hogwild = std::move(at_end);
  result.seconds = totals.seconds;
  result.words = totals.words;
  result.final_loss = totals.final_loss;
  result.pairs = totals.pairs;
  result.alpha = options.alpha;
  result.cpu_seconds = totals.cpu_seconds;
  // Skip-gram's batched loop runs on the SIMD kernels; every other loop is compiled per level.
  const bool skip_gram_batched =
      options.model == WordModel::kSkipGram && options.kernel == SgnsKernel::kBatched;
  result.isa = skip_gram_batched && !subwords ? kernels.name : IsaName(ActiveIsa());
  // Freed before the copy below unless kept: peak memory stays at two matrices.
  if (!options.keep_matrices) output = AlignedBuffer();
  std::vector<float> values(V * dim);
  for (size_t r = 0; r < V; ++r) {
    float* vector = values.data() + r * dim;
    if (subwords) {
      subword_rows.Mean(static_cast<uint32_t>(r), dim, vector);
    } else {
      std::copy_n(rows.Vector(static_cast<uint32_t>(r)), dim, vector);
    }
  }
  if (options.keep_matrices) {
    SgnsResult::Matrices& kept = result.matrices.emplace();
    kept.table = subwords ? table : SubwordTable::Build(vocab.words(), options.subwords);
    kept.input = std::move(input);
    kept.input_stride = input_stride;
    kept.output = std::move(output);
    kept.output_rows = output_rows;
    kept.output_stride = stride;
  }
  input = AlignedBuffer();
  result.vectors = WordVectors(vocab.words(), dim, std::move(values));
  return result;
}

}  // namespace wordspace::embeddings
