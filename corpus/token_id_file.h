// TokenIdFile: a corpus encoded once as vocabulary ids, in an unlinked temporary file, so that
// training epochs and worker threads read compact ids by offset instead of decompressing and
// tokenizing the text again (gzip cannot be split by offset; ids can). The file lives in
// $TMPDIR (default /tmp); it is unlinked at creation, so nothing is left behind even on a crash,
// and it sits in the page cache rather than in the process's memory.
//
// Layout: uint32 ids, with kSentenceEnd after every sentence (a line, or a piece of at most
// kMaxSentenceWords words of a longer line). Words outside the vocabulary are dropped, or kept
// as kUnknownId when EncodeOptions::keep_unknown is set.
//
//   ASSIGN_OR_RETURN(TokenIdFile ids, TokenIdFile::Encode("corpus.txt.gz", {}));
//   std::vector<uint32_t> chunk(1 << 16);
//   RETURN_IF_ERROR(ids.Read(0, chunk.size(), chunk.data()));
#ifndef WORDSPACE_CORPUS_TOKEN_ID_FILE_H_
#define WORDSPACE_CORPUS_TOKEN_ID_FILE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "corpus/vocabulary.h"

namespace wordspace::corpus {

inline constexpr uint32_t kSentenceEnd = 0xFFFFFFFFu;
inline constexpr uint32_t kUnknownId = 0xFFFFFFFEu;

struct EncodeOptions {
  CorpusOptions corpus;
  VocabOptions vocab;
  bool keep_unknown = false;  // out-of-vocabulary words become kUnknownId instead of vanishing
  // When set and it turns true (another thread's Ctrl-C, as in the Python package), reading
  // stops within 4,096 sentences with Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

class TokenIdFile {
 public:
  // Encodes `path` in a single read of the text. Without `fixed_vocab` the vocabulary is built
  // from the same pass (words get provisional ids first, then are renumbered in vocabulary
  // order); with it, that vocabulary is used as is. Errors name `path`.
  [[nodiscard]] static absl::StatusOr<TokenIdFile> Encode(const std::string& path,
                                                          const EncodeOptions& options,
                                                          const Vocabulary* fixed_vocab = nullptr,
                                                          const ReadProgress& progress = {});

  TokenIdFile(TokenIdFile&& other) noexcept;
  TokenIdFile& operator=(TokenIdFile&& other) noexcept;
  ~TokenIdFile();

  const Vocabulary& vocab() const { return vocab_; }
  // The corpus it was encoded from.
  const std::string& path() const { return path_; }
  const CorpusStats& stats() const { return stats_; }
  // Entries in the file: kept tokens plus one kSentenceEnd per sentence.
  uint64_t size() const { return size_; }
  // Tokens kept (entries that are not kSentenceEnd).
  uint64_t tokens() const { return size_ - sentence_ends_; }

  // OK when there are tokens to train on. Otherwise InvalidArgument naming the corpus: for a
  // vocabulary built from it, CheckNotEmpty's counts; for a fixed one, how many words were read
  // and that none is in the vocabulary.
  [[nodiscard]] absl::Status CheckHasTokens() const;

  // Reads entries [begin, begin + count) into `out`; safe to call from several threads.
  [[nodiscard]] absl::Status Read(uint64_t begin, size_t count, uint32_t* out) const;

 private:
  TokenIdFile() = default;

  int fd_ = -1;
  std::string path_;
  bool fixed_vocab_ = false;
  Vocabulary vocab_;
  CorpusStats stats_;
  uint64_t size_ = 0;
  uint64_t sentence_ends_ = 0;
};

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_TOKEN_ID_FILE_H_
