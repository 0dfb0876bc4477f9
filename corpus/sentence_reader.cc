#include "corpus/sentence_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "corpus/file_kind.h"

namespace wordspace::corpus {

absl::StatusOr<std::unique_ptr<SentenceReader>> SentenceReader::Open(
    const std::string& path, const CorpusOptions& options) {
  absl::StatusOr<std::unique_ptr<TextReader>> text = TextReader::Open(path);
  if (!text.ok()) return text.status();
  // The sniff sees the reader's own buffer, which the first ReadLine then hands out.
  absl::StatusOr<std::string_view> start = (*text)->Peek(kSniffBytes);
  if (!start.ok()) return start.status();
  const FileSniff sniff = SniffContent(*start, start->size() < kSniffBytes, (*text)->is_gzip());
  if (absl::Status s = CheckKind(path, sniff, FileRole::kCorpus, options.force); !s.ok()) {
    return s;
  }
  return std::unique_ptr<SentenceReader>(new SentenceReader(std::move(*text), options));
}

absl::StatusOr<bool> SentenceReader::Next(std::vector<std::string_view>* words) {
  while (next_word_ >= line_words_.size()) {
    absl::StatusOr<bool> got = text_->ReadLine(&line_);
    if (!got.ok()) return got.status();
    if (!*got) return false;
    size_t first_invalid = 0;
    size_t invalid = tokenizer_.Tokenize(line_, &line_words_, &first_invalid);
    if (invalid > 0) {
      if (options_.strict_utf8) {
        return absl::InvalidArgumentError(absl::StrCat(
            text_->path(), ": invalid UTF-8 at byte offset ", text_->line_offset() + first_invalid,
            " (line ", text_->line_number(),
            "); convert the file to UTF-8 (iconv) or drop --strict to skip bad bytes"));
      }
      invalid_utf8_bytes_ += invalid;
    }
    next_word_ = 0;
  }
  size_t count = std::min(kMaxSentenceWords, line_words_.size() - next_word_);
  words->assign(line_words_.begin() + next_word_, line_words_.begin() + next_word_ + count);
  next_word_ += count;
  return true;
}

}  // namespace wordspace::corpus
