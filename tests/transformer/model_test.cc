// The whole model: gradient check of the loss with respect to a sample of the parameters of
// every tensor, thread-count independence, and a tiny model that memorises a text.
#include "transformer/model.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "grad_check.h"
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
// every path carries a gradient well above the finite-difference noise.
void WideInit(Model& model, uint64_t seed) {
  model.InitRandom(seed);
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::normal_distribution<float> n(0.0f, 0.1f);
  for (int i = 0; i < kNumParamTensors; ++i) {
    const TensorInfo& t = model.layout().tensor(i);
    for (float& x : model.param(i)) x = t.shape.size() >= 2 && t.weight_decay ? 10 * x : x + n(rng);
  }
}

void CheckModelGradient(bool tied) {
  Model model(TinyConfig(tied));
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
    GradCheckResult r = CheckGradient(loss, p, g, idx, 4e-2f, 3e-3, 5e-5);
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
      CHECK(CheckGradient(loss, p, wrong.data(), {worst}, 4e-2f, 3e-3, 5e-5).failed == 1);
      ++controls;
    }
  }
  // The negative control ran on most tensors (those with a sampled gradient above 1e-2).
  INFO(controls << " of " << tensors << " tensors had a negative control");
  CHECK(controls * 4 >= tensors * 3);
}

TEST_CASE("Whole-model gradient matches finite differences (tied)", "[transformer][model]") {
  CheckModelGradient(true);
}

TEST_CASE("Whole-model gradient matches finite differences (untied)", "[transformer][model]") {
  CheckModelGradient(false);
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

// Counts a training token's FLOPs from the model's own weight shapes, not from the formula:
// every matrix product a token goes through is one weight matrix of ParameterLayout (the
// per-layer matrices, shaped (L, out, in), and the output layer, wte's (V, C) when tied), each
// use costing 2·out·in FLOPs forward and twice that backward (the input's and the weight's
// gradients); attention adds, per layer and head of size C/NH, a query-key score over the T
// positions and a weighted sum of T values, 2·T·(C/NH) FLOPs each (T, not the causal mean: the
// PaLM convention torch_tiny_lm.py follows).
double CountedTrainFlopsPerToken(const ModelConfig& c) {
  const ParameterLayout layout(c);
  double weight_macs = 0;
  std::vector<std::string> per_layer_matrices;
  for (const TensorInfo& t : layout.tensors()) {
    if (t.shape.size() == 3) {
      REQUIRE(t.shape[0] == c.layers);
      per_layer_matrices.push_back(t.name);
      weight_macs += static_cast<double>(t.size);
    }
  }
  CHECK(per_layer_matrices == std::vector<std::string>{"qkvw", "attprojw", "fcw", "fcprojw"});
  const TensorInfo& out = layout.tensor(c.tied ? kWte : kHead);
  REQUIRE(out.shape == std::vector<int>{c.vocab_size, c.d_model});
  weight_macs += static_cast<double>(out.size);
  const int head_size = c.d_model / c.heads;
  const double attention_macs =
      static_cast<double>(c.layers) * c.heads * 2.0 * c.context * head_size;
  const double forward = 2.0 * (weight_macs + attention_macs);
  return 3.0 * forward;  // forward + backward (twice the forward)
}

TEST_CASE("FLOPs per token match a count over the model's matrix products",
          "[transformer][model]") {
  auto config = [](int V, int T, int C, int L, int NH) {
    ModelConfig c;
    std::tie(c.vocab_size, c.context, c.d_model, c.layers, c.heads) = std::tie(V, T, C, L, NH);
    return c;
  };
  // bench/transformer_bench.sh's model, which torch_tiny_lm.py also counts; then one with unequal
  // sizes everywhere, so that swapping V, T, C or L in the formula changes the figure.
  const ModelConfig bench = config(20002, 64, 128, 4, 4), odd = config(37, 5, 12, 3, 2);
  for (ModelConfig c : {bench, odd, TinyConfig(true)}) {
    for (bool tied : {true, false}) {
      c.tied = tied;
      INFO("V=" << c.vocab_size << " T=" << c.context << " C=" << c.d_model << " L=" << c.layers
                << " tied=" << tied);
      CHECK(c.TrainFlopsPerToken() == Approx(CountedTrainFlopsPerToken(c)).epsilon(1e-12));
    }
  }
}

}  // namespace
}  // namespace wordspace::transformer
