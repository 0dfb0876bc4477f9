// Word-vector training, word2vec.c's and fastText's models: skip-gram with negative sampling (SGNS, the
// default): for each word of a sentence and each context word within a randomly shrunk window,
// the context word's input vector learns to score the centre word's output vector high and
// `negative` noise words' low. CBOW (`model`) predicts the centre from the mean of its context
// instead; hierarchical softmax (`loss`) scores the centre word's Huffman path instead of noise
// words. With subwords (fastText's character n-grams, subwords.h) a word's input vector is the
// mean of its own row and its n-grams' rows, and skip-gram's centre word predicts its context
// (fastText's orientation, subword_skip_gram.h). Frequent words are subsampled (Mikolov et al., 2013, word2vec.c's formula); the
// learning rate decays linearly from `alpha` to `min_alpha` over all epochs.
//
// Two kernels compute the same objective (with either model and loss; CBOW's are in cbow.h):
//  - kBatched (default): per centre word, one set of output rows (the centre + `negative` noise
//    words, or the centre's path) is shared by the whole window, and the window's context rows
//    and those rows are updated with small matrix products (Ji et al., "Parallelizing Word2Vec
//    in Shared and Distributed Memory", 2016); see sgns_kernels.h. Several times faster at the
//    same quality.
//  - kClassic: word2vec.c's loop, fresh noise words and sequential updates for every
//    (context, centre) pair.
//
// Threads are Hogwild (lock-free row updates): each owns an equal range of the token-id file,
// its scratch buffers and an RNG seeded `seed + thread_id`. With one thread and a fixed seed
// the result is bit-for-bit reproducible.
//
// The trainer is a composition of parts, each in its own file: the Hogwild driver (workers,
// learning-rate schedule, progress; hogwild_driver.h), the models (skip_gram.h, cbow.h), the
// losses (negative_sampling_loss.h, hierarchical_softmax_loss.h over huffman_tree.h), one input
// row per word (input_rows.h) and the shared window code (context_window.h).
//
//   ASSIGN_OR_RETURN(TokenIdFile ids, TokenIdFile::Encode(path, {}));
//   ASSIGN_OR_RETURN(SgnsResult result, TrainSkipGram(ids, SgnsOptions{}));
//   RETURN_IF_ERROR(WriteVectors(result.vectors, "vectors.bin", VectorFormat::kBinary));
#ifndef WORDSPACE_EMBEDDINGS_SGNS_TRAINER_H_
#define WORDSPACE_EMBEDDINGS_SGNS_TRAINER_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "base/aligned_buffer.h"
#include "corpus/token_id_file.h"
#include "embeddings/hogwild_driver.h"
#include "embeddings/subwords.h"
#include "embeddings/word_vectors.h"

namespace wordspace::embeddings {

enum class SgnsKernel {
  kBatched,  // shared negatives per window, small-GEMM updates (Ji et al., 2016)
  kClassic,  // word2vec.c: per-pair negatives and updates
};

// The model: which words predict which (skip_gram.h, cbow.h).
enum class WordModel {
  kSkipGram,  // each context word predicts the centre word
  kCbow,      // the mean of the context predicts the centre word (word2vec.c -cbow 1)
};

// The output side (negative_sampling_loss.h, hierarchical_softmax_loss.h).
enum class OutputLoss {
  kNegativeSampling,     // the target against `negative` noise words
  kHierarchicalSoftmax,  // the target's path in a Huffman tree (word2vec.c -hs 1)
};

// "skipgram" or "cbow"; Parse: InvalidArgument naming the choices otherwise.
const char* WordModelName(WordModel model);
[[nodiscard]] absl::StatusOr<WordModel> ParseWordModel(std::string_view name);
// "ns" or "hs"; Parse also takes fastText's spellings "ns", "hs" and "negative", "hierarchical".
const char* OutputLossName(OutputLoss loss);
[[nodiscard]] absl::StatusOr<OutputLoss> ParseOutputLoss(std::string_view name);

// "batched" or "classic".
const char* SgnsKernelName(SgnsKernel kernel);
// The starting learning rate when SgnsOptions::alpha is 0: 0.025 for kClassic (word2vec.c's),
// 0.05 for kBatched (fastText's skip-gram rate, which measured better with this kernel).
double DefaultAlpha(SgnsKernel kernel);
// The starting learning rate for these options when their alpha is 0: 0.05 for CBOW
// (word2vec.c's CBOW rate) and with subwords (fastText's rate), else DefaultAlpha(kernel).
struct SgnsOptions;
double DefaultAlpha(const SgnsOptions& options);
// Parses "batched" or "classic"; InvalidArgument otherwise.
[[nodiscard]] absl::StatusOr<SgnsKernel> ParseSgnsKernel(std::string_view name);

struct SgnsOptions {
  WordModel model = WordModel::kSkipGram;
  OutputLoss loss = OutputLoss::kNegativeSampling;
  int dim = 100;
  int window = 5;        // maximum distance; each position draws its own window in [1, window]
  int negative = 5;      // noise words per (context, centre) pair; unused by kHierarchicalSoftmax
  double sample = 1e-3;  // subsampling threshold; 0 disables
  double alpha = 0;      // starting learning rate; 0: DefaultAlpha(*this)
  double min_alpha = 0.0001;
  int epochs = 5;
  int threads = 0;  // 0: all cores
  uint64_t seed = 1;
  SgnsKernel kernel = SgnsKernel::kBatched;  // both models have both loops (cbow.h)
  // fastText's character n-grams (subwords.h); maxn 0 (the default) trains one row per word.
  SubwordOptions subwords = {.minn = 3, .maxn = 0, .bucket = 2000000};
  // Keep both matrices in SgnsResult::matrices (train --save-model); otherwise they are freed.
  bool keep_matrices = false;
  // Stop after this many epochs (0: all of them), the schedule still that of all `epochs`;
  // SgnsResult::state then says where the run stood, for a later TrainSkipGram to go on.
  int stop_after_epochs = 0;
  // Not a setting but a control: when it becomes true (set from another thread or from the
  // progress callback), training stops within about 65,000 words per thread and TrainSkipGram
  // returns Cancelled. Must outlive the call.
  const std::atomic<bool>* cancel = nullptr;
};

// Where a run stood after its last epoch: with its matrices, enough to go on from there
// exactly (train --resume).
struct SgnsRunState {
  int epochs_done = 0;
  HogwildState hogwild;  // the words done, each worker's generator and drawn noise words
};

// A saved model to start from (train --resume, train --init-from). `input` holds rows of `dim`
// floats: `input_words` word rows, then (with subwords) the n-gram buckets'; `output` holds
// `output_rows` rows (words, or the Huffman tree's inner nodes). Vocabulary word w starts from
// word row word_rows[w], or from fresh rows when it is -1 (a word new to the model). Without
// `copy_output` the output starts at zero (a new vocabulary changes the Huffman tree). With
// `state` the run goes on from that epoch with its generators (resume); without it starts over
// from these weights (init-from).
struct SgnsStart {
  const float* input = nullptr;
  size_t input_words = 0;
  size_t input_rows = 0;
  const float* output = nullptr;
  size_t output_rows = 0;
  std::vector<int64_t> word_rows;
  bool copy_output = true;
  std::optional<SgnsRunState> state;
};

// Subwords are on (SgnsOptions::subwords.maxn > 0).
inline bool UsesSubwords(const SgnsOptions& options) { return options.subwords.maxn > 0; }

// InvalidArgument naming the option for a bad setting (alpha 0 means DefaultAlpha). TrainSkipGram
// checks it too; a command checks it before reading the corpus.
[[nodiscard]] absl::Status CheckSgnsOptions(const SgnsOptions& options);

// The driver's progress report (embeddings/hogwild_driver.h); `loss` is the mean loss per pair
// (CBOW: per window) since the previous report.
using SgnsProgress = TrainProgress;

// The trained matrices a run keeps with SgnsOptions::keep_matrices, for a model file
// (fasttext_model.h) and for vectors of words outside the vocabulary (from their n-grams).
// (At namespace level: clang cannot default-construct a nested struct with member
// initializers inside std::optional of its enclosing class.)
struct TrainedMatrices {
  SubwordTable table;   // each word's input rows (its own, then its n-grams')
  AlignedBuffer input;  // table.rows() rows, `input_stride` floats apart
  int input_stride = 0;
  AlignedBuffer output;  // `output_rows` rows (words, or the Huffman tree's inner nodes)
  size_t output_rows = 0;
  int output_stride = 0;
};

struct SgnsResult {
  WordVectors vectors;     // input vectors, rows in vocabulary order
  double seconds = 0;      // wall time of training
  uint64_t words = 0;      // vocabulary words processed over all epochs (before subsampling)
  double final_loss = 0;   // mean loss per pair over the last reporting interval
  uint64_t pairs = 0;      // (context, centre) pairs trained (CBOW: windows), over all epochs
  double cpu_seconds = 0;  // process CPU time (user + system) spent in training
  double alpha = 0;        // starting learning rate used
  const char* isa = "";    // instruction set of the kernel ("avx512", "avx2", "portable")
  // With SgnsOptions::keep_matrices: the trained matrices (TrainedMatrices).
  using Matrices = TrainedMatrices;
  std::optional<Matrices> matrices;
  SgnsRunState state;  // where the run stood at its end (after stop_after_epochs, say)
};

// Called about every `interval` seconds while training runs, from one thread of base's pool
// (never two calls at once); TrainSkipGram's caller is blocked meanwhile.
using SgnsProgressCallback = TrainProgressCallback;

// Trains on `corpus` (ids in its vocabulary's order). InvalidArgument for bad options or an
// empty corpus; Internal if reading the token-id file fails.
[[nodiscard]] absl::StatusOr<SgnsResult> TrainSkipGram(const corpus::TokenIdFile& corpus,
                                                       const SgnsOptions& options,
                                                       const SgnsProgressCallback& progress = {},
                                                       double interval = 0.5,
                                                       const SgnsStart* start = nullptr);

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SGNS_TRAINER_H_
