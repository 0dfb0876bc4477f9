// The whole model: gradient check of the loss with respect to a sample of the parameters of
// every tensor, thread-count independence, and a tiny model that memorises a text.
#include "transformer/model.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <vector>

#include "grad_check.h"
#include "tests/testing/tiny_lm.h"
#include "transformer/language_model.h"
#include "transformer/trainer.h"

namespace wordspace::transformer {
namespace {

using testing::CheckGradient;
using testing::GradCheckResult;
using testing::SampleIndices;

ModelConfig TinyConfig(bool tied) {
  ModelConfig c;
  c.vocab_size = 11;
  c.context = 6;
  c.d_model = 8;
  c.layers = 2;
  c.heads = 2;
  c.tied = tied;
  return c;
}

// Random init scaled up (std 0.2 rather than 0.02), LayerNorm and biases perturbed, so that
// every path carries a gradient well above the finite-difference noise. SwiGLU's gate and up
// weights start at std 1/sqrt(C) already and keep it: ten times that saturates the block, and
// finite differences then measure curvature rather than the gradient.
void WideInit(Model& model, uint64_t seed) {
  model.InitRandom(seed);
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::normal_distribution<float> n(0.0f, 0.1f);
  const bool swiglu = model.config().feed_forward == FeedForwardKind::kSwiGlu;
  for (int i = 0; i < kNumParamTensors; ++i) {
    const TensorInfo& t = model.layout().tensor(i);
    const float widen = swiglu && i == kFcW ? 1.0f : 10.0f;
    for (float& x : model.param(i)) {
      x = t.shape.size() >= 2 && t.weight_decay ? widen * x : x + n(rng);
    }
  }
}

// The block's parts one at a time and all together, on TinyConfig(tied).
struct Variant {
  const char* name;
  NormKind norm = NormKind::kLayerNorm;
  PositionKind positions = PositionKind::kLearned;
  FeedForwardKind feed_forward = FeedForwardKind::kGelu;
  bool biases = true;
};
const Variant kVariants[] = {
    {"rmsnorm", NormKind::kRmsNorm},
    {"rope", NormKind::kLayerNorm, PositionKind::kRotary},
    {"swiglu", NormKind::kLayerNorm, PositionKind::kLearned, FeedForwardKind::kSwiGlu},
    {"no biases", NormKind::kLayerNorm, PositionKind::kLearned, FeedForwardKind::kGelu, false},
    {"modern", NormKind::kRmsNorm, PositionKind::kRotary, FeedForwardKind::kSwiGlu, false},
};
ModelConfig WithVariant(ModelConfig c, const Variant& v) {
  c.norm = v.norm;
  c.positions = v.positions;
  c.feed_forward = v.feed_forward;
  c.biases = v.biases;
  return c;
}

// The finite-difference step: 4e-2 left a truncation error of 1% on a bias gradient of the
// rotary block (sharper attention under the wide init); 2e-2 stays well above float noise.
constexpr float kStep = 2e-2f;

void CheckModelGradient(const ModelConfig& config) {
  const bool tied = config.tied;
  INFO(config.ArchitectureName());
  Model model(config);
  WideInit(model, 3);
  const int B = 2, T = 6;
  std::vector<int32_t> inputs = {1, 4, 2, 9, 10, 0, 3, 3, 7, 1, 5, 8};
  std::vector<int32_t> targets = {4, 2, 9, 10, 0, 6, 3, 7, 1, 5, 8, 2};
  model.ForwardBackward(inputs.data(), targets.data(), B, T, 1);
  const std::vector<float> grads(model.grads().begin(), model.grads().end());
  auto loss = [&] {
    return static_cast<double>(model.Loss(inputs.data(), targets.data(), B, T, 1));
  };
  int controls = 0, tensors = 0;
  for (int i = 0; i < kNumParamTensors; ++i) {
    const TensorInfo& t = model.layout().tensor(i);
    if (t.size == 0) continue;
    ++tensors;
    float* p = model.params().data() + t.offset;
    const float* g = grads.data() + t.offset;
    const std::vector<size_t> idx = SampleIndices(t.size, 12, 100 + i);
    GradCheckResult r = CheckGradient(loss, p, g, idx, kStep, 3e-3, 5e-5);
    INFO((tied ? "tied " : "untied ") << t.name << ": " << r.checked << " checked, max abs error "
                                      << r.max_abs_error << "; " << r.first_failure);
    CHECK(r.failed == 0);
    // The check must reject a 3% error on the largest sampled gradient.
    size_t worst = idx[0];
    for (size_t k : idx) {
      if (std::fabs(g[k]) > std::fabs(g[worst])) worst = k;
    }
    if (std::fabs(g[worst]) > 1e-2) {
      std::vector<float> wrong(g, g + t.size);
      wrong[worst] *= 1.03f;
      CHECK(CheckGradient(loss, p, wrong.data(), {worst}, kStep, 3e-3, 5e-5).failed == 1);
      ++controls;
    }
  }
  // The negative control ran on most tensors (those with a sampled gradient above 1e-2).
  INFO(controls << " of " << tensors << " tensors had a negative control");
  CHECK(controls * 4 >= tensors * 3);
}

TEST_CASE("Whole-model gradient matches finite differences (tied)", "[transformer][model]") {
  CheckModelGradient(TinyConfig(true));
}

TEST_CASE("Whole-model gradient matches finite differences (untied)", "[transformer][model]") {
  CheckModelGradient(TinyConfig(false));
}

TEST_CASE("Every modern part's whole-model gradient matches finite differences",
          "[transformer][model]") {
  for (const Variant& v : kVariants) {
    INFO(v.name);
    CheckModelGradient(WithVariant(TinyConfig(true), v));
  }
  CheckModelGradient(WithVariant(TinyConfig(false), kVariants[4]));
}

TEST_CASE("The modern parts' tensors: what goes, what stays the same size", "[transformer][model]") {
  ModelConfig classic;
  classic.vocab_size = 1000;
  const ParameterLayout a(classic);
  // Rotary positions drop wpe; no biases drops every bias; RMSNorm drops LayerNorm's biases.
  const ParameterLayout rope(WithVariant(classic, kVariants[1]));
  CHECK(rope.tensor(kWpe).size == 0);
  CHECK(a.num_parameters() - rope.num_parameters() == a.tensor(kWpe).size);
  const ParameterLayout rms(WithVariant(classic, kVariants[0]));
  for (int i : {kLn1B, kLn2B, kLnfB}) CHECK(rms.tensor(i).size == 0);
  CHECK(rms.tensor(kQkvB).size == a.tensor(kQkvB).size);
  const ParameterLayout bare(WithVariant(classic, kVariants[3]));
  for (int i : {kLn1B, kQkvB, kAttProjB, kLn2B, kFcB, kFcProjB, kLnfB}) {
    CHECK(bare.tensor(i).size == 0);
  }
  // SwiGLU at 8C/3 (rounded to 16: 336 for C = 128) holds about GELU's 8C^2 weights per layer.
  const ModelConfig swiglu = WithVariant(classic, kVariants[2]);
  CHECK(swiglu.FfHidden() == 336);
  const ParameterLayout s(swiglu);
  const double gelu_ff = a.tensor(kFcW).size + a.tensor(kFcProjW).size;
  const double swiglu_ff = s.tensor(kFcW).size + s.tensor(kFcProjW).size;
  CHECK(std::fabs(swiglu_ff / gelu_ff - 1) < 0.02);
  // Views of absent tensors are null, so that the ops skip them.
  Model m(WithVariant(TinyConfig(true), kVariants[4]));
  const ParameterViews p = m.param_views();
  CHECK((p.wpe == nullptr && p.ln1b == nullptr && p.qkvb == nullptr && p.fcb == nullptr &&
         p.lnfb == nullptr));
  CHECK(p.fcw != nullptr);
  // --block's names set the four parts at once.
  ModelConfig named = classic;
  REQUIRE(named.SetBlock("modern").ok());
  const ModelConfig modern = WithVariant(classic, kVariants[4]);
  CHECK((named.norm == modern.norm && named.positions == modern.positions &&
         named.feed_forward == modern.feed_forward && named.biases == modern.biases));
  REQUIRE(named.SetBlock("classic").ok());
  CHECK(named.IsClassic());
  CHECK_THAT(std::string(named.SetBlock("gpt5").message()), Catch::Contains("classic or modern"));
  // A rotary head turns pairs: an odd head size is refused by name.
  ModelConfig odd = WithVariant(TinyConfig(true), kVariants[1]);
  odd.d_model = 6;
  odd.heads = 2;
  CHECK_THAT(std::string(odd.Validate().message()), Catch::Contains("even"));
}

TEST_CASE("Model results do not depend on the thread count", "[transformer][model]") {
  ModelConfig c;
  c.vocab_size = 301;
  c.context = 16;
  c.d_model = 32;
  c.layers = 2;
  c.heads = 4;
  const int B = 5, T = 16;
  std::mt19937 rng(9);
  std::vector<int32_t> inputs(B * T), targets(B * T);
  for (auto& x : inputs) x = rng() % c.vocab_size;
  for (auto& x : targets) x = rng() % c.vocab_size;
  const bool modern = GENERATE(false, true);
  if (modern) c = WithVariant(c, kVariants[4]);
  INFO(c.ArchitectureName());
  auto run = [&](int threads) {
    Model m(c);
    m.InitRandom(4);
    m.set_chunk_rows(24);  // several chunks, the last one partial
    const float loss = m.ForwardBackward(inputs.data(), targets.data(), B, T, threads);
    std::vector<float> g(m.grads().begin(), m.grads().end());
    g.push_back(loss);
    return g;
  };
  const auto a = run(1), b = run(2), d = run(3);
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  CHECK(std::memcmp(a.data(), d.data(), a.size() * sizeof(float)) == 0);
}

TEST_CASE("Frozen embeddings get no gradient and no update", "[transformer][model]") {
  LmState state;
  state.model = std::make_unique<Model>(TinyConfig(false));
  state.model->InitRandom(1);
  state.words = {"<unk>", "</s>", "a", "b", "c", "d", "e", "f", "g", "h", "i"};
  state.train.steps = 5;
  state.train.freeze_embeddings = true;
  state.has_optimizer = true;
  state.adam_m = AlignedBuffer(state.model->layout().buffer_size());
  state.adam_v = AlignedBuffer(state.model->layout().buffer_size());
  const std::vector<float> wte0(state.model->param(kWte).begin(), state.model->param(kWte).end());
  const std::vector<float> head0(state.model->param(kHead).begin(),
                                 state.model->param(kHead).end());
  std::vector<int32_t> x = {1, 2, 3, 4, 5, 6}, y = {2, 3, 4, 5, 6, 7};
  TrainStep(&state, x.data(), y.data(), 1, 6, 1e-2, 1);
  for (float g : state.model->grad(kWte)) CHECK(g == 0.0f);
  CHECK(std::vector<float>(state.model->param(kWte).begin(), state.model->param(kWte).end()) ==
        wte0);
  // The untied output layer still trains.
  CHECK(std::vector<float>(state.model->param(kHead).begin(), state.model->param(kHead).end()) !=
        head0);
}

LmState FreshState(const ModelConfig& config) {
  LmState state;
  state.model = std::make_unique<Model>(config);
  state.model->InitRandom(1);
  state.words = {"<unk>", "</s>", "a", "b", "c", "d", "e", "f", "g", "h", "i"};
  state.train.steps = 5;
  state.has_optimizer = true;
  state.adam_m = AlignedBuffer(state.model->layout().buffer_size());
  state.adam_v = AlignedBuffer(state.model->layout().buffer_size());
  return state;
}

std::vector<float> Tensor(Model& model, int i) {
  return {model.param(i).begin(), model.param(i).end()};
}

TEST_CASE("Embeddings frozen for the first steps train after them", "[transformer][model]") {
  LmState state = FreshState(TinyConfig(true));
  state.train.freeze_embeddings_steps = 2;
  const std::vector<float> wte0 = Tensor(*state.model, kWte);
  const std::vector<float> qkv0 = Tensor(*state.model, kQkvW);
  std::vector<int32_t> x = {1, 2, 3, 4, 5, 6}, y = {2, 3, 4, 5, 6, 7};
  for (int step = 0; step < 2; ++step) TrainStep(&state, x.data(), y.data(), 1, 6, 1e-2, 1);
  CHECK(Tensor(*state.model, kWte) == wte0);  // tied: the output layer waited too
  CHECK(Tensor(*state.model, kQkvW) != qkv0);
  TrainStep(&state, x.data(), y.data(), 1, 6, 1e-2, 1);
  CHECK(Tensor(*state.model, kWte) != wte0);
}

TEST_CASE("The embeddings' learning-rate scale scales their update only", "[transformer][model]") {
  // One AdamW step from zero moments: every tensor's change is proportional to its learning
  // rate (the step and the decoupled weight decay), so half the rate is half the change.
  auto one_step = [](double scale) {
    LmState state = FreshState(TinyConfig(false));
    state.train.embedding_lr_scale = scale;
    std::vector<int32_t> x = {1, 2, 3, 4, 5, 6}, y = {2, 3, 4, 5, 6, 7};
    TrainStep(&state, x.data(), y.data(), 1, 6, 1e-2, 1);
    return std::make_pair(Tensor(*state.model, kWte), Tensor(*state.model, kHead));
  };
  LmState start = FreshState(TinyConfig(false));
  const std::vector<float> wte0 = Tensor(*start.model, kWte);
  const auto [full_wte, full_head] = one_step(1.0);
  const auto [half_wte, half_head] = one_step(0.5);
  CHECK(half_head == full_head);  // the untied output layer keeps --lr
  double moved = 0;
  for (size_t i = 0; i < wte0.size(); ++i) {
    CHECK(half_wte[i] - wte0[i] == Approx(0.5 * (full_wte[i] - wte0[i])).margin(1e-7));
    moved = std::max(moved, std::fabs(double{full_wte[i]} - wte0[i]));
  }
  CHECK(moved > 1e-3);
}

// A short repetitive text: every word is determined by the two before it.
std::vector<int32_t> RepetitiveIds(const std::vector<std::string>& words, int repeats) {
  const std::vector<std::string> line = {"the", "cat", "sat", "on",  "the",
                                         "mat", "and", "the", "dog", "ran"};
  std::vector<int32_t> ids;
  for (int r = 0; r < repeats; ++r) {
    for (const std::string& w : line) {
      ids.push_back(static_cast<int32_t>(std::find(words.begin(), words.end(), w) - words.begin()));
    }
    ids.push_back(kEosId);
  }
  return ids;
}

TEST_CASE("A tiny model memorises a repetitive text and generates it back",
          "[transformer][model]") {
  LmState state;
  state.words = {"<unk>", "</s>", "the", "cat", "sat", "on", "mat", "and", "dog", "ran"};
  ModelConfig c;
  c.vocab_size = static_cast<int>(state.words.size());
  c.context = 16;
  c.d_model = 32;
  c.layers = 2;
  c.heads = 2;
  state.model = std::make_unique<Model>(c);
  state.model->InitRandom(5);
  state.train.batch = 8;
  state.train.steps = 300;
  state.train.seed = 5;
  state.train.optimizer.lr = 1e-2;
  state.train.optimizer.warmup = 20;
  state.train.optimizer.weight_decay = 0.0;
  const std::vector<int32_t> ids = RepetitiveIds(state.words, 60);
  TrainRunOptions run;
  run.threads = 2;
  auto result = Train(&state, ids, &ids, run);
  REQUIRE(result.ok());
  INFO("final training loss " << result->final_loss << ", valid loss " << result->valid_loss);
  CHECK(result->steps == 300);
  CHECK(result->final_loss < 0.05);
  CHECK(result->has_valid);
  // The first two words of a line are the only uncertain ones... and only after </s> ran:
  // with context, everything is determined, so the held-out loss on the same text is tiny too.
  CHECK(result->valid_loss < 0.1);

  LanguageModel lm = LanguageModel::FromState(std::move(state));
  std::vector<int32_t> prompt = lm.EncodeLine("the cat sat on the");
  auto top = lm.TopK(prompt, 3);
  REQUIRE(top.size() == 3);
  CHECK(lm.word(top[0].first) == "mat");
  CHECK(top[0].second > 0.9f);
  CHECK(top[0].second >= top[1].second);
  // Greedy-like sampling (top-1) reproduces the text, across the line end.
  LanguageModel::SampleOptions opts;
  opts.tokens = 13;
  opts.top_k = 1;
  std::vector<int32_t> out = lm.Sample(prompt, opts);
  std::ostringstream text;
  for (int32_t id : out) text << lm.word(id) << ' ';
  CHECK(text.str() == "mat and the dog ran </s> the cat sat on the mat and ");
  // Sampling is reproducible for a seed.
  opts.top_k = 0;
  opts.temperature = 1.5;
  opts.seed = 42;
  CHECK(lm.Sample(prompt, opts) == lm.Sample(prompt, opts));
}

TEST_CASE("TopK and Sample can leave <unk> out", "[transformer][model]") {
  LmState state = wordspace::testing::TinyLmState(
      {.vocab_size = 12, .context = 8, .d_model = 16, .layers = 1, .heads = 2}, 7);
  wordspace::testing::WidenWeights(state.model.get(), 7);
  LanguageModel lm = LanguageModel::FromState(std::move(state));
  const std::vector<int32_t> prompt = {kEosId, 4, 5};
  const auto all = lm.TopK(prompt, 12);
  const auto known = lm.TopK(prompt, 12, /*skip_unk=*/true);
  REQUIRE(all.size() == 12);
  REQUIRE(known.size() == 11);
  // The same ranking and probabilities with <unk> taken out (not renormalised).
  std::vector<std::pair<int32_t, float>> expected;
  for (const auto& p : all) {
    if (p.first != kUnkId) expected.push_back(p);
  }
  CHECK(known == expected);
  CHECK(lm.TopK(prompt, 3, true).size() == 3);

  // A flat distribution (temperature 20) draws every word, <unk> too, unless told not to.
  LanguageModel::SampleOptions opts;
  opts.tokens = 300;
  opts.temperature = 20;
  opts.seed = 3;
  const std::vector<int32_t> drawn = lm.Sample(prompt, opts);
  CHECK(std::count(drawn.begin(), drawn.end(), kUnkId) > 0);
  opts.no_unk = true;
  const std::vector<int32_t> clean = lm.Sample(prompt, opts);
  REQUIRE(clean.size() == 300);
  CHECK(std::count(clean.begin(), clean.end(), kUnkId) == 0);
  // With top-k, k real words: top-1 without <unk> is the best other word.
  opts.top_k = 1;
  opts.tokens = 1;
  CHECK(lm.Sample(prompt, opts) == std::vector<int32_t>{known[0].first});
}

TEST_CASE("ModelConfig validation names the bad field", "[transformer][model]") {
  ModelConfig c = TinyConfig(true);
  CHECK(c.Validate().ok());
  c.heads = 3;
  CHECK(absl::IsInvalidArgument(c.Validate()));
  CHECK(std::string(c.Validate().message()).find("--heads") != std::string::npos);
  c = TinyConfig(true);
  c.vocab_size = 2;
  CHECK(!c.Validate().ok());
}

TEST_CASE("FLOPs per token count the model's own products", "[transformer][model]") {
  // Counted from the parameter layout, not from the formula: every decayed tensor but wpe is a
  // weight matrix that each token multiplies once (wte as the tied output layer; wpe is a
  // lookup), a multiply-add per weight, 2 FLOP; attention adds, per layer and token, the scores
  // q·k and the weighted sum of v over T positions, C multiply-adds each. Backward costs twice
  // the forward, so training is 3x. A model that gains or reshapes a product fails this test.
  ModelConfig c;
  c.vocab_size = 20002;
  c.context = 64;
  c.d_model = 128;
  c.layers = 4;
  c.heads = 4;
  const ParameterLayout layout(c);
  double weight_macs = 0;
  for (const TensorInfo& t : layout.tensors()) {
    if (t.weight_decay && t.name != "wpe") weight_macs += static_cast<double>(t.size);
  }
  const double attention_macs = c.layers * 2.0 * c.context * c.d_model;
  CHECK(c.TrainFlopsPerToken() == 3 * 2 * (weight_macs + attention_macs));
  // The SwiGLU block's three feed-forward matrices, counted the same way (no wpe to skip).
  const ModelConfig m = WithVariant(c, kVariants[4]);
  const ParameterLayout modern(m);
  double modern_macs = 0;
  for (const TensorInfo& t : modern.tensors()) {
    if (t.weight_decay && t.name != "wpe") modern_macs += static_cast<double>(t.size);
  }
  CHECK(m.TrainFlopsPerToken() == 3 * 2 * (modern_macs + attention_macs));
}

}  // namespace
}  // namespace wordspace::transformer
