#include "corpus/spelling.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <utility>

#include "corpus/tokenizer.h"

namespace wordspace::corpus {

std::string FoldCase(std::string_view word) {
  Tokenizer tokenizer({.lowercase = true});
  std::vector<std::string_view> parts;
  tokenizer.Tokenize(word, &parts);
  if (parts.size() == 1) return std::string(parts[0]);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ' ';
    out += parts[i];
  }
  return out;
}

int EditDistance(std::string_view a, std::string_view b, int max) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  std::vector<int> prev(m + 1), cur(m + 1);
  std::iota(prev.begin(), prev.end(), 0);
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int best = cur[0];
    for (int j = 1; j <= m; ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      best = std::min(best, cur[j]);
    }
    if (best > max) return max + 1;
    std::swap(prev, cur);
  }
  return prev[m];
}

std::vector<std::string> SuggestSpellings(std::span<const std::string> vocabulary,
                                          std::string_view word, int max) {
  const std::string folded = FoldCase(word);
  std::vector<std::pair<int, int64_t>> found;  // (distance, index)
  for (size_t r = 0; r < vocabulary.size(); ++r) {
    const std::string& w = vocabulary[r];
    if (w == word) continue;
    if (std::abs(static_cast<int>(w.size()) - static_cast<int>(folded.size())) > 2) continue;
    const int dist = EditDistance(folded, FoldCase(w), 2);
    if (dist <= 2) found.emplace_back(dist, static_cast<int64_t>(r));
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < found.size() && static_cast<int>(i) < max; ++i) {
    out.push_back(vocabulary[found[i].second]);
  }
  return out;
}

}  // namespace wordspace::corpus
