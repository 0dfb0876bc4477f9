// eval/lm/next_words.h: lm-generate's answer to one prompt and its JSON (the web server's
// /api/lm/next gives the same): the prompt read after </s>, the top-k from the model's own
// TopK, a sample that depends only on the seed, and the keys of the JSON key scheme.
#include "eval/lm/next_words.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/testing/tiny_lm.h"

namespace wordspace::eval {
namespace {

const std::vector<std::string> kWords = {"<unk>", "</s>", "the", "cat", "sat", "on", "mat"};

TEST_CASE("next words: the model's top-k after </s> and the prompt, and a seeded sample",
          "[eval][lm]") {
  transformer::LanguageModel lm = testing::TinyLmWithWords(kWords);
  NextWordsOptions options;
  options.k = 3;
  NextWords next = PredictNextWords(lm, "the Cat zebra", options, IsLowercaseVocabulary(lm));
  CHECK(next.context == std::vector<int32_t>{transformer::kEosId, 2, 3, transformer::kUnkId});
  CHECK(next.words.lowercased.size() == 1);
  CHECK(next.top == lm.TopK(next.context, 3));
  CHECK_FALSE(next.sampled);
  Json json = NextWordsJson(lm, next);
  CHECK(json["query"] == "the Cat zebra");
  CHECK(json["missing"] == Json::array({"zebra"}));
  CHECK(json.contains("note"));
  CHECK(json["measure"] == "probability");
  REQUIRE(json["answers"].size() == 3);
  CHECK(json["answers"][0]["word"] == lm.word(next.top[0].first));
  CHECK_FALSE(json.contains("sample"));

  options.mid_line = true;
  options.no_unk = true;
  options.length = 5;
  options.sample.seed = 9;
  NextWords a = PredictNextWords(lm, "the cat", options, false);
  NextWords b = PredictNextWords(lm, "the cat", options, false);
  CHECK(a.context == std::vector<int32_t>{2, 3});
  CHECK(a.sampled);
  CHECK(a.continued == b.continued);
  CHECK(a.continued.rfind("the cat ", 0) == 0);
  CHECK(a.continued.find("<unk>") == std::string::npos);
  for (const auto& [id, p] : a.top) CHECK(id != transformer::kUnkId);
  CHECK(NextWordsJson(lm, a)["sample"] == a.continued);
  options.k = 0;
  CHECK_FALSE(NextWordsJson(lm, PredictNextWords(lm, "the", options, false)).contains("answers"));
}

}  // namespace
}  // namespace wordspace::eval
