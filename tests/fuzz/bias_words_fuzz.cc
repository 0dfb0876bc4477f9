// Fuzz target: the Bolukbasi et al. word lists (eval::ReadWordList: professions, gendered
// words) and pair lists (eval::ReadWordPairs: definitional and equalize pairs).
#include <cstddef>
#include <cstdint>

#include "base/check.h"
#include "eval/bias/bias_words.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  const std::string& path = fuzz::InputPath(data, size);
  absl::StatusOr<std::vector<std::string>> words = eval::ReadWordList(path);
  if (words.ok()) {
    CHECK(!words->empty());
    for (const std::string& w : *words) CHECK(!w.empty());
  }
  absl::StatusOr<std::vector<eval::WordPair>> pairs = eval::ReadWordPairs(path);
  if (pairs.ok()) {
    for (const eval::WordPair& p : *pairs) CHECK(!p.first.empty() && !p.second.empty());
  }
  return 0;
}
