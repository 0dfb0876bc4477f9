#include "embeddings/negative_sampler.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "base/random.h"

namespace wordspace::embeddings {
namespace {

TEST_CASE("the noise distribution is unigram^0.75", "[embeddings]") {
  std::vector<int64_t> counts = {1000, 100, 10, 1};
  NegativeSampler sampler(counts, 0.75);
  double norm = 0;
  for (int64_t c : counts) norm += std::pow(static_cast<double>(c), 0.75);
  FastRng rng(5);
  std::vector<int> hits(counts.size());
  const int draws = 400000;
  for (int i = 0; i < draws; ++i) ++hits[sampler.Sample(rng.Next())];
  for (size_t i = 0; i < counts.size(); ++i) {
    double expected = std::pow(static_cast<double>(counts[i]), 0.75) / norm;
    CHECK(sampler.Probability(static_cast<uint32_t>(i)) == Approx(expected));
    // Binomial standard error is at most 0.0008 here; allow 5 of them.
    CHECK(std::fabs(hits[i] / static_cast<double>(draws) - expected) < 0.004);
  }
}

}  // namespace
}  // namespace wordspace::embeddings
