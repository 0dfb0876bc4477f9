// The word2vec.c vocabulary file: one `word count` per line, in id order (as `-save-vocab`
// writes and `-read-vocab` reads).
#ifndef WORDSPACE_CORPUS_VOCABULARY_IO_H_
#define WORDSPACE_CORPUS_VOCABULARY_IO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "corpus/vocabulary.h"

namespace wordspace::corpus {

// Writes atomically (temporary file, then rename); gzip-compressed when `path` ends in ".gz".
[[nodiscard]] absl::Status WriteVocabulary(const Vocabulary& vocab, const std::string& path);

// Reads a vocabulary file; rows are re-sorted by descending count (ties by word) and filtered
// by `options`, as a vocabulary built from a corpus would be. InvalidArgument names the file and
// line of a malformed row, or (CheckNotEmpty) says what was counted when no row is kept.
[[nodiscard]] absl::StatusOr<Vocabulary> ReadVocabulary(const std::string& path,
                                                        const VocabOptions& options);

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_VOCABULARY_IO_H_
