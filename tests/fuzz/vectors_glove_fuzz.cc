// Fuzz target: embeddings::ReadVectors on GloVe text (rows with no header).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/vector_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wordspace::fuzz::FuzzVectorFile(data, size, wordspace::embeddings::VectorFormat::kGlove);
  return 0;
}
