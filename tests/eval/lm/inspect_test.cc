// The inspect studies (eval/inspect_*.h, pca.h, word_map.h) on models whose
// weights the test builds (a previous-token head feeding an induction head), on
// random models (lens and logit attribution identities), and on a tiny model
// trained here on a corpus with planted senses.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <span>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eval/lm/inspect_attention.h"
#include "eval/lm/inspect_context.h"
#include "eval/lm/inspect_contributions.h"
#include "eval/lm/inspect_heads.h"
#include "eval/lm/inspect_lens.h"
#include "eval/lm/inspect_senses.h"
#include "eval/vectors/pca.h"
#include "eval/vectors/word_map.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tiny_lm.h"
#include "transformer/lm_data.h"
#include "transformer/trainer.h"

namespace wordspace::eval {
namespace {

using transformer::LanguageModel;
using transformer::LmState;
using transformer::Model;
using transformer::ModelConfig;

using testing::NumberedWords;

// Two layers, two heads of 24 dimensions. The residual stream has one-hot
// slots: position (dims 0..15, from wpe), token (16..27, from wte) and previous
// token (28..39, written by block 0). Block 0 head 0 attends to the previous
// position and copies its token into the previous-token slot; block 1 head 1
// matches the current token against the previous-token slot, so it attends to
// the position after an earlier copy of the current token: an induction head
// (Olsson et al. 2022). The other heads and the feed-forward layers are zero.
LanguageModel InductionModel() {
  const int V = 12, T = 16, C = 48, hs = 24;
  LmState state;
  state.words = NumberedWords(V);
  ModelConfig c;
  c.vocab_size = V;
  c.context = T;
  c.d_model = C;
  c.layers = 2;
  c.heads = 2;
  state.model = std::make_unique<Model>(c);
  Model& m = *state.model;
  const transformer::ParameterViews p = m.param_views();
  for (int id = 0; id < V; ++id) p.wte[id * C + 16 + id] = 1.0f;
  for (int t = 0; t < T; ++t) p.wpe[t * C + t] = 1.0f;
  // LayerNorm of a vector with `ones` unit entries and zeros elsewhere is s*x -
  // m*s; a bias of m*s makes it s*x, so the products below pick slots exactly.
  auto ln_scale = [&](int ones) {
    const double mean = static_cast<double>(ones) / C;
    const double var = (ones * (1 - mean) * (1 - mean) + (C - ones) * mean * mean) / C;
    return std::make_pair(mean, 1.0 / std::sqrt(var + 1e-5));
  };
  for (int l = 0; l < 2; ++l) {
    const auto [mean, s] = ln_scale(l == 0 ? 2 : 3);
    for (int i = 0; i < C; ++i) {
      p.ln1w[l * C + i] = 1.0f;
      p.ln1b[l * C + i] = static_cast<float>(mean * s);
      p.ln2w[l * C + i] = 1.0f;
    }
  }
  for (int i = 0; i < C; ++i) p.lnfw[i] = 1.0f;
  const float a = 3.0f;
  const auto [mean0, s0] = ln_scale(2);
  float* qkv0 = p.qkvw;  // (3C, C): rows 0..C-1 queries, C..2C-1 keys, 2C..3C-1 values
  for (int i = 0; i < 16; ++i) qkv0[i * C + i] = a;              // q: own position
  for (int i = 1; i < 16; ++i) qkv0[(C + i) * C + (i - 1)] = a;  // k: position + 1
  for (int i = 0; i < 12; ++i)
    qkv0[(2 * C + i) * C + 16 + i] = static_cast<float>(1 / s0);     // v: token
  for (int i = 0; i < 12; ++i) p.attprojw[(28 + i) * C + i] = 1.0f;  // into the previous-token slot
  float* qkv1 = p.qkvw + 3 * C * C;
  for (int i = 0; i < 12; ++i) {
    qkv1[(hs + i) * C + 16 + i] = a;      // head 1 q: current token
    qkv1[(C + hs + i) * C + 28 + i] = a;  // head 1 k: previous token
  }
  return LanguageModel::FromState(std::move(state));
}

LanguageModel RandomLm(uint64_t seed, bool modern = false) {
  transformer::ModelConfig config{
      .vocab_size = 13, .context = 9, .d_model = 16, .layers = 2, .heads = 2, .tied = false};
  if (modern) REQUIRE(config.SetBlock("modern").ok());
  LmState state = testing::TinyLmState(config, seed);
  testing::WidenWeights(state.model.get(), seed);
  return LanguageModel::FromState(std::move(state));
}

std::vector<int32_t> RandomIds(int n, int V, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int32_t> ids(n);
  for (int32_t& id : ids) id = 2 + static_cast<int32_t>(rng() % (V - 2));
  return ids;
}

const HeadProfile& Find(const std::vector<HeadProfile>& heads, int layer, int head) {
  for (const HeadProfile& h : heads) {
    if (h.layer == layer && h.head == head) return h;
  }
  FAIL("no head " << layer << "." << head);
  return heads[0];
}

TEST_CASE("Head profiles find the built previous-token and induction heads", "[eval][lm][inspect]") {
  LanguageModel lm = InductionModel();
  const std::vector<int32_t> heldout = RandomIds(16 * 8, 12, 5);
  const std::vector<HeadProfile> heads = ProfileHeads(lm, heldout, HeadsOptions{});
  REQUIRE(heads.size() == 4);
  const HeadProfile& prev = Find(heads, 0, 0);
  CHECK(prev.previous_token > 0.98);
  CHECK(prev.mean_distance == Approx(1.0).margin(0.02));
  CHECK(prev.induction < 0.2);
  CHECK(prev.role == "previous-token");
  const HeadProfile& induction = Find(heads, 1, 1);
  CHECK(induction.induction > 0.95);
  CHECK(induction.role == "induction");
  // The zero heads attend uniformly: no role.
  CHECK(Find(heads, 0, 1).role == "mixed");
  CHECK(Find(heads, 0, 1).previous_token < 0.3);
  CHECK(Find(heads, 1, 0).induction < 0.3);
  // Sorted by role: the previous-token head first, then the induction head.
  CHECK(heads[0].role == "previous-token");
  CHECK(heads[1].role == "induction");
}

TEST_CASE("Repeated random windows are </s> R R with distinct ids", "[eval][lm][inspect]") {
  const auto windows = RepeatedRandomWindows(12, 16, 3, 7);
  REQUIRE(windows.size() == 3);
  for (const auto& w : windows) {
    REQUIRE(w.size() == 15);
    CHECK(w[0] == transformer::kEosId);
    for (int i = 0; i < 7; ++i) {
      CHECK(w[1 + i] == w[8 + i]);
      CHECK(w[1 + i] >= 2);
      for (int j = 0; j < i; ++j) CHECK(w[1 + i] != w[1 + j]);
    }
  }
  CHECK(windows[0] != windows[1]);
  CHECK(RepeatedRandomWindows(12, 16, 3, 7) == windows);
}

TEST_CASE("Attention maps are causal distributions over the prompt", "[eval][lm][inspect]") {
  LanguageModel lm = InductionModel();
  auto map = InspectAttention(lm, PromptWindow(lm, "w3 w4 w5 w3 w4"));
  REQUIRE(map.ok());
  REQUIRE(map->tokens == std::vector<std::string>{"</s>", "w3", "w4", "w5", "w3", "w4"});
  const int T = 6;
  for (int l = 0; l < 2; ++l) {
    for (int h = 0; h < 2; ++h) {
      for (int q = 0; q < T; ++q) {
        double total = 0;
        for (int k = 0; k < T; ++k) {
          total += map->weight(l, h, q, k);
          if (k > q) CHECK(map->weight(l, h, q, k) == 0.0f);
        }
        CHECK(total == Approx(1.0).margin(1e-5));
      }
    }
  }
  // The previous-token head's top key is q-1; the induction head at the second
  // w4 looks at w5.
  CHECK(map->Top(0, 0, 4, 1)[0].first == 3);
  CHECK(map->Top(1, 1, 4, 1)[0].first == 2);  // w3 again: attends to w4, which followed w3
}

TEST_CASE("The lens at the last layer is the model's own distribution", "[eval][lm][inspect]") {
  LanguageModel lm = RandomLm(11);
  const InspectWindow window = IdsWindow(lm, {1, 5, 7, 2, 9});
  auto lens = InspectLens(lm, window, 3, "w4");
  REQUIRE(lens.ok());
  REQUIRE(lens->layers.size() == 3);
  const int V = lm.vocab_size(), T = 5;
  std::vector<float> own(static_cast<size_t>(T) * V);
  REQUIRE(lm.NextTokenLogProbs(window.ids, 1, T, own).ok());
  for (int t = 0; t < T; ++t) {
    std::span<const float> row(own.data() + t * V, V);
    const std::vector<int32_t> top = TopIds(row, 3);
    const LensCell& cell = lens->layers[2].positions[t];
    for (int i = 0; i < 3; ++i) {
      CHECK(cell.top[i].id == top[i]);
      CHECK(cell.top[i].prob == Approx(std::exp(row[top[i]])).epsilon(1e-5));
    }
    CHECK(cell.final_prob == Approx(cell.top[0].prob));
    CHECK(cell.target_rank == RankOf(row, 4));
    CHECK(cell.target_prob == Approx(std::exp(row[4])).epsilon(1e-5));
  }
  CHECK(!InspectLens(lm, window, 3, "not-a-word").ok());
}

TEST_CASE("Direct logit effects add up to the model's logits", "[eval][lm][inspect]") {
  // The modern block: RMSNorm's scale does not centre, and there is no final bias.
  const bool modern = GENERATE(false, true);
  INFO((modern ? "modern" : "classic") << " block");
  LanguageModel lm = RandomLm(12, modern);
  const InspectWindow window = IdsWindow(lm, {1, 5, 7, 2, 9, 3});
  ContributionsOptions options;
  options.position = 4;
  options.neurons = 5;
  auto r = InspectContributions(lm, window, options);
  REQUIRE(r.ok());
  // embeddings, attn/ff x 2, and the final LayerNorm's bias
  REQUIRE(r->components.size() == (modern ? 2 * 2 + 1 : 2 * 2 + 2));
  const int V = lm.vocab_size();
  double spread = 0;
  for (int v = 0; v < V; ++v) {
    double sum = 0;
    for (const auto& part : r->component_logits) sum += part[v];
    CHECK(sum == Approx(r->centred_logits[v]).margin(1e-3));
    spread = std::max(spread, std::fabs(double{r->centred_logits[v]}));
  }
  CHECK(spread > 0.5);
  // The target defaults to the model's prediction; components' target effects
  // add up too.
  CHECK(r->target == r->predicted[0].word);
  double total = 0;
  for (const Component& c : r->components) total += c.target_effect;
  CHECK(total == Approx(r->centred_logits[r->target_id]).margin(1e-3));
  REQUIRE(r->neurons.size() == 5);
  for (size_t i = 1; i < r->neurons.size(); ++i) {
    CHECK(r->neurons[i - 1].target_effect >= r->neurons[i].target_effect);
  }
  options.position = 6;
  CHECK(!InspectContributions(lm, window, options).ok());
}

TEST_CASE("Context vectors: one static vector, contextual ones that differ", "[eval][lm][inspect]") {
  LanguageModel lm = RandomLm(13);
  auto r = InspectContext(lm, "w5", {"w2 w5 w3", "w7 w5", "w9 w9 w5"}, 3);
  REQUIRE(r.ok());
  REQUIRE(r->layers.size() == 4);  // static, 0, 1, 2
  CHECK(r->sentences[0].position == 2);
  CHECK(r->sentences[2].position == 3);
  for (size_t a = 0; a < 3; ++a) CHECK(r->layers[0].cosines[a * 3 + (a + 1) % 3] == Approx(1.0));
  CHECK(r->layers[0].nearest[0][0].word == "w5");
  // Same position (2) in the first two sentences: layer 0 is the same vector
  // there.
  CHECK(r->layers[1].cosines[0 * 3 + 1] == Approx(1.0));
  CHECK(r->layers[3].cosines[0 * 3 + 1] < 0.999);
  CHECK(!InspectContext(lm, "w5", {"w2 w3"}, 3).ok());
  CHECK(!InspectContext(lm, "nope", {"w2 w3"}, 3).ok());
}

TEST_CASE("Prompts and words are read with the model's tokenizer", "[eval][lm][inspect]") {
  LmState state;
  state.words = NumberedWords(13);
  state.tokenizer.lowercase = true;
  ModelConfig c;
  c.vocab_size = 13;
  c.context = 4;
  c.d_model = 8;
  c.layers = 1;
  c.heads = 2;
  state.model = std::make_unique<Model>(c);
  LanguageModel lm = LanguageModel::FromState(std::move(state));
  // A line start first; longer texts keep their last context() tokens.
  CHECK(PromptWindow(lm, "W2 w3").ids == std::vector<int32_t>{1, 2, 3});
  CHECK(PromptWindow(lm, "w2 w3 w4 w5 zz").tokens ==
        std::vector<std::string>{"w3", "w4", "w5", "<unk>"});
  auto id = WordId(lm, "W7", "--target");
  REQUIRE(id.ok());
  CHECK(*id == 7);
  auto unknown = WordId(lm, "zz", "--target");
  REQUIRE(!unknown.ok());
  CHECK(std::string(unknown.status().message()) ==
        "--target 'zz' is not in the model's vocabulary");
  CHECK(!WordId(lm, "w2 w3", "--word").ok());
  CHECK(!WordId(lm, "", "--word").ok());
}

TEST_CASE("Separation scores: clusters, ties and noise", "[eval][lm][inspect]") {
  std::mt19937 rng(3);
  std::normal_distribution<float> n(0.0f, 0.1f);
  std::vector<float> values;
  std::vector<int> labels;
  for (int i = 0; i < 40; ++i) {
    const int label = i % 2;
    labels.push_back(label);
    values.push_back((label ? 1.0f : -1.0f) + n(rng));
    values.push_back(n(rng));
  }
  Separation good = SeparateLabels(values, 40, 2, labels, 2);
  CHECK(good.accuracy == 1.0);
  CHECK(good.silhouette > 0.8);
  std::vector<float> same(80, 0.5f);
  Separation tie = SeparateLabels(same, 40, 2, labels, 2);
  CHECK(tie.accuracy == 0.5);  // all distances tie: chance exactly
  CHECK(tie.silhouette == 0.0);
}

TEST_CASE("PCA finds the direction of largest variance", "[eval][lm][inspect]") {
  std::vector<float> values;
  for (int i = 0; i < 10; ++i) {
    values.insert(values.end(), {static_cast<float>(i), 0.1f * (i % 2), 2.0f * i});
  }
  Projection p = ProjectPca(values, 10, 3, 2);
  CHECK(p.variance_share[0] > 0.99);
  CHECK(p.variance_share[0] + p.variance_share[1] == Approx(1.0).margin(1e-6));
  // PC1 coordinates are evenly spaced along the line.
  const double step = p.coords[2] - p.coords[0];
  CHECK(std::fabs(step) == Approx(std::sqrt(5.0)).epsilon(1e-4));
}

TEST_CASE("A word map shows the queries and their neighbours", "[eval][lm][inspect]") {
  embeddings::WordVectors vectors({"cat", "dog", "kitten", "car", "truck"}, 2,
                                  {1, 0.1f, 0.9f, 0.2f, 1, 0, -0.1f, 1, 0, 0.9f});
  auto map = MapWords(vectors, {"cat", "car", "zebra"}, 1);
  REQUIRE(map.ok());
  CHECK(map->missing == std::vector<std::string>{"zebra"});
  REQUIRE(map->points.size() == 4);
  CHECK(map->points[0].word == "cat");
  CHECK(map->points[0].query);
  CHECK(map->points[2].word == "kitten");
  CHECK(map->points[3].word == "truck");
  CHECK(map->points[3].group == 1);
  CHECK(!MapWords(vectors, {"zebra"}, 1).ok());
  // The case policy: "Cat" is mapped as "cat" unless case-sensitive.
  auto folded = MapWords(vectors, {"Cat"}, 1);
  REQUIRE(folded.ok());
  CHECK(folded->queries == std::vector<std::string>{"cat"});
  REQUIRE(folded->lowercased.size() == 1);
  CHECK(folded->lowercased[0].second == "cat");
  CHECK(!MapWords(vectors, {"Cat"}, 1, 0, /*case_sensitive=*/true).ok());
}

// A corpus with planted senses: "f f the <cue> bank <continuation>", the cue
// and the word after "bank" drawn from the same sense. (With the cue four words
// back instead, 4000 steps of this tiny model stay on the plateau that ignores
// it.) "bank" always sits at the same position, so its layer-0 vector (wte +
// wpe) is one vector: only attention to the cue can tell the senses apart.
std::string PlantedCorpus(int lines, uint32_t seed) {
  const std::vector<std::vector<std::string>> cues = {{"river", "shore", "fishing"},
                                                      {"money", "loan", "cash"}};
  const std::vector<std::vector<std::string>> next = {{"flooded", "eroded"}, {"lent", "closed"}};
  const std::vector<std::string> fillers = {"we", "they", "saw", "went", "near", "old", "new"};
  std::mt19937 rng(seed);
  std::ostringstream out;
  for (int i = 0; i < lines; ++i) {
    const int s = static_cast<int>(rng() % 2);
    out << fillers[rng() % 7] << ' ' << fillers[rng() % 7] << " the " << cues[s][rng() % 3]
        << " bank " << next[s][rng() % 2] << '\n';
  }
  return out.str();
}

TEST_CASE("Senses separate at the last layer of a trained model and not at layer 0",
          "[eval][lm][inspect]") {
  testing::TempDir dir;
  const std::string corpus = dir.File("planted.txt");
  testing::WriteFile(corpus, PlantedCorpus(2000, 4));
  LmState state;
  state.words = {"<unk>", "</s>", "bank", "the",     "river",  "shore", "fishing",
                 "money", "loan", "cash", "we",      "they",   "saw",   "went",
                 "near",  "old",  "new",  "flooded", "eroded", "lent",  "closed"};
  ModelConfig c;
  c.vocab_size = static_cast<int>(state.words.size());
  c.context = 8;
  c.d_model = 16;
  c.layers = 2;
  c.heads = 2;
  state.model = std::make_unique<Model>(c);
  state.model->InitRandom(9);
  state.train.batch = 16;
  state.train.steps = 800;
  state.train.seed = 9;
  state.train.optimizer.lr = 1e-2;
  state.train.optimizer.warmup = 20;
  state.train.optimizer.weight_decay = 0.0;
  auto encoded = transformer::EncodeText(corpus, state.words, {});
  REQUIRE(encoded.ok());
  transformer::TrainRunOptions run;
  run.threads = 1;
  auto trained = transformer::Train(&state, encoded->ids, nullptr, run);
  REQUIRE(trained.ok());
  INFO("final training loss " << trained->final_loss);
  LanguageModel lm = LanguageModel::FromState(std::move(state));
  SensesOptions options;
  options.word = "bank";
  options.senses = {{"river", {"river", "shore", "fishing", "unknownword"}},
                    {"money", {"money", "loan", "cash"}}};
  options.max_per_sense = 100;
  auto r = InspectSenses(lm, corpus, nullptr, options);
  REQUIRE(r.ok());
  REQUIRE(r->senses.size() == 2);
  CHECK(r->senses[0].missing_cues == std::vector<std::string>{"unknownword"});
  CHECK(r->senses[0].used == 100);
  CHECK(r->senses[1].used == 100);
  CHECK(r->labels.size() == 200);
  REQUIRE(r->layers.size() == 3);
  INFO("layer accuracies " << r->layers[0].separation.accuracy << " "
                           << r->layers[1].separation.accuracy << " "
                           << r->layers[2].separation.accuracy);
  CHECK(r->layers[0].separation.accuracy == 0.5);
  CHECK(r->static_vector.accuracy == 0.5);
  CHECK(r->layers[2].separation.accuracy > 0.95);
  CHECK(r->layers[2].separation.silhouette > 0.2);
  CHECK(r->chance == 0.5);

  // With the cues hidden nothing in the context tells the senses apart.
  options.hide_cues = true;
  auto hidden = InspectSenses(lm, corpus, nullptr, options);
  REQUIRE(hidden.ok());
  CHECK(hidden->hidden_cue_tokens == 200);
  CHECK(hidden->layers[2].separation.accuracy < 0.75);
  CHECK(hidden->bag_of_words.accuracy < 0.75);

  // Reading a corpus to its end reports its progress: lines read, the fraction of the file and
  // each sense's count so far.
  const std::string longer = dir.File("longer.txt");
  testing::WriteFile(longer, PlantedCorpus(9000, 5));
  options.hide_cues = false;
  options.max_per_sense = 100000;
  std::vector<std::pair<int64_t, double>> reported;
  std::vector<int> last_found;
  options.progress = [&](double fraction, int64_t lines_read, std::span<const int> found) {
    reported.emplace_back(lines_read, fraction);
    last_found.assign(found.begin(), found.end());
  };
  auto whole = InspectSenses(lm, longer, nullptr, options);
  REQUIRE(whole.ok());
  REQUIRE(reported.size() == 2);
  CHECK(reported[0].first == 4096);
  CHECK(reported[1].first == 8192);
  CHECK(reported[0].second > 0.0);  // of the bytes zlib has taken in: buffered, so it runs ahead
  CHECK(reported[0].second <= reported[1].second);
  CHECK(reported[1].second <= 1.0);
  REQUIRE(last_found.size() == 2);
  CHECK(last_found[0] + last_found[1] == 8192);
  CHECK(whole->senses[0].found + whole->senses[1].found == 9000);
  options.progress = nullptr;

  options.senses[1].cues = {"nothing"};
  CHECK(!InspectSenses(lm, corpus, nullptr, options).ok());
  options.senses.pop_back();
  CHECK(!InspectSenses(lm, corpus, nullptr, options).ok());
}

TEST_CASE("ParseSense reads NAME=cue,cue and names a bad spelling", "[eval][lm][inspect]") {
  auto river = ParseSense("river=river,,water");
  REQUIRE(river.ok());
  CHECK(river->name == "river");
  CHECK(river->cues == std::vector<std::string>{"river", "water"});
  for (const char* bad : {"river", "=water", "river=", ""}) {
    INFO(bad);
    auto s = ParseSense(bad);
    REQUIRE(s.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(s.status().message()) ==
          absl::StrCat("--sense '", bad, "' is not NAME=cue,cue,..."));
  }
}

}  // namespace
}  // namespace wordspace::eval
