// The one definition of <unk> and </s> and the two id layouts built from it: the transformer's
// (specials first) and the n-gram models' (specials last), as the files already written hold.
#include "corpus/lm_vocabulary.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace wordspace::corpus {
namespace {

TEST_CASE("PlainWords drops the special words and keeps the first N others", "[corpus]") {
  const std::vector<std::string> ranked = {"the", "</s>", "a", "<unk>", "cat", "sat"};
  CHECK(PlainWords(ranked, 3) == std::vector<std::string>{"the", "a", "cat"});
  CHECK(PlainWords(ranked, 0) == std::vector<std::string>{"the", "a", "cat", "sat"});
  CHECK(PlainWords(ranked, 10) == std::vector<std::string>{"the", "a", "cat", "sat"});
  CHECK(IsSpecialWord("<unk>"));
  CHECK(IsSpecialWord("</s>"));
  CHECK(!IsSpecialWord("<s>"));
  CHECK(!IsSpecialWord("<UNK>"));
}

TEST_CASE("The front layout is the checkpoints' ids, the back one the n-gram files'", "[corpus]") {
  struct Expected {
    SpecialWordsAt at;
    std::vector<std::string> words;
    int32_t unk, eos;
    std::vector<int32_t> plain_ids;  // of token ids 0, 1, 2
  };
  for (const Expected& e : {
           Expected{SpecialWordsAt::kFront, {"<unk>", "</s>", "x", "y", "z"}, 0, 1, {2, 3, 4}},
           Expected{SpecialWordsAt::kBack, {"x", "y", "z", "<unk>", "</s>"}, 3, 4, {0, 1, 2}},
       }) {
    INFO("front " << (e.at == SpecialWordsAt::kFront));
    const LmLayout layout(e.at, 3);
    CHECK(layout.Words({"x", "y", "z"}) == e.words);
    CHECK(layout.unk_id() == e.unk);
    CHECK(layout.eos_id() == e.eos);
    CHECK(layout.size() == 5);
    for (uint32_t i = 0; i < 3; ++i) CHECK(layout.FromTokenId(i) == e.plain_ids[i]);
    CHECK(layout.FromTokenId(kUnknownId) == e.unk);
    CHECK(layout.FromTokenId(kSentenceEnd) == e.eos);
  }
}

TEST_CASE("The two layouts map every word to the same word", "[corpus]") {
  const std::vector<std::string> plain = {"a", "b", "c", "d"};
  const LmLayout front(SpecialWordsAt::kFront, 4), back(SpecialWordsAt::kBack, 4);
  const std::vector<std::string> fw = front.Words(plain), bw = back.Words(plain);
  for (uint32_t token : {0u, 1u, 2u, 3u, kUnknownId, kSentenceEnd}) {
    INFO("token id " << token);
    CHECK(fw[front.FromTokenId(token)] == bw[back.FromTokenId(token)]);
  }
}

}  // namespace
}  // namespace wordspace::corpus
