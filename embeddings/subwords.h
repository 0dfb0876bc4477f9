// Subword (character n-gram) vectors, fastText's (Bojanowski et al., 2017): a word is written in
// brackets, "<where>", and every n-gram of `minn`..`maxn` code points of it ("<wh", "whe", ...,
// "ere>", up to "<where>" itself when short enough) is hashed with 32-bit FNV-1a into one of
// `bucket` rows shared by all words. A word's input vector is the mean of its own row and its
// n-grams' rows, so words that share a suffix share part of their vector, and a word the corpus
// never had still gets one from its n-grams.
//
// Everything here follows fastText's dictionary.cc bit for bit, so that a model's rows mean the
// same in both tools: the hash XORs each byte *sign-extended* (fastText casts to int8_t), code
// points are found by skipping UTF-8 continuation bytes (0b10xxxxxx) and nothing else, single
// bracket n-grams ("<", ">") are left out, and a word's n-gram rows follow the `words` word rows
// (row words + hash % bucket).
//
// The trainer reads and updates those rows through SubwordRows (input_rows.h).
//
//   SubwordTable table = SubwordTable::Build(vocab.words(), {.minn = 3, .maxn = 6});
//   for (const uint32_t* row = table.begin(word); row != table.end(word); ++row) ...
#ifndef WORDSPACE_EMBEDDINGS_SUBWORDS_H_
#define WORDSPACE_EMBEDDINGS_SUBWORDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>


namespace wordspace::embeddings {

// fastText's end-of-line token, a word of its vocabulary with no n-grams.
inline constexpr std::string_view kEndOfLineWord = "</s>";

struct SubwordOptions {
  int minn = 3;  // shortest n-gram, in code points
  int maxn = 6;  // longest; 0 turns subwords off
  int bucket = 2000000;
};

// fastText's n-gram hash: 32-bit FNV-1a over the bytes, each XORed sign-extended.
inline uint32_t FastTextHash(std::string_view text) {
  uint32_t h = 2166136261u;
  for (char c : text) {
    h ^= static_cast<uint32_t>(static_cast<int8_t>(c));
    h *= 16777619u;
  }
  return h;
}

// Calls fn(ngram) for every n-gram of minn..maxn code points of "<" + word + ">", in fastText's
// order (by start, then by length), the single-character "<" and ">" left out.
template <typename Fn>
inline void ForEachCharNgram(std::string_view word, int minn, int maxn, Fn&& fn) {
  std::string bracketed;
  bracketed.reserve(word.size() + 2);
  bracketed.push_back('<');
  bracketed.append(word);
  bracketed.push_back('>');
  const std::string_view s = bracketed;
  auto continuation = [&](size_t i) { return (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80; };
  for (size_t i = 0; i < s.size(); ++i) {
    if (continuation(i)) continue;
    size_t j = i;
    for (int n = 1; j < s.size() && n <= maxn; ++n) {
      ++j;
      while (j < s.size() && continuation(j)) ++j;
      if (n >= minn && !(n == 1 && (i == 0 || j == s.size()))) fn(s.substr(i, j - i));
    }
  }
}

// The n-grams themselves, for tests and explanations.
std::vector<std::string> CharNgrams(std::string_view word, int minn, int maxn);

// The rows of each vocabulary word: its own (row = word id) and then its n-grams'
// (words + FastTextHash(ngram) % bucket, repeats kept, as fastText keeps them), in one array.
class SubwordTable {
 public:
  SubwordTable() = default;
  static SubwordTable Build(const std::vector<std::string>& words, const SubwordOptions& options);

  // Rows of the input matrix: words + bucket.
  size_t rows() const { return words_ + bucket_; }
  size_t words() const { return words_; }
  const SubwordOptions& options() const { return options_; }
  const uint32_t* begin(uint32_t word) const { return ids_.data() + offsets_[word]; }
  const uint32_t* end(uint32_t word) const { return ids_.data() + offsets_[word + 1]; }
  // The n-gram rows of a word that need not be in the vocabulary (fastText's answer for an
  // unknown word: the mean of these, or zero when there are none).
  std::vector<uint32_t> NgramRows(std::string_view word) const;

 private:
  SubwordOptions options_;
  size_t words_ = 0;
  size_t bucket_ = 0;
  std::vector<uint64_t> offsets_;  // words + 1
  std::vector<uint32_t> ids_;
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SUBWORDS_H_
