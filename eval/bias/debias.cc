#include "eval/bias/debias.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "base/string_view.h"
#include "base/status_macros.h"

namespace wordspace::eval {
namespace {

void NormalizeRow(std::span<float> v) {
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  norm = std::sqrt(norm);
  if (norm == 0) return;
  for (float& x : v) x = static_cast<float>(x / norm);
}

void NormalizeAll(embeddings::WordVectors* vectors) {
  for (int64_t r = 0; r < vectors->size(); ++r) NormalizeRow(vectors->mutable_row(r));
}

double Dot(std::span<const float> v, std::span<const double> g) {
  double dot = 0;
  for (size_t j = 0; j < v.size(); ++j) dot += v[j] * g[j];
  return dot;
}

std::string AsciiUpper(std::string_view word) {
  std::string upper(word);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::string AsciiTitle(std::string_view word) {
  std::string title(word);
  bool previous_letter = false;
  for (char& c : title) {
    if (IsAsciiLetter(c)) {
      if (previous_letter) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      } else if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
      }
      previous_letter = true;
    } else {
      previous_letter = false;
    }
  }
  return title;
}

absl::StatusOr<DebiasReport> HardDebias(embeddings::WordVectors* vectors,
                                        std::span<const WordPair> definitional,
                                        std::span<const std::string> specific,
                                        std::span<const WordPair> equalize,
                                        const DebiasOptions& options) {
  DebiasReport report;
  // The report words' rows as given (the "before" cosines are of the input, not of its
  // normalised copy, which differs in the last bits).
  std::vector<int64_t> word_rows;
  std::vector<std::vector<float>> word_before;
  for (const std::string& w : options.report_words) {
    const int64_t row = LookupWord(*vectors, w, options.case_sensitive);
    if (row < 0) {
      report.missing_words.push_back(w);
      continue;
    }
    word_rows.push_back(row);
    std::span<const float> v = vectors->row(row);
    word_before.emplace_back(v.begin(), v.end());
  }
  NormalizeAll(vectors);
  DirectionOptions direction_options;
  direction_options.case_sensitive = options.case_sensitive;
  ASSIGN_OR_RETURN(report.direction,
                   ComputeBiasDirection(*vectors, definitional, direction_options));
  const std::vector<double>& g = report.direction.direction;

  absl::flat_hash_set<std::string> specific_set;
  for (const std::string& word : specific) {
    specific_set.insert(options.case_sensitive ? word : AsciiLower(word));
  }
  // Neutralize.
  std::vector<char> neutralized(vectors->size(), 0);
  std::vector<double> before(vectors->size(), 0.0);
  for (int64_t r = 0; r < vectors->size(); ++r) {
    const std::string& word = vectors->word(r);
    const bool is_specific = options.case_sensitive ? specific_set.contains(ToAbsl(word))
                                                    : specific_set.contains(AsciiLower(word));
    if (is_specific) {
      ++report.specific;
      continue;
    }
    std::span<float> v = vectors->mutable_row(r);
    const double projection = Dot(v, g);
    before[r] = std::abs(projection);
    for (size_t j = 0; j < v.size(); ++j) v[j] = static_cast<float>(v[j] - projection * g[j]);
    NormalizeRow(v);
    neutralized[r] = 1;
    ++report.neutralized;
  }

  // Equalize, trying debiaswe's spellings of each pair (plus the pair as written).
  absl::flat_hash_set<std::pair<std::string, std::string>> tried;
  std::vector<char> equalized(vectors->size(), 0);
  const size_t dim = vectors->dim();
  for (const WordPair& pair : equalize) {
    bool found = false;
    const std::pair<std::string, std::string> spellings[] = {
        {pair.first, pair.second},
        {AsciiLower(pair.first), AsciiLower(pair.second)},
        {AsciiTitle(pair.first), AsciiTitle(pair.second)},
        {AsciiUpper(pair.first), AsciiUpper(pair.second)}};
    for (const auto& spelling : spellings) {
      const int64_t ra = vectors->Find(spelling.first);
      const int64_t rb = vectors->Find(spelling.second);
      if (ra < 0 || rb < 0 || ra == rb) continue;
      found = true;
      if (!tried.insert(spelling).second) continue;
      std::span<float> a = vectors->mutable_row(ra);
      std::span<float> b = vectors->mutable_row(rb);
      std::vector<double> y(dim);
      double y_dot_g = 0, difference_dot_g = 0;
      for (size_t j = 0; j < dim; ++j) {
        y[j] = (static_cast<double>(a[j]) + b[j]) / 2;
        y_dot_g += y[j] * g[j];
        difference_dot_g += (static_cast<double>(a[j]) - b[j]) * g[j];
      }
      double y_norm2 = 0;
      for (size_t j = 0; j < dim; ++j) {
        y[j] -= y_dot_g * g[j];
        y_norm2 += y[j] * y[j];
      }
      double z = std::sqrt(std::max(0.0, 1 - y_norm2));
      if (difference_dot_g < 0) z = -z;
      for (size_t j = 0; j < dim; ++j) {
        a[j] = static_cast<float>(z * g[j] + y[j]);
        b[j] = static_cast<float>(-z * g[j] + y[j]);
      }
      equalized[ra] = equalized[rb] = 1;
      report.equalized.push_back({vectors->word(ra), vectors->word(rb)});
    }
    if (!found) report.not_found.push_back(pair);
  }
  NormalizeAll(vectors);

  // The neutral words that equalize did not move back onto g.
  int64_t counted = 0;
  double abs_before = 0, abs_after = 0;
  for (int64_t r = 0; r < vectors->size(); ++r) {
    if (!neutralized[r] || equalized[r]) continue;
    const double p = std::abs(Dot(vectors->row(r), g));
    abs_before += before[r];
    abs_after += p;
    report.max_abs_projection_after = std::max(report.max_abs_projection_after, p);
    ++counted;
  }
  if (counted > 0) {
    report.mean_abs_projection_before = abs_before / counted;
    report.mean_abs_projection_after = abs_after / counted;
  }
  for (size_t i = 0; i < word_rows.size(); ++i) {
    report.words.push_back({vectors->word(word_rows[i]), Projection(word_before[i], g),
                            Projection(*vectors, word_rows[i], g)});
  }
  return report;
}

}  // namespace wordspace::eval
