// Fuzz target: eval::ReadAnalogyQuestions on questions files (`: section`, then `a b c d`).
#include <cstddef>
#include <cstdint>

#include "base/check.h"
#include "eval/vectors/analogy_eval.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  absl::StatusOr<eval::AnalogyDataset> dataset =
      eval::ReadAnalogyQuestions(fuzz::InputPath(data, size));
  if (dataset.ok()) {
    int64_t total = 0;
    for (const eval::AnalogySection& s : dataset->sections) total += s.questions.size();
    CHECK(total == dataset->questions());
  }
  return 0;
}
