// Initialises the token embedding (wte) from word vectors.
//
// For each model word found in the vector file its row is copied; other rows (<unk>, </s>
// unless the file has them, words missing from the file) keep their random init.
// Dimensions: when the vectors have more dimensions than d_model they are reduced by PCA:
// centred on their mean and projected on the d_model leading eigenvectors of their covariance
// (computed in double precision with cyclic Jacobi rotations; each eigenvector's sign is fixed
// so that its largest component is positive). When they have fewer, the extra columns are
// zero. This is what torch_tiny_lm.py does.
// Scale: raw skip-gram vectors have an element spread about ten times a transformer's 0.02
// init. Kim et al. (2024, "On Initializing Transformers with Pre-trained Embeddings") found
// unscaled pretrained vectors hurt and standardised ones help, so the default standardises:
//   kStandardize: (M - column means) / std(M) * init_std   (torch_tiny_lm.py's "std")
//   kUnit:        each row scaled to norm init_std * sqrt(d_model)
//   kRaw:         as read (after PCA)
//
//   ASSIGN_OR_RETURN(EmbeddingInitReport r,
//                    InitEmbeddings(vectors, words, {}, model.param(kWte).data(), C));
#ifndef WORDSPACE_TRANSFORMER_EMBEDDING_INIT_H_
#define WORDSPACE_TRANSFORMER_EMBEDDING_INIT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"

namespace wordspace::transformer {

enum class EmbeddingScale { kStandardize, kUnit, kRaw };

// "std", "unit", "raw"; InvalidArgument otherwise.
[[nodiscard]] absl::StatusOr<EmbeddingScale> ParseEmbeddingScale(const std::string& name);

struct EmbeddingInitOptions {
  EmbeddingScale scale = EmbeddingScale::kStandardize;
  double init_std = 0.02;
};

struct EmbeddingInitReport {
  int64_t found = 0;  // model words that had a vector
  int source_dim = 0;
  bool pca = false;                 // reduced by PCA
  double explained_variance = 1.0;  // fraction kept by the PCA (1 without)
  double raw_std = 0;               // element std of the copied rows before scaling (after PCA)
};

// wte is (words.size(), d_model) row-major. InvalidArgument when no model word has a vector.
[[nodiscard]] absl::StatusOr<EmbeddingInitReport> InitEmbeddings(
    const embeddings::WordVectors& vectors, const std::vector<std::string>& words,
    const EmbeddingInitOptions& options, float* wte, int d_model);

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_EMBEDDING_INIT_H_
