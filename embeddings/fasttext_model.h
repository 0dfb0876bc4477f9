// fastText's full-model file (`.bin`, format version 12, as fastText's FastText::saveModel writes
// it and `fasttext print-word-vectors`, `fasttext nn` and gensim's load_facebook_model read it):
//
//   int32 magic 793712314, int32 version 12
//   args:  int32 dim, ws, epoch, minCount, neg, wordNgrams, loss (1 hs, 2 ns, 3 softmax, 4 ova),
//          model (1 cbow, 2 skipgram, 3 supervised), bucket, minn, maxn, lrUpdateRate;
//          double t (the subsampling threshold)
//   dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx_size (-1: not pruned);
//          per entry the word's bytes and a 0 byte, int64 count, int8 type (0 word, 1 label);
//          pruneidx_size pairs of int32
//   bool quantized input; int64 rows, int64 cols, rows·cols float32   (nwords + bucket rows)
//   bool quantized output; int64 rows, int64 cols, rows·cols float32  (nwords rows)
//
// All little-endian. A word's vector is the mean of its own input row and its n-gram rows
// (subwords.h; "</s>", fastText's end of line, has no n-grams). Quantized (.ftz), pruned and
// supervised models are refused with a message: they are fastText's classifiers, not word
// vectors.
//
//   RETURN_IF_ERROR(WriteFastTextModel(path, args, words, counts, tokens, input, output));
//   ASSIGN_OR_RETURN(FastTextModel model, ReadFastTextModel(path));
//   WordVectors vectors = model.WordVectors();   // with an n-gram fallback for unseen words
#ifndef WORDSPACE_EMBEDDINGS_FASTTEXT_MODEL_H_
#define WORDSPACE_EMBEDDINGS_FASTTEXT_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"

namespace wordspace::embeddings {

inline constexpr int32_t kFastTextMagic = 793712314;
inline constexpr int32_t kFastTextVersion = 12;

// fastText's Args, as the file holds them (fastText's enum values for loss and model).
struct FastTextArgs {
  enum Loss : int32_t { kHs = 1, kNs = 2, kSoftmax = 3, kOva = 4 };
  enum Model : int32_t { kCbow = 1, kSkipGram = 2, kSupervised = 3 };
  int32_t dim = 100;
  int32_t ws = 5;
  int32_t epoch = 5;
  int32_t min_count = 5;
  int32_t neg = 5;
  int32_t word_ngrams = 1;
  int32_t loss = kNs;
  int32_t model = kSkipGram;
  int32_t bucket = 2000000;
  int32_t minn = 3;
  int32_t maxn = 6;
  int32_t lr_update_rate = 100;
  double t = 1e-4;
};

// A matrix to write: `rows` rows of `cols` floats, `stride` floats apart (not owned).
struct MatrixView {
  const float* data = nullptr;
  int64_t rows = 0;
  int cols = 0;
  int stride = 0;
};

// Whether a file's first bytes are a fastText model's magic number.
bool IsFastTextModel(std::string_view first_bytes);

// Writes the model atomically (a temporary file renamed over `path`; nothing is left under
// `path` on failure). `input` has words.size() + args.bucket rows (just words.size() when
// args.maxn is 0), `output` at most words.size() rows (padded with zero rows to words.size(),
// as fastText's hierarchical softmax keeps nwords rows for its nwords - 1 inner nodes).
[[nodiscard]] absl::Status WriteFastTextModel(const std::string& path, const FastTextArgs& args,
                                              const std::vector<std::string>& words,
                                              const std::vector<int64_t>& counts, int64_t tokens,
                                              MatrixView input, MatrixView output);

struct FastTextModel {
  FastTextArgs args;
  std::vector<std::string> words;  // the word entries, in the file's order
  std::vector<int64_t> counts;
  int64_t tokens = 0;
  int64_t input_rows = 0;
  std::vector<float> input;  // input_rows × args.dim
  int64_t output_rows = 0;
  std::vector<float> output;  // output_rows × args.dim

  // The vocabulary's vectors, each the mean of its rows, and (when the model has n-grams) the
  // n-gram fallback for words outside it (WordVectors::NgramVector). Moves the input matrix out.
  WordVectors TakeWordVectors();
};

// Reads a model. NotFound for a missing file; DataLoss naming the file, the field and the byte
// offset for a truncated or malformed one; InvalidArgument for a quantized, pruned or supervised
// model (what to do instead is in the message).
[[nodiscard]] absl::StatusOr<FastTextModel> ReadFastTextModel(const std::string& path);

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_FASTTEXT_MODEL_H_
