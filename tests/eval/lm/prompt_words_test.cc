// lm-generate's and lm-score's unknown-word notes: the words a model does not know are named,
// with the lowercase form when the vocabulary is lowercase and has it.
#include "eval/lm/prompt_words.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/testing/tiny_lm.h"

namespace wordspace::eval {
namespace {

using transformer::kUnkId;
using transformer::LanguageModel;

const std::vector<std::string> kLower = {"<unk>", "</s>", "the", "capital", "of", "poland", "is"};

TEST_CASE("unknown prompt words are named, with the lowercase form a lowercase model knows",
          "[eval][lm][prompt]") {
  LanguageModel lm = testing::TinyLmWithWords(kLower);
  CHECK(IsLowercaseVocabulary(lm));
  PromptWords words = ReadPromptWords(lm, "The capital of Poland is Warsaw, The end");
  CHECK(words.tokens ==
        std::vector<std::string>{"The", "capital", "of", "Poland", "is", "Warsaw,", "The", "end"});
  CHECK(words.ids == std::vector<int32_t>{kUnkId, 3, 4, kUnkId, 6, kUnkId, kUnkId, kUnkId});
  REQUIRE(words.unknown.size() == 4);  // "The" once
  CHECK(words.unknown[0].word == "The");
  CHECK(words.unknown[0].lowercase == "the");
  CHECK(words.unknown[1].lowercase == "poland");
  CHECK(words.unknown[2].lowercase.empty());  // "warsaw," is not known either
  CHECK(DescribeUnknownWords(words) ==
        "4 prompt words are not in the vocabulary (read as <unk>): 'The', 'Poland', 'Warsaw,', "
        "'end'; the model's vocabulary is lowercase and has 'the', 'poland': write the prompt "
        "in lowercase");
  CHECK(DescribeUnknownWords(ReadPromptWords(lm, "the capital")).empty());
  CHECK(DescribeUnknownWords(ReadPromptWords(lm, "the Rome"), "sentence") ==
        "1 sentence word is not in the vocabulary (read as <unk>): 'Rome'; the model's "
        "vocabulary is lowercase");
  // "<unk>" typed as such is the unknown-word token, not an unknown word.
  CHECK(ReadPromptWords(lm, "<unk> is").unknown.empty());

  // A cased vocabulary: the lowercase form is still worth naming, but not as a case policy.
  std::vector<std::string> cased = kLower;
  cased.push_back("Warsaw");
  LanguageModel mixed = testing::TinyLmWithWords(cased);
  CHECK_FALSE(IsLowercaseVocabulary(mixed));
  CHECK(DescribeUnknownWords(ReadPromptWords(mixed, "The warsaw")) ==
        "2 prompt words are not in the vocabulary (read as <unk>): 'The', 'warsaw'; the "
        "vocabulary has 'the'");
  // A model that lowercases its input meets no capitals: "The" is "the".
  LanguageModel folding = testing::TinyLmWithWords(kLower, 8, /*lowercases=*/true);
  CHECK_FALSE(IsLowercaseVocabulary(folding));
  CHECK(ReadPromptWords(folding, "The capital").unknown.empty());
}

}  // namespace
}  // namespace wordspace::eval
