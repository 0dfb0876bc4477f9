#include "eval/vectors/similarity_eval.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>

#include "base/json.h"
#include "embeddings/vector_io.h"
#include "tests/testing/test_util.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::eval {
namespace {

using embeddings::WordVectors;
using testing::FixturePath;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

TEST_CASE("average ranks and Spearman's rho match scipy", "[eval][vectors][similarity]") {
  // scipy.stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5]) = [4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5]
  std::vector<double> x = {3, 1, 4, 1, 5, 9, 2, 6, 5};
  CHECK(AverageRanks(x) == std::vector<double>{4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5});
  // scipy.stats.spearmanr(x, y).correlation = 0.20970498222359887 (Debian's scipy).
  std::vector<double> y = {2, 7, 1, 8, 2, 8, 1, 8, 2};
  CHECK(SpearmanRho(x, y) == Approx(0.20970498222359887).epsilon(1e-12));
  std::vector<double> rx = AverageRanks(x), ry = AverageRanks(y);
  CHECK(ry == std::vector<double>{4, 6, 1.5, 8, 4, 8, 1.5, 8, 4});
  CHECK(SpearmanRho(x, y) == Approx(PearsonR(rx, ry)));
  std::vector<double> up = {1, 2, 3, 4}, down = {8, 6, 4, 2}, flat = {1, 1, 1, 1};
  CHECK(SpearmanRho(up, down) == Approx(-1.0));
  CHECK(SpearmanRho(up, up) == Approx(1.0));
  CHECK(std::isnan(SpearmanRho(up, flat)));
  CHECK(std::isnan(SpearmanRho(std::vector<double>{1}, std::vector<double>{2})));
}

TEST_CASE("pairs file: tabs or spaces, comments, malformed lines named", "[eval][vectors][similarity]") {
  TempDir dir;
  WriteFile(dir.File("ok.tsv"), "# header\nTiger\tcat\t7.35\n\nbook paper  7.46\r\n");
  auto pairs = ReadSimilarityPairs(dir.File("ok.tsv"));
  REQUIRE(pairs.ok());
  REQUIRE(pairs->size() == 2);
  CHECK((*pairs)[0].a == "Tiger");
  CHECK((*pairs)[0].score == 7.35);
  CHECK((*pairs)[1].b == "paper");
  CHECK((*pairs)[1].line == 4);
  WriteFile(dir.File("two.tsv"), "a\tb\t1\na\tb\n");
  auto two = ReadSimilarityPairs(dir.File("two.tsv"));
  REQUIRE(two.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(two.status().message()), Catch::Contains("two.tsv:2"));
  WriteFile(dir.File("nan.tsv"), "# x\na\tb\thigh\n");
  auto nan = ReadSimilarityPairs(dir.File("nan.tsv"));
  REQUIRE(nan.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(nan.status().message()), Catch::Contains("nan.tsv:2"));
  CHECK(ReadSimilarityPairs(dir.File("none.tsv")).status().code() == absl::StatusCode::kNotFound);
  WriteFile(dir.File("empty.tsv"), "# only a comment\n");
  CHECK_THAT(std::string(ReadSimilarityPairs(dir.File("empty.tsv")).status().message()),
             Catch::Contains("empty.tsv: no word pairs"));
  CHECK(ReadSimilarityPairs(dir.path().string()).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("evaluation: cosines, case folding, restrict, OOV counted", "[eval][vectors][similarity]") {
  // 2-d: a = (1,0), b = (1,1), c = (0,1), d = (-1,0): cos(a,b) = .707, cos(a,c) = 0, cos(a,d) = -1.
  WordVectors v({"a", "b", "c", "d"}, 2, {1, 0, 2, 2, 0, 3, -1, 0});
  std::vector<SimilarityPair> pairs = {
      {"a", "b", 9, 1}, {"A", "c", 5, 2}, {"a", "d", 1, 3}, {"a", "zebra", 4, 4}};
  auto r = EvaluateSimilarity(v, pairs, {});
  REQUIRE(r.ok());
  CHECK(r->pairs_used == 3);
  CHECK(r->pairs_total == 4);
  CHECK(r->spearman == Approx(1.0));
  REQUIRE(r->skipped.size() == 1);
  CHECK(r->skipped[0].b == "zebra");
  SimilarityEvalOptions sensitive;
  sensitive.case_sensitive = true;
  auto s = EvaluateSimilarity(v, pairs, sensitive);
  REQUIRE(s.ok());
  CHECK(s->pairs_used == 2);
  SimilarityEvalOptions restricted;
  restricted.restrict = 2;  // only a and b
  auto t = EvaluateSimilarity(v, pairs, restricted);
  REQUIRE(t.ok());
  CHECK(t->pairs_used == 1);
  CHECK(std::isnan(t->spearman));
  // One pair: its cosine stands in for the undefined rho.
  CHECK(t->cosine == Approx(std::sqrt(0.5)));
  CHECK(std::isnan(r->cosine));  // three pairs: rho is defined, no single cosine
  std::vector<SimilarityPair> none = {{"x", "y", 1, 1}};
  CHECK(EvaluateSimilarity(v, none, {}).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("word similarity: exact spelling first, then lowercase; unknown words named",
          "[eval][vectors][similarity]") {
  // "Paris" and "paris" are different rows: the exact spelling must win over the folded one.
  WordVectors v({"paris", "Paris", "london", "zero"}, 2, {1, 0, 0, 1, 1, 1, 0, 0});
  std::vector<std::pair<std::string, std::string>> asked = {
      {"Paris", "london"}, {"PARIS", "london"}, {"paris", "lodnon"}, {"paris", "zero"}};
  auto answers = WordSimilarities(v, asked, {});
  REQUIRE(answers.size() == 4);
  REQUIRE(answers[0].ok());
  CHECK(answers[0]->row_a == 1);
  CHECK(answers[0]->a == "Paris");
  CHECK(answers[0]->cosine == Approx(std::sqrt(0.5)));
  REQUIRE(answers[1].ok());
  CHECK(answers[1]->a == "paris");  // no "PARIS": its folded form's first row
  CHECK(answers[1]->row_a == 0);
  CHECK(answers[1]->cosine == Approx(std::sqrt(0.5)));
  REQUIRE(answers[2].status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(answers[2].status().message()),
             Catch::Contains("'lodnon' is not in the vocabulary; did you mean: london"));
  REQUIRE(answers[3].ok());
  CHECK(answers[3]->cosine == 0.0);  // the zero vector has no direction
  SimilarityEvalOptions sensitive;
  sensitive.case_sensitive = true;
  auto exact = WordSimilarities(v, asked, sensitive);
  CHECK(exact[0].ok());
  CHECK(exact[1].status().code() == absl::StatusCode::kNotFound);
  SimilarityEvalOptions restricted;
  restricted.restrict = 2;  // london is past the first two rows
  auto first_two = WordSimilarities(v, asked, restricted);
  REQUIRE(first_two[0].status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(first_two[0].status().message()), Catch::Contains("first 2 words"));
  CHECK(RowCosine(v, 0, 2) == Approx(std::sqrt(0.5)));
}

// Expected values: scipy 1.10 (special.betainc, stats.pearsonr), printed with repr.
TEST_CASE("p-values of a correlation match scipy's", "[eval][vectors][similarity]") {
  CHECK(RegularizedIncompleteBeta(2.5, 0.5, 0.3) == Approx(0.01892712407194565).epsilon(1e-12));
  CHECK(RegularizedIncompleteBeta(10, 3, 0.9) == Approx(0.889130022255).epsilon(1e-11));
  CHECK(RegularizedIncompleteBeta(0.5, 0.5, 0.01) == Approx(0.06376856085851987).epsilon(1e-12));
  CHECK(RegularizedIncompleteBeta(3, 4, 0) == 0);
  CHECK(RegularizedIncompleteBeta(3, 4, 1) == 1);
  CHECK(std::isnan(RegularizedIncompleteBeta(-1, 4, 0.5)));
  // pearsonr([1,2,3,4,5], [2,1,4,3,5]): r = 0.8, p = 0.10408803866182785.
  const std::vector<double> x = {1, 2, 3, 4, 5}, y = {2, 1, 4, 3, 5};
  CHECK(PearsonR(x, y) == Approx(0.8));
  CHECK(CorrelationPValue(PearsonR(x, y), 5) == Approx(0.10408803866182785).epsilon(1e-12));
  // 30 normal draws (numpy default_rng(1)): r = 0.2921406758784915, p = 0.11722572758139303.
  CHECK(CorrelationPValue(0.2921406758784915, 30) == Approx(0.11722572758139303).epsilon(1e-10));
  CHECK(CorrelationPValue(-0.2921406758784915, 30) == Approx(0.11722572758139303).epsilon(1e-10));
  CHECK(CorrelationPValue(0.3, 2) == 1.0);
  CHECK(CorrelationPValue(1.0, 10) == 0.0);
  CHECK(std::isnan(CorrelationPValue(std::nan(""), 10)));
  CHECK(std::isnan(CorrelationPValue(0.5, 1)));
}

// Expected figures: gensim 4.2's evaluate_word_pairs on the fixture (bench/make_eval_fixture.py).
TEST_CASE("agrees with gensim's evaluate_word_pairs on the fixture", "[eval][vectors][similarity]") {
  const Json expected = Json::parse(ReadFile(FixturePath("expected.json")))["pairs"];
  auto number = [&](const std::string& key) { return expected.at(key).get<double>(); };
  auto vectors = embeddings::ReadVectors(FixturePath("vectors.bin"));
  REQUIRE(vectors.ok());
  auto pairs = ReadSimilarityPairs(FixturePath("pairs.tsv"));
  REQUIRE(pairs.ok());
  auto r = EvaluateSimilarity(*vectors, *pairs, {});
  REQUIRE(r.ok());
  CHECK(r->pairs_used == number("pairs_used"));
  CHECK(r->pairs_total == number("pairs_total"));
  CHECK(std::abs(r->spearman - number("spearman")) <= 0.005);
  CHECK(r->spearman == Approx(number("spearman")).margin(1e-6));
}

}  // namespace
}  // namespace wordspace::eval
