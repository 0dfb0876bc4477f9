// The file format of a saved VectorIndex (internal to embeddings_index):
//
//   magic "WSVINDEX", u32 version (2), u32 dimension, i64 vector count, i64 searchable rows,
//   u64 content hash of the vectors, string factory, u64 n + n bytes of FAISS's write_index,
//   u32 CRC-32 of everything before it (base/binary_io.h's field conventions).
//
// Reading never hands FAISS a byte it has not checked: the checksum first, then the header
// against the vectors it is meant for, then a walk of the FAISS blob for the layouts wordspace
// writes (every length against the bytes that follow), and after FAISS has read it, the loaded
// structure (graph links, list ids) against the row count.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<faiss::Index> faiss, ReadIndexFile(path, expected));
#ifndef WORDSPACE_EMBEDDINGS_VECTOR_INDEX_IO_H_
#define WORDSPACE_EMBEDDINGS_VECTOR_INDEX_IO_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"

namespace faiss {
struct Index;
}

namespace wordspace::embeddings {

// The header fields of an index file: what the index was built for.
struct IndexFileHeader {
  int dim = 0;
  int64_t count = 0;       // rows of the vector file
  int64_t searchable = 0;  // rows in the FAISS index (the first `searchable` rows)
  uint64_t content_hash = 0;
  std::string factory;
};

// CRC-32 of the words (each followed by '\n') in the high half, of the float values in the
// low half: a file built for other vectors of the same shape is recognised as stale. An index
// file hashes its vectors at unit length (VectorIndex::Save and Load).
uint64_t ContentHash(const WordVectors& vectors);

// Writes `header` and `index` to `path` atomically. Internal when FAISS cannot serialise the
// index; the output file's errors otherwise.
[[nodiscard]] absl::Status WriteIndexFile(const std::string& path, const IndexFileHeader& header,
                                          const faiss::Index& index);

// Reads the FAISS index of `path`, which must have been written for `expected` (all fields).
// NotFound for a missing file; DataLoss for a corrupt one (bad magic, checksum, a FAISS blob
// that is damaged or inconsistent); FailedPrecondition for another format version, a stale file
// (count, dimension or content hash differ: "stale index") or another index ("a different
// index": factory or searchable rows differ). Every message names `path` and says to delete the
// file so that it is rebuilt.
[[nodiscard]] absl::StatusOr<std::unique_ptr<faiss::Index>> ReadIndexFile(
    const std::string& path, const IndexFileHeader& expected);

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_VECTOR_INDEX_IO_H_
