#include "eval/lm/next_word_transformer.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "eval/lm/next_word_bench.h"
#include "eval/lm/next_word_eval.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tiny_lm.h"
#include "transformer/checkpoint_io.h"
#include "transformer/evaluation.h"

namespace wordspace::eval {
namespace {

transformer::LmState TinyState(uint64_t seed) {
  // Words w0..w9 at ids 2..11.
  transformer::LmState state = testing::TinyLmState(
      {.vocab_size = 12, .context = 8, .d_model = 16, .layers = 1, .heads = 2}, seed,
      /*first_word=*/0);
  // Larger embeddings than the 0.02 init, so the predictions are far from uniform.
  for (float& x : state.model->param(transformer::kWte)) x *= 40;
  return state;
}

std::vector<int32_t> RandomIds(size_t n) {
  std::mt19937 rng(2);
  std::vector<int32_t> ids(n);
  for (int32_t& id : ids) id = static_cast<int32_t>(rng() % 12);
  return ids;
}

TEST_CASE("TopOfLogProbs keeps the best ids, lower id first on ties", "[eval][lm][next_word]") {
  std::array<int32_t, kTopList> top;
  std::vector<float> lp = {-3, -1, -2, -1, -5, -0.5f, -2, -9, -1};
  TopOfLogProbs(lp, &top);
  CHECK(top == std::array<int32_t, kTopList>{5, 1, 3, 8, 2, 6});
  std::vector<float> few = {-1, -2};
  TopOfLogProbs(few, &top);
  CHECK(top == std::array<int32_t, kTopList>{0, 1, -1, -1, -1, -1});
}

TEST_CASE("The transformer scorer reports the model's own log-probabilities", "[eval][lm][next_word]") {
  TransformerScorer scorer(transformer::LanguageModel::FromState(TinyState(7)), 1);
  CHECK(scorer.default_window() == 8);
  CHECK(scorer.default_stride() == 4);
  CHECK(scorer.unk_id() == 0);
  CHECK(scorer.eos_id() == 1);
  transformer::LanguageModel reference = transformer::LanguageModel::FromState(TinyState(7));
  const std::vector<int32_t> ids = RandomIds(9);
  // One window of 8 inputs scoring targets 3..8, and a shorter one of 5 in the same call.
  std::vector<ScoreWindow> windows = {{std::span<const int32_t>(ids), 2},
                                      {std::span<const int32_t>(ids).subspan(1, 6), 0}};
  std::vector<TargetScore> out(6 + 5);
  REQUIRE(scorer.Score(windows, out).ok());
  std::vector<float> logp(8 * 12);
  REQUIRE(reference.NextTokenLogProbs(std::span<const int32_t>(ids).first(8), 1, 8, logp).ok());
  for (int t = 2; t < 8; ++t) {
    const TargetScore& s = out[t - 2];
    std::span<const float> row(logp.data() + t * 12, 12);
    CHECK(s.log_prob == Approx(row[ids[t + 1]]).margin(1e-6));
    CHECK(s.log_prob_unk == Approx(row[0]).margin(1e-6));
    std::array<int32_t, kTopList> top;
    TopOfLogProbs(row, &top);
    CHECK(s.top == top);
  }
  std::vector<float> logp5(5 * 12);
  REQUIRE(
      reference.NextTokenLogProbs(std::span<const int32_t>(ids).subspan(1, 5), 1, 5, logp5).ok());
  for (int t = 0; t < 5; ++t) {
    CHECK(out[6 + t].log_prob == Approx(logp5[t * 12 + ids[t + 2]]).margin(1e-6));
  }
  // Too long a window, or an id outside the vocabulary, is an error.
  std::vector<int32_t> long_ids = RandomIds(10);
  std::vector<ScoreWindow> too_long = {{long_ids, 0}};
  std::vector<TargetScore> out9(9);
  CHECK_FALSE(scorer.Score(too_long, out9).ok());
  std::vector<int32_t> bad = {1, 2, 12};
  std::vector<ScoreWindow> bad_window = {{bad, 0}};
  std::vector<TargetScore> out2(2);
  CHECK_FALSE(scorer.Score(bad_window, out2).ok());
}

TEST_CASE("lm-bench's transformer perplexity equals the trainer's evaluation",
          "[eval][lm][next_word]") {
  TransformerScorer scorer(transformer::LanguageModel::FromState(TinyState(11)), 2);
  transformer::LmState ref = TinyState(11);
  const std::vector<int32_t> ids = RandomIds(301);
  auto counts = EvaluateNextWord(&scorer, ids, {});
  REQUIRE(counts.ok());
  transformer::EvalOptions o;
  o.stride = 4;
  transformer::NllResult r = transformer::EvaluateNll(*ref.model, ids, o, 1);
  CHECK(counts->targets == 300);
  CHECK(r.targets == 300);
  CHECK(counts->perplexity() == Approx(r.perplexity()).epsilon(1e-5));
}

TEST_CASE("lm-bench opens transformer checkpoints by their magic", "[eval][lm][next_word]") {
  testing::TempDir dir;
  transformer::LmState state = TinyState(5);
  REQUIRE(transformer::WriteCheckpoint(state, dir.File("m.lm")).ok());
  auto scorer = OpenNextWordModel(dir.File("m.lm"), {.threads = 1});
  REQUIRE(scorer.ok());
  CHECK((*scorer)->vocabulary().size() == 12);
  CHECK((*scorer)->Describe().find("transformer") != std::string::npos);
  testing::WriteFile(dir.File("t.txt"), "w1 w2 w3 zz w4\nw5 w6 w7 w8 w9 w0 w1 w2 w3\n");
  std::vector<NextWordModelEntry> models;
  models.push_back({"lm", std::move(*scorer)});
  auto rows = RunNextWordBench(models, {dir.File("t.txt")}, {});
  REQUIRE(rows.ok());
  CHECK((*rows)[0].counts.targets == 15);
  CHECK((*rows)[0].counts.known == 14);
  // A damaged checkpoint is reported, not loaded.
  std::string bytes = testing::ReadFile(dir.File("m.lm"));
  bytes[bytes.size() / 2] ^= 1;
  testing::WriteFile(dir.File("bad.lm"), bytes);
  CHECK_FALSE(OpenNextWordModel(dir.File("bad.lm"), {}).ok());
}

}  // namespace
}  // namespace wordspace::eval
