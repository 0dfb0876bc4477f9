// Skip-gram with negative sampling (SGNS): for each word of a sentence and each context word
// within a randomly shrunk window, the context word's input vector learns to score the centre
// word's output vector high and `negative` noise words' low. Frequent words are subsampled
// (Mikolov et al., 2013, word2vec.c's formula); the learning rate decays linearly from `alpha`
// to `min_alpha` over all epochs.
//
// Two kernels compute the same objective:
//  - kBatched (default): per centre word, one set of `negative` noise words is shared by the
//    whole window, and the window's context rows and the centre + noise rows are updated with
//    small matrix products (Ji et al., "Parallelizing Word2Vec in Shared and Distributed
//    Memory", 2016); see sgns_kernels.h. Several times faster at the same quality.
//  - kClassic: word2vec.c's loop, fresh noise words and sequential updates for every
//    (context, centre) pair.
//
// Threads are Hogwild (lock-free row updates): each owns an equal range of the token-id file,
// its scratch buffers and an RNG seeded `seed + thread_id`. With one thread and a fixed seed
// the result is bit-for-bit reproducible.
//
// The trainer is a composition of parts, each in its own file: the Hogwild driver (workers,
// learning-rate schedule, progress; hogwild_driver.h), the skip-gram model (skip_gram.h), the
// negative-sampling loss (negative_sampling_loss.h), one input row per word (input_rows.h) and
// the shared window code (context_window.h).
//
//   ASSIGN_OR_RETURN(TokenIdFile ids, TokenIdFile::Encode(path, {}));
//   ASSIGN_OR_RETURN(SgnsResult result, TrainSkipGram(ids, SgnsOptions{}));
//   RETURN_IF_ERROR(WriteVectors(result.vectors, "vectors.bin", VectorFormat::kBinary));
#ifndef WORDSPACE_EMBEDDINGS_SGNS_TRAINER_H_
#define WORDSPACE_EMBEDDINGS_SGNS_TRAINER_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "corpus/token_id_file.h"
#include "embeddings/hogwild_driver.h"
#include "embeddings/word_vectors.h"

namespace wordspace::embeddings {

enum class SgnsKernel {
  kBatched,  // shared negatives per window, small-GEMM updates (Ji et al., 2016)
  kClassic,  // word2vec.c: per-pair negatives and updates
};

// "batched" or "classic".
const char* SgnsKernelName(SgnsKernel kernel);
// The starting learning rate when SgnsOptions::alpha is 0: 0.025 for kClassic (word2vec.c's),
// 0.05 for kBatched (fastText's skip-gram rate, which measured better with this kernel).
double DefaultAlpha(SgnsKernel kernel);
// Parses "batched" or "classic"; InvalidArgument otherwise.
[[nodiscard]] absl::StatusOr<SgnsKernel> ParseSgnsKernel(std::string_view name);

struct SgnsOptions {
  int dim = 100;
  int window = 5;        // maximum distance; each position draws its own window in [1, window]
  int negative = 5;      // noise words per (context, centre) pair
  double sample = 1e-3;  // subsampling threshold; 0 disables
  double alpha = 0;      // starting learning rate; 0: DefaultAlpha(kernel)
  double min_alpha = 0.0001;
  int epochs = 5;
  int threads = 0;  // 0: all cores
  uint64_t seed = 1;
  SgnsKernel kernel = SgnsKernel::kBatched;
};

// InvalidArgument naming the option for a bad setting (alpha 0 means DefaultAlpha). TrainSkipGram
// checks it too; a command checks it before reading the corpus.
[[nodiscard]] absl::Status CheckSgnsOptions(const SgnsOptions& options);

// The driver's progress report (embeddings/hogwild_driver.h); `loss` is the mean SGNS loss per
// pair since the previous report.
using SgnsProgress = TrainProgress;

struct SgnsResult {
  WordVectors vectors;     // input vectors, rows in vocabulary order
  double seconds = 0;      // wall time of training
  uint64_t words = 0;      // vocabulary words processed over all epochs (before subsampling)
  double final_loss = 0;   // mean loss per pair over the last reporting interval
  uint64_t pairs = 0;      // (context, centre) pairs trained, over all epochs
  double cpu_seconds = 0;  // process CPU time (user + system) spent in training
  double alpha = 0;        // starting learning rate used
  const char* isa = "";    // instruction set of the kernel ("avx512", "avx2", "portable")
};

// Called about every `interval` seconds while training runs, from one thread of base's pool
// (never two calls at once); TrainSkipGram's caller is blocked meanwhile.
using SgnsProgressCallback = TrainProgressCallback;

// Trains on `corpus` (ids in its vocabulary's order). InvalidArgument for bad options or an
// empty corpus; Internal if reading the token-id file fails.
[[nodiscard]] absl::StatusOr<SgnsResult> TrainSkipGram(const corpus::TokenIdFile& corpus,
                                                       const SgnsOptions& options,
                                                       const SgnsProgressCallback& progress = {},
                                                       double interval = 0.5);

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SGNS_TRAINER_H_
