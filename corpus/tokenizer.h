// Tokenizer: splits one line of UTF-8 text into words on white space, optionally lowercasing,
// turning punctuation into separators and making each CJK character a token of its own (so
// Chinese or Japanese text trains without a separate segmenter). Words are never cut inside a
// UTF-8 character. Invalid UTF-8 bytes are dropped and counted; with `strict` the first one is
// reported instead.
//
//   Tokenizer tok({.lowercase = true});
//   std::vector<std::string_view> words;
//   tok.Tokenize("The cat sat.", &words);   // {"the", "cat", "sat."}
#ifndef WORDSPACE_CORPUS_TOKENIZER_H_
#define WORDSPACE_CORPUS_TOKENIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wordspace::corpus {

struct TokenizerOptions {
  bool lowercase = false;    // ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals
  bool strip_punct = false;  // ASCII and Unicode punctuation become word separators
  bool split_cjk = false;    // each CJK ideograph or kana is a token
};

class Tokenizer {
 public:
  explicit Tokenizer(TokenizerOptions options) : options_(options) {}

  // Splits `line` into `words`, which point into this Tokenizer's own buffer (or into `line`)
  // and stay valid until the next call. Returns the number of invalid UTF-8 bytes dropped;
  // `first_invalid`, when not null, receives the byte offset in `line` of the first one.
  size_t Tokenize(std::string_view line, std::vector<std::string_view>* words,
                  size_t* first_invalid = nullptr);

 private:
  TokenizerOptions options_;
  std::string normalized_;
  std::vector<std::pair<size_t, size_t>> spans_;  // (offset, size) of each token
};

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_TOKENIZER_H_
