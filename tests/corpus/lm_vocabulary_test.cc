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

TEST_CASE("The front layout is the transformer checkpoints' ids", "[corpus]") {
  const LmLayout front(SpecialWordsAt::kFront, 3);
  CHECK(front.Words({"x", "y", "z"}) == std::vector<std::string>{"<unk>", "</s>", "x", "y", "z"});
  CHECK(front.unk_id() == 0);
  CHECK(front.eos_id() == 1);
  CHECK(front.size() == 5);
  CHECK(front.FromTokenId(0) == 2);
  CHECK(front.FromTokenId(2) == 4);
  CHECK(front.FromTokenId(kUnknownId) == 0);
  CHECK(front.FromTokenId(kSentenceEnd) == 1);
}

TEST_CASE("The back layout is the n-gram model files' ids", "[corpus]") {
  const LmLayout back(SpecialWordsAt::kBack, 3);
  CHECK(back.Words({"x", "y", "z"}) == std::vector<std::string>{"x", "y", "z", "<unk>", "</s>"});
  CHECK(back.unk_id() == 3);
  CHECK(back.eos_id() == 4);
  CHECK(back.size() == 5);
  CHECK(back.FromTokenId(0) == 0);
  CHECK(back.FromTokenId(2) == 2);
  CHECK(back.FromTokenId(kUnknownId) == 3);
  CHECK(back.FromTokenId(kSentenceEnd) == 4);
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
