// WordLookup: finds benchmark words among the first `limit` rows of a vector file, the way
// gensim's evaluate_word_analogies / evaluate_word_pairs do: case-insensitively by default,
// where a folded word maps to its FIRST row (for frequency-sorted files, the most frequent
// spelling), and rows past `limit` do not exist.
//
//   WordLookup lookup(vectors, 30000, /*case_sensitive=*/false);
//   int64_t row = lookup.Find("Paris");   // row of "paris" (or "Paris"), or -1
#ifndef WORDSPACE_EVAL_VECTORS_WORD_LOOKUP_H_
#define WORDSPACE_EVAL_VECTORS_WORD_LOOKUP_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "embeddings/word_vectors.h"

namespace wordspace::eval {

class WordLookup {
 public:
  // `limit` <= 0 or above the row count: every row.
  WordLookup(const embeddings::WordVectors& vectors, int64_t limit, bool case_sensitive);

  // The row for `word` (folded unless case-sensitive), or -1.
  int64_t Find(std::string_view word) const;
  // All rows (within the limit) that fold to the same word as `row`, `row` included: its case
  // variants, such as "Paris" for "paris". Empty when case-sensitive or when it has none.
  std::span<const int64_t> Variants(int64_t row) const;
  // The canonical row of `row`'s folded form (its first spelling); `row` itself if sensitive.
  int64_t Canonical(int64_t row) const;
  int64_t limit() const { return limit_; }
  bool case_sensitive() const { return case_sensitive_; }

 private:
  const embeddings::WordVectors* vectors_;
  int64_t limit_;
  bool case_sensitive_;
  absl::flat_hash_map<std::string, int64_t> first_;  // folded word -> first row
  std::vector<int64_t> canonical_;                   // row -> first row of its folded form
  absl::flat_hash_map<int64_t, std::vector<int64_t>> variants_;  // first row -> other rows
};

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_VECTORS_WORD_LOOKUP_H_
