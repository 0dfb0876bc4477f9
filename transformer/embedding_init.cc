#include "transformer/embedding_init.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "base/linear_algebra.h"

namespace wordspace::transformer {

absl::StatusOr<EmbeddingScale> ParseEmbeddingScale(const std::string& name) {
  if (name == "std") return EmbeddingScale::kStandardize;
  if (name == "unit") return EmbeddingScale::kUnit;
  if (name == "raw") return EmbeddingScale::kRaw;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown embedding scaling '", name, "'; use std, unit or raw"));
}

namespace {

// Eigenvectors (rows of `vectors`, n×n) with the sign that makes each one's largest-magnitude
// component positive, so that the PCA projection of the word vectors does not hang on the
// rotations' arbitrary signs.
void OrientEigenvectors(int n, std::vector<double>* vectors) {
  for (int r = 0; r < n; ++r) {
    double* row = vectors->data() + static_cast<size_t>(r) * n;
    int best = 0;
    for (int k = 1; k < n; ++k) {
      if (std::fabs(row[k]) > std::fabs(row[best])) best = k;
    }
    if (row[best] < 0) {
      for (int k = 0; k < n; ++k) row[k] = -row[k];
    }
  }
}

}  // namespace

absl::StatusOr<EmbeddingInitReport> InitEmbeddings(const embeddings::WordVectors& vectors,
                                                   const std::vector<std::string>& words,
                                                   const EmbeddingInitOptions& options, float* wte,
                                                   int d_model) {
  const int E = vectors.dim(), C = d_model;
  std::vector<std::pair<size_t, int64_t>> found;  // (model id, vector row)
  for (size_t i = 0; i < words.size(); ++i) {
    const int64_t row = vectors.Find(words[i]);
    if (row >= 0) found.emplace_back(i, row);
  }
  if (found.empty() || E <= 0) {
    return absl::InvalidArgumentError(
        "none of the model's words has a vector in the embeddings file; was it trained on the "
        "same kind of text (tokenizer flags such as --lowercase must match)?");
  }
  const size_t n = found.size();
  EmbeddingInitReport report;
  report.found = static_cast<int64_t>(n);
  report.source_dim = E;

  // M (n, C) in double: the copied rows, reduced or padded to C columns.
  std::vector<double> M(n * C, 0.0);
  if (E > C) {
    report.pca = true;
    std::vector<double> mean(E, 0.0);
    for (const auto& [id, row] : found) {
      const auto r = vectors.row(row);
      for (int j = 0; j < E; ++j) mean[j] += r[j];
    }
    for (double& m : mean) m /= static_cast<double>(n);
    std::vector<double> cov(static_cast<size_t>(E) * E, 0.0);
    std::vector<double> x(E);
    for (const auto& [id, row] : found) {
      const auto r = vectors.row(row);
      for (int j = 0; j < E; ++j) x[j] = r[j] - mean[j];
      for (int i = 0; i < E; ++i) {
        double* ci = cov.data() + static_cast<size_t>(i) * E;
        const double xi = x[i];
        for (int j = i; j < E; ++j) ci[j] += xi * x[j];
      }
    }
    for (int i = 0; i < E; ++i)
      for (int j = 0; j < i; ++j)
        cov[static_cast<size_t>(i) * E + j] = cov[static_cast<size_t>(j) * E + i];
    for (double& c : cov) c /= static_cast<double>(n);
    std::vector<double> eigenvalues, eigenvectors;
    SymmetricEigen(std::move(cov), E, &eigenvalues, &eigenvectors);
    OrientEigenvectors(E, &eigenvectors);
    double kept = 0, all = 0;
    for (int i = 0; i < E; ++i) {
      all += std::max(eigenvalues[i], 0.0);
      if (i < C) kept += std::max(eigenvalues[i], 0.0);
    }
    report.explained_variance = all > 0 ? kept / all : 1.0;
    for (size_t k = 0; k < n; ++k) {
      const auto r = vectors.row(found[k].second);
      for (int j = 0; j < E; ++j) x[j] = r[j] - mean[j];
      for (int c = 0; c < C; ++c) {
        const double* ev = eigenvectors.data() + static_cast<size_t>(c) * E;
        double dot = 0;
        for (int j = 0; j < E; ++j) dot += x[j] * ev[j];
        M[k * C + c] = dot;
      }
    }
  } else {
    for (size_t k = 0; k < n; ++k) {
      const auto r = vectors.row(found[k].second);
      for (int j = 0; j < E; ++j) M[k * C + j] = r[j];
    }
  }

  double sum = 0, sum2 = 0;
  for (double v : M) sum += v;
  const double mean_all = sum / static_cast<double>(M.size());
  for (double v : M) sum2 += (v - mean_all) * (v - mean_all);
  report.raw_std = std::sqrt(sum2 / static_cast<double>(M.size()));

  switch (options.scale) {
    case EmbeddingScale::kStandardize: {
      std::vector<double> col(C, 0.0);
      for (size_t k = 0; k < n; ++k)
        for (int c = 0; c < C; ++c) col[c] += M[k * C + c];
      for (double& m : col) m /= static_cast<double>(n);
      const double s = options.init_std / (report.raw_std + 1e-8);
      for (size_t k = 0; k < n; ++k)
        for (int c = 0; c < C; ++c) M[k * C + c] = (M[k * C + c] - col[c]) * s;
      break;
    }
    case EmbeddingScale::kUnit: {
      const double target = options.init_std * std::sqrt(static_cast<double>(C));
      for (size_t k = 0; k < n; ++k) {
        double norm = 0;
        for (int c = 0; c < C; ++c) norm += M[k * C + c] * M[k * C + c];
        const double s = target / (std::sqrt(norm) + 1e-8);
        for (int c = 0; c < C; ++c) M[k * C + c] *= s;
      }
      break;
    }
    case EmbeddingScale::kRaw:
      break;
  }
  for (size_t k = 0; k < n; ++k) {
    float* dst = wte + found[k].first * static_cast<size_t>(C);
    for (int c = 0; c < C; ++c) dst[c] = static_cast<float>(M[k * C + c]);
  }
  return report;
}

}  // namespace wordspace::transformer
