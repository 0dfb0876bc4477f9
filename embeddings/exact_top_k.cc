#include "embeddings/exact_top_k.h"

#include "base/isa_dispatch.h"
#include "embeddings/inner_product_kernel.h"

namespace wordspace::embeddings::internal {
namespace {

// Below this many queries, rows are scored by direct dot products instead of through packed
// panels: packing transposes every tile of the database, which costs more than the products
// themselves when one to three queries share it (most_similar for one word: 13 ms to 2-3 ms
// on 75,912 x 100 vectors, bench/python_bench.py).
constexpr int64_t kFewQueries = 4;

// out[j] = rows[j] . query for the n rows of a tile. Four rows at a time share each load of the
// query and their four sums run side by side; the compiler vectorises the loops over p.
WORDSPACE_ALWAYS_INLINE void RowDotsBody(const float* rows, int64_t n, int d, const float* query,
                                         float* out) {
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) {
    const float* r0 = rows + j * d;
    const float* r1 = r0 + d;
    const float* r2 = r1 + d;
    const float* r3 = r2 + d;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
    for (int p = 0; p < d; ++p) {
      s0 += r0[p] * query[p];
      s1 += r1[p] * query[p];
      s2 += r2[p] * query[p];
      s3 += r3[p] * query[p];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < n; ++j) {
    const float* row = rows + j * d;
    float s = 0;
#pragma omp simd reduction(+ : s)
    for (int p = 0; p < d; ++p) s += row[p] * query[p];
    out[j] = s;
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2,fma", void, RowDots,
                       (const float* rows, int64_t n, int d, const float* query, float* out),
                       (rows, n, d, query, out))

}  // namespace

void SortAndTruncate(std::vector<Neighbor>* list, int k) {
  std::sort(list->begin(), list->end(), [](const Neighbor& x, const Neighbor& y) {
    return TopK::Better(x.score, x.row, y.score, y.row);
  });
  if (static_cast<int>(list->size()) > k) list->resize(k);
}

std::vector<std::vector<Neighbor>> MergeTopK(const std::vector<TopK>& parts, int64_t queries,
                                             int k) {
  std::vector<std::vector<Neighbor>> out(queries);
  for (int64_t q = 0; q < queries; ++q) {
    std::vector<Neighbor>& list = out[q];
    for (const TopK& part : parts) {
      for (int i = 0; i < part.count(q); ++i) list.push_back({part.row(q, i), part.score(q, i)});
    }
    SortAndTruncate(&list, k);
  }
  return out;
}

std::vector<std::vector<Neighbor>> ExactTopK(const float* rows, int64_t n, int d,
                                             const float* queries, int64_t nq, int k,
                                             std::span<const std::vector<int64_t>> exclude,
                                             int threads) {
  auto excluded = [&](int64_t q) {
    return exclude.empty() ? std::span<const int64_t>() : std::span<const int64_t>(exclude[q]);
  };
  if (nq < kFewQueries) {
    return TiledTopK(n, nq, k, threads, [&](int64_t begin, int64_t end, TopK* top) {
      std::vector<float> products(kTile);
      for (int64_t c0 = begin; c0 < end; c0 += kTile) {
        const int64_t nc = std::min(kTile, end - c0);
        for (int64_t q = 0; q < nq; ++q) {
          RowDots(rows + c0 * d, nc, d, queries + q * d, products.data());
          ScanScores(products.data(), nc, c0, q, excluded(q), {}, top);
        }
      }
    });
  }
  const Isa isa = ActiveIsa();
  return TiledTopK(n, nq, k, threads, [&](int64_t begin, int64_t end, TopK* top) {
    PackedPanel panel;
    std::vector<float> products(kQueryBlock * kTile);
    for (int64_t c0 = begin; c0 < end; c0 += kTile) {
      const int64_t nc = std::min(kTile, end - c0);
      PackRows(rows + c0 * d, nc, d, d, &panel);
      for (int64_t q0 = 0; q0 < nq; q0 += kQueryBlock) {
        const int64_t m = std::min(kQueryBlock, nq - q0);
        MultiplyPacked(queries + q0 * d, m, d, panel, products.data(), kTile, isa);
        for (int64_t i = 0; i < m; ++i) {
          ScanScores(products.data() + i * kTile, nc, c0, q0 + i, excluded(q0 + i), {}, top);
        }
      }
    }
  });
}

}  // namespace wordspace::embeddings::internal
