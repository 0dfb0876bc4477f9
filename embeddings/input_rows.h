// The input rows of a word: where a word-vector trainer finds the input (syn0) vector of a word.
// The models (skip-gram and CBOW) never compute `row = word id` themselves; they ask
// an input-rows policy, so that fastText's subword vectors (a word's own row plus the rows of
// its character n-gram buckets) plug in as a second policy without touching the models.
//
// A policy provides:
//   Of(word)       the word's rows, a range of row indices into the input matrix;
//   Row(row)       a row of the matrix (`stride` floats, 64-byte aligned);
//   Vector(word)   the word's input vector, which the model reads and updates in place;
//   Prefetch(word) starts loading the word's rows for writing.
// WordRows is the one-row-per-word policy: Vector(word) is the word's own row, so updates go
// straight into the matrix and the hot loop is exactly word2vec.c's. A policy with several rows
// per word computes Vector() into scratch and hands the update back to each of Of(word)'s rows.
//
//   WordRows rows(input, stride);
//   float* in = rows.Vector(context);
//   for (int k = 0; k < dim; ++k) in[k] += gradient[k];
#ifndef WORDSPACE_EMBEDDINGS_INPUT_ROWS_H_
#define WORDSPACE_EMBEDDINGS_INPUT_ROWS_H_

#include <cstddef>
#include <cstdint>

namespace wordspace::embeddings {

// Starts loading a whole row into the cache, for writing (measured: ~12% less CPU time per
// epoch on corpus-large than without; the first line alone gives most but not all of it).
inline void PrefetchRow(const float* row, int stride) {
  const char* p = reinterpret_cast<const char*>(row);
  for (int b = 0; b < stride * static_cast<int>(sizeof(float)); b += 64) {
    __builtin_prefetch(p + b, 1, 3);
  }
}

// A range of exactly one row index, held by value (no storage behind it).
struct OneRow {
  uint32_t row;
  const uint32_t* begin() const { return &row; }
  const uint32_t* end() const { return &row + 1; }
};

// One input row per word: word w's vector is row w of the input matrix.
class WordRows {
 public:
  // `matrix` holds one row of `stride` floats per vocabulary word; not owned.
  WordRows(float* matrix, int stride) : matrix_(matrix), stride_(stride) {}

  OneRow Of(uint32_t word) const { return OneRow{word}; }
  float* Row(uint32_t row) const { return matrix_ + static_cast<size_t>(row) * stride_; }
  float* Vector(uint32_t word) const { return Row(Of(word).row); }
  void Prefetch(uint32_t word) const {
    for (uint32_t row : Of(word)) PrefetchRow(Row(row), stride_);
  }

 private:
  float* matrix_;
  int stride_;
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_INPUT_ROWS_H_
