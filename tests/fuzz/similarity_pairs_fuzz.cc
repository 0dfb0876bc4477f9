// Fuzz target: eval::ReadSimilarityPairs on word-similarity files (`word1 word2 score`).
#include <cstddef>
#include <cstdint>

#include "base/check.h"
#include "eval/vectors/similarity_eval.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  absl::StatusOr<std::vector<eval::SimilarityPair>> pairs =
      eval::ReadSimilarityPairs(fuzz::InputPath(data, size));
  if (pairs.ok()) {
    for (const eval::SimilarityPair& p : *pairs) CHECK(!p.a.empty() && !p.b.empty() && p.line > 0);
  }
  return 0;
}
