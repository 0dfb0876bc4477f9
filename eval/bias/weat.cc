#include "eval/bias/weat.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/check.h"
#include "base/parallel_for.h"
#include "base/random.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "base/xoshiro.h"
#include "corpus/text_reader.h"
#include "eval/bias/bias_words.h"

namespace wordspace::eval {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int ParseRole(std::string_view role) {
  if (role == "X") return kWeatX;
  if (role == "Y") return kWeatY;
  if (role == "A") return kWeatA;
  if (role == "B") return kWeatB;
  return -1;
}

// log C(n, k), for deciding between enumeration and sampling without overflow.
double LogChoose(size_t n, size_t k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

// Counts the k-subsets of `values` whose sum is >= threshold, by depth-first enumeration: each
// subset's sum extends its prefix's sum, so the work is O(number of subsets).
struct SubsetCounter {
  std::span<const double> values;
  double threshold;
  int64_t visited = 0;
  int64_t at_least = 0;

  void Run(size_t start, size_t left, double sum) {
    if (left == 0) {
      ++visited;
      if (sum >= threshold) ++at_least;
      return;
    }
    // Leave room for the `left` elements still to choose.
    for (size_t i = start; i + left <= values.size(); ++i) Run(i + 1, left - 1, sum + values[i]);
  }
};

constexpr int64_t kBlock = 8192;  // sampled partitions per seeded block

// The notes and warnings of a computed result (weat.h: opposite signs, degenerate tests).
void AddWeatNotes(const WeatTest& test, double mean_difference, double std_dev,
                  WeatResult* result) {
  const int nx = result->sizes[kWeatX], ny = result->sizes[kWeatY];
  // Opposite signs need both to be clearly non-zero: below float32 cosines' 7 digits (the
  // p-value's tie tolerance, on the same scale) neither has a sign.
  double sum_abs = 0;
  for (double v : result->associations) sum_abs += std::abs(v);
  const bool statistic_signed = std::abs(result->statistic) > 1e-6 * sum_abs;
  const bool d_signed = std::abs(mean_difference) > 1e-6 * sum_abs / (nx + ny);
  if (std_dev > 0 && statistic_signed && d_signed &&
      (result->statistic > 0) != (mean_difference > 0)) {
    result->notes.push_back(absl::StrCat(
        "the statistic (", absl::StrFormat("%.4g", result->statistic), ") and d (",
        absl::StrFormat("%.2f", result->effect_size), ") have opposite signs because |X| = ", nx,
        " and |Y| = ", ny,
        " differ: the statistic compares sums, which the larger set dominates; d compares "
        "means and gives the direction (",
        result->effect_size > 0 ? "X is closer to A than Y is" : "X is closer to B than Y is",
        "); the p-value agrees with d"));
  }
  for (int role = 0; role < 4; ++role) {
    if (result->sizes[role] >= kWeatMinSetWords) continue;
    std::string missing =
        result->missing_counts[role] > 0
            ? absl::StrCat(", after ", result->missing_counts[role], " missing from the vectors")
            : "";
    result->warnings.push_back(absl::StrCat(
        "set ", WeatRoleName(role), " (", test.set_names[role], ") has ", result->sizes[role],
        result->sizes[role] == 1 ? " word" : " words", missing, ", fewer than ", kWeatMinSetWords,
        ": one word moves its mean as much as the association measured"));
  }
  // The count of possible partitions, not p.partitions: a small --exact-limit can sample a
  // test that has only a handful of them, and sampling cannot beat 1 / C either.
  const double possible = std::round(std::exp(LogChoose(nx + ny, nx)));
  if (1.0 / possible >= kWeatAlpha) {
    result->warnings.push_back(
        absl::StrCat("only ", static_cast<int64_t>(possible), " partitions of X u Y into sets of ",
                     nx, " and ", ny, ": the smallest possible p-value is 1/",
                     static_cast<int64_t>(possible), " = ", absl::StrFormat("%.3g", 1.0 / possible),
                     ", so p < ", kWeatAlpha, " cannot happen whatever the vectors"));
  }
  if (std_dev == 0) {
    result->warnings.push_back(
        "all associations s(w,A,B) are equal: d is 0 and the test measures nothing");
  }
}

}  // namespace

const char* WeatRoleName(int role) {
  static const char* kNames[] = {"X", "Y", "A", "B"};
  return role >= 0 && role < 4 ? kNames[role] : "?";
}

absl::StatusOr<std::vector<WeatTest>> ReadWeatTests(const std::string& path,
                                                   const WeatFileOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<corpus::TextReader> reader, corpus::TextReader::Open(path));
  reader->set_max_line_bytes(corpus::kMaxListLineBytes);
  std::vector<WeatTest> tests;
  absl::flat_hash_map<std::string, size_t> index;
  // Words already seen per (test, role), to reject repeats.
  std::vector<std::array<absl::flat_hash_set<std::string>, 4>> seen;
  std::string line;
  while (true) {
    ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
    if (!got) break;
    std::string_view text = Trim(line);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string_view> fields;
    for (absl::string_view f : absl::StrSplit(ToAbsl(text), '\t')) fields.push_back(Trim(ToStd(f)));
    auto bad = [&](std::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", reader->line_number(), ": ", ToAbsl(why),
          " (expected `test<TAB>role<TAB>set_name<TAB>word[<TAB>used_in_caliskan2017]`)"));
    };
    if (fields.size() != 4 && fields.size() != 5) {
      return bad(absl::StrCat(fields.size(), " tab-separated fields"));
    }
    for (std::string_view f : fields) {
      if (f.empty()) return bad("an empty field");
    }
    int role = ParseRole(fields[1]);
    if (role < 0) return bad(absl::StrCat("role '", ToAbsl(fields[1]), "' is not X, Y, A or B"));
    bool used = true;
    if (fields.size() == 5) {
      if (fields[4] != "0" && fields[4] != "1") {
        return bad(absl::StrCat("used_in_caliskan2017 is '", ToAbsl(fields[4]), "', not 0 or 1"));
      }
      used = fields[4] == "1";
    }
    auto [it, inserted] = index.try_emplace(ToAbsl(fields[0]), tests.size());
    if (inserted) {
      tests.emplace_back();
      tests.back().name = std::string(fields[0]);
      seen.emplace_back();
    }
    WeatTest& test = tests[it->second];
    std::string& set_name = test.set_names[role];
    if (set_name.empty()) {
      set_name = std::string(fields[2]);
    } else if (set_name != fields[2]) {
      return bad(absl::StrCat("set ", WeatRoleName(role), " of ", test.name, " is named '",
                              set_name, "' on an earlier row and '", ToAbsl(fields[2]), "' here"));
    }
    if (!seen[it->second][role].insert(std::string(fields[3])).second) {
      return bad(absl::StrCat("'", ToAbsl(fields[3]), "' repeats in set ", WeatRoleName(role),
                              " of ", test.name));
    }
    if (used || options.all_words) {
      test.words[role].emplace_back(fields[3]);
    } else {
      ++test.left_out_rows;
    }
  }
  if (tests.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no tests"));
  for (const WeatTest& test : tests) {
    for (int role = 0; role < 4; ++role) {
      if (test.set_names[role].empty()) {
        return absl::InvalidArgumentError(absl::StrCat(path, ": test ", test.name,
                                                       " has no row with role ",
                                                       WeatRoleName(role)));
      }
    }
  }
  return tests;
}

WeatPValue WeatPermutationTest(std::span<const double> x_then_y, size_t nx,
                               const WeatOptions& options) {
  const size_t n = x_then_y.size();
  CHECK(nx >= 1 && nx < n);
  // A partition's statistic is 2 * sum(Xi) - total, so comparing sums of |X| values suffices.
  // Choose the smaller side: a k-subset's complement carries the same information.
  const double total = std::accumulate(x_then_y.begin(), x_then_y.end(), 0.0);
  const double observed = std::accumulate(x_then_y.begin(), x_then_y.begin() + nx, 0.0);
  double scale = 0;
  for (double v : x_then_y) scale += std::abs(v);
  // Float32 vectors give cosines to about 7 digits: closer statistics are the same value.
  const double tolerance = 1e-6 * scale;
  const bool complement = nx > n - nx;
  const size_t k = complement ? n - nx : nx;
  // With the complement, sum(Xi) >= observed  <=>  sum(complement) <= total - observed.
  // Negating the values turns that back into a ">=" count.
  std::vector<double> values(x_then_y.begin(), x_then_y.end());
  double threshold = observed - tolerance;
  if (complement) {
    for (double& v : values) v = -v;
    threshold = -(total - observed) - tolerance;
  }

  WeatPValue result;
  const double log_partitions = LogChoose(n, k);
  if (log_partitions <= std::log(std::max(options.exact_limit, 1.0)) + 1e-9) {
    SubsetCounter counter{values, threshold};
    counter.Run(0, k, 0.0);
    result.exact = true;
    result.partitions = counter.visited;
    result.at_least = counter.at_least;
    result.p_value = static_cast<double>(counter.at_least) / static_cast<double>(counter.visited);
    return result;
  }

  const int64_t m = std::max<int64_t>(options.permutations, 1);
  const int64_t blocks = (m + kBlock - 1) / kBlock;
  const int threads = static_cast<int>(std::min<int64_t>(ResolveThreads(options.threads), blocks));
  std::vector<int64_t> counts(threads, 0);
  const uint64_t base_seed = SplitMix64(options.seed);
  ParallelFor(static_cast<size_t>(blocks), threads, [&](int t, size_t begin, size_t end) {
    std::vector<double> pool(values.size());
    int64_t count = 0;
    for (size_t b = begin; b < end; ++b) {
      // Each block restarts from the file order with its own generator: the outcome depends
      // on (seed, block) only.
      std::copy(values.begin(), values.end(), pool.begin());
      FastRng rng(SplitMix64(base_seed ^ (0xD1B54A32D192ED03ull * (b + 1))));
      const int64_t draws = std::min<int64_t>(kBlock, m - static_cast<int64_t>(b) * kBlock);
      const uint32_t size = static_cast<uint32_t>(pool.size());
      for (int64_t d = 0; d < draws; ++d) {
        // Partial Fisher-Yates: pool[0, k) becomes a uniform random k-subset. Starting from
        // the previous draw's order keeps it uniform.
        double sum = 0;
        for (size_t i = 0; i < k; ++i) {
          const uint32_t j = static_cast<uint32_t>(i) + rng.Below(size - static_cast<uint32_t>(i));
          std::swap(pool[i], pool[j]);
          sum += pool[i];
        }
        count += sum >= threshold;
      }
    }
    counts[t] = count;
  });
  result.exact = false;
  result.partitions = m;
  result.at_least = std::accumulate(counts.begin(), counts.end(), int64_t{0});
  result.p_value = static_cast<double>(result.at_least + 1) / static_cast<double>(m + 1);
  return result;
}

WeatResult RunWeat(const embeddings::WordVectors& vectors, const WeatTest& test,
                   const WeatOptions& options) {
  WeatResult result;
  result.test = test.name;
  result.set_names = test.set_names;
  std::array<std::vector<std::vector<double>>, 4> unit;
  for (int role = 0; role < 4; ++role) {
    for (const std::string& word : test.words[role]) {
      int64_t row = LookupWord(vectors, word, options.case_sensitive);
      if (row < 0) {
        result.missing.push_back(word);
        ++result.missing_counts[role];
        continue;
      }
      unit[role].push_back(UnitRow(vectors, row));
    }
    result.sizes[role] = static_cast<int>(unit[role].size());
  }
  for (int role = 0; role < 4; ++role) {
    if (result.sizes[role] == 0) {
      result.problem = absl::StrCat("set ", WeatRoleName(role), " (", test.set_names[role],
                                    ") has no word in the vectors");
      return result;
    }
  }

  auto mean_cosine = [](const std::vector<double>& w, const std::vector<std::vector<double>>& set) {
    double sum = 0;
    for (const std::vector<double>& a : set) {
      sum += std::inner_product(w.begin(), w.end(), a.begin(), 0.0);
    }
    return sum / static_cast<double>(set.size());
  };
  for (int role : {kWeatX, kWeatY}) {
    for (const std::vector<double>& w : unit[role]) {
      result.associations.push_back(mean_cosine(w, unit[kWeatA]) - mean_cosine(w, unit[kWeatB]));
    }
  }
  const size_t nx = result.sizes[kWeatX];
  const size_t n = result.associations.size();
  std::span<const double> s(result.associations);
  const double sum_x = std::accumulate(s.begin(), s.begin() + nx, 0.0);
  const double sum_y = std::accumulate(s.begin() + nx, s.end(), 0.0);
  result.statistic = sum_x - sum_y;
  const double mean = (sum_x + sum_y) / static_cast<double>(n);
  double squares = 0;
  for (double v : s) squares += (v - mean) * (v - mean);
  const double std_dev = std::sqrt(squares / static_cast<double>(n - 1));
  const double mean_difference = sum_x / static_cast<double>(nx) - sum_y / static_cast<double>(n - nx);
  // All associations equal: no difference to scale, and none to find.
  result.effect_size = std_dev > 0 ? mean_difference / std_dev : 0.0;
  result.p = WeatPermutationTest(s, nx, options);
  result.computed = true;
  AddWeatNotes(test, mean_difference, std_dev, &result);
  return result;
}

absl::StatusOr<std::vector<WeatTest>> SelectWeatTests(std::vector<WeatTest> tests,
                                                      std::span<const std::string> names,
                                                      const std::string& tests_path) {
  if (names.empty()) return tests;
  std::vector<WeatTest> selected;
  for (const std::string& name : names) {
    auto it =
        std::find_if(tests.begin(), tests.end(), [&](const WeatTest& t) { return t.name == name; });
    if (it == tests.end()) {
      std::vector<std::string> have;
      for (const auto& t : tests) have.push_back(t.name);
      return absl::InvalidArgumentError(absl::StrCat("no test '", name, "' in ", tests_path,
                                                     " (it has: ", absl::StrJoin(have, " "), ")"));
    }
    selected.push_back(*it);
  }
  return selected;
}

}  // namespace wordspace::eval
