// Tests for embeddings/exact_top_k.{h,cc}: the exact search against a brute-force ranking, with
// exclusions, ties and any thread count.
#include "embeddings/exact_top_k.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "base/cpu_features.h"

namespace wordspace::embeddings::internal {
namespace {

// n unit rows of dimension d (std::mt19937 seeded `seed`).
std::vector<float> UnitRows(int64_t n, int d, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> rows(static_cast<size_t>(n) * d);
  for (int64_t i = 0; i < n; ++i) {
    double norm = 0;
    for (int j = 0; j < d; ++j) {
      rows[i * d + j] = normal(rng);
      norm += double(rows[i * d + j]) * rows[i * d + j];
    }
    for (int j = 0; j < d; ++j)
      rows[i * d + j] = static_cast<float>(rows[i * d + j] / std::sqrt(norm));
  }
  return rows;
}

// `found` is the k best of the n rows for `query` (rows in `skip` left out), as a brute-force
// ranking in double precision gives them.
void CheckAgainstBruteForce(const std::vector<float>& rows, int64_t n, int d, const float* query,
                            const std::vector<int64_t>& skip, int k,
                            const std::vector<Neighbor>& found) {
  std::vector<Neighbor> all;
  for (int64_t r = 0; r < n; ++r) {
    if (std::find(skip.begin(), skip.end(), r) != skip.end()) continue;
    double dot = 0;
    for (int j = 0; j < d; ++j) dot += double(rows[r * d + j]) * query[j];
    all.push_back({r, static_cast<float>(dot)});
  }
  SortAndTruncate(&all, k);
  REQUIRE(found.size() == static_cast<size_t>(k));
  for (int i = 0; i < k; ++i) {
    INFO("rank " << i);
    CHECK(found[i].row == all[i].row);
    CHECK(found[i].score == Approx(all[i].score).margin(1e-5));
  }
}

TEST_CASE("ExactTopK ranks as brute force does, for any thread count", "[embeddings][top_k]") {
  const int d = 24;
  const int64_t n = 3 * kTile + 17;  // several tiles and a partial one
  const int64_t nq = kQueryBlock + 5;
  const int k = 7;
  const std::vector<float> rows = UnitRows(n, d, 1);
  const std::vector<float> queries = UnitRows(nq, d, 2);
  std::vector<std::vector<int64_t>> exclude(nq);
  for (int64_t q = 0; q < nq; ++q) exclude[q] = {q, q + kTile};

  const auto one = ExactTopK(rows.data(), n, d, queries.data(), nq, k, exclude, 1);
  for (int threads : {2, 3, 8}) {
    const auto many = ExactTopK(rows.data(), n, d, queries.data(), nq, k, exclude, threads);
    for (int64_t q = 0; q < nq; ++q) {
      REQUIRE(many[q].size() == one[q].size());
      for (size_t i = 0; i < one[q].size(); ++i) {
        CHECK(many[q][i].row == one[q][i].row);
        CHECK(many[q][i].score == one[q][i].score);
      }
    }
  }
  for (int64_t q = 0; q < nq; ++q) {
    INFO("query " << q);
    CheckAgainstBruteForce(rows, n, d, queries.data() + q * d, {q, q + kTile}, k, one[q]);
  }
}

TEST_CASE("ExactTopK agrees with brute force on every instruction set, for 1 to 5 queries",
          "[embeddings][top_k]") {
  // One to three queries take the row-dot path, more the packed panels: both, on each ISA.
  struct Guard {
    ~Guard() { ClearIsaLimit(); }
  } guard;
  const int d = 37;  // not a multiple of any vector width
  const int64_t n = kTile + 29;
  const int k = 5;
  const std::vector<float> rows = UnitRows(n, d, 3);
  const std::vector<float> queries = UnitRows(5, d, 4);
  for (Isa isa : kAllIsas) {
    if (!SetIsaLimit(isa).ok()) {
      WARN("skipping " << IsaName(isa) << ": this CPU cannot run it");
      continue;
    }
    for (int64_t nq = 1; nq <= 5; ++nq) {
      const auto found = ExactTopK(rows.data(), n, d, queries.data(), nq, k, {}, 2);
      REQUIRE(found.size() == static_cast<size_t>(nq));
      for (int64_t q = 0; q < nq; ++q) {
        INFO(IsaName(isa) << ", " << nq << " queries: query " << q);
        CheckAgainstBruteForce(rows, n, d, queries.data() + q * d, {}, k, found[q]);
      }
    }
  }
}

TEST_CASE("ExactTopK: ties go to the lower row, and fewer rows than k give fewer answers",
          "[embeddings][top_k]") {
  const int d = 4;
  // Rows 0, 2 and 3 are the same vector; row 1 is orthogonal to the query.
  const std::vector<float> rows = {1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
  const std::vector<float> query = {1, 0, 0, 0};
  const auto best = ExactTopK(rows.data(), 4, d, query.data(), 1, 2, {}, 4);
  REQUIRE(best[0].size() == 2);
  CHECK(best[0][0].row == 0);
  CHECK(best[0][1].row == 2);
  const auto all = ExactTopK(rows.data(), 4, d, query.data(), 1, 10, {}, 1);
  REQUIRE(all[0].size() == 4);
  CHECK(all[0][3].row == 1);
}

TEST_CASE("TopK keeps the k best and TileThreads never idles a thread", "[embeddings][top_k]") {
  TopK top(1, 3);
  CHECK(std::isinf(top.Threshold(0)));
  for (int64_t row : {5, 1, 4, 2, 3}) top.Offer(0, static_cast<float>(row), row);
  REQUIRE(top.count(0) == 3);
  CHECK(top.row(0, 0) == 5);
  CHECK(top.row(0, 2) == 3);
  CHECK(top.Threshold(0) == 3.0f);
  CHECK(TileThreads(1, 8) == 1);
  CHECK(TileThreads(2 * kTile, 8) == 2);
  CHECK(TileThreads(100 * kTile, 8) == 8);
  CHECK(TileThreads(0, 8) == 1);
}

}  // namespace
}  // namespace wordspace::embeddings::internal
