#include "embeddings/negative_sampler.h"

#include <cmath>

#include "base/check.h"

namespace wordspace::embeddings {

NegativeSampler::NegativeSampler(const std::vector<int64_t>& counts, double power)
    : size_(counts.size()),
      threshold_(counts.size()),
      alias_(counts.size()),
      probability_(counts.size()) {
  CHECK(!counts.empty());
  double total = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    probability_[i] = std::pow(static_cast<double>(counts[i]), power);
    total += probability_[i];
  }
  // Vose: scale probabilities by n, pair each under-full bucket with an over-full donor.
  const size_t n = counts.size();
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    probability_[i] /= total;
    scaled[i] = probability_[i] * static_cast<double>(n);
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  auto to_threshold = [](double p) {
    return p >= 1.0 ? 0xFFFFFFFFu : static_cast<uint32_t>(p * 4294967296.0);
  };
  while (!small.empty() && !large.empty()) {
    uint32_t s = small.back();
    small.pop_back();
    uint32_t l = large.back();
    threshold_[s] = to_threshold(scaled[s]);
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (uint32_t i : large) {
    threshold_[i] = 0xFFFFFFFFu;
    alias_[i] = i;
  }
  for (uint32_t i : small) {  // only rounding leftovers
    threshold_[i] = 0xFFFFFFFFu;
    alias_[i] = i;
  }
}

}  // namespace wordspace::embeddings
