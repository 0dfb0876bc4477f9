// WordVectors: a vocabulary with one dense vector per word, rows in the file's order (for our
// own files, descending corpus frequency). Values are n×dim row-major float.
//
//   ASSIGN_OR_RETURN(WordVectors vectors, ReadVectors("vectors.bin"));
//   int64_t id = vectors.Find("cat");            // -1 when absent
//   std::span<const float> v = vectors.row(id);
//
// Vectors read from a fastText model with character n-grams (fasttext_model.h) also answer words
// outside the vocabulary, from their n-grams: vectors.NgramVector("unseenword").
#ifndef WORDSPACE_EMBEDDINGS_WORD_VECTORS_H_
#define WORDSPACE_EMBEDDINGS_WORD_VECTORS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "embeddings/subwords.h"

namespace wordspace::embeddings {

// fastText's vector for a word outside its vocabulary: the mean of the rows of its n-grams.
struct NgramRows {
  SubwordTable table;         // the n-gram settings and the vocabulary's size
  int dim = 0;
  std::vector<float> matrix;  // table.rows() × dim: the words' rows, then the buckets'
};

class WordVectors {
 public:
  WordVectors() = default;
  // `values` holds words.size() * dim floats. If a word repeats, Find returns its first row.
  WordVectors(std::vector<std::string> words, int dim, std::vector<float> values);

  int64_t size() const { return static_cast<int64_t>(words().size()); }
  int dim() const { return dim_; }
  const std::string& word(int64_t row) const { return words()[row]; }
  const std::vector<std::string>& words() const {
    static const std::vector<std::string> kNone;
    return keys_ == nullptr ? kNone : keys_->words;
  }
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

  // Whether words outside the vocabulary have vectors (from a fastText model's n-grams).
  bool has_ngrams() const { return ngrams_ != nullptr; }
  void set_ngrams(std::shared_ptr<const NgramRows> ngrams) { ngrams_ = std::move(ngrams); }
  const std::shared_ptr<const NgramRows>& ngrams() const { return ngrams_; }
  // The mean of `word`'s n-gram rows (dim floats), as fastText's getWordVector gives it for a
  // word outside its vocabulary; nullopt without n-grams (has_ngrams() false, or a word too
  // short to have any of minn..maxn code points).
  std::optional<std::vector<float>> NgramVector(std::string_view word) const;

 private:
  // The words never change after construction, so copies share them: an index built from a
  // copy (VectorIndex::Build) copies only the values, not 100k strings and their hash table.
  struct Keys {
    std::vector<std::string> words;
    absl::flat_hash_map<std::string, int64_t> rows;
  };
  std::shared_ptr<const Keys> keys_;  // null when default-constructed (no words)
  int dim_ = 0;
  std::vector<float> values_;
  std::shared_ptr<const NgramRows> ngrams_;  // shared by copies (read-only)
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_WORD_VECTORS_H_
