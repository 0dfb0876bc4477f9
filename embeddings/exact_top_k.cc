#include "embeddings/exact_top_k.h"

#include "embeddings/inner_product_kernel.h"

namespace wordspace::embeddings::internal {

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
