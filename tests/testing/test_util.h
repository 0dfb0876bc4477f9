// Helpers shared by the index and eval tests: the path of a tests/data/eval_tiny fixture, and seeded random
// vectors named w0, w1, ...
#ifndef WORDSPACE_TESTS_TESTING_TEST_UTIL_H_
#define WORDSPACE_TESTS_TESTING_TEST_UTIL_H_

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "embeddings/word_vectors.h"

namespace wordspace::testing {

// tests/data/eval_tiny/<name>, found from this file's path so that the tests run from any folder.
inline std::string FixturePath(const std::string& name) {
  return (std::filesystem::path(__FILE__).parent_path().parent_path() / "data" / "eval_tiny" / name)
      .string();
}

// n vectors of dimension `dim` with standard-normal components (std::mt19937 seeded `seed`),
// named w0 .. w{n-1}.
inline embeddings::WordVectors RandomVectors(int n, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<std::string> words;
  std::vector<float> values;
  for (int i = 0; i < n; ++i) {
    words.push_back(absl::StrCat("w", i));
    for (int j = 0; j < dim; ++j) values.push_back(normal(rng));
  }
  return embeddings::WordVectors(std::move(words), dim, std::move(values));
}

}  // namespace wordspace::testing

#endif  // WORDSPACE_TESTS_TESTING_TEST_UTIL_H_
