// The Word Embedding Association Test (WEAT; Caliskan, Bryson and Narayanan, Science 2017).
//
// For target word sets X, Y and attribute word sets A, B, with cos the cosine similarity:
//   s(w, A, B)    = mean_{a in A} cos(w, a) - mean_{b in B} cos(w, b)     (association of w)
//   s(X, Y, A, B) = sum_{x in X} s(x, A, B) - sum_{y in Y} s(y, A, B)     (test statistic)
//   d             = (mean_{x in X} s(x,A,B) - mean_{y in Y} s(y,A,B)) / std_{w in X∪Y} s(w,A,B)
// where std is the sample standard deviation (n-1 denominator). d > 0 means X is closer to A
// (and Y to B) than the other way round, the sign convention of Caliskan et al.
//
// The one-sided p-value is the share of partitions (Xi, Yi) of X∪Y, with |Xi| = |X| and
// |Yi| = |Y|, whose statistic is AT LEAST the observed one: P(s(Xi,Yi,A,B) >= s(X,Y,A,B)).
// Caliskan et al. count strictly greater partitions; counting ties (>=) includes the observed
// partition itself, so the p-value is never 0 and an exact test's smallest possible value is
// 1 / C(|X|+|Y|, |X|). A partition's sum within 1e-6 * sum_w |s(w,A,B)| of the observed one is a
// tie: float32 vectors give cosines to about 7 digits, so smaller differences are rounding
// (repeated or rescaled vectors, the same words summed in another order).
//  - Exact: every partition is enumerated when C(|X|+|Y|, |X|) <= WeatOptions::exact_limit
//    (default 1e6: at most a few milliseconds); p = #{>=} / C.
//  - Sampled: otherwise `permutations` random partitions are drawn with the seed, and
//    p = (1 + #{>=}) / (1 + permutations) (Phipson and Smyth, 2010: a sampled permutation
//    p-value must not be 0). The draws are split into fixed blocks with their own seeded
//    generators, so the p-value depends on the seed only, not on the thread count.
// With |X| != |Y| the statistic and d can have opposite signs: the statistic compares sums, which
// the larger set dominates, d compares means. d's sign is the direction of the association, and
// the p-value agrees with it (for fixed set sizes, partitions order the same by their sum, their
// statistic and their mean difference); RunWeat explains such a result in a note.
// RunWeat also warns on degenerate tests: a set of fewer than kWeatMinSetWords words, or so few
// partitions that the smallest possible p-value (1 / C) is at least kWeatAlpha.
// The per-word associations s(w, A, B) are computed once; each partition only re-sums them
// (the statistic of a partition is 2 * sum_{Xi} s - sum_{X∪Y} s).
//
//   ASSIGN_OR_RETURN(std::vector<WeatTest> tests, ReadWeatTests("weat.tsv", {}));
//   ASSIGN_OR_RETURN(WeatResult r, RunWeat(vectors, tests[0], WeatOptions{}));
//   printf("%s d=%.2f p=%.2g\n", r.test.c_str(), r.effect_size, r.p_value);
#ifndef WORDSPACE_EVAL_BIAS_WEAT_H_
#define WORDSPACE_EVAL_BIAS_WEAT_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"

namespace wordspace::eval {

// Below this many words in a set (after leaving out missing words) a test is degenerate: one
// word's vector moves the means as much as the association being measured.
inline constexpr int kWeatMinSetWords = 4;
// The significance level behind the too-few-partitions warning.
inline constexpr double kWeatAlpha = 0.05;

// Index of a word set in WeatTest / WeatResult arrays.
enum WeatRole { kWeatX = 0, kWeatY = 1, kWeatA = 2, kWeatB = 3 };
// "X", "Y", "A", "B".
const char* WeatRoleName(int role);

// One test as read from a tests file.
struct WeatTest {
  std::string name;                           // e.g. "weat1"
  std::array<std::string, 4> set_names;       // e.g. "Flowers", "Insects", "Pleasant", ...
  std::array<std::vector<std::string>, 4> words;
  int left_out_rows = 0;                      // rows marked used_in_caliskan2017=0, left out
};

struct WeatFileOptions {
  bool all_words = false;  // keep rows marked used_in_caliskan2017=0 too
};

// Reads the tab-separated tests format of data/weat.tsv:
//   test <TAB> role <TAB> set_name <TAB> word [<TAB> used_in_caliskan2017]
// role is X, Y, A or B; the last column is 0 or 1 (1 when absent). '#' lines and blank lines
// are skipped. Tests keep the order of their first row. NotFound for a missing file;
// InvalidArgument names the file and line of a malformed row (wrong field count, unknown role,
// a set named differently on two rows, a word repeated in a set) or the test lacking a role.
[[nodiscard]] absl::StatusOr<std::vector<WeatTest>> ReadWeatTests(const std::string& path,
                                                                 const WeatFileOptions& options);

// The tests named in `names`, in that order; all of `tests` when `names` is empty.
// InvalidArgument for a name that is not a test of `tests_path`, listing the ones it has.
[[nodiscard]] absl::StatusOr<std::vector<WeatTest>> SelectWeatTests(
    std::vector<WeatTest> tests, std::span<const std::string> names, const std::string& tests_path);

struct WeatOptions {
  int64_t permutations = 100000;  // sampled partitions when exact enumeration is too large
  uint64_t seed = 1;
  double exact_limit = 1e6;       // enumerate all partitions when their number is <= this
  int threads = 0;                // 0: all cores (sampling only)
  bool case_sensitive = false;    // see LookupWord in eval/bias/bias_words.h
};

struct WeatPValue {
  double p_value = 1;
  bool exact = false;
  int64_t partitions = 0;  // enumerated (exact) or sampled
  int64_t at_least = 0;    // partitions whose statistic is >= the observed one
};

// The p-value from the associations s(w, A, B): `x_then_y` holds the |X| values of X followed
// by those of Y. Requires 1 <= nx < x_then_y.size() (CHECK).
WeatPValue WeatPermutationTest(std::span<const double> x_then_y, size_t nx,
                               const WeatOptions& options);

struct WeatResult {
  std::string test;
  std::array<std::string, 4> set_names;
  std::array<int, 4> sizes{};           // words found in the vectors, per set
  std::vector<std::string> missing;     // words absent from the vectors, in file order
  std::array<int, 4> missing_counts{};  // per set
  bool computed = false;                // false when a set has no word in the vectors
  std::string problem;                  // why it was not computed
  double statistic = 0;
  double effect_size = 0;               // 0 when all associations are equal (std = 0)
  WeatPValue p;
  std::vector<double> associations;     // s(w, A, B) for the X words, then the Y words
  // Explanations of a computed result that looks odd but is right (opposite signs).
  std::vector<std::string> notes;
  // Why the result should not be trusted: sets below kWeatMinSetWords words, too few partitions
  // to reach p < kWeatAlpha, all associations equal.
  std::vector<std::string> warnings;
};

// Runs one test. Words absent from `vectors` are listed in `missing` and left out; a test with
// an empty set after that is returned with computed = false and a `problem`, not as an error.
WeatResult RunWeat(const embeddings::WordVectors& vectors, const WeatTest& test,
                   const WeatOptions& options);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_BIAS_WEAT_H_
