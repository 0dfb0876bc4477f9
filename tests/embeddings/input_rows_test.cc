#include "embeddings/input_rows.h"

#include <catch2/catch.hpp>
#include <vector>

namespace wordspace::embeddings {
namespace {

TEST_CASE("WordRows gives each word exactly its own row", "[embeddings]") {
  const int stride = 16;
  std::vector<float> matrix(5 * stride);
  for (size_t i = 0; i < matrix.size(); ++i) matrix[i] = static_cast<float>(i);
  const WordRows rows(matrix.data(), stride);
  for (uint32_t word = 0; word < 5; ++word) {
    std::vector<uint32_t> of;
    for (uint32_t row : rows.Of(word)) of.push_back(row);
    CHECK(of == std::vector<uint32_t>{word});
    CHECK(rows.Row(word) == matrix.data() + word * stride);
    CHECK(rows.Vector(word) == rows.Row(word));
    CHECK(rows.Vector(word)[0] == static_cast<float>(word * stride));
  }
}

TEST_CASE("an update through WordRows::Vector lands in the matrix and nowhere else",
          "[embeddings]") {
  const int stride = 16;
  std::vector<float> matrix(3 * stride, 1.0f);
  const WordRows rows(matrix.data(), stride);
  float* v = rows.Vector(1);
  for (int k = 0; k < stride; ++k) v[k] += 2.0f;
  rows.Prefetch(2);  // only a hint: changes nothing
  for (int r = 0; r < 3; ++r) {
    for (int k = 0; k < stride; ++k) CHECK(matrix[r * stride + k] == (r == 1 ? 3.0f : 1.0f));
  }
}

}  // namespace
}  // namespace wordspace::embeddings
