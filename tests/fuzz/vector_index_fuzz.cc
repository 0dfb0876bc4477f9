// Fuzz target: saved index files (embeddings::VectorIndex::Load), then one neighbour query.
// An index file belongs to its vectors (its header holds their content hash), so the target
// loads it for the fixture tests/data/gensim_vectors.txt, as `neighbors --index F` would, under
// each factory its seeds were made with. The input is an index file without its final CRC-32,
// which the target appends (fuzz_input.h says why): the checksum is the defence against a
// damaged file, and this target looks behind it, at the header checks and FAISS's reader.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "base/check.h"
#include "embeddings/vector_index.h"
#include "embeddings/vector_io.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

const wordspace::embeddings::WordVectors& Vectors() {
  static const auto* vectors = [] {
    absl::StatusOr<wordspace::embeddings::WordVectors> v =
        wordspace::embeddings::ReadVectors(WORDSPACE_FUZZ_INDEX_VECTORS);
    if (!v.ok()) {
      std::fprintf(stderr, "%s\n", v.status().ToString().c_str());
      std::abort();
    }
    return new wordspace::embeddings::WordVectors(*std::move(v));
  }();
  return *vectors;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  const std::string& path = fuzz::InputPath(fuzz::WithCrc32(data, size));
  for (const char* factory : {"Flat", "HNSW32", "IVF2,Flat"}) {
    embeddings::IndexOptions options;
    options.factory = factory;
    options.threads = 1;
    absl::StatusOr<embeddings::VectorIndex> index =
        embeddings::VectorIndex::Load(Vectors(), path, options);
    if (!index.ok()) continue;
    CHECK(index->size() == Vectors().size());
    absl::StatusOr<std::vector<embeddings::Neighbor>> near = index->NeighborsOf("cat", 2);
    if (!near.ok()) std::fprintf(stderr, "%s: %s\n", factory, near.status().ToString().c_str());
    CHECK(near.ok() && near->size() <= 2);
  }
  return 0;
}
