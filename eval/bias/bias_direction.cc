#include "eval/bias/bias_direction.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/linear_algebra.h"

namespace wordspace::eval {

absl::StatusOr<BiasDirection> ComputeBiasDirection(const embeddings::WordVectors& vectors,
                                                   std::span<const WordPair> pairs,
                                                   const DirectionOptions& options) {
  BiasDirection result;
  const int dim = vectors.dim();
  // rows: a - c and b - c for each pair, c = (a + b) / 2 on unit vectors.
  std::vector<std::vector<double>> rows;
  std::vector<double> difference_sum(dim, 0.0);
  for (const WordPair& pair : pairs) {
    const int64_t ra = LookupWord(vectors, pair.first, options.case_sensitive);
    const int64_t rb = LookupWord(vectors, pair.second, options.case_sensitive);
    if (ra < 0) result.missing.push_back(pair.first);
    if (rb < 0) result.missing.push_back(pair.second);
    if (ra < 0 || rb < 0) continue;
    result.used_pairs.push_back({vectors.word(ra), vectors.word(rb)});
    std::vector<double> a = UnitRow(vectors, ra), b = UnitRow(vectors, rb);
    std::vector<double> da(dim), db(dim);
    for (int j = 0; j < dim; ++j) {
      const double c = (a[j] + b[j]) / 2;
      da[j] = a[j] - c;
      db[j] = b[j] - c;
      difference_sum[j] += a[j] - b[j];
    }
    rows.push_back(std::move(da));
    rows.push_back(std::move(db));
  }
  if (rows.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no definitional pair has both words in the vectors (", result.missing.size(),
        " words missing)"));
  }
  // Centre the columns, as sklearn's PCA does (the mean is zero up to rounding already).
  const int r = static_cast<int>(rows.size());
  for (int j = 0; j < dim; ++j) {
    double mean = 0;
    for (const auto& row : rows) mean += row[j];
    mean /= r;
    for (auto& row : rows) row[j] -= mean;
  }
  double total_variance = 0;
  for (const auto& row : rows) {
    for (double x : row) total_variance += x * x;
  }
  if (!(total_variance > 1e-20)) {
    return absl::InvalidArgumentError(
        "the definitional pairs' vectors do not differ: there is no direction to find");
  }

  std::vector<double> eigenvalues, eigenvectors;
  std::vector<double> axis(dim, 0.0);
  if (r <= dim) {
    // Gram matrix M M^T (r×r): same non-zero eigenvalues as M^T M; axis = M^T v.
    std::vector<double> gram(static_cast<size_t>(r) * r);
    for (int i = 0; i < r; ++i) {
      for (int k = 0; k < r; ++k) {
        gram[static_cast<size_t>(i) * r + k] =
            std::inner_product(rows[i].begin(), rows[i].end(), rows[k].begin(), 0.0);
      }
    }
    SymmetricEigen(std::move(gram), r, &eigenvalues, &eigenvectors);
    for (int i = 0; i < r; ++i) {
      for (int j = 0; j < dim; ++j) axis[j] += eigenvectors[i] * rows[i][j];
    }
  } else {
    std::vector<double> scatter(static_cast<size_t>(dim) * dim, 0.0);
    for (const auto& row : rows) {
      for (int i = 0; i < dim; ++i) {
        for (int k = 0; k < dim; ++k) scatter[static_cast<size_t>(i) * dim + k] += row[i] * row[k];
      }
    }
    SymmetricEigen(std::move(scatter), dim, &eigenvalues, &eigenvectors);
    std::copy(eigenvectors.begin(), eigenvectors.begin() + dim, axis.begin());
  }
  double norm = std::sqrt(std::inner_product(axis.begin(), axis.end(), axis.begin(), 0.0));
  CHECK(norm > 0);
  const double orientation =
      std::inner_product(axis.begin(), axis.end(), difference_sum.begin(), 0.0);
  if (orientation < 0) norm = -norm;
  for (double& x : axis) x /= norm;
  result.direction = std::move(axis);
  const int shown = std::min<int>(options.components, static_cast<int>(eigenvalues.size()));
  for (int i = 0; i < shown; ++i) {
    result.variance_shares.push_back(std::max(eigenvalues[i], 0.0) / total_variance);
  }
  return result;
}

double Projection(const embeddings::WordVectors& vectors, int64_t row,
                  std::span<const double> direction) {
  return Projection(vectors.row(row), direction);
}

std::vector<ProjectedWord> ProjectWords(const embeddings::WordVectors& vectors,
                                        std::span<const std::string> words,
                                        std::span<const double> direction, bool case_sensitive,
                                        std::vector<std::string>* missing) {
  std::vector<ProjectedWord> out;
  for (const std::string& w : words) {
    const int64_t row = LookupWord(vectors, w, case_sensitive);
    if (row < 0) {
      missing->push_back(w);
    } else {
      out.push_back({w, Projection(vectors, row, direction)});
    }
  }
  return out;
}

double Projection(std::span<const float> v, std::span<const double> direction) {
  double dot = 0, norm = 0;
  for (size_t j = 0; j < v.size(); ++j) {
    dot += v[j] * direction[j];
    norm += static_cast<double>(v[j]) * v[j];
  }
  return norm > 0 ? dot / std::sqrt(norm) : 0.0;
}

void ExtremeProjections(const embeddings::WordVectors& vectors, std::span<const double> direction,
                        int top, int64_t restrict, std::vector<ProjectedWord>* positive,
                        std::vector<ProjectedWord>* negative) {
  const int64_t n = restrict > 0 ? std::min(restrict, vectors.size()) : vectors.size();
  std::vector<std::pair<double, int64_t>> scored(n);
  for (int64_t i = 0; i < n; ++i) scored[i] = {Projection(vectors, i, direction), i};
  const size_t k = std::min<size_t>(std::max(top, 0), scored.size());
  positive->clear();
  negative->clear();
  auto take = [&](auto compare, std::vector<ProjectedWord>* out) {
    std::partial_sort(scored.begin(), scored.begin() + k, scored.end(), compare);
    for (size_t i = 0; i < k; ++i) out->push_back({vectors.word(scored[i].second), scored[i].first});
  };
  // Ties broken by row (frequency order) so the lists are deterministic.
  take([](const auto& x, const auto& y) { return x.first > y.first || (x.first == y.first && x.second < y.second); },
       positive);
  take([](const auto& x, const auto& y) { return x.first < y.first || (x.first == y.first && x.second < y.second); },
       negative);
}

}  // namespace wordspace::eval
