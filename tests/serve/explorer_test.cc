// serve/explorer.h: every endpoint on a tiny fixture (vectors made here, the tiny language model
// of tests/testing/tiny_lm.h): the keys of the matching command's --json, the same JSON the
// library's own builders give, and a 4xx with {"error": ...} for every kind of bad parameter.
#include "serve/explorer.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "eval/lm/inspect_attention.h"
#include "eval/lm/inspect_json.h"
#include "eval/lm/inspect_window.h"
#include "eval/vectors/vectors_json.h"
#include "eval/vectors/word_map.h"
#include "tests/testing/tiny_lm.h"

namespace wordspace::serve {
namespace {

const std::vector<std::string> kWords = {"the", "cat", "dog", "kitten", "king", "queen",
                                         "man", "woman", "he", "she", "nurse", "doctor",
                                         "paris", "france", "berlin", "germany", "bank", "river"};

embeddings::WordVectors FixtureVectors() {
  std::mt19937 rng(7);
  std::normal_distribution<float> n(0.0f, 1.0f);
  std::vector<float> values(kWords.size() * 8);
  for (float& v : values) v = n(rng);
  return embeddings::WordVectors(kWords, 8, values);
}

transformer::LanguageModel FixtureModel() {
  std::vector<std::string> words = {"<unk>", "</s>"};
  words.insert(words.end(), kWords.begin(), kWords.end());
  return testing::TinyLmWithWords(words, /*context=*/8);
}

std::unique_ptr<Explorer> Make(bool with_model) {
  std::optional<transformer::LanguageModel> lm;
  if (with_model) lm.emplace(FixtureModel());
  auto e = Explorer::Create(FixtureVectors(), std::move(lm),
                            {.vectors_label = "fixture.vec", .model_label = "fixture.lm"});
  REQUIRE(e.ok());
  return std::move(*e);
}

// A 4xx whose body is {"error": MESSAGE} (and maybe "query") naming `mentions`.
void CheckRefused(Explorer& e, const std::string& path, const ApiParams& params, int status,
                  const std::string& mentions) {
  INFO(path << " " << Dump(Json(params)));
  const ApiReply r = e.Handle(path, params);
  CHECK(r.status == status);
  REQUIRE(r.body.contains("error"));
  CHECK(r.body["error"].get<std::string>().find(mentions) != std::string::npos);
}

TEST_CASE("info names the files and the endpoints", "[serve]") {
  auto e = Make(false);
  ApiReply r = e->Handle("/api/info", {});
  REQUIRE(r.status == 200);
  CHECK(r.body["vectors"] == "fixture.vec");
  CHECK(r.body["vocab_size"] == kWords.size());
  CHECK(r.body["dim"] == 8);
  CHECK(r.body["model"].is_null());
  CHECK(r.body["endpoints"].size() == 6);
  auto m = Make(true);
  r = m->Handle("/api/info", {});
  CHECK(r.body["model"]["layers"] == 1);
  CHECK(r.body["model"]["context"] == 8);
  CHECK(r.body["endpoints"].size() == 10);
  CheckRefused(*e, "/api/info", {{"x", "1"}}, 400, "unknown parameter 'x'");
  CheckRefused(*e, "/api/nothing", {}, 404, "no endpoint /api/nothing");
}

TEST_CASE("neighbors answers as `neighbors --json` does", "[serve]") {
  auto e = Make(false);
  ApiReply r = e->Handle("/api/neighbors", {{"q", "cat"}, {"k", "3"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["query"] == "cat");
  CHECK(r.body["measure"] == "cosine");
  REQUIRE(r.body["answers"].size() == 3);
  // The same ranking as the index's own query, in the same JSON.
  auto index = embeddings::VectorIndex::Build(FixtureVectors(), {});
  REQUIRE(index.ok());
  auto near = index->NeighborsOf("cat", 3);
  REQUIRE(near.ok());
  CHECK(r.body["answers"] == eval::AnswersJson(*index, *near));
  // A capitalised word falls back to its lowercase form, with a note.
  r = e->Handle("/api/neighbors", {{"q", "Cat"}, {"k", "3"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["answers"] == eval::AnswersJson(*index, *near));
  CHECK(r.body.contains("note"));
  // An expression.
  r = e->Handle("/api/neighbors", {{"q", "king - man + woman"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["answers"].size() == 10);
  for (const auto& a : r.body["answers"]) {
    CHECK(a["word"] != "king");
    CHECK(a["word"] != "man");
  }
  // Unknown words are 404 with the query and the suggestions; bad parameters 400.
  r = e->Handle("/api/neighbors", {{"q", "kinq"}});
  CHECK(r.status == 404);
  CHECK(r.body["query"] == "kinq");
  CHECK(r.body["error"].get<std::string>().find("did you mean") != std::string::npos);
  CheckRefused(*e, "/api/neighbors", {}, 400, "'q' is required");
  CheckRefused(*e, "/api/neighbors", {{"q", "  "}}, 400, "'q' is empty");
  CheckRefused(*e, "/api/neighbors", {{"q", "cat"}, {"k", "0"}}, 400, "'k' must be an integer from 1 to 100");
  CheckRefused(*e, "/api/neighbors", {{"q", "cat"}, {"k", "101"}}, 400, "'k' must be");
  CheckRefused(*e, "/api/neighbors", {{"q", "cat"}, {"k", "3x"}}, 400, "'k' must be");
  CheckRefused(*e, "/api/neighbors", {{"q", "cat"}, {"k", ""}}, 400, "'k' must be");
  CheckRefused(*e, "/api/neighbors", {{"q", "cat"}, {"q", "dog"}}, 400, "more than once");
  CheckRefused(*e, "/api/neighbors", {{"q", "cat"}, {"kk", "3"}}, 400, "unknown parameter 'kk'");
  CheckRefused(*e, "/api/neighbors", {{"q", std::string(kMaxQueryBytes + 1, 'a')}}, 400,
               "at most 300");
  CheckRefused(*e, "/api/neighbors", {{"q", "cat + + dog"}}, 400, "");
}

TEST_CASE("analogy gives 3CosAdd or 3CosMul, with the inputs on request", "[serve]") {
  auto e = Make(false);
  for (const char* method : {"add", "mul"}) {
    ApiReply r = e->Handle("/api/analogy", {{"a", "man"}, {"b", "king"}, {"c", "woman"},
                                            {"k", "4"}, {"method", method},
                                            {"include_inputs", "1"}});
    REQUIRE(r.status == 200);
    CHECK(r.body["query"] == "man king woman");
    CHECK(r.body["method"] == method);
    CHECK(r.body["measure"] == (std::string(method) == "add" ? "3cosadd" : "3cosmul"));
    REQUIRE(r.body["answers"].size() == 4);
    REQUIRE(r.body["unfiltered"].size() == 4);
    for (const auto& a : r.body["answers"]) {
      CHECK(a["word"] != "man");
      CHECK(a["word"] != "king");
      CHECK(a["word"] != "woman");
    }
  }
  ApiReply r = e->Handle("/api/analogy", {{"a", "man"}, {"b", "king"}, {"c", "woman"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["method"] == "add");
  CHECK_FALSE(r.body.contains("unfiltered"));
  CheckRefused(*e, "/api/analogy", {{"a", "man"}, {"b", "king"}}, 400, "'c' is required");
  CheckRefused(*e, "/api/analogy", {{"a", "man"}, {"b", "king"}, {"c", "woman"}, {"method", "sub"}},
               400, "sub");
  CheckRefused(*e, "/api/analogy",
               {{"a", "man"}, {"b", "king"}, {"c", "woman"}, {"include_inputs", "yes"}}, 400,
               "0 or 1");
  CheckRefused(*e, "/api/analogy", {{"a", "man"}, {"b", "kingg"}, {"c", "woman"}}, 404, "kingg");
}

TEST_CASE("map is `map --json` of the same words", "[serve]") {
  auto e = Make(false);
  ApiReply r = e->Handle("/api/map", {{"words", "cat, king zzz"}, {"k", "3"}});
  REQUIRE(r.status == 200);
  auto map = eval::MapWords(FixtureVectors(), {"cat", "king", "zzz"}, 3);
  REQUIRE(map.ok());
  CHECK(r.body == eval::MapJson(*map, "fixture.vec"));
  CHECK(r.body["missing"] == Json::array({"zzz"}));
  // cat and king with 3 neighbours each, a word shown once.
  CHECK(r.body["points"].size() >= 5);
  CHECK(r.body["points"].size() <= 8);
  // Repeated `words` parameters add up.
  ApiReply two = e->Handle("/api/map", {{"words", "cat"}, {"words", "king zzz"}, {"k", "3"}});
  CHECK(two.body == r.body);
  CheckRefused(*e, "/api/map", {{"words", "zzz"}}, 400, "none of the words");
  CheckRefused(*e, "/api/map", {}, 400, "'words' is required");
  std::string many;
  for (int i = 0; i <= kMaxWords; ++i) many += "cat ";
  CheckRefused(*e, "/api/map", {{"words", many}}, 400, "at most 20");
  CheckRefused(*e, "/api/map", {{"words", "cat"}, {"k", "31"}}, 400, "from 0 to 30");
}

TEST_CASE("bias projects words on the direction of the pairs", "[serve]") {
  auto e = Make(false);
  ApiReply r = e->Handle("/api/bias", {{"pair", "he:she"}, {"words", "nurse doctor zzz"}, {"k", "2"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["pairs_used"] == Json::array({Json::array({"he", "she"})}));
  CHECK(r.body["variance_explained"].get<double>() == Approx(1.0));
  REQUIRE(r.body["words"].size() == 2);
  CHECK(r.body["words"][0]["word"] == "nurse");
  CHECK(std::abs(r.body["words"][0]["projection"].get<double>()) <= 1.0);
  CHECK(r.body["missing"] == Json::array({"zzz"}));
  CHECK(r.body["top_positive"].size() == 2);
  CHECK(r.body["direction"].size() == 8);
  CheckRefused(*e, "/api/bias", {{"words", "nurse"}}, 400, "'pair' is required");
  CheckRefused(*e, "/api/bias", {{"pair", "he"}}, 400, "two words a:b");
  CheckRefused(*e, "/api/bias", {{"pair", "he:she:it"}}, 400, "two words a:b");
  CheckRefused(*e, "/api/bias", {{"pair", "zz:yy"}}, 400, "");
}

TEST_CASE("complete lists vocabulary words by prefix, most frequent first", "[serve]") {
  auto e = Make(false);
  ApiReply r = e->Handle("/api/complete", {{"prefix", "K"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["words"] == Json::array({"kitten", "king"}));
  r = e->Handle("/api/complete", {{"prefix", "b"}, {"k", "1"}});
  CHECK(r.body["words"] == Json::array({"berlin"}));
  CheckRefused(*e, "/api/complete", {}, 400, "'prefix' is required");
  CheckRefused(*e, "/api/complete", {{"prefix", "a"}, {"k", "-1"}}, 400, "'k' must be");
}

TEST_CASE("the language-model endpoints need --model", "[serve]") {
  auto e = Make(false);
  for (const char* path : {"/api/lm/next", "/api/lm/attention", "/api/lm/lens", "/api/lm/context"}) {
    CheckRefused(*e, path, {{"text", "the cat"}}, 404, "--model");
  }
}

TEST_CASE("the language-model endpoints answer as lm-generate and inspect do", "[serve]") {
  auto e = Make(true);
  transformer::LanguageModel lm = FixtureModel();

  ApiReply r = e->Handle("/api/lm/next", {{"text", "the Cat"}, {"k", "5"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["query"] == "the Cat");
  CHECK(r.body["measure"] == "probability");
  REQUIRE(r.body["answers"].size() == 5);
  double sum = 0;
  for (const auto& a : r.body["answers"]) sum += a["score"].get<double>();
  CHECK(sum <= 1.0 + 1e-6);
  CHECK_FALSE(r.body.contains("sample"));
  r = e->Handle("/api/lm/next", {{"text", "the cat"}, {"length", "3"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["sample"].get<std::string>().rfind("the cat ", 0) == 0);
  r = e->Handle("/api/lm/next", {{"text", "the zebra"}});
  CHECK(r.body["missing"] == Json::array({"zebra"}));

  r = e->Handle("/api/lm/attention", {{"text", "the cat"}});
  REQUIRE(r.status == 200);
  auto map = eval::InspectAttention(lm, eval::PromptWindow(lm, "the cat"));
  REQUIRE(map.ok());
  CHECK(r.body == eval::AttentionJson(*map, "fixture.lm"));
  CHECK(r.body["weights"].size() == 1);
  CHECK(r.body["weights"][0].size() == 2);
  CHECK(r.body["weights"][0][0].size() == 3);  // </s> the cat

  r = e->Handle("/api/lm/lens", {{"text", "the cat"}, {"k", "2"}, {"target", "dog"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["tokens"] == Json::array({"</s>", "the", "cat"}));
  CHECK(r.body["target"] == "dog");
  REQUIRE(r.body["layers"].size() == 2);
  CHECK(r.body["layers"][0]["positions"][0].size() == 2);
  CHECK(r.body["layers"][1].contains("target_rank"));

  r = e->Handle("/api/lm/context",
                {{"word", "bank"}, {"text", "the river bank"}, {"text", "the bank"}, {"k", "2"}});
  REQUIRE(r.status == 200);
  CHECK(r.body["word"] == "bank");
  CHECK(r.body["sentences"].size() == 2);
  REQUIRE(r.body["layers"].size() == 3);  // static, 0, 1
  CHECK(r.body["layers"][0]["layer"] == "static");
  CHECK(r.body["layers"][0]["cosines"][0][1].get<double>() == Approx(1.0));

  CheckRefused(*e, "/api/lm/attention", {}, 400, "'text' is required");
  CheckRefused(*e, "/api/lm/attention", {{"text", std::string(kMaxTextBytes + 1, 'a')}}, 400,
               "at most 500");
  CheckRefused(*e, "/api/lm/lens", {{"text", "the cat"}, {"target", "zebra"}}, 400, "zebra");
  CheckRefused(*e, "/api/lm/lens", {{"text", "the cat"}, {"k", "21"}}, 400, "from 1 to 20");
  CheckRefused(*e, "/api/lm/next", {{"text", "the"}, {"length", "51"}}, 400, "from 0 to 50");
  CheckRefused(*e, "/api/lm/context", {{"word", "bank"}, {"text", "the cat"}}, 400, "");
  CheckRefused(*e, "/api/lm/context", {{"word", "bank"}}, 400, "'text' is required");
  CheckRefused(*e, "/api/lm/context",
               {{"word", "bank"}, {"text", "bank"}, {"text", "bank"}, {"text", "bank"},
                {"text", "bank"}, {"text", "bank"}},
               400, "at most 4");
}

}  // namespace
}  // namespace wordspace::serve
