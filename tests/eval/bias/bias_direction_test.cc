#include "eval/bias/bias_direction.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "tests/testing/temp_dir.h"

namespace wordspace::eval {
namespace {

using embeddings::WordVectors;

double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Two pairs a = c + d, b = c - d with c = e1 and d = (0.5, 0, 0, +-0.05): |a| = |b|, so the
// centred rows are +-d / |a|. The scatter is diag(0.5, 0, 0, 0.005) up to a common factor: the
// principal axis is e0, with 0.5 / 0.505 of the variance, then e3 with 0.005 / 0.505.
WordVectors KnownAxis(int dim) {
  std::vector<std::string> words = {"she", "he", "woman", "man", "nurse", "engineer", "table"};
  std::vector<std::vector<float>> rows = {
      {0.5f, 1, 0, 0.05f}, {-0.5f, 1, 0, -0.05f}, {0.5f, 1, 0, -0.05f}, {-0.5f, 1, 0, 0.05f},
      {0.6f, 0.8f, 0, 0},  {-0.3f, 0, 1, 0},      {0, 0, 1, 0}};
  std::vector<float> values;
  for (auto& row : rows) {
    row.resize(dim, 0.0f);
    values.insert(values.end(), row.begin(), row.end());
  }
  return WordVectors(words, dim, values);
}

TEST_CASE("bias direction: PCA of centred pairs finds the known axis", "[eval][bias]") {
  const std::vector<WordPair> pairs = {{"she", "he"}, {"woman", "man"}};
  // 4 rows <= dim: the Gram-matrix path, at dim 4 and on zero-padded dim-64 vectors. Three
  // copies of the pairs below (12 rows > dim 4) take the scatter-matrix path.
  for (int dim : {4, 64}) {
    auto g = ComputeBiasDirection(KnownAxis(dim), pairs, {});
    REQUIRE(g.ok());
    REQUIRE(g->direction.size() == static_cast<size_t>(dim));
    // Oriented from the second word of each pair towards the first: +e0.
    CHECK(g->direction[0] == Approx(1.0).margin(1e-12));
    for (int j = 1; j < dim; ++j) CHECK(g->direction[j] == Approx(0.0).margin(1e-12));
    REQUIRE(g->variance_shares.size() >= 2);
    CHECK(g->variance_shares[0] == Approx(0.5 / 0.505));
    CHECK(g->variance_shares[1] == Approx(0.005 / 0.505));
    CHECK(g->used_pairs.size() == 2);
    CHECK(g->missing.empty());
  }
  const std::vector<WordPair> tripled = {{"she", "he"}, {"woman", "man"}, {"she", "he"},
                                         {"woman", "man"}, {"she", "he"}, {"woman", "man"}};
  auto g = ComputeBiasDirection(KnownAxis(4), tripled, {});
  REQUIRE(g.ok());
  CHECK(g->direction[0] == Approx(1.0).margin(1e-12));
  CHECK(g->variance_shares[0] == Approx(0.5 / 0.505));
  CHECK(g->variance_shares.size() == 4);  // at most dim eigenvalues
}

TEST_CASE("bias direction: one pair is the normalised difference, reversed pairs flip it",
          "[eval][bias]") {
  WordVectors v = KnownAxis(4);
  auto g = ComputeBiasDirection(v, std::vector<WordPair>{{"he", "she"}}, {});
  REQUIRE(g.ok());
  // unit(he) - unit(she) = (-1, 0, 0, -0.1) / |a|: normalised.
  const double n = std::sqrt(1 + 0.01);
  CHECK(g->direction[0] == Approx(-1 / n));
  CHECK(g->direction[3] == Approx(-0.1 / n));
  REQUIRE(g->variance_shares.size() >= 1);
  CHECK(g->variance_shares[0] == Approx(1.0));
}

TEST_CASE("bias direction: missing words drop their pair; projections are cosines", "[eval][bias]") {
  WordVectors v = KnownAxis(4);
  const std::vector<WordPair> pairs = {{"she", "he"}, {"Woman", "MAN"}, {"queen", "king"}};
  auto g = ComputeBiasDirection(v, pairs, {});
  REQUIRE(g.ok());
  CHECK(g->missing == std::vector<std::string>{"queen", "king"});
  REQUIRE(g->used_pairs.size() == 2);  // "Woman"/"MAN" found as lowercase
  CHECK(g->used_pairs[1].first == "woman");

  DirectionOptions strict;
  strict.case_sensitive = true;
  auto g2 = ComputeBiasDirection(v, pairs, strict);
  REQUIRE(g2.ok());
  CHECK(g2->missing == std::vector<std::string>{"Woman", "MAN", "queen", "king"});

  auto none = ComputeBiasDirection(v, std::vector<WordPair>{{"x", "y"}}, {});
  CHECK(none.status().code() == absl::StatusCode::kInvalidArgument);
  auto same = ComputeBiasDirection(v, std::vector<WordPair>{{"she", "she"}}, {});
  CHECK(same.status().code() == absl::StatusCode::kInvalidArgument);

  // Cosines with +e0.
  CHECK(Projection(v, v.Find("nurse"), g->direction) == Approx(0.6));
  CHECK(Projection(v, v.Find("engineer"), g->direction) == Approx(-0.3 / std::sqrt(1.09)));
  CHECK(Projection(v, v.Find("table"), g->direction) == Approx(0.0).margin(1e-12));
  std::vector<ProjectedWord> positive, negative;
  ExtremeProjections(v, g->direction, 2, 0, &positive, &negative);
  REQUIRE(positive.size() == 2);
  CHECK(positive[0].word == "nurse");   // 0.6 > she, woman's 0.5/1.12 = 0.447
  CHECK(positive[1].word == "she");     // tie with woman, broken by row
  CHECK(negative[0].word == "he");
  CHECK(negative[1].word == "man");
  ExtremeProjections(v, g->direction, 10, 4, &positive, &negative);  // first 4 rows only
  CHECK(positive.size() == 4);
  CHECK(positive[0].word == "she");
  CHECK(Dot(g->direction, g->direction) == Approx(1.0));
}

TEST_CASE("word pair and word list files", "[eval][bias]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("pairs.tsv"), "# female\tmale\nwoman\tman\n\nshe he\r\n");
  auto pairs = ReadWordPairs(dir.File("pairs.tsv"));
  REQUIRE(pairs.ok());
  REQUIRE(pairs->size() == 2);
  CHECK((*pairs)[1].first == "she");
  CHECK((*pairs)[1].second == "he");
  testing::WriteFile(dir.File("bad.tsv"), "woman\tman\nshe\n");
  auto bad = ReadWordPairs(dir.File("bad.tsv"));
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad.status().message()).find("bad.tsv:2:") != std::string::npos);
  CHECK(ReadWordPairs(dir.File("nope.tsv")).status().code() == absl::StatusCode::kNotFound);

  testing::WriteFile(dir.File("professions.tsv"), "#word\tdef\tster\nnurse\t-1.0\t0.5\nengineer\t0\t0\n");
  auto words = ReadWordList(dir.File("professions.tsv"));
  REQUIRE(words.ok());
  CHECK(*words == std::vector<std::string>{"nurse", "engineer"});

  auto pair = ParseWordPair("he:she");
  REQUIRE(pair.ok());
  CHECK(pair->first == "he");
  CHECK(pair->second == "she");
  CHECK_FALSE(ParseWordPair("he").ok());
  CHECK_FALSE(ParseWordPair(":she").ok());
  CHECK_FALSE(ParseWordPair("a:b:c").ok());

  // Flags and files together, as the bias commands take them: the file's pairs come first,
  // the listed words first.
  auto gathered = GatherWordPairs(dir.File("pairs.tsv"), {"king:queen"});
  REQUIRE(gathered.ok());
  REQUIRE(gathered->size() == 3);
  CHECK((*gathered)[2].first == "king");
  CHECK(GatherWordPairs("", {"he:she"})->size() == 1);
  CHECK(GatherWordPairs("", {"he"}).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(GatherWordPairs(dir.File("bad.tsv"), {}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  auto all = GatherWords({"doctor"}, dir.File("professions.tsv"));
  REQUIRE(all.ok());
  CHECK(*all == std::vector<std::string>{"doctor", "nurse", "engineer"});
  CHECK(*GatherWords({"doctor"}, "") == std::vector<std::string>{"doctor"});
  CHECK(GatherWords({}, dir.File("nope.tsv")).status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("ProjectWords: cosines in the given order, missing words listed", "[eval][bias]") {
  WordVectors v = KnownAxis(4);
  const std::vector<double> axis = {1, 0, 0, 0};
  const std::vector<std::string> words = {"Nurse", "zzz", "engineer"};
  std::vector<std::string> missing;
  std::vector<ProjectedWord> p = ProjectWords(v, words, axis, false, &missing);
  REQUIRE(p.size() == 2);
  CHECK(p[0].word == "Nurse");
  CHECK(p[0].projection == Approx(0.6));  // (0.6, 0.8, 0, 0) is unit length
  CHECK(p[1].word == "engineer");
  CHECK(p[1].projection == Approx(-0.3 / std::sqrt(1.09)));
  CHECK(missing == std::vector<std::string>{"zzz"});
  missing.clear();
  CHECK(ProjectWords(v, words, axis, true, &missing).size() == 1);
  CHECK(missing == std::vector<std::string>{"Nurse", "zzz"});
  // The vector overload is the row overload on a copy of the row.
  CHECK(Projection(v.row(v.Find("table")), axis) == Projection(v, v.Find("table"), axis));
}

}  // namespace
}  // namespace wordspace::eval
