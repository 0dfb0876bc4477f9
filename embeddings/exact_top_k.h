// Exact top-k search over unit rows, the engine behind VectorIndex's exact ("Flat") queries:
// the database is cut into tiles of kTile rows, threads take whole tiles (base's ParallelFor),
// each tile is packed once and multiplied with blocks of queries by the inner-product kernel,
// and every score is offered to a bounded per-query list (TopK); the per-thread lists are merged
// at the end. Answers are sorted by descending score; ties go to the lower row, so the result
// does not depend on the thread count.
//
//   std::vector<std::vector<Neighbor>> best =
//       internal::ExactTopK(rows, n, d, queries, nq, /*k=*/10, /*exclude=*/{}, threads);
//
// TiledTopK and ScanScores are public for the analogy search, which scores tiles its own way
// (from cosines with the question words) and ranks the same way.
#ifndef WORDSPACE_EMBEDDINGS_EXACT_TOP_K_H_
#define WORDSPACE_EMBEDDINGS_EXACT_TOP_K_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "base/parallel_for.h"

namespace wordspace::embeddings {

// One answer: a row of the vector file and its score (a cosine for neighbours and 3CosAdd, the
// 3CosMul ratio for --method mul).
struct Neighbor {
  int64_t row = -1;
  float score = 0;
};

namespace internal {

// Columns of the database per tile of the exact search: the tile's products for a block of
// queries (kQueryBlock × kTile floats) and the packed tile (d × kTile) stay in L2.
inline constexpr int64_t kTile = 256;
inline constexpr int64_t kQueryBlock = 48;

// The best k (score, row) per query, sorted by descending score then ascending row.
class TopK {
 public:
  TopK(int64_t queries, int k)
      : k_(k),
        scores_(static_cast<size_t>(queries) * k, -std::numeric_limits<float>::infinity()),
        rows_(static_cast<size_t>(queries) * k, -1),
        counts_(queries, 0) {}

  // Scores at or below this cannot enter query q's list.
  float Threshold(int64_t q) const {
    return counts_[q] < k_ ? -std::numeric_limits<float>::infinity() : scores_[q * k_ + k_ - 1];
  }

  void Offer(int64_t q, float score, int64_t row) {
    float* s = scores_.data() + q * k_;
    int64_t* r = rows_.data() + q * k_;
    int n = counts_[q];
    int pos = n < k_ ? n : k_ - 1;
    if (n == k_ && !Better(score, row, s[k_ - 1], r[k_ - 1])) return;
    while (pos > 0 && Better(score, row, s[pos - 1], r[pos - 1])) {
      s[pos] = s[pos - 1];
      r[pos] = r[pos - 1];
      --pos;
    }
    s[pos] = score;
    r[pos] = row;
    if (n < k_) counts_[q] = n + 1;
  }

  int count(int64_t q) const { return counts_[q]; }
  float score(int64_t q, int i) const { return scores_[q * k_ + i]; }
  int64_t row(int64_t q, int i) const { return rows_[q * k_ + i]; }

  static bool Better(float s1, int64_t r1, float s2, int64_t r2) {
    return s1 > s2 || (s1 == s2 && r1 < r2);
  }

 private:
  int k_;
  std::vector<float> scores_;
  std::vector<int64_t> rows_;
  std::vector<int> counts_;
};

inline bool Contains(std::span<const int64_t> list, int64_t row) {
  return std::find(list.begin(), list.end(), row) != list.end();
}

// Offers scores[0, n) (rows row0 + j) to query q, skipping `exclude` and `exclude2`. Chunks of
// 16 are first tested against the threshold as a whole: once a list is full almost every chunk
// is below it, and that test vectorises. Inline: it runs once per tile and query.
inline void ScanScores(const float* scores, int64_t n, int64_t row0, int64_t q,
                       std::span<const int64_t> exclude, std::span<const int64_t> exclude2,
                       TopK* top) {
  for (int64_t j = 0; j < n; j += 16) {
    const int64_t e = std::min<int64_t>(16, n - j);
    const float threshold = top->Threshold(q);
    int any = 0;
    for (int64_t t = 0; t < e; ++t) any |= scores[j + t] > threshold;
    if (!any) continue;
    for (int64_t t = 0; t < e; ++t) {
      const float s = scores[j + t];
      if (!(s > top->Threshold(q))) continue;
      const int64_t row = row0 + j + t;
      if (Contains(exclude, row) || Contains(exclude2, row)) continue;
      top->Offer(q, s, row);
    }
  }
}

// Sorts `list` by descending score (ties: lower row first) and keeps the first k.
void SortAndTruncate(std::vector<Neighbor>* list, int k);

// Merges per-thread lists into sorted answers.
std::vector<std::vector<Neighbor>> MergeTopK(const std::vector<TopK>& parts, int64_t queries,
                                             int k);

// The threads that get at least one tile of rows [0, n) when `threads` are asked for.
inline int TileThreads(int64_t n, int threads) {
  const int64_t tiles = (n + kTile - 1) / kTile;
  return std::max(1, std::min<int>(threads, static_cast<int>(std::max<int64_t>(tiles, 1))));
}

// Splits rows [0, n) into whole tiles over TileThreads(n, threads) parts; body(part, begin, end)
// gets row ranges.
template <typename Body>
void ForTileRanges(int64_t n, int threads, Body&& body) {
  const int64_t tiles = (n + kTile - 1) / kTile;
  ParallelFor(static_cast<size_t>(tiles), TileThreads(n, threads), [&](int t, size_t b, size_t e) {
    body(t, static_cast<int64_t>(b) * kTile, std::min<int64_t>(static_cast<int64_t>(e) * kTile, n));
  });
}

// The k best rows of [0, n) for each of `queries` queries, with rows scored by `body(begin, end,
// top)`: it runs once per part of ForTileRanges (so it allocates its own scratch) and offers the
// scores of rows [begin, end) to `top`, its part's own lists (ScanScores does that). The parts'
// lists are merged at the end.
template <typename Body>
std::vector<std::vector<Neighbor>> TiledTopK(int64_t n, int64_t queries, int k, int threads,
                                             Body&& body) {
  const int used = TileThreads(n, threads);
  std::vector<TopK> parts;
  parts.reserve(used);
  for (int t = 0; t < used; ++t) parts.emplace_back(queries, k);
  ForTileRanges(n, used, [&](int t, int64_t begin, int64_t end) { body(begin, end, &parts[t]); });
  return MergeTopK(parts, queries, k);
}

// The k best of rows [0, n) of `rows` (n × d row-major, rows unit length) for each of the `nq`
// unit `queries` (nq × d), by inner product. `exclude`, when not empty, has one list per query
// of rows never to return. Fewer than k answers only when n < k (plus exclusions).
std::vector<std::vector<Neighbor>> ExactTopK(const float* rows, int64_t n, int d,
                                             const float* queries, int64_t nq, int k,
                                             std::span<const std::vector<int64_t>> exclude,
                                             int threads);

}  // namespace internal
}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_EXACT_TOP_K_H_
