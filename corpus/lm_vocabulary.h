// The vocabulary of a language model, the transformer's and the n-gram baselines' alike: the N
// most frequent words ("plain" words) plus two special words, `<unk>` (every word outside the
// N) and `</s>` (the end of a line, as in word2vec.c). This is the one definition of those two
// words and of where their ids go.
//
// Two layouts exist on disk and both stay, because checkpoints and model files already written
// must read the same: the transformer puts the specials first (<unk> = 0, </s> = 1, plain word
// i at i + 2: SpecialWordsAt::kFront), the n-gram models last (plain word i at i, <unk> = N,
// </s> = N + 1: kBack; the n-gram file stores both ids, so it reads any layout). LmLayout maps
// between them and the token-id file's ids (plain index, kUnknownId, kSentenceEnd).
//
//   std::vector<std::string> plain = PlainWords(vectors.words(), 20000);  // specials dropped
//   LmLayout layout(SpecialWordsAt::kFront, plain.size());
//   std::vector<std::string> words = layout.Words(plain);  // "<unk>", "</s>", plain...
//   int32_t id = layout.FromTokenId(corpus_id);           // a TokenIdFile id -> model id
#ifndef WORDSPACE_CORPUS_LM_VOCABULARY_H_
#define WORDSPACE_CORPUS_LM_VOCABULARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/token_id_file.h"

namespace wordspace::corpus {

inline constexpr char kUnknownWord[] = "<unk>";
inline constexpr char kEndOfLineWord[] = "</s>";

// True for "<unk>" and "</s>": a source (vector file, vocabulary file, corpus) that spells them
// literally does not make them plain words.
inline bool IsSpecialWord(std::string_view word) {
  return word == kUnknownWord || word == kEndOfLineWord;
}

enum class SpecialWordsAt {
  kFront,  // <unk> = 0, </s> = 1, then the plain words: transformer checkpoints
  kBack,   // the plain words, then <unk> = N, </s> = N + 1: n-gram models
};

// The id layout of a vocabulary of `num_plain` plain words and the two specials.
class LmLayout {
 public:
  constexpr LmLayout(SpecialWordsAt at, int64_t num_plain)
      : unk_id_(at == SpecialWordsAt::kFront ? 0 : static_cast<int32_t>(num_plain)),
        eos_id_(unk_id_ + 1),
        first_plain_(at == SpecialWordsAt::kFront ? 2 : 0),
        size_(static_cast<int32_t>(num_plain) + 2) {}

  constexpr int32_t unk_id() const { return unk_id_; }
  constexpr int32_t eos_id() const { return eos_id_; }
  // The id of plain word i (0-based, in frequency order).
  constexpr int32_t PlainId(int64_t i) const { return first_plain_ + static_cast<int32_t>(i); }
  constexpr int32_t size() const { return size_; }  // V = N + 2

  // A token-id file id (a plain word's index, kUnknownId or kSentenceEnd) -> this layout's id.
  constexpr int32_t FromTokenId(uint32_t id) const {
    return id == kSentenceEnd ? eos_id_ : id == kUnknownId ? unk_id_ : PlainId(id);
  }

  // All words by id: the plain words (num_plain of them) and the specials in their places.
  std::vector<std::string> Words(const std::vector<std::string>& plain) const;

 private:
  int32_t unk_id_, eos_id_, first_plain_, size_;
};

// The first `max_plain` words of `ranked` that are not special (all of them when
// max_plain <= 0), in order.
std::vector<std::string> PlainWords(const std::vector<std::string>& ranked, int64_t max_plain);

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_LM_VOCABULARY_H_
