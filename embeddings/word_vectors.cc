#include "embeddings/word_vectors.h"

#include "base/check.h"
#include "base/string_view.h"

namespace wordspace::embeddings {

WordVectors::WordVectors(std::vector<std::string> words, int dim, std::vector<float> values)
    : dim_(dim), values_(std::move(values)) {
  CHECK(values_.size() == words.size() * static_cast<size_t>(dim_));
  auto keys = std::make_shared<Keys>();
  keys->words = std::move(words);
  keys->rows.reserve(keys->words.size());
  for (size_t i = 0; i < keys->words.size(); ++i) {
    keys->rows.try_emplace(keys->words[i], static_cast<int64_t>(i));
  }
  keys_ = std::move(keys);
}

int64_t WordVectors::Find(std::string_view word) const {
  if (keys_ == nullptr) return -1;
  auto it = keys_->rows.find(ToAbsl(word));
  return it == keys_->rows.end() ? -1 : it->second;
}

std::optional<std::vector<float>> WordVectors::NgramVector(std::string_view word) const {
  if (ngrams_ == nullptr) return std::nullopt;
  const std::vector<uint32_t> rows = ngrams_->table.NgramRows(word);
  if (rows.empty()) return std::nullopt;
  const int d = ngrams_->dim;
  std::vector<float> vector(d, 0.0f);
  for (uint32_t r : rows) {
    const float* row = ngrams_->matrix.data() + static_cast<size_t>(r) * d;
    for (int k = 0; k < d; ++k) vector[k] += row[k];
  }
  // fastText multiplies by the reciprocal of the count (Vector::mul(1.0 / n)).
  const float scale = static_cast<float>(1.0 / static_cast<double>(rows.size()));
  for (float& x : vector) x *= scale;
  return vector;
}

}  // namespace wordspace::embeddings
