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
// straight into the matrix and the hot loop is exactly word2vec.c's. SubwordRows (fastText's
// subword vectors, subwords.h) has several rows per word and no Vector(): Mean(word) computes
// the word's vector into scratch and AddToAll(word) hands the update back to each of its rows.
//
//   WordRows rows(input, stride);
//   float* in = rows.Vector(context);
//   for (int k = 0; k < dim; ++k) in[k] += gradient[k];
#ifndef WORDSPACE_EMBEDDINGS_INPUT_ROWS_H_
#define WORDSPACE_EMBEDDINGS_INPUT_ROWS_H_

#include <cstddef>
#include <cstdint>

#include "embeddings/subwords.h"

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

// A range of row indices (pointers into a SubwordTable).
struct RowRange {
  const uint32_t* first;
  const uint32_t* last;
  const uint32_t* begin() const { return first; }
  const uint32_t* end() const { return last; }
  size_t size() const { return static_cast<size_t>(last - first); }
};

// The input-rows policy for subword vectors (input_rows.h): a word's vector is the mean of its
// rows, computed into the caller's buffer, and its update is added to every row (fastText adds
// the whole gradient to each, not a share of it). Held by value; the table and matrix are not
// owned.
class SubwordRows {
 public:
  SubwordRows(const SubwordTable& table, float* matrix, int stride)
      : table_(&table), matrix_(matrix), stride_(stride) {}

  RowRange Of(uint32_t word) const { return RowRange{table_->begin(word), table_->end(word)}; }
  float* Row(uint32_t row) const { return matrix_ + static_cast<size_t>(row) * stride_; }
  void Prefetch(uint32_t word) const {
    for (uint32_t row : Of(word)) PrefetchRow(Row(row), stride_);
  }

  // vector = the mean of the word's rows (dim floats).
  void Mean(uint32_t word, int dim, float* __restrict vector) const {
#pragma omp simd
    for (int k = 0; k < dim; ++k) vector[k] = 0.0f;
    const RowRange range = Of(word);
    for (uint32_t row : range) {
      const float* __restrict in = Row(row);
#pragma omp simd
      for (int k = 0; k < dim; ++k) vector[k] += in[k];
    }
    // fastText's Vector::mul(1.0 / n): the reciprocal in double, rounded to float.
    const float scale = static_cast<float>(1.0 / static_cast<double>(range.size()));
#pragma omp simd
    for (int k = 0; k < dim; ++k) vector[k] *= scale;
  }

  // Adds `gradient` (dim floats) to every row of the word.
  void AddToAll(uint32_t word, int dim, const float* __restrict gradient) const {
    for (uint32_t row : Of(word)) {
      float* __restrict in = Row(row);
#pragma omp simd
      for (int k = 0; k < dim; ++k) in[k] += gradient[k];
    }
  }

 private:
  const SubwordTable* table_;
  float* matrix_;
  int stride_;
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_INPUT_ROWS_H_
