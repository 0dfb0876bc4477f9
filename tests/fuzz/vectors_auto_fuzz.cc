// Fuzz target: embeddings::ReadVectors with the format detected from the content, as every
// command reads a vector file: fastText `.vec` (rows ending in a space), word2vec text and
// binary, GloVe, plain or gzipped.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/vector_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wordspace::fuzz::FuzzVectorFile(data, size, wordspace::embeddings::VectorFormat::kAuto);
  return 0;
}
