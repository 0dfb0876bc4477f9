#include "embeddings/cbow.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "embeddings/hierarchical_softmax_loss.h"
#include "embeddings/huffman_tree.h"
#include "embeddings/input_rows.h"
#include "embeddings/negative_sampling_loss.h"

namespace wordspace::embeddings {
namespace {

constexpr int kDim = 16;
constexpr int kWords = 6;
const uint32_t kSentence[10] = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1};

std::vector<float> StartInput() {
  std::vector<float> in(kWords * kDim);
  for (int i = 0; i < kWords * kDim; ++i) in[i] = 0.05f * static_cast<float>((i * 7) % 11 - 5);
  return in;
}

std::vector<float> StartOutput(int rows) {
  std::vector<float> out(static_cast<size_t>(rows) * kDim);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = 0.03f * static_cast<float>(static_cast<int>(i * 5 % 13) - 6);
  }
  return out;
}

TEST_CASE("CBOW: the context mean takes one loss step and each context word gets its gradient",
          "[embeddings][cbow]") {
  // Hierarchical softmax draws nothing, so a naive loop written out here can follow it exactly.
  const std::vector<int64_t> counts = {9, 7, 5, 3, 2, 1};
  const HuffmanTree tree = HuffmanTree::Build(counts);
  const SigmoidTables tables;
  std::vector<float> in = StartInput(), out = StartOutput(tree.inner_nodes());
  std::vector<float> ref_in = in, ref_out = out;
  const float alpha = 0.05f;

  const HierarchicalSoftmaxLoss loss(tree, tables, out.data(), kDim);
  std::vector<float> scratch(2 * kDim);
  FastRng rng(3);
  double loss_sum = 0;
  uint64_t windows = 0;
  CbowSentence(kSentence, 10, alpha, kDim, /*window=*/1, WordRows(in.data(), kDim), loss, rng,
               scratch.data(), &loss_sum, &windows);
  CHECK(windows == 10u);
  CHECK(loss_sum > 0);

  // With window 1 the reach is always 1: the neighbours either side.
  for (int i = 0; i < 10; ++i) {
    std::vector<int> contexts;
    if (i > 0) contexts.push_back(i - 1);
    if (i < 9) contexts.push_back(i + 1);
    std::vector<float> mean(kDim, 0.0f), gradient(kDim, 0.0f);
    for (int c : contexts) {
      for (int k = 0; k < kDim; ++k) mean[k] += ref_in[kSentence[c] * kDim + k];
    }
    for (int k = 0; k < kDim; ++k) mean[k] /= static_cast<float>(contexts.size());
    const auto code = tree.Code(kSentence[i]);
    const auto points = tree.Points(kSentence[i]);
    for (size_t d = 0; d < code.size(); ++d) {
      float* node = ref_out.data() + points[d] * kDim;
      float score = 0;
      for (int k = 0; k < kDim; ++k) score += mean[k] * node[k];
      if (std::fabs(score) >= kMaxScore) continue;
      const float g = (1.0f - code[d] - tables.sigmoid[tables.Index(score)]) * alpha;
      for (int k = 0; k < kDim; ++k) gradient[k] += g * node[k];
      for (int k = 0; k < kDim; ++k) node[k] += g * mean[k];
    }
    for (int c : contexts) {
      for (int k = 0; k < kDim; ++k) ref_in[kSentence[c] * kDim + k] += gradient[k];
    }
  }
  for (size_t i = 0; i < in.size(); ++i) CHECK(in[i] == Approx(ref_in[i]).margin(1e-6));
  for (size_t i = 0; i < out.size(); ++i) CHECK(out[i] == Approx(ref_out[i]).margin(1e-6));
  // Words 4 and 5 are not in the sentence: their input rows never move.
  const std::vector<float> start = StartInput();
  for (int k = 4 * kDim; k < kWords * kDim; ++k) CHECK(in[k] == start[k]);
}

TEST_CASE("CBOW with negative sampling trains the target up and the noise down",
          "[embeddings][cbow]") {
  const NegativeSampler sampler({5, 5, 5, 5, 5, 5}, 0.75);
  const SigmoidTables tables;
  std::vector<float> in = StartInput(), out(kWords * kDim, 0.0f);
  const NegativeSamplingLoss loss(sampler, tables, out.data(), kDim, 3);
  std::vector<float> scratch(2 * kDim);
  FastRng rng(5);
  double first_loss = 0, last_loss = 0;
  uint64_t windows = 0;
  for (int pass = 0; pass < 200; ++pass) {
    double pass_loss = 0;
    CbowSentence(kSentence, 10, 0.05f, kDim, 1, WordRows(in.data(), kDim), loss, rng,
                 scratch.data(), &pass_loss, &windows);
    if (pass == 0) first_loss = pass_loss;
    last_loss = pass_loss;
  }
  CHECK(windows == 2000u);
  // Each word's neighbours tell it exactly (0 1 2 3 repeat), so the loss falls far.
  INFO("first pass " << first_loss << ", last " << last_loss);
  CHECK(last_loss < 0.5 * first_loss);
}

}  // namespace
}  // namespace wordspace::embeddings
