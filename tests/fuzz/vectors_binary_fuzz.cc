// Fuzz target: embeddings::ReadVectors on word2vec binary (the text header, then raw float32 rows).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/vector_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wordspace::fuzz::FuzzVectorFile(data, size, wordspace::embeddings::VectorFormat::kBinary);
  return 0;
}
