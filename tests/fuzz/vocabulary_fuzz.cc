// Fuzz target: word2vec.c vocabulary files (`word count` lines) through corpus::ReadVocabulary
// (train --read-vocab) and transformer::VocabularyFromFile (lm-train --vocab).
#include <cstddef>
#include <cstdint>

#include "base/check.h"
#include "corpus/vocabulary_io.h"
#include "tests/fuzz/fuzz_input.h"
#include "transformer/lm_data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  const std::string& path = fuzz::InputPath(data, size);
  corpus::VocabOptions options;
  options.min_count = 1;
  absl::StatusOr<corpus::Vocabulary> vocab = corpus::ReadVocabulary(path, options);
  if (vocab.ok()) {
    for (int64_t id = 0; id < vocab->size(); ++id) CHECK(vocab->Find(vocab->word(id)) == id);
  }
  absl::StatusOr<std::vector<std::string>> words = transformer::VocabularyFromFile(path, 3);
  if (words.ok()) CHECK(words->size() >= 2 && words->size() <= 5);
  return 0;
}
