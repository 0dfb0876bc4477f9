// Fuzz target: embeddings::ReadVectors on fastText's .bin model (args, dictionary, two matrices),
// and the n-gram answer for a word outside its vocabulary.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/vector_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using wordspace::embeddings::VectorFormat;
  wordspace::fuzz::FuzzVectorFile(data, size, VectorFormat::kFastText);
  absl::StatusOr<wordspace::embeddings::WordVectors> vectors = wordspace::embeddings::ReadVectors(
      wordspace::fuzz::InputPath(data, size), VectorFormat::kFastText);
  if (vectors.ok() && vectors->has_ngrams()) {
    const auto unseen = vectors->NgramVector("unseenword");
    CHECK(!unseen.has_value() || unseen->size() == static_cast<size_t>(vectors->dim()));
  }
  return 0;
}
