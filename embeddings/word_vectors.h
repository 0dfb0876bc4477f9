// WordVectors: a vocabulary with one dense vector per word, rows in the file's order (for our
// own files, descending corpus frequency). Values are n×dim row-major float.
//
//   ASSIGN_OR_RETURN(WordVectors vectors, ReadVectors("vectors.bin"));
//   int64_t id = vectors.Find("cat");            // -1 when absent
//   std::span<const float> v = vectors.row(id);
#ifndef WORDSPACE_EMBEDDINGS_WORD_VECTORS_H_
#define WORDSPACE_EMBEDDINGS_WORD_VECTORS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace wordspace::embeddings {

class WordVectors {
 public:
  WordVectors() = default;
  // `values` holds words.size() * dim floats. If a word repeats, Find returns its first row.
  WordVectors(std::vector<std::string> words, int dim, std::vector<float> values);

  int64_t size() const { return static_cast<int64_t>(words_.size()); }
  int dim() const { return dim_; }
  const std::string& word(int64_t row) const { return words_[row]; }
  const std::vector<std::string>& words() const { return words_; }
  std::span<const float> row(int64_t r) const {
    return {values_.data() + static_cast<size_t>(r) * dim_, static_cast<size_t>(dim_)};
  }
  std::span<float> mutable_row(int64_t r) {
    return {values_.data() + static_cast<size_t>(r) * dim_, static_cast<size_t>(dim_)};
  }
  const std::vector<float>& values() const { return values_; }
  std::vector<float>& mutable_values() { return values_; }
  // Row of `word`, or -1.
  int64_t Find(std::string_view word) const;

 private:
  std::vector<std::string> words_;
  int dim_ = 0;
  std::vector<float> values_;
  absl::flat_hash_map<std::string, int64_t> rows_;
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_WORD_VECTORS_H_
