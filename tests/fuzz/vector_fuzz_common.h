// The body of the vector-file targets: read the input as `format` and check what a successful
// read promises (one row of dim floats per word), so a reader that returns inconsistent vectors
// is a finding too, not only one that crashes.
#ifndef WORDSPACE_TESTS_FUZZ_VECTOR_FUZZ_COMMON_H_
#define WORDSPACE_TESTS_FUZZ_VECTOR_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "base/check.h"
#include "embeddings/vector_io.h"
#include "tests/fuzz/fuzz_input.h"

namespace wordspace::fuzz {

inline void FuzzVectorFile(const uint8_t* data, size_t size, embeddings::VectorFormat format) {
  const std::string& path = InputPath(data, size);
  absl::StatusOr<embeddings::WordVectors> vectors = embeddings::ReadVectors(path, format);
  if (!vectors.ok()) {
    CHECK(!vectors.status().message().empty());
    return;
  }
  CHECK(vectors->dim() > 0);
  CHECK(vectors->values().size() == static_cast<size_t>(vectors->size()) * vectors->dim());
  // gensim's `limit`: the first row alone must read as the first row of the whole file.
  if (vectors->size() > 1) {
    absl::StatusOr<embeddings::WordVectors> first = embeddings::ReadVectors(path, format, 1);
    CHECK(first.ok());
    CHECK(first->size() == 1 && first->word(0) == vectors->word(0));
  }
}

}  // namespace wordspace::fuzz

#endif  // WORDSPACE_TESTS_FUZZ_VECTOR_FUZZ_COMMON_H_
