#include "embeddings/hierarchical_softmax_loss.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace wordspace::embeddings {
namespace {

constexpr int kDim = 16;
constexpr int kStride = 16;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Random inner-node rows and an input with scores well inside ±kMaxScore.
struct Setup {
  std::vector<int64_t> counts = {40, 30, 20, 10, 5, 3, 2, 1};
  HuffmanTree tree = HuffmanTree::Build(counts);
  SigmoidTables tables;
  std::vector<float> output;
  std::vector<float> in;
  Setup() {
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-0.3f, 0.3f);
    output.resize(static_cast<size_t>(tree.inner_nodes()) * kStride);
    for (float& x : output) x = u(rng);
    in.resize(kStride);
    for (float& x : in) x = u(rng);
  }
  double Score(uint32_t node) const {
    double s = 0;
    for (int k = 0; k < kDim; ++k) s += in[k] * output[node * kStride + k];
    return s;
  }
};

TEST_CASE("Pair's input gradient is alpha times minus the gradient of the path's log loss",
          "[embeddings][hs]") {
  Setup s;
  for (uint32_t target = 0; target < 8; ++target) {
    INFO("target " << target);
    // The exact loss is L = −Σ_d log σ(±in·node_d), + for label 1 (code 0): ∂L/∂in =
    // Σ_d (σ(in·node_d) − label_d)·node_d. Pair's gradient, before its row updates, is −alpha
    // times that with σ from the table.
    std::vector<double> exact(kDim, 0.0);
    double exact_loss = 0;
    const auto code = s.tree.Code(target);
    const auto points = s.tree.Points(target);
    for (size_t d = 0; d < code.size(); ++d) {
      const double score = s.Score(points[d]);
      const double label = 1.0 - code[d];
      exact_loss -= std::log(Sigmoid(label > 0 ? score : -score));
      for (int k = 0; k < kDim; ++k) {
        exact[k] += (Sigmoid(score) - label) * s.output[points[d] * kStride + k];
      }
    }
    std::vector<float> output = s.output, gradient(kStride, 0.0f);
    HierarchicalSoftmaxLoss loss(s.tree, s.tables, output.data(), kStride);
    FastRng rng(1);
    const float alpha = 1e-3f;  // small: the rows barely move between the path's nodes
    const double got_loss = loss.Pair(s.in.data(), target, alpha, kDim, gradient.data(), rng, 0.0);
    CHECK(got_loss == Approx(exact_loss).margin(0.01 * code.size()));
    for (int k = 0; k < kDim; ++k) {
      CHECK(gradient[k] / alpha == Approx(-exact[k]).margin(2e-3 * code.size()));
    }
    // Only the path's rows moved.
    for (uint32_t node = 0; node < static_cast<uint32_t>(s.tree.inner_nodes()); ++node) {
      bool on_path = false;
      for (uint32_t p : points) on_path |= p == node;
      const bool moved =
          !std::equal(output.begin() + node * kStride, output.begin() + (node + 1) * kStride,
                      s.output.begin() + node * kStride);
      CHECK(moved == on_path);
    }
  }
}

TEST_CASE("Targets, Gradients and Loss score the target's path as Pair does", "[embeddings][hs]") {
  Setup s;
  std::vector<float> output = s.output;
  HierarchicalSoftmaxLoss loss(s.tree, s.tables, output.data(), kStride);
  std::vector<float*> rows(loss.MaxTargets());
  for (uint32_t target = 0; target < 8; ++target) {
    INFO("target " << target);
    const int T = loss.Targets(target, rows.data());
    REQUIRE(T == static_cast<int>(s.tree.Code(target).size()));
    std::vector<float> scores(T), g(T);
    for (int j = 0; j < T; ++j) {
      CHECK(rows[j] == output.data() + s.tree.Points(target)[j] * kStride);
      scores[j] = static_cast<float>(s.Score(s.tree.Points(target)[j]));
    }
    const float alpha = 0.5f;
    loss.Gradients(scores.data(), 1, T, alpha, g.data());
    double window_loss = 0;
    for (int j = 0; j < T; ++j) {
      const double label = 1.0 - s.tree.Code(target)[j];
      CHECK(g[j] == Approx(alpha * (label - Sigmoid(scores[j]))).margin(2e-3));
      window_loss -= std::log(Sigmoid(label > 0 ? scores[j] : -scores[j]));
    }
    CHECK(loss.Loss(scores.data(), 1, T) == Approx(window_loss).margin(0.01 * T));
  }
  // Beyond ±kMaxScore a node is skipped: no gradient, as word2vec.c does.
  loss.Targets(0, rows.data());
  const float saturated[1] = {kMaxScore + 1};
  float g[1] = {1.0f};
  loss.Gradients(saturated, 1, 1, 0.5f, g);
  CHECK(g[0] == 0.0f);
}

}  // namespace
}  // namespace wordspace::embeddings
