#include "eval/bias/debias.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "embeddings/vector_io.h"
#include "eval/bias/weat.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::eval {
namespace {

using embeddings::WordVectors;

double Norm(std::span<const float> v) {
  double s = 0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

double Cosine(const WordVectors& v, const std::string& a, const std::string& b) {
  std::span<const float> x = v.row(v.Find(a)), y = v.row(v.Find(b));
  double dot = 0;
  for (size_t j = 0; j < x.size(); ++j) dot += static_cast<double>(x[j]) * y[j];
  return dot / (Norm(x) * Norm(y));
}

// Random 12-d vectors; gendered words get +-1.5 along e0 (female +), and the stereotyped
// neutral words +-0.7.
WordVectors Gendered() {
  const std::vector<std::pair<std::string, float>> words = {
      {"she", 1.5f},    {"he", -1.5f},     {"woman", 1.5f},   {"man", -1.5f},
      {"her", 1.5f},    {"his", -1.5f},    {"queen", 1.5f},   {"king", -1.5f},
      {"girl", 1.5f},   {"boy", -1.5f},    {"nurse", 0.7f},   {"engineer", -0.7f},
      {"homemaker", 0.7f}, {"programmer", -0.7f}, {"table", 0.0f}, {"river", 0.1f},
      {"monastery", -0.4f}, {"convent", 0.4f}};
  std::mt19937 rng(9);
  std::normal_distribution<float> normal(0, 0.5f);
  std::vector<std::string> names;
  std::vector<float> values;
  for (const auto& [word, gender] : words) {
    names.push_back(word);
    for (int j = 0; j < 12; ++j) values.push_back(normal(rng) + (j == 0 ? gender : 0.0f));
  }
  return WordVectors(names, 12, values);
}

const std::vector<WordPair> kDefinitional = {{"she", "he"}, {"woman", "man"}, {"her", "his"}};
const std::vector<std::string> kSpecific = {"she", "he", "Woman", "man", "her", "his",
                                            "queen", "king", "girl", "boy"};
// As in Bolukbasi's file: mixed case, and a pair in "wrong" order (male first).
const std::vector<WordPair> kEqualize = {{"King", "Queen"}, {"girl", "boy"},
                                         {"monastery", "convent"}, {"prince", "princess"}};

TEST_CASE("AsciiTitle spells like Python's str.title", "[eval][bias]") {
  CHECK(AsciiTitle("catholic_priest") == "Catholic_Priest");
  CHECK(AsciiTitle("DAD") == "Dad");
  CHECK(AsciiTitle("ex_girlfriend") == "Ex_Girlfriend");
  CHECK(AsciiTitle("") == "");
}

TEST_CASE("hard debias: neutral words lose their projection, pairs become symmetric", "[eval][bias]") {
  WordVectors original = Gendered();
  WordVectors v = original;
  auto report = HardDebias(&v, kDefinitional, kSpecific, kEqualize, {});
  REQUIRE(report.ok());
  const std::vector<double>& g = report->direction.direction;
  CHECK(report->specific == 10);  // "Woman" matches "woman" case-insensitively
  CHECK(report->neutralized == 8);
  REQUIRE(report->equalized.size() == 3);
  CHECK(report->equalized[0].first == "king");
  CHECK(report->not_found.size() == 1);
  CHECK(report->not_found[0].first == "prince");
  CHECK(report->mean_abs_projection_before > 0.1);
  CHECK(report->mean_abs_projection_after < 1e-6);
  CHECK(report->max_abs_projection_after < 1e-6);

  auto proj = [&](const std::string& w) { return Projection(v, v.Find(w), g); };
  for (int64_t r = 0; r < v.size(); ++r) CHECK(Norm(v.row(r)) == Approx(1.0).epsilon(1e-6));
  // Neutralized words (not equalized) have no component along g.
  for (const char* w : {"nurse", "engineer", "homemaker", "programmer", "table", "river"}) {
    CHECK(std::abs(proj(w)) < 1e-6);
  }
  // Gender-specific words outside the equalize pairs keep their direction.
  for (const char* w : {"she", "he", "woman", "his"}) {
    CHECK(Cosine(v, w, w) == Approx(1.0));
    std::span<const float> before = original.row(original.Find(w)), after = v.row(v.Find(w));
    const double n = Norm(before);
    for (size_t j = 0; j < before.size(); ++j) CHECK(after[j] == Approx(before[j] / n).margin(1e-6));
  }
  // Equalized pairs: opposite projections, the same off-g part, so every neutral word is
  // equidistant from both; each word stays on its side of g.
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"king", "queen"}, {"girl", "boy"}, {"monastery", "convent"}}) {
    CHECK(proj(a) == Approx(-proj(b)).margin(1e-6));
    CHECK(std::abs(proj(a)) > 0.05);
    for (const char* w : {"nurse", "engineer", "table", "river"}) {
      CHECK(Cosine(v, w, a) == Approx(Cosine(v, w, b)).margin(1e-6));
    }
  }
  CHECK(proj("queen") > 0);
  CHECK(proj("girl") > 0);

  // Measured again on the output, the bias direction is the same and the neutral words sit at
  // ~0 on it.
  auto again = ComputeBiasDirection(v, kDefinitional, {});
  REQUIRE(again.ok());
  double dot = 0;
  for (size_t j = 0; j < g.size(); ++j) dot += g[j] * again->direction[j];
  CHECK(dot == Approx(1.0).epsilon(1e-6));
  CHECK(std::abs(Projection(v, v.Find("nurse"), again->direction)) < 1e-6);
}

TEST_CASE("hard debias drives a WEAT against equalized attributes to zero", "[eval][bias]") {
  WordVectors v = Gendered();
  WeatTest test;
  test.name = "gender";
  test.set_names = {"female jobs", "male jobs", "female", "male"};
  test.words[kWeatX] = {"nurse", "homemaker"};
  test.words[kWeatY] = {"engineer", "programmer"};
  test.words[kWeatA] = {"queen", "girl"};
  test.words[kWeatB] = {"king", "boy"};
  WeatResult before = RunWeat(v, test, {});
  REQUIRE(before.computed);
  CHECK(before.statistic > 0.2);
  REQUIRE(HardDebias(&v, kDefinitional, kSpecific, kEqualize, {}).ok());
  WeatResult after = RunWeat(v, test, {});
  REQUIRE(after.computed);
  // Every association is a difference of equal cosines now.
  for (double s : after.associations) CHECK(std::abs(s) < 1e-6);
  CHECK(std::abs(after.statistic) < 1e-5);
}

TEST_CASE("hard debias output round-trips through WriteVectors", "[eval][bias]") {
  testing::TempDir dir;
  WordVectors v = Gendered();
  REQUIRE(HardDebias(&v, kDefinitional, kSpecific, kEqualize, {}).ok());
  REQUIRE(embeddings::WriteVectors(v, dir.File("d.bin"), embeddings::VectorFormat::kBinary).ok());
  auto back = embeddings::ReadVectors(dir.File("d.bin"));
  REQUIRE(back.ok());
  CHECK(back->words() == v.words());
  CHECK(back->values() == v.values());
}

TEST_CASE("hard debias: case-sensitive lists and unusable pairs", "[eval][bias]") {
  WordVectors v = Gendered();
  DebiasOptions strict;
  strict.case_sensitive = true;
  auto report = HardDebias(&v, kDefinitional, kSpecific, kEqualize, strict);
  REQUIRE(report.ok());
  CHECK(report->specific == 9);  // "Woman" no longer matches "woman"
  WordVectors w = Gendered();
  auto bad = HardDebias(&w, std::vector<WordPair>{{"x", "y"}}, kSpecific, kEqualize, {});
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("hard debias reports the words' projections before and after", "[eval][bias]") {
  WordVectors v = Gendered();
  const WordVectors input = v;
  DebiasOptions options;
  options.report_words = {"nurse", "Engineer", "unicorn", "she"};
  auto report = HardDebias(&v, kDefinitional, kSpecific, kEqualize, options);
  REQUIRE(report.ok());
  REQUIRE(report->words.size() == 3);
  CHECK(report->missing_words == std::vector<std::string>{"unicorn"});
  const std::vector<double>& g = report->direction.direction;
  CHECK(report->words[0].word == "nurse");
  CHECK(report->words[1].word == "engineer");  // as spelt in the vectors
  CHECK(report->words[0].before == Projection(input, input.Find("nurse"), g));
  CHECK(report->words[1].before == Projection(input, input.Find("engineer"), g));
  CHECK(std::abs(report->words[0].before) > 0.01);  // the input had a g component
  CHECK(std::abs(report->words[1].before) > 0.01);
  CHECK(std::abs(report->words[0].after) < 1e-6);  // neutralized
  CHECK(std::abs(report->words[1].after) < 1e-6);
  CHECK(report->words[2].word == "she");  // gender-specific: kept
  CHECK(report->words[2].after == Approx(report->words[2].before).margin(1e-6));
}

}  // namespace
}  // namespace wordspace::eval
