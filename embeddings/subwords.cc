#include "embeddings/subwords.h"

namespace wordspace::embeddings {

std::vector<std::string> CharNgrams(std::string_view word, int minn, int maxn) {
  std::vector<std::string> ngrams;
  ForEachCharNgram(word, minn, maxn, [&](std::string_view g) { ngrams.emplace_back(g); });
  return ngrams;
}

SubwordTable SubwordTable::Build(const std::vector<std::string>& words,
                                 const SubwordOptions& options) {
  SubwordTable table;
  table.options_ = options;
  table.words_ = words.size();
  table.bucket_ = options.maxn > 0 ? static_cast<size_t>(options.bucket) : 0;
  table.offsets_.reserve(words.size() + 1);
  table.offsets_.push_back(0);
  for (size_t w = 0; w < words.size(); ++w) {
    table.ids_.push_back(static_cast<uint32_t>(w));
    // fastText gives its end-of-line word no n-grams.
    if (table.bucket_ > 0 && words[w] != kEndOfLineWord) {
      ForEachCharNgram(words[w], options.minn, options.maxn, [&](std::string_view g) {
        table.ids_.push_back(static_cast<uint32_t>(table.words_ + FastTextHash(g) % table.bucket_));
      });
    }
    table.offsets_.push_back(table.ids_.size());
  }
  return table;
}

std::vector<uint32_t> SubwordTable::NgramRows(std::string_view word) const {
  std::vector<uint32_t> rows;
  if (bucket_ == 0) return rows;
  ForEachCharNgram(word, options_.minn, options_.maxn, [&](std::string_view g) {
    rows.push_back(static_cast<uint32_t>(words_ + FastTextHash(g) % bucket_));
  });
  return rows;
}

}  // namespace wordspace::embeddings
