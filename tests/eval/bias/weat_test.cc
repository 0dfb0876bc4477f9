#include "eval/bias/weat.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "tests/testing/test_util.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::eval {
namespace {

using embeddings::WordVectors;
using testing::RandomVectors;
using testing::TempDir;
using testing::WriteFile;

// 2-d vectors: A = a (1,0), B = b (0,1), so s(w) = w_x - w_y for a unit w.
// x1 (1,0): s = 1; x2 (0.8,0.6): s = 0.2; y1 (0,1): s = -1; y2 (0.6,0.8): s = -0.2.
// x2 and y2 are stored at other lengths: cosines must not care. x1copy and x2copy repeat x1, x2.
WordVectors Plane() {
  return WordVectors({"a", "b", "x1", "x2", "y1", "y2", "x1copy", "x2copy"}, 2,
                     {1, 0, 0, 1, 1, 0, 2.4f, 1.8f, 0, 1, 0.3f, 0.4f, 1, 0, 0.8f, 0.6f});
}

WeatTest MakeTest(std::vector<std::string> x, std::vector<std::string> y,
                  std::vector<std::string> a, std::vector<std::string> b) {
  WeatTest t;
  t.name = "t";
  t.set_names = {"X", "Y", "A", "B"};
  t.words = {std::move(x), std::move(y), std::move(a), std::move(b)};
  return t;
}

std::vector<std::string> Names(int begin, int end) {
  std::vector<std::string> out;
  for (int i = begin; i < end; ++i) out.push_back(absl::StrCat("w", i));
  return out;
}

TEST_CASE("WEAT statistic, effect size and exact p-value by hand", "[eval][bias]") {
  WeatResult r = RunWeat(Plane(), MakeTest({"x1", "x2"}, {"y1", "y2"}, {"a"}, {"b"}), {});
  REQUIRE(r.computed);
  REQUIRE(r.associations.size() == 4);
  CHECK(r.associations[0] == Approx(1.0));
  CHECK(r.associations[1] == Approx(0.2));
  CHECK(r.associations[2] == Approx(-1.0));
  CHECK(r.associations[3] == Approx(-0.2));
  // s(X,Y,A,B) = (1 + 0.2) - (-1 - 0.2) = 2.4.
  CHECK(r.statistic == Approx(2.4));
  // Mean difference 1.2; sample (n-1) std of {1, .2, -1, -.2} = sqrt(2.08 / 3).
  CHECK(r.effect_size == Approx(1.2 / std::sqrt(2.08 / 3)));
  // Perfectly separated: of the C(4,2) = 6 partitions only the observed one reaches 2.4, so p is
  // the smallest an exact test can give, 1/6 (counting only ">" would give 0).
  CHECK(r.p.exact);
  CHECK(r.p.partitions == 6);
  CHECK(r.p.at_least == 1);
  CHECK(r.p.p_value == Approx(1.0 / 6));
  CHECK(r.missing.empty());
  CHECK(r.sizes == std::array<int, 4>{2, 2, 1, 1});
}

TEST_CASE("WEAT sign conventions follow Caliskan et al.", "[eval][bias]") {
  WordVectors v = Plane();
  WeatResult base = RunWeat(v, MakeTest({"x1", "x2"}, {"y1", "y2"}, {"a"}, {"b"}), {});
  WeatResult swap_ab = RunWeat(v, MakeTest({"x1", "x2"}, {"y1", "y2"}, {"b"}, {"a"}), {});
  WeatResult swap_xy = RunWeat(v, MakeTest({"y1", "y2"}, {"x1", "x2"}, {"a"}, {"b"}), {});
  // X near A gives d > 0; swapping either pair of sets flips the sign.
  CHECK(base.effect_size > 0);
  CHECK(swap_ab.effect_size == Approx(-base.effect_size));
  CHECK(swap_ab.statistic == Approx(-base.statistic));
  CHECK(swap_xy.effect_size == Approx(-base.effect_size));
  // The opposite one-sided question: every partition is at least the (lowest) observed value.
  CHECK(swap_xy.p.p_value == Approx(1.0));
}

TEST_CASE("WEAT on identical target sets: d = 0 and ties count as at least", "[eval][bias]") {
  // X = {x1, x2} and Y = {x1copy, x2copy} have the same directions: s = {1, .2, 1, .2}.
  WeatResult r =
      RunWeat(Plane(), MakeTest({"x1", "x2"}, {"x1copy", "x2copy"}, {"a"}, {"b"}), {});
  REQUIRE(r.computed);
  // Zero up to float rounding (x2 is stored at 3 times x2copy's length).
  CHECK(r.statistic == Approx(0.0).margin(1e-6));
  CHECK(r.effect_size == Approx(0.0).margin(1e-6));
  // Subset sums of size 2: 1.2 (x4: x1+x2, x1+x2copy, x2+x1copy, copies), 2.0, 0.4. Observed
  // 1.2: five of six are >= it (with ">" only the 2.0 partition would count: 1/6).
  CHECK(r.p.exact);
  CHECK(r.p.at_least == 5);
  CHECK(r.p.p_value == Approx(5.0 / 6));
}

// Unit 2-d vectors with a chosen association s(w, A, B) = w_x - w_y against A = (1,0), B = (0,1):
// cos t - sin t = sqrt(2) cos(t + pi/4).
WordVectors WithAssociations(const std::vector<std::pair<std::string, double>>& words) {
  std::vector<std::string> names;
  std::vector<float> values;
  for (int i = 0; i < 4; ++i) {
    names.push_back(absl::StrCat("a", i));
    values.insert(values.end(), {1, 0});
    names.push_back(absl::StrCat("b", i));
    values.insert(values.end(), {0, 1});
  }
  for (const auto& [name, s] : words) {
    const double t = std::acos(s / std::sqrt(2.0)) - M_PI / 4;
    names.push_back(name);
    values.insert(values.end(), {static_cast<float>(std::cos(t)), static_cast<float>(std::sin(t))});
  }
  return WordVectors(std::move(names), 2, std::move(values));
}

TEST_CASE("WEAT explains a statistic and d of opposite signs (unequal set sizes)", "[eval][bias]") {
  // Eight X words at s = 0.1 and four Y words at s = 0.15: the sums give 0.8 - 0.6 = +0.2, the
  // means 0.1 - 0.15 = -0.05. Y is the closer set to A; only d says so.
  std::vector<std::pair<std::string, double>> words;
  for (int i = 0; i < 8; ++i) words.emplace_back(absl::StrCat("x", i), 0.1);
  for (int i = 0; i < 4; ++i) words.emplace_back(absl::StrCat("y", i), 0.15);
  WeatTest test =
      MakeTest({"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"}, {"y0", "y1", "y2", "y3"},
               {"a0", "a1", "a2", "a3"}, {"b0", "b1", "b2", "b3"});
  WeatResult r = RunWeat(WithAssociations(words), test, {});
  REQUIRE(r.computed);
  CHECK(r.statistic == Approx(0.2).margin(1e-5));
  CHECK(r.effect_size < 0);
  // The p-value sides with d: X holds the lowest values, so most partitions reach its sum.
  CHECK(r.p.p_value > 0.5);
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0], Catch::Contains("opposite signs because |X| = 8 and |Y| = 4 differ"));
  CHECK_THAT(r.notes[0], Catch::Contains("X is closer to B than Y is"));
  CHECK(r.warnings.empty());  // 8 + 4 words, 495 partitions: nothing degenerate

  // Equal sizes: sums and means always agree, so no note.
  WeatTest even = MakeTest({"x0", "x1", "x2", "x3"}, {"y0", "y1", "y2", "y3"},
                           {"a0", "a1", "a2", "a3"}, {"b0", "b1", "b2", "b3"});
  WeatResult same = RunWeat(WithAssociations(words), even, {});
  CHECK(same.notes.empty());
  CHECK(same.warnings.empty());  // C(8, 4) = 70 partitions: p can reach 1/70
}

TEST_CASE("WEAT warns on degenerate tests: small sets, few partitions, no variance",
          "[eval][bias]") {
  WeatResult r = RunWeat(Plane(), MakeTest({"x1", "x2", "nope"}, {"y1", "y2"}, {"a"}, {"b"}), {});
  REQUIRE(r.computed);
  CHECK(r.notes.empty());
  // Four sets under four words, then C(4, 2) = 6 partitions: p >= 1/6 whatever the vectors.
  REQUIRE(r.warnings.size() == 5);
  CHECK_THAT(
      r.warnings[0],
      Catch::Contains("set X (X) has 2 words, after 1 missing from the vectors, fewer than 4"));
  CHECK_THAT(r.warnings[2], Catch::Contains("set A (A) has 1 word, fewer than 4"));
  CHECK_THAT(r.warnings[4], Catch::Contains("only 6 partitions"));
  CHECK_THAT(r.warnings[4], Catch::Contains("smallest possible p-value is 1/6 = 0.167"));
  // A small --exact-limit samples the same test; its partitions are still only 6.
  WeatOptions sampled;
  sampled.exact_limit = 1;
  sampled.permutations = 1000;
  WeatResult s = RunWeat(Plane(), MakeTest({"x1", "x2"}, {"y1", "y2"}, {"a"}, {"b"}), sampled);
  CHECK_FALSE(s.p.exact);
  CHECK_THAT(s.warnings.back(), Catch::Contains("only 6 partitions"));
  // x1 and x1copy have the same association: d is 0 by definition, and said to mean nothing.
  WeatResult flat = RunWeat(Plane(), MakeTest({"x1"}, {"x1copy"}, {"a"}, {"b"}), {});
  REQUIRE(flat.computed);
  CHECK(flat.effect_size == 0);
  CHECK_THAT(flat.warnings.back(), Catch::Contains("all associations s(w,A,B) are equal"));
}

TEST_CASE("WEAT exact enumeration agrees with a brute-force count", "[eval][bias]") {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> uniform(-1, 1);
  for (size_t nx : {1u, 3u, 6u, 9u}) {
    std::vector<double> s(12);
    for (double& v : s) v = uniform(rng);
    // Ties on purpose: repeat a value of X in Y.
    s[11] = s[0];
    double observed = 0;
    for (size_t i = 0; i < nx; ++i) observed += s[i];
    int64_t at_least = 0, total = 0;
    for (uint32_t mask = 0; mask < (1u << 12); ++mask) {
      if (static_cast<size_t>(__builtin_popcount(mask)) != nx) continue;
      double sum = 0;
      for (int i = 0; i < 12; ++i) {
        if (mask & (1u << i)) sum += s[i];
      }
      ++total;
      at_least += sum >= observed - 1e-12;
    }
    WeatPValue p = WeatPermutationTest(s, nx, {});
    CHECK(p.exact);
    CHECK(p.partitions == total);
    CHECK(p.at_least == at_least);
  }
}

TEST_CASE("WEAT sampled p-values: seeded, thread-independent, close to exact", "[eval][bias]") {
  // 8 + 8 words: C(16, 8) = 12870 partitions, enumerated by default.
  WordVectors v = RandomVectors(24, 10, 11);
  WeatTest test = MakeTest(Names(0, 8), Names(8, 16), Names(16, 20), Names(20, 24));
  WeatResult exact = RunWeat(v, test, {});
  REQUIRE(exact.p.exact);
  REQUIRE(exact.p.partitions == 12870);

  WeatOptions sampled;
  sampled.exact_limit = 0;  // force sampling
  sampled.permutations = 200000;
  sampled.seed = 5;
  sampled.threads = 1;
  WeatResult one = RunWeat(v, test, sampled);
  sampled.threads = 3;
  WeatResult three = RunWeat(v, test, sampled);
  CHECK_FALSE(one.p.exact);
  CHECK(one.p.partitions == 200000);
  // Same seed: the same draws whatever the thread count.
  CHECK(one.p.at_least == three.p.at_least);
  CHECK(one.p.p_value == three.p.p_value);
  CHECK(one.p.p_value == Approx((one.p.at_least + 1.0) / 200001));
  // Within 5 binomial standard errors of the exact value.
  const double q = exact.p.p_value;
  CHECK(std::abs(one.p.p_value - q) <= 5 * std::sqrt(q * (1 - q) / 200000) + 1e-5);
  // Statistic and effect size do not depend on how p was found.
  CHECK(one.statistic == exact.statistic);
  CHECK(one.effect_size == exact.effect_size);
  // Another seed draws other partitions.
  sampled.seed = 6;
  WeatResult other = RunWeat(v, test, sampled);
  CHECK(other.p.at_least != one.p.at_least);
}

TEST_CASE("WEAT with 25 + 25 targets samples and separates a planted bias", "[eval][bias]") {
  // Targets X lean towards attribute direction e0, Y towards e1.
  const int dim = 16;
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0, 0.3f);
  std::vector<std::string> words;
  std::vector<float> values;
  auto add = [&](const std::string& word, int axis) {
    words.push_back(word);
    for (int j = 0; j < dim; ++j) values.push_back(noise(rng) + (j == axis ? 1.0f : 0.0f));
  };
  for (int i = 0; i < 25; ++i) add(absl::StrCat("x", i), 0);
  for (int i = 0; i < 25; ++i) add(absl::StrCat("y", i), 1);
  for (int i = 0; i < 25; ++i) add(absl::StrCat("a", i), 0);
  for (int i = 0; i < 25; ++i) add(absl::StrCat("b", i), 1);
  WordVectors v(words, dim, values);
  auto names = [](char c) {
    std::vector<std::string> out;
    for (int i = 0; i < 25; ++i) out.push_back(absl::StrCat(std::string(1, c), i));
    return out;
  };
  WeatOptions options;
  options.permutations = 100000;
  WeatResult r = RunWeat(v, MakeTest(names('x'), names('y'), names('a'), names('b')), options);
  REQUIRE(r.computed);
  CHECK_FALSE(r.p.exact);  // C(50, 25) ~ 1.3e14
  CHECK(r.effect_size > 1.5);
  // No sampled partition comes near a planted separation: p = 1 / (m + 1).
  CHECK(r.p.at_least == 0);
  CHECK(r.p.p_value == Approx(1.0 / 100001));
  // Reproducible with the seed.
  WeatResult again = RunWeat(v, MakeTest(names('x'), names('y'), names('a'), names('b')), options);
  CHECK(again.p.p_value == r.p.p_value);
}

TEST_CASE("WEAT reports missing words and leaves them out", "[eval][bias]") {
  WeatResult r =
      RunWeat(Plane(), MakeTest({"x1", "nope", "x2"}, {"y1", "y2", "gone"}, {"a"}, {"b", "zz"}), {});
  REQUIRE(r.computed);
  CHECK(r.missing == std::vector<std::string>{"nope", "gone", "zz"});
  CHECK(r.missing_counts == std::array<int, 4>{1, 1, 0, 1});
  CHECK(r.sizes == std::array<int, 4>{2, 2, 1, 1});
  CHECK(r.statistic == Approx(2.4));  // as without the missing words

  WeatResult empty = RunWeat(Plane(), MakeTest({"x1"}, {"y1"}, {"nothing"}, {"b"}), {});
  CHECK_FALSE(empty.computed);
  CHECK(empty.problem.find("set A") != std::string::npos);
}

TEST_CASE("WEAT lookup is case-insensitive unless asked", "[eval][bias]") {
  WeatTest test = MakeTest({"X1", "x2"}, {"y1", "Y2"}, {"A"}, {"b"});
  WeatResult folded = RunWeat(Plane(), test, {});
  CHECK(folded.missing.empty());
  WeatOptions strict;
  strict.case_sensitive = true;
  WeatResult exact = RunWeat(Plane(), test, strict);
  CHECK(exact.missing == std::vector<std::string>{"X1", "Y2", "A"});
  CHECK_FALSE(exact.computed);
}

TEST_CASE("WEAT tests file: roles, used_in_caliskan2017 and --all-words", "[eval][bias]") {
  TempDir dir;
  WriteFile(dir.File("t.tsv"),
            "#test\trole\tset_name\tword\tused_in_caliskan2017\n"
            "w1\tX\tFlowers\trose\t1\n"
            "w1\tX\tFlowers\tlily\t0\n"
            "w1\tY\tInsects\tant\t1\n"
            "\n"
            "w1\tA\tPleasant\tlove\t1\n"
            "w1\tB\tUnpleasant\thate\t1\r\n"
            "w2\tX\tMy set\tfoo\n"  // four fields: used = 1
            "w2\tY\tOther\tbar\n"
            "w2\tA\tA set\tbaz\n"
            "w2\tB\tB set\tqux\n");
  auto tests = ReadWeatTests(dir.File("t.tsv"), {});
  REQUIRE(tests.ok());
  REQUIRE(tests->size() == 2);
  const WeatTest& w1 = (*tests)[0];
  CHECK(w1.name == "w1");
  CHECK(w1.set_names == std::array<std::string, 4>{"Flowers", "Insects", "Pleasant", "Unpleasant"});
  CHECK(w1.words[kWeatX] == std::vector<std::string>{"rose"});
  CHECK(w1.words[kWeatB] == std::vector<std::string>{"hate"});
  CHECK(w1.left_out_rows == 1);
  CHECK((*tests)[1].set_names[kWeatX] == "My set");

  auto all = ReadWeatTests(dir.File("t.tsv"), {.all_words = true});
  REQUIRE(all.ok());
  CHECK((*all)[0].words[kWeatX] == std::vector<std::string>{"rose", "lily"});
  CHECK((*all)[0].left_out_rows == 0);
}

TEST_CASE("WEAT tests file: malformed rows name the line", "[eval][bias]") {
  TempDir dir;
  auto error_for = [&](const std::string& body) {
    WriteFile(dir.File("bad.tsv"), body);
    auto r = ReadWeatTests(dir.File("bad.tsv"), {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(r.status().message());
  };
  CHECK(error_for("t\tX\tx\tp\nt\tQ\ty\tq\n").find("bad.tsv:2: role 'Q'") != std::string::npos);
  CHECK(error_for("t X x p\n").find("bad.tsv:1: 1 tab-separated fields") != std::string::npos);
  CHECK(error_for("t\tX\tx\tp\t2\n").find(":1: used_in_caliskan2017 is '2'") != std::string::npos);
  CHECK(error_for("t\tX\tx\tp\nt\tX\tother\tq\n").find(":2: set X of t is named 'x'") !=
        std::string::npos);
  CHECK(error_for("t\tX\tx\tp\nt\tX\tx\tp\n").find(":2: 'p' repeats") != std::string::npos);
  CHECK(error_for("t\tX\tx\tp\nt\tY\ty\tq\nt\tA\ta\tr\n").find("test t has no row with role B") !=
        std::string::npos);
  CHECK(error_for("# only a comment\n").find("no tests") != std::string::npos);
  auto missing = ReadWeatTests(dir.File("does-not-exist.tsv"), {});
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("SelectWeatTests keeps the named tests in order, or names the missing one",
          "[eval][bias]") {
  std::vector<WeatTest> tests(3, MakeTest({"x1"}, {"y1"}, {"a"}, {"b"}));
  tests[0].name = "weat1";
  tests[1].name = "weat2";
  tests[2].name = "weat3";
  auto all = SelectWeatTests(tests, {}, "weat.tsv");
  REQUIRE(all.ok());
  CHECK(all->size() == 3);
  const std::vector<std::string> names = {"weat3", "weat1"};
  auto two = SelectWeatTests(tests, names, "weat.tsv");
  REQUIRE(two.ok());
  REQUIRE(two->size() == 2);
  CHECK((*two)[0].name == "weat3");
  CHECK((*two)[1].name == "weat1");
  const std::vector<std::string> bad = {"weat1", "weat9"};
  auto missing = SelectWeatTests(tests, bad, "weat.tsv");
  REQUIRE(missing.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(missing.status().message()) ==
        "no test 'weat9' in weat.tsv (it has: weat1 weat2 weat3)");
}

}  // namespace
}  // namespace wordspace::eval
