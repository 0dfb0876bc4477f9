// Word-vector files, byte-compatible with word2vec.c and gensim's load_word2vec_format:
// - text: a `V D` header line, then `word f1 ... fD` per line (fastText's .vec too);
// - binary: the same header, then per row `word`, a space, D little-endian float32 and '\n'
//   (rows without the '\n', as gensim writes them, read too);
// - GloVe text: rows as in the text format, with no header (read only);
// - fastText's full model (.bin, fasttext_model.h; read only): its vocabulary's vectors, and
//   vectors for words outside it from their character n-grams (WordVectors::NgramVector).
// Files may be gzip-compressed (read: detected by content; written: when the name ends in
// ".gz", as in `vectors.bin.gz`). Rows keep the file's order.
//
//   ASSIGN_OR_RETURN(WordVectors v, ReadVectors("vectors.bin"));        // format detected
//   RETURN_IF_ERROR(WriteVectors(v, "vectors.txt", VectorFormat::kText));  // atomic
#ifndef WORDSPACE_EMBEDDINGS_VECTOR_IO_H_
#define WORDSPACE_EMBEDDINGS_VECTOR_IO_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"

namespace wordspace::embeddings {

enum class VectorFormat { kAuto, kText, kBinary, kGlove, kFastText };

// "auto", "text", "binary"/"bin", "glove", "fasttext"; InvalidArgument otherwise.
[[nodiscard]] absl::StatusOr<VectorFormat> ParseVectorFormat(const std::string& name);
// The format an output file name asks for: `.bin` is binary, anything else text.
VectorFormat FormatFromExtension(const std::string& path);
const char* VectorFormatName(VectorFormat format);

// Reads a vector file. kAuto detects the format from the content. `max_rows` > 0 reads only
// the first rows (as gensim's `limit`). NotFound for a missing file; InvalidArgument/DataLoss
// name the file and the line (text) or row (binary) of a malformed entry.
[[nodiscard]] absl::StatusOr<WordVectors> ReadVectors(const std::string& path,
                                                      VectorFormat format = VectorFormat::kAuto,
                                                      int64_t max_rows = 0);

// Writes text (shortest round-trip decimal floats) or binary; atomically (temporary file, then
// rename), so a failure never leaves a partial file under `path`; gzip-compressed when `path`
// ends in ".gz". kGlove writes text rows with no header.
[[nodiscard]] absl::Status WriteVectors(const WordVectors& vectors, const std::string& path,
                                        VectorFormat format);

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_VECTOR_IO_H_
