// Fuzz target: embeddings::ReadVectors on word2vec text (a `V D` header, then
// `word f1 ... fD` rows).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/vector_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wordspace::fuzz::FuzzVectorFile(data, size, wordspace::embeddings::VectorFormat::kText);
  return 0;
}
