// Helpers shared by the VectorIndex tests: build an index or fail the test, and the words of a
// list of answers.
#ifndef WORDSPACE_TESTS_EMBEDDINGS_INDEX_TEST_UTIL_H_
#define WORDSPACE_TESTS_EMBEDDINGS_INDEX_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "embeddings/vector_index.h"

namespace wordspace::testing {

inline embeddings::VectorIndex BuildOrDie(embeddings::WordVectors v,
                                          embeddings::IndexOptions options = {}) {
  absl::StatusOr<embeddings::VectorIndex> index =
      embeddings::VectorIndex::Build(std::move(v), options);
  REQUIRE(index.ok());
  return std::move(*index);
}

inline std::vector<std::string> Words(const embeddings::VectorIndex& index,
                                      const std::vector<embeddings::Neighbor>& list) {
  std::vector<std::string> out;
  for (const embeddings::Neighbor& n : list) out.push_back(index.word(n.row));
  return out;
}

}  // namespace wordspace::testing

#endif  // WORDSPACE_TESTS_EMBEDDINGS_INDEX_TEST_UTIL_H_
