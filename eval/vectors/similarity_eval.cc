#include "eval/vectors/similarity_eval.h"

#include <optional>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "corpus/spelling.h"
#include "corpus/text_reader.h"
#include "eval/vectors/word_lookup.h"

namespace wordspace::eval {

absl::StatusOr<std::vector<SimilarityPair>> ReadSimilarityPairs(const std::string& path) {
  // TextReader: gzip is read too, a folder or a damaged gzip stream is an error naming the file.
  ASSIGN_OR_RETURN(std::unique_ptr<corpus::TextReader> reader, corpus::TextReader::Open(path));
  reader->set_max_line_bytes(corpus::kMaxListLineBytes);
  std::vector<SimilarityPair> pairs;
  std::string line;
  while (true) {
    ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
    if (!got) break;
    const int64_t line_no = static_cast<int64_t>(reader->line_number());
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.empty()) continue;
    if (fields.size() != 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_no, ": expected 'word1 word2 score', got ", fields.size(), " fields"));
    }
    SimilarityPair pair;
    pair.a = std::string(fields[0]);
    pair.b = std::string(fields[1]);
    pair.line = line_no;
    const std::string score(fields[2]);
    char* end = nullptr;
    errno = 0;
    pair.score = std::strtod(score.c_str(), &end);
    if (end != score.c_str() + score.size() || errno == ERANGE || !std::isfinite(pair.score)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": score '", score, "' is not a number"));
    }
    pairs.push_back(std::move(pair));
  }
  if (pairs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no word pairs (expected 'word1 word2 score' lines)"));
  }
  return pairs;
}

std::vector<double> AverageRanks(std::span<const double> values) {
  const size_t n = values.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t i, size_t j) { return values[i] < values[j]; });
  std::vector<double> ranks(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && values[order[j + 1]] == values[order[i]]) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t t = i; t <= j; ++t) ranks[order[t]] = rank;
    i = j + 1;
  }
  return ranks;
}

double PearsonR(std::span<const double> x, std::span<const double> y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n) return std::numeric_limits<double>::quiet_NaN();
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return std::numeric_limits<double>::quiet_NaN();
  return sxy / std::sqrt(sxx * syy);
}

double SpearmanRho(std::span<const double> x, std::span<const double> y) {
  std::vector<double> rx = AverageRanks(x), ry = AverageRanks(y);
  return PearsonR(rx, ry);
}

namespace {

// The continued fraction of I_x(a, b) (the even and odd terms d_2m and d_2m+1 of its expansion),
// evaluated by the modified Lentz method; converges fast for x < (a + 1) / (a + b + 2).
double IncompleteBetaFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-15;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double fraction = d;
  for (int m = 1; m <= 10000; ++m) {
    const double two_m = 2.0 * m;
    for (const double term : {m * (b - m) * x / ((a + two_m - 1.0) * (a + two_m)),
                              -(a + m) * (a + b + m) * x / ((a + two_m) * (a + two_m + 1.0))}) {
      d = 1.0 + term * d;
      if (std::fabs(d) < kTiny) d = kTiny;
      c = 1.0 + term / c;
      if (std::fabs(c) < kTiny) c = kTiny;
      d = 1.0 / d;
      fraction *= d * c;
    }
    if (std::fabs(d * c - 1.0) < kEpsilon) break;
  }
  return fraction;
}

}  // namespace

double RegularizedIncompleteBeta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (x == 0 || x == 1) return x;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                           a * std::log(x) + b * std::log1p(-x);
  // The fraction converges on the side of the mean; the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
  // takes the other side there.
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return std::exp(log_front) * IncompleteBetaFraction(a, b, x) / a;
  }
  return 1.0 - std::exp(log_front) * IncompleteBetaFraction(b, a, 1.0 - x) / b;
}

double CorrelationPValue(double r, int64_t n) {
  if (std::isnan(r) || n < 2) return std::numeric_limits<double>::quiet_NaN();
  if (n == 2) return 1.0;
  const double r2 = std::min(1.0, r * r);
  if (r2 >= 1.0) return 0.0;
  return RegularizedIncompleteBeta(0.5 * static_cast<double>(n - 2), 0.5, 1.0 - r2);
}

double RowCosine(const embeddings::WordVectors& vectors, int64_t a, int64_t b) {
  return VectorCosine(vectors.row(a), vectors.row(b));
}

double VectorCosine(std::span<const float> a, std::span<const float> b) {
  const float* x = a.data();
  const float* y = b.data();
  double xy = 0, xx = 0, yy = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    xy += static_cast<double>(x[i]) * y[i];
    xx += static_cast<double>(x[i]) * x[i];
    yy += static_cast<double>(y[i]) * y[i];
  }
  return xx > 0 && yy > 0 ? xy / std::sqrt(xx * yy) : 0.0;
}

std::vector<absl::StatusOr<WordPairCosine>> WordSimilarities(
    const embeddings::WordVectors& vectors,
    std::span<const std::pair<std::string, std::string>> pairs,
    const SimilarityEvalOptions& options) {
  const WordLookup lookup(vectors, options.restrict, options.case_sensitive);
  auto find = [&](const std::string& word) -> absl::StatusOr<int64_t> {
    // The exact spelling wins even when a more frequent spelling folds the same way: a user who
    // asks for "Paris" in a cased model means that row, not "paris".
    const int64_t exact = vectors.Find(word);
    if (exact >= 0 && exact < lookup.limit()) return exact;
    const int64_t folded = lookup.Find(word);
    if (folded >= 0) return folded;
    const std::span<const std::string> words(vectors.words().data(),
                                             static_cast<size_t>(lookup.limit()));
    std::vector<std::string> near = corpus::SuggestSpellings(words, word);
    std::string message = absl::StrCat("'", word, "' is not in the vocabulary");
    if (lookup.limit() < vectors.size()) {
      absl::StrAppend(&message, " (its first ", lookup.limit(), " words)");
    }
    if (!near.empty())
      absl::StrAppend(&message, "; did you mean: ", absl::StrJoin(near, ", "), "?");
    return absl::NotFoundError(message);
  };
  std::vector<absl::StatusOr<WordPairCosine>> answers;
  answers.reserve(pairs.size());
  for (const auto& [a, b] : pairs) {
    absl::StatusOr<int64_t> ra = find(a);
    absl::StatusOr<int64_t> rb = find(b);
    if (!ra.ok() || !rb.ok()) {
      answers.push_back(!ra.ok() ? ra.status() : rb.status());
      continue;
    }
    answers.push_back(WordPairCosine{vectors.word(*ra), vectors.word(*rb), *ra, *rb,
                                     RowCosine(vectors, *ra, *rb)});
  }
  return answers;
}

absl::StatusOr<SimilarityReport> EvaluateSimilarity(const embeddings::WordVectors& vectors,
                                                    std::span<const SimilarityPair> pairs,
                                                    const SimilarityEvalOptions& options) {
  WordLookup lookup(vectors, options.restrict, options.case_sensitive);
  SimilarityReport report;
  report.pairs_total = static_cast<int64_t>(pairs.size());
  std::vector<double> gold, model;
  const bool ngrams = options.ngrams && vectors.has_ngrams();
  // A word's vector: its row, or (with n-grams) the mean of its n-gram rows.
  auto vector_of = [&](const std::string& word, std::vector<float>* scratch,
                       bool* from_ngrams) -> std::span<const float> {
    const int64_t row = lookup.Find(word);
    if (row >= 0) return vectors.row(row);
    if (!ngrams) return {};
    std::optional<std::vector<float>> v = vectors.NgramVector(word);
    if (!v.has_value()) return {};
    *scratch = std::move(*v);
    *from_ngrams = true;
    return *scratch;
  };
  std::vector<float> scratch_a, scratch_b;
  for (const SimilarityPair& pair : pairs) {
    bool from_ngrams = false;
    const std::span<const float> a = vector_of(pair.a, &scratch_a, &from_ngrams);
    const std::span<const float> b = vector_of(pair.b, &scratch_b, &from_ngrams);
    if (a.empty() || b.empty()) {
      report.skipped.push_back(pair);
      continue;
    }
    gold.push_back(pair.score);
    model.push_back(VectorCosine(a, b));
    report.pairs_from_ngrams += from_ngrams ? 1 : 0;
  }
  report.pairs_used = static_cast<int64_t>(gold.size());
  if (gold.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "none of the ", pairs.size(), " word pairs has both words in the vocabulary",
        options.case_sensitive ? " (matching is case-sensitive; drop --case-sensitive?)" : ""));
  }
  if (gold.size() == 1) report.cosine = model[0];
  report.spearman = SpearmanRho(gold, model);
  report.pearson = PearsonR(gold, model);
  const int64_t n = static_cast<int64_t>(gold.size());
  report.spearman_p = CorrelationPValue(report.spearman, n);
  report.pearson_p = CorrelationPValue(report.pearson, n);
  return report;
}

}  // namespace wordspace::eval
