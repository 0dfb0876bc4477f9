// SentenceReader: the corpus as a stream of sentences of tokens. A line end ends a sentence,
// and a longer line is cut into sentences of at most kMaxSentenceWords words, as word2vec.c
// does. Combines TextReader (plain, gzip or stdin) with Tokenizer.
//
//   ASSIGN_OR_RETURN(auto reader, SentenceReader::Open(path, corpus_options));
//   std::vector<std::string_view> sentence;
//   while (true) {
//     ASSIGN_OR_RETURN(bool got, reader->Next(&sentence));
//     if (!got) break;
//   }
#ifndef WORDSPACE_CORPUS_SENTENCE_READER_H_
#define WORDSPACE_CORPUS_SENTENCE_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/text_reader.h"
#include "corpus/tokenizer.h"

namespace wordspace::corpus {

inline constexpr size_t kMaxSentenceWords = 1000;

struct CorpusOptions {
  TokenizerOptions tokenizer;
  // Invalid UTF-8 is an InvalidArgument error naming the file and byte offset, instead of being
  // dropped and counted.
  bool strict_utf8 = false;
  // Read the input even when its start does not look like a text corpus (corpus/file_kind.h:
  // a word-vector file, a checkpoint, binary data); by default Open refuses it.
  bool force = false;
};

class SentenceReader {
 public:
  // Opens the corpus and checks its kind on the bytes it peeks at (so standard input, which
  // cannot be read twice, is checked too): a file that is not text is InvalidArgument naming
  // it, what it is and where it goes, unless options.force (CheckKind, FileRole::kCorpus).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SentenceReader>> Open(
      const std::string& path, const CorpusOptions& options);

  // Fills *words with the next non-empty sentence; the views stay valid until the next call.
  // Returns false at the end of the corpus.
  [[nodiscard]] absl::StatusOr<bool> Next(std::vector<std::string_view>* words);

  // True when the sentence last returned was the final piece of its line.
  bool at_line_end() const { return next_word_ >= line_words_.size(); }
  uint64_t invalid_utf8_bytes() const { return invalid_utf8_bytes_; }
  double FractionRead() const { return text_->FractionRead(); }
  const std::string& path() const { return text_->path(); }

 private:
  SentenceReader(std::unique_ptr<TextReader> text, const CorpusOptions& options)
      : text_(std::move(text)), options_(options), tokenizer_(options.tokenizer) {}

  std::unique_ptr<TextReader> text_;
  CorpusOptions options_;
  Tokenizer tokenizer_;
  std::string line_;
  std::vector<std::string_view> line_words_;
  size_t next_word_ = 0;
  uint64_t invalid_utf8_bytes_ = 0;
};

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_SENTENCE_READER_H_
