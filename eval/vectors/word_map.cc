#include "eval/vectors/word_map.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "corpus/spelling.h"
#include "eval/vectors/pca.h"

namespace wordspace::eval {

absl::StatusOr<WordMap> MapWords(const embeddings::WordVectors& vectors,
                                 const std::vector<std::string>& words, int neighbors,
                                 int64_t restrict, bool case_sensitive) {
  WordMap map;
  const int64_t rows = restrict > 0 ? std::min(restrict, vectors.size()) : vectors.size();
  const int d = vectors.dim();
  std::vector<double> norms(rows);
  for (int64_t r = 0; r < rows; ++r) {
    double s = 0;
    for (float f : vectors.row(r)) s += double{f} * f;
    norms[r] = std::sqrt(s);
  }
  absl::flat_hash_set<int64_t> shown;
  std::vector<int64_t> point_rows;
  std::vector<int64_t> query_rows;
  for (const std::string& w : words) {
    std::string used = w;
    int64_t row = vectors.Find(w);
    if (row < 0 && !case_sensitive) {
      used = corpus::FoldCase(w);
      row = vectors.Find(used);
      if (row >= 0 && used != w) map.lowercased.emplace_back(w, used);
    }
    if (row < 0) {
      map.missing.push_back(w);
      continue;
    }
    map.queries.push_back(used);
    query_rows.push_back(row);
  }
  if (query_rows.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("none of the words is in the vectors: ", absl::StrJoin(words, " ")));
  }
  for (size_t g = 0; g < query_rows.size(); ++g) {
    const int64_t q = query_rows[g];
    if (shown.insert(q).second) {
      map.points.push_back({vectors.word(q), 0, 0, static_cast<int>(g), true, 1.0});
      point_rows.push_back(q);
    }
  }
  for (size_t g = 0; g < query_rows.size(); ++g) {
    const int64_t q = query_rows[g];
    auto qv = vectors.row(q);
    double qn = 0;
    for (float f : qv) qn += double{f} * f;
    qn = std::sqrt(qn);
    std::vector<std::pair<double, int64_t>> scored;
    scored.reserve(rows);
    for (int64_t r = 0; r < rows; ++r) {
      if (r == q) continue;
      double dot = 0;
      auto rv = vectors.row(r);
      for (int j = 0; j < d; ++j) dot += double{qv[j]} * rv[j];
      scored.emplace_back(qn > 0 && norms[r] > 0 ? dot / (qn * norms[r]) : 0.0, r);
    }
    std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    int added = 0;
    for (const auto& [cos, r] : scored) {
      if (added >= neighbors) break;
      ++added;
      if (!shown.insert(r).second) continue;
      map.points.push_back({vectors.word(r), 0, 0, static_cast<int>(g), false, cos});
      point_rows.push_back(r);
    }
  }
  std::vector<float> values;
  for (int64_t r : point_rows) {
    auto v = vectors.row(r);
    values.insert(values.end(), v.begin(), v.end());
  }
  const Projection p = ProjectPca(values, static_cast<int>(point_rows.size()), d, 2);
  for (size_t i = 0; i < map.points.size(); ++i) {
    map.points[i].x = p.coords[i * 2];
    map.points[i].y = p.coords[i * 2 + 1];
  }
  map.variance_share[0] = p.variance_share[0];
  map.variance_share[1] = p.variance_share[1];
  return map;
}

}  // namespace wordspace::eval
