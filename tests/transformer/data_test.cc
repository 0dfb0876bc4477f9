// Vocabulary and corpus encoding, embedding initialisation (PCA, scaling), the optimizer's
// schedule, clipping and update, and sliding-window evaluation.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/testing/temp_dir.h"
#include "transformer/embedding_init.h"
#include "transformer/evaluation.h"
#include "transformer/lm_data.h"
#include "transformer/model.h"
#include "transformer/optimizer.h"

namespace wordspace::transformer {
namespace {

using wordspace::testing::TempDir;
using wordspace::testing::WriteFile;

TEST_CASE("Vocabulary from vectors: specials first, then rows in order", "[transformer][data]") {
  embeddings::WordVectors v({"</s>", "the", "of", "<unk>", "cat"}, 2, std::vector<float>(10, 0.5f));
  CHECK(VocabularyFromVectors(v, 0) ==
        std::vector<std::string>{"<unk>", "</s>", "the", "of", "cat"});
  CHECK(VocabularyFromVectors(v, 2) == std::vector<std::string>{"<unk>", "</s>", "the", "of"});
}

TEST_CASE("Vocabulary from a corpus and from a vocabulary file", "[transformer][data]") {
  TempDir dir;
  const std::string corpus = dir.File("v.txt");
  WriteFile(corpus, "b a b c\nb a\nd\n");
  auto words = VocabularyFromCorpus(corpus, {}, 2);
  REQUIRE(words.ok());
  CHECK(*words == std::vector<std::string>{"<unk>", "</s>", "b", "a"});
  const std::string vocab = dir.File("v.vocab");
  WriteFile(vocab, "x 3\ny 9\nz 1\n");
  auto from_file = VocabularyFromFile(vocab, 2);
  REQUIRE(from_file.ok());
  CHECK(*from_file == std::vector<std::string>{"<unk>", "</s>", "y", "x"});
}

TEST_CASE("Encoding maps unknown words to <unk> and line ends to </s>", "[transformer][data]") {
  TempDir dir;
  const std::string path = dir.File("e.txt");
  WriteFile(path, "the cat sat\nthe dog\n\nzebra the\n");
  const std::vector<std::string> words = {"<unk>", "</s>", "the", "cat", "sat"};
  auto enc = EncodeText(path, words, {});
  REQUIRE(enc.ok());
  CHECK(enc->ids == std::vector<int32_t>{2, 3, 4, 1, 2, 0, 1, 0, 2, 1});
  CHECK(enc->words == 7);
  CHECK(enc->unknown == 2);
  CHECK(enc->lines == 3);
  auto missing = EncodeText(path + ".absent", words, {});
  CHECK(absl::IsNotFound(missing.status()));
}

embeddings::WordVectors RandomVectors(int n, int dim, uint32_t seed, double scale) {
  std::vector<std::string> words;
  for (int i = 0; i < n; ++i) words.push_back(absl::StrCat("w", i));
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> values(static_cast<size_t>(n) * dim);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < dim; ++j)
      values[i * dim + j] = static_cast<float>(scale * g(rng) * (j + 1) + 0.3);
  return embeddings::WordVectors(std::move(words), dim, std::move(values));
}

TEST_CASE("Embedding init standardises to the init scale", "[transformer][data]") {
  const int C = 8;
  embeddings::WordVectors v = RandomVectors(200, C, 1, 0.19);
  std::vector<std::string> words = VocabularyFromVectors(v, 0);
  std::vector<float> wte(words.size() * C, 7.0f);  // 7: "random init" rows that must survive
  auto report = InitEmbeddings(v, words, {}, wte.data(), C);
  REQUIRE(report.ok());
  CHECK(report->found == 200);
  CHECK(!report->pca);
  double sum = 0, sum2 = 0;
  for (size_t i = 2 * C; i < wte.size(); ++i) {
    sum += wte[i];
    sum2 += wte[i] * wte[i];
  }
  const double n = wte.size() - 2 * C;
  CHECK(sum / n == Approx(0.0).margin(1e-6));                // columns centred
  CHECK(std::sqrt(sum2 / n) == Approx(0.02).epsilon(0.01));  // element std 0.02
  // <unk> and </s> have no vector: untouched.
  for (int i = 0; i < 2 * C; ++i) CHECK(wte[i] == 7.0f);
  // Raw keeps the values.
  std::vector<float> raw(words.size() * C, 0.0f);
  REQUIRE(InitEmbeddings(v, words, {.scale = EmbeddingScale::kRaw}, raw.data(), C).ok());
  CHECK(raw[2 * C + 3] == v.row(0)[3]);
  // Unit: rows of norm 0.02 * sqrt(C).
  std::vector<float> unit(words.size() * C, 0.0f);
  REQUIRE(InitEmbeddings(v, words, {.scale = EmbeddingScale::kUnit}, unit.data(), C).ok());
  double norm = 0;
  for (int j = 0; j < C; ++j) norm += unit[5 * C + j] * unit[5 * C + j];
  CHECK(std::sqrt(norm) == Approx(0.02 * std::sqrt(C)).epsilon(1e-5));
}

TEST_CASE("Embedding init reduces larger vectors by PCA and pads smaller ones",
          "[transformer][data]") {
  // Vectors of dimension 6 that live in a 2-D subspace plus tiny noise: PCA to 2 keeps ~all.
  const int n = 300, E = 6;
  std::mt19937 rng(4);
  std::normal_distribution<double> g;
  std::vector<std::string> words;
  std::vector<float> values;
  for (int i = 0; i < n; ++i) {
    words.push_back(absl::StrCat("w", i));
    const double a = g(rng), b = g(rng);
    for (int j = 0; j < E; ++j)
      values.push_back(static_cast<float>(a * (j + 1) + b * (j % 2 ? 1 : -1) + 1e-4 * g(rng)));
  }
  embeddings::WordVectors v(words, E, values);
  std::vector<std::string> model_words = VocabularyFromVectors(v, 0);
  std::vector<float> wte(model_words.size() * 2, 0.0f);
  auto report = InitEmbeddings(v, model_words, {.scale = EmbeddingScale::kRaw}, wte.data(), 2);
  REQUIRE(report.ok());
  CHECK(report->pca);
  CHECK(report->explained_variance > 0.9999);
  // Distances between words are preserved by the projection.
  auto dist6 = [&](int i, int j) {
    double d = 0;
    for (int k = 0; k < E; ++k) d += std::pow(v.row(i)[k] - v.row(j)[k], 2);
    return std::sqrt(d);
  };
  auto dist2 = [&](int i, int j) {
    double d = 0;
    for (int k = 0; k < 2; ++k) d += std::pow(wte[(i + 2) * 2 + k] - wte[(j + 2) * 2 + k], 2);
    return std::sqrt(d);
  };
  CHECK(dist2(0, 1) == Approx(dist6(0, 1)).epsilon(1e-3));
  CHECK(dist2(5, 77) == Approx(dist6(5, 77)).epsilon(1e-3));

  std::vector<float> padded(model_words.size() * 8, 1.0f);
  REQUIRE(InitEmbeddings(v, model_words, {.scale = EmbeddingScale::kRaw}, padded.data(), 8).ok());
  CHECK(padded[2 * 8 + 0] == v.row(0)[0]);
  CHECK(padded[2 * 8 + 6] == 0.0f);
  CHECK(padded[2 * 8 + 7] == 0.0f);

  embeddings::WordVectors other({"x", "y"}, 2, {1, 2, 3, 4});
  CHECK(absl::IsInvalidArgument(InitEmbeddings(other, model_words, {}, padded.data(), 8).status()));
}

TEST_CASE("Learning rate: linear warmup then cosine to min_lr_frac", "[transformer][data]") {
  OptimizerConfig c;
  c.lr = 1e-3;
  c.warmup = 10;
  c.min_lr_frac = 0.1;
  CHECK(LearningRate(c, 0, 0.0) == Approx(1e-4));
  CHECK(LearningRate(c, 9, 0.09) == Approx(1e-3));
  CHECK(LearningRate(c, 10, 0.0) == Approx(1e-3));
  CHECK(LearningRate(c, 50, 0.5) == Approx(1e-3 * (0.1 + 0.9 * 0.5)));
  CHECK(LearningRate(c, 100, 1.0) == Approx(1e-4));
  CHECK(LearningRate(c, 200, 2.0) == Approx(1e-4));
}

TEST_CASE("Gradient clipping scales to the maximum norm", "[transformer][data]") {
  std::vector<float> g = {3, 4, 0, 0};
  CHECK(ClipGradNorm(g, 10.0, 1) == Approx(5.0));
  CHECK(g == std::vector<float>{3, 4, 0, 0});
  CHECK(ClipGradNorm(g, 1.0, 2) == Approx(5.0));
  CHECK(g[0] == Approx(0.6).epsilon(1e-5));
  CHECK(g[1] == Approx(0.8).epsilon(1e-5));
  std::vector<float> h = {3, 4};
  CHECK(ClipGradNorm(h, 0.0, 1) == Approx(5.0));  // 0 disables
  CHECK(h == std::vector<float>{3, 4});
}

TEST_CASE("AdamW step matches the formula", "[transformer][data]") {
  ModelConfig mc;
  mc.vocab_size = 3;
  mc.context = 1;
  mc.d_model = 2;
  mc.layers = 1;
  mc.heads = 1;
  ParameterLayout layout(mc);
  std::vector<float> p(layout.buffer_size(), 0.5f), g(layout.buffer_size(), 0.25f),
      m(layout.buffer_size(), 0.0f), v(layout.buffer_size(), 0.0f);
  OptimizerConfig c;
  c.weight_decay = 0.1;
  const double lr = 0.01;
  std::vector<bool> skip(kNumParamTensors, false);
  skip[kWpe] = true;
  AdamWStep(layout, c, lr, 1, skip, p, g, m, v, 1);
  // Step 1: m = 0.1 g, v = 0.05 g^2; m_hat = g, v_hat = g^2; update = lr * g/(|g| + eps).
  const size_t wte = layout.tensor(kWte).offset, ln = layout.tensor(kLn1W).offset,
               wpe = layout.tensor(kWpe).offset;
  CHECK(p[wte] == Approx(0.5 * (1 - lr * 0.1) - lr * 0.25 / (0.25 + 1e-8)).epsilon(1e-6));
  CHECK(p[ln] == Approx(0.5 - lr * 0.25 / (0.25 + 1e-8)).epsilon(1e-6));  // no decay
  CHECK(p[wpe] == 0.5f);                                                  // skipped
  CHECK(m[wte] == Approx(0.025));
  CHECK(v[wte] == Approx(0.05 * 0.0625));
}

TEST_CASE("Sliding windows score every target exactly once", "[transformer][data]") {
  for (int64_t n_ids : {2, 5, 64, 65, 66, 100, 1000, 1001}) {
    for (int ctx : {1, 4, 64}) {
      for (int stride : {1, 3, 32, 64}) {
        const auto windows = SlidingWindows(n_ids, ctx, stride);
        std::vector<int> scored(n_ids - 1, 0);
        for (const EvalWindow& w : windows) {
          REQUIRE(w.start >= 0);
          REQUIRE(w.start + w.length <= n_ids - 1);
          REQUIRE(w.length <= ctx);
          for (int t = w.first_scored; t < w.length; ++t) scored[w.start + t]++;
        }
        for (int64_t t = 0; t < n_ids - 1; ++t) {
          INFO("n_ids " << n_ids << " ctx " << ctx << " stride " << stride << " target " << t);
          REQUIRE(scored[t] == 1);
        }
      }
    }
  }
  CHECK(SlidingWindows(1, 8, 4).empty());
}

TEST_CASE("A validation budget samples windows spread over the whole text", "[transformer][data]") {
  const int64_t n_ids = 10001;  // 10,000 targets
  const int context = 64;
  const EvalOptions options{.stride = 32, .max_targets = 1000};
  const std::vector<EvalWindow> full = SlidingWindows(n_ids, context, 32);
  const std::vector<EvalWindow> plan = EvalPlan(n_ids, context, options);
  int64_t targets = 0;
  for (const EvalWindow& w : plan) targets += w.length - w.first_scored;
  CHECK(targets >= 1000);
  CHECK(targets < 1000 + context);
  CHECK(EvalTargets(n_ids, context, options) == targets);
  // Windows of the full plan (each keeps its context), in order, reaching the last tenth of the
  // text rather than stopping after its first tenth; the gaps between them are even.
  int64_t last_start = -1;
  for (const EvalWindow& w : plan) {
    CHECK(std::find_if(full.begin(), full.end(), [&](const EvalWindow& f) {
            return f.start == w.start && f.first_scored == w.first_scored;
          }) != full.end());
    CHECK(w.start > last_start);
    last_start = w.start;
  }
  CHECK(plan.front().start == 0);
  CHECK(plan.back().start > 9 * (n_ids - 1) / 10);
  const int64_t gap = plan[1].start - plan[0].start;
  for (size_t i = 1; i < plan.size(); ++i) CHECK(std::llabs(plan[i].start - plan[i - 1].start - gap) <= 32);
  // No budget, or one above the text: the full plan.
  CHECK(EvalPlan(n_ids, context, {.stride = 32}).size() == full.size());
  CHECK(EvalPlan(n_ids, context, {.stride = 32, .max_targets = 20000}).size() == full.size());
  // A text of one window cannot be thinned: that window.
  CHECK(EvalPlan(40, context, {.stride = 32, .max_targets = 5}).size() == 1);
}

TEST_CASE("EvaluateNll equals the mean loss of the scored positions", "[transformer][data]") {
  ModelConfig c;
  c.vocab_size = 7;
  c.context = 4;
  c.d_model = 8;
  c.layers = 1;
  c.heads = 2;
  Model model(c);
  model.InitRandom(2);
  std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6, 0, 1, 2, 3};
  // Non-overlapping windows when stride == context: 9 targets = windows at 0, 4 and 5 (flush).
  NllResult r = EvaluateNll(model, ids, {.stride = 4, .batch = 2}, 1);
  CHECK(r.targets == 9);
  double expected = 0;
  std::vector<int32_t> x(ids.begin(), ids.begin() + 4), y(ids.begin() + 1, ids.begin() + 5);
  expected += 4 * model.Loss(x.data(), y.data(), 1, 4, 1);
  x.assign(ids.begin() + 4, ids.begin() + 8);
  y.assign(ids.begin() + 5, ids.begin() + 9);
  expected += 4 * model.Loss(x.data(), y.data(), 1, 4, 1);
  x.assign(ids.begin() + 5, ids.begin() + 9);
  y.assign(ids.begin() + 6, ids.begin() + 10);
  model.Loss(x.data(), y.data(), 1, 4, 1);
  expected += model.losses()[3];
  CHECK(r.nll_sum == Approx(expected).epsilon(1e-5));
  CHECK(r.perplexity() == Approx(std::exp(expected / 9)).epsilon(1e-5));
}

}  // namespace
}  // namespace wordspace::transformer
