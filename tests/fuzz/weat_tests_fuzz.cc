// Fuzz target: eval::ReadWeatTests on WEAT tests files (`test role set_name word [0|1]`), with
// and without --all-words.
#include <cstddef>
#include <cstdint>

#include "base/check.h"
#include "eval/bias/weat.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  const std::string& path = fuzz::InputPath(data, size);
  for (bool all_words : {false, true}) {
    eval::WeatFileOptions options;
    options.all_words = all_words;
    absl::StatusOr<std::vector<eval::WeatTest>> tests = eval::ReadWeatTests(path, options);
    if (!tests.ok()) continue;
    for (const eval::WeatTest& test : *tests) {
      CHECK(!test.name.empty());
      if (all_words) CHECK(test.left_out_rows == 0);
    }
  }
  return 0;
}
