// lm-generate's and lm-score's unknown-word notes: the words a model does not know are named,
// with the lowercase form when the vocabulary is lowercase and has it.
#include "eval/lm/prompt_words.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/testing/tiny_lm.h"

namespace wordspace::eval {
namespace {

using transformer::kUnkId;
using transformer::LanguageModel;

const std::vector<std::string> kLower = {"<unk>", "</s>", "the", "capital", "of", "poland", "is"};

// Words read only as spelled (--case-sensitive): what the notes say of each unknown word.
PromptWords ReadExactly(const LanguageModel& lm, std::string_view line) {
  return ReadPromptWords(lm, line, IsLowercaseVocabulary(lm), /*case_sensitive=*/true);
}

TEST_CASE("unknown prompt words are named, with the lowercase form a lowercase model knows",
          "[eval][lm][prompt]") {
  LanguageModel lm = testing::TinyLmWithWords(kLower);
  CHECK(IsLowercaseVocabulary(lm));
  PromptWords words = ReadExactly(lm, "The capital of Poland is Warsaw, The end");
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
  CHECK(DescribeUnknownWords(ReadExactly(lm, "the capital")).empty());
  CHECK(DescribeUnknownWords(ReadExactly(lm, "the Rome"), "sentence") ==
        "1 sentence word is not in the vocabulary (read as <unk>): 'Rome'; the model's "
        "vocabulary is lowercase");
  // "<unk>" typed as such is the unknown-word token, not an unknown word.
  CHECK(ReadExactly(lm, "<unk> is").unknown.empty());

  // A cased vocabulary: the lowercase form is still worth naming, but not as a case policy.
  std::vector<std::string> cased = kLower;
  cased.push_back("Warsaw");
  LanguageModel mixed = testing::TinyLmWithWords(cased);
  CHECK_FALSE(IsLowercaseVocabulary(mixed));
  CHECK(DescribeUnknownWords(ReadExactly(mixed, "The warsaw")) ==
        "2 prompt words are not in the vocabulary (read as <unk>): 'The', 'warsaw'; the "
        "vocabulary has 'the'");
  // A model that lowercases its input meets no capitals: "The" is "the".
  LanguageModel folding = testing::TinyLmWithWords(kLower, 8, /*lowercases=*/true);
  CHECK_FALSE(IsLowercaseVocabulary(folding));
  CHECK(ReadExactly(folding, "The capital").unknown.empty());
}

TEST_CASE("by default a word the vocabulary lacks as spelled is read in lowercase",
          "[eval][lm][prompt]") {
  LanguageModel lm = testing::TinyLmWithWords(kLower);
  PromptWords words = ReadPromptWords(lm, "The capital of Poland is Warsaw, The end");
  CHECK(words.ids == std::vector<int32_t>{2, 3, 4, 5, 6, kUnkId, 2, kUnkId});
  CHECK(words.tokens[0] == "The");  // the words stay as typed
  CHECK(words.lowercased == std::vector<std::pair<std::string, std::string>>{
                                {"The", "the"}, {"Poland", "poland"}});
  REQUIRE(words.unknown.size() == 2);
  CHECK(words.unknown[0].word == "Warsaw,");
  CHECK(words.unknown[1].word == "end");
  // The exact spelling wins when the vocabulary has both.
  std::vector<std::string> cased = kLower;
  cased.push_back("Poland");
  LanguageModel mixed = testing::TinyLmWithWords(cased);
  PromptWords exact = ReadPromptWords(mixed, "Poland poland");
  CHECK(exact.ids == std::vector<int32_t>{7, 5});
  CHECK(exact.lowercased.empty());
}

TEST_CASE("inspect's case policy: words the model has only in lowercase are read that way",
          "[eval][lm][prompt]") {
  LanguageModel lm = testing::TinyLmWithWords(kLower);
  std::vector<std::pair<std::string, std::string>> lowercased;
  CHECK(TextInModelCase(lm, "The capital of Poland  is Warsaw", &lowercased) ==
        "the capital of poland is Warsaw");
  CHECK(lowercased == std::vector<std::pair<std::string, std::string>>{{"The", "the"},
                                                                       {"Poland", "poland"}});
  lowercased.clear();
  // Nothing to change: the text as given, spacing and all.
  CHECK(TextInModelCase(lm, "the  capital", &lowercased) == "the  capital");
  CHECK(lowercased.empty());
  bool folded = true;
  CHECK(WordInModelCase(lm, "capital", &folded) == "capital");
  CHECK_FALSE(folded);
  CHECK(WordInModelCase(lm, "Poland", &folded) == "poland");
  CHECK(folded);
  CHECK(WordInModelCase(lm, "Warsaw", &folded) == "Warsaw");  // unknown either way: as given
  CHECK_FALSE(folded);
  CHECK(WordInModelCase(lm, "<unk>", &folded) == "<unk>");
  CHECK_FALSE(folded);
}

}  // namespace
}  // namespace wordspace::eval
