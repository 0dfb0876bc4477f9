#include "embeddings/word_vectors.h"

#include "base/check.h"
#include "base/string_view.h"

namespace wordspace::embeddings {

WordVectors::WordVectors(std::vector<std::string> words, int dim, std::vector<float> values)
    : words_(std::move(words)), dim_(dim), values_(std::move(values)) {
  CHECK(values_.size() == words_.size() * static_cast<size_t>(dim_));
  rows_.reserve(words_.size());
  for (size_t i = 0; i < words_.size(); ++i) rows_.try_emplace(words_[i], static_cast<int64_t>(i));
}

int64_t WordVectors::Find(std::string_view word) const {
  auto it = rows_.find(ToAbsl(word));
  return it == rows_.end() ? -1 : it->second;
}

}  // namespace wordspace::embeddings
