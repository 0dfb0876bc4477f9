#include "embeddings/sgns_trainer.h"

#include <catch2/catch.hpp>
#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace wordspace::embeddings {
namespace {

using testing::TempDir;

constexpr int kTopics = 5;
constexpr int kWordsPerTopic = 8;

std::string TopicWord(int topic, int i) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on the chain of `+`.
  std::string word = "t";
  word += std::to_string(topic);
  word += 'w';
  word += std::to_string(i);
  return word;
}

// Planted structure: every sentence draws its words from one topic only, so same-topic words
// share contexts and cross-topic words never co-occur.
std::string TopicCorpus(int sentences, unsigned seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    int topic = static_cast<int>(rng() % kTopics);
    for (int w = 0; w < 12; ++w) {
      text += TopicWord(topic, static_cast<int>(rng() % kWordsPerTopic));
      text += w == 11 ? '\n' : ' ';
    }
  }
  return text;
}

double Cosine(std::span<const float> a, std::span<const float> b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / std::sqrt(na * nb);
}

absl::StatusOr<SgnsResult> TrainOn(const std::string& path, SgnsOptions options) {
  auto ids = corpus::TokenIdFile::Encode(path, {.corpus = {}, .vocab = {.min_count = 1}});
  if (!ids.ok()) return ids.status();
  return TrainSkipGram(*ids, options);
}

SgnsOptions SmallOptions() {
  SgnsOptions o;
  o.dim = 24;
  o.window = 4;
  o.sample = 0;
  o.epochs = 5;
  return o;
}

// Mean cosine of same-topic and of cross-topic word pairs.
std::pair<double, double> TopicCosines(const WordVectors& v) {
  double same = 0, cross = 0;
  int n_same = 0, n_cross = 0;
  for (int t1 = 0; t1 < kTopics; ++t1) {
    for (int i = 0; i < kWordsPerTopic; ++i) {
      for (int t2 = 0; t2 < kTopics; ++t2) {
        for (int j = 0; j < kWordsPerTopic; ++j) {
          if (t1 == t2 && i == j) continue;
          double c = Cosine(v.row(v.Find(TopicWord(t1, i))), v.row(v.Find(TopicWord(t2, j))));
          (t1 == t2 ? same : cross) += c;
          ++(t1 == t2 ? n_same : n_cross);
        }
      }
    }
  }
  return {same / n_same, cross / n_cross};
}

// Every model, loss and skip-gram kernel.
struct Variant {
  WordModel model;
  OutputLoss loss;
  SgnsKernel kernel;
};
const Variant kVariants[] = {
    {WordModel::kSkipGram, OutputLoss::kNegativeSampling, SgnsKernel::kBatched},
    {WordModel::kSkipGram, OutputLoss::kNegativeSampling, SgnsKernel::kClassic},
    {WordModel::kSkipGram, OutputLoss::kHierarchicalSoftmax, SgnsKernel::kBatched},
    {WordModel::kSkipGram, OutputLoss::kHierarchicalSoftmax, SgnsKernel::kClassic},
    {WordModel::kCbow, OutputLoss::kNegativeSampling, SgnsKernel::kBatched},
    {WordModel::kCbow, OutputLoss::kNegativeSampling, SgnsKernel::kClassic},
    {WordModel::kCbow, OutputLoss::kHierarchicalSoftmax, SgnsKernel::kBatched},
    {WordModel::kCbow, OutputLoss::kHierarchicalSoftmax, SgnsKernel::kClassic},
};

std::string VariantName(const Variant& v) {
  return std::string(WordModelName(v.model)) + "/" + OutputLossName(v.loss) + "/" +
         SgnsKernelName(v.kernel);
}

TEST_CASE("same-topic words end up clearly closer than cross-topic words", "[embeddings]") {
  TempDir dir;
  testing::WriteFile(dir.File("topics.txt"), testing::Gzip(TopicCorpus(3000, 1)));
  for (const Variant& variant : kVariants) {
    INFO(VariantName(variant));
    SgnsOptions options = SmallOptions();
    options.threads = 2;
    options.model = variant.model;
    options.loss = variant.loss;
    options.kernel = variant.kernel;
    auto result = TrainOn(dir.File("topics.txt"), options);
    REQUIRE(result.ok());
    const WordVectors& v = result->vectors;
    REQUIRE(v.size() == kTopics * kWordsPerTopic);
    const auto [same, cross] = TopicCosines(v);
    INFO("mean same-topic cosine " << same << ", cross-topic " << cross);
    CHECK(same > 0.5);
    CHECK(same - cross > 0.4);
    if (variant.loss == OutputLoss::kNegativeSampling) {
      // The loss falls well below its starting value of (1 + negative)·log 2 ≈ 4.16 per pair.
      CHECK(result->final_loss < 3.0);
    } else {
      // 40 words of about equal count: paths of 5 or 6 nodes, log 2 each at the start.
      CHECK(result->final_loss < 5 * std::log(2.0) * 0.8);
    }
    CHECK(result->words == 3000u * 12 * 5);
    // Skip-gram trains a pair per context word, CBOW one per window: 12 a sentence here.
    if (variant.model == WordModel::kCbow) CHECK(result->pairs == 3000u * 12 * 5);
    if (variant.model == WordModel::kSkipGram) CHECK(result->pairs > 3000u * 12 * 5 * 2);
  }
}

TEST_CASE("one thread and a fixed seed give identical bits; another seed differs", "[embeddings]") {
  TempDir dir;
  testing::WriteFile(dir.File("topics.txt"), TopicCorpus(400, 2));
  SgnsOptions options = SmallOptions();
  options.threads = 1;
  options.sample = 1e-2;  // exercise the subsampling draws too
  options.seed = 42;
  auto a = TrainOn(dir.File("topics.txt"), options);
  auto b = TrainOn(dir.File("topics.txt"), options);
  options.seed = 43;
  auto c = TrainOn(dir.File("topics.txt"), options);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  const auto& va = a->vectors.values();
  CHECK(std::memcmp(va.data(), b->vectors.values().data(), va.size() * sizeof(float)) == 0);
  CHECK(std::memcmp(va.data(), c->vectors.values().data(), va.size() * sizeof(float)) != 0);
  // Every model and loss: the same bits twice, and each differs from the other models and losses.
  // (CBOW with hierarchical softmax computes the same numbers with either kernel: the loss draws
  // no noise words, and its path's rows are distinct, so the batched loop only prefetches.)
  std::vector<std::pair<Variant, std::vector<float>>> seen;
  for (const Variant& variant : kVariants) {
    INFO(VariantName(variant));
    options.seed = 42;
    options.model = variant.model;
    options.loss = variant.loss;
    options.kernel = variant.kernel;
    auto first = TrainOn(dir.File("topics.txt"), options);
    auto second = TrainOn(dir.File("topics.txt"), options);
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(first->vectors.values() == second->vectors.values());
    for (const auto& [other, values] : seen) {
      const bool same_objective = other.model == variant.model && other.loss == variant.loss;
      if (!same_objective) CHECK(values != first->vectors.values());
      if (same_objective && variant.model == WordModel::kCbow &&
          variant.loss == OutputLoss::kHierarchicalSoftmax) {
        CHECK(values == first->vectors.values());
      }
    }
    seen.emplace_back(variant, first->vectors.values());
  }
}

// Planted suffixes: stems shared by two groups of words, "<stem>ling" words only ever beside
// each other and "<stem>ment" words beside each other. Only the suffix tells the groups apart,
// so only subword vectors can place a word by it, and a word never seen at all ("<new
// stem>ling") gets its vector from its n-grams alone.
constexpr int kStems = 24;
std::string Stem(int i) {
  std::string stem;
  for (int k = 0, x = i * 7 + 3; k < 4; ++k, x = x * 31 + 17) stem += static_cast<char>('a' + x % 26);
  return stem;
}
std::string SuffixCorpus(int sentences, unsigned seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    const char* suffix = rng() % 2 ? "ling" : "ment";
    for (int w = 0; w < 10; ++w) {
      text += Stem(static_cast<int>(rng() % kStems)) + suffix;
      text += w == 9 ? '\n' : ' ';
    }
  }
  return text;
}

// The mean of the word's n-gram rows, as fastText answers a word outside its vocabulary.
std::vector<float> NgramVector(const SgnsResult& result, const std::string& word) {
  const int dim = result.vectors.dim();
  std::vector<float> vector(dim, 0.0f);
  const std::vector<uint32_t> rows = result.matrices->table.NgramRows(word);
  for (uint32_t r : rows) {
    for (int k = 0; k < dim; ++k) vector[k] += result.matrices->input.data()[size_t{r} * dim + k];
  }
  for (float& x : vector) x /= static_cast<float>(rows.size());
  return vector;
}

TEST_CASE("subword vectors place words, and words never seen, by their suffix", "[embeddings]") {
  TempDir dir;
  testing::WriteFile(dir.File("suffixes.txt"), SuffixCorpus(2000, 5));
  for (const Variant& variant : kVariants) {
    INFO(VariantName(variant));
    SgnsOptions options = SmallOptions();
    options.threads = 2;
    options.model = variant.model;
    options.loss = variant.loss;
    options.kernel = variant.kernel;
    options.subwords = {.minn = 3, .maxn = 5, .bucket = 20000};
    options.keep_matrices = true;
    auto result = TrainOn(dir.File("suffixes.txt"), options);
    REQUIRE(result.ok());
    REQUIRE(result->matrices.has_value());
    const WordVectors& v = result->vectors;
    REQUIRE(v.size() == 2 * kStems);
    CHECK(result->matrices->table.rows() == 2 * kStems + 20000u);
    // A vocabulary word's vector is the mean of its own row and its n-gram rows.
    const uint32_t word = static_cast<uint32_t>(v.Find(Stem(0) + "ling"));
    const SubwordTable& table = result->matrices->table;
    for (int k = 0; k < 24; ++k) {
      double sum = 0;
      for (const uint32_t* r = table.begin(word); r != table.end(word); ++r) {
        sum += result->matrices->input.data()[size_t{*r} * 24 + k];
      }
      CHECK(v.row(word)[k] == Approx(sum / (table.end(word) - table.begin(word))).margin(1e-6));
    }
    double same = 0, cross = 0, unseen_ling = 0, unseen_ment = 0;
    const std::vector<float> unseen = NgramVector(*result, "qqqqling");
    for (int i = 0; i < kStems; ++i) {
      const auto ling = v.row(v.Find(Stem(i) + "ling"));
      const auto ment = v.row(v.Find(Stem(i) + "ment"));
      const auto other = v.row(v.Find(Stem((i + 1) % kStems) + "ling"));
      same += Cosine(ling, other);
      cross += Cosine(ling, ment);
      unseen_ling += Cosine(unseen, ling);
      unseen_ment += Cosine(unseen, ment);
    }
    same /= kStems;
    cross /= kStems;
    unseen_ling /= kStems;
    unseen_ment /= kStems;
    INFO("same suffix " << same << ", same stem " << cross << "; unseen word to -ling "
                        << unseen_ling << ", to -ment " << unseen_ment);
    CHECK(same - cross > 0.3);
    CHECK(unseen_ling - unseen_ment > 0.3);
  }
}

TEST_CASE("subword training: one thread and a seed give the same bits, per model and loss",
          "[embeddings]") {
  TempDir dir;
  testing::WriteFile(dir.File("suffixes.txt"), SuffixCorpus(300, 6));
  SgnsOptions options = SmallOptions();
  options.threads = 1;
  options.sample = 1e-2;
  options.subwords = {.minn = 3, .maxn = 5, .bucket = 5000};
  options.keep_matrices = true;
  std::vector<std::vector<float>> seen;
  for (const Variant& variant : kVariants) {
    INFO(VariantName(variant));
    options.model = variant.model;
    options.loss = variant.loss;
    options.kernel = variant.kernel;
    auto first = TrainOn(dir.File("suffixes.txt"), options);
    auto second = TrainOn(dir.File("suffixes.txt"), options);
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(first->vectors.values() == second->vectors.values());
    const size_t n = first->matrices->table.rows() * 24;
    CHECK(std::memcmp(first->matrices->input.data(), second->matrices->input.data(),
                      n * sizeof(float)) == 0);
    // Each differs from the others, but CBOW with hierarchical softmax, whose two loops compute
    // the same numbers (as without subwords).
    const bool cbow_hs = variant.model == WordModel::kCbow &&
                         variant.loss == OutputLoss::kHierarchicalSoftmax &&
                         variant.kernel == SgnsKernel::kClassic;
    for (size_t i = 0; i < seen.size(); ++i) {
      if (cbow_hs && i + 1 == seen.size()) {
        CHECK(seen[i] == first->vectors.values());
      } else {
        CHECK(seen[i] != first->vectors.values());
      }
    }
    seen.push_back(first->vectors.values());
  }
  // Subwords change the vectors: the same options without them train something else.
  options.subwords.maxn = 0;
  auto plain = TrainOn(dir.File("suffixes.txt"), options);
  REQUIRE(plain.ok());
  CHECK(plain->matrices->table.rows() == plain->vectors.size());
  CHECK(plain->vectors.values() != seen.back());
}

TEST_CASE("bad options and empty corpora are refused", "[embeddings]") {
  TempDir dir;
  testing::WriteFile(dir.File("rare.txt"), "each word once\n");
  auto ids = corpus::TokenIdFile::Encode(dir.File("rare.txt"), {});  // min-count 5
  REQUIRE(ids.ok());
  auto empty = TrainSkipGram(*ids, SgnsOptions{});
  REQUIRE_FALSE(empty.ok());
  CHECK_THAT(std::string(empty.status().message()), Catch::Contains("--min-count"));
  CHECK_THAT(std::string(empty.status().message()),
             Catch::Contains(dir.File("rare.txt")) && Catch::Contains("3 words read, 3 distinct"));
  SgnsOptions bad;
  bad.dim = 0;
  CHECK(TrainSkipGram(*ids, bad).status().code() == absl::StatusCode::kInvalidArgument);
  // No noise words: fine for hierarchical softmax, which has none, refused for negative sampling.
  SgnsOptions no_noise;
  no_noise.negative = 0;
  CHECK_THAT(std::string(CheckSgnsOptions(no_noise).message()), Catch::Contains("--loss hs"));
  no_noise.loss = OutputLoss::kHierarchicalSoftmax;
  CHECK(CheckSgnsOptions(no_noise).ok());
  // Subword settings.
  SgnsOptions sub;
  sub.subwords = {.minn = 4, .maxn = 3, .bucket = 10};
  CHECK_THAT(std::string(CheckSgnsOptions(sub).message()), Catch::Contains("--minn must be 1..--maxn (3)"));
  sub.subwords = {.minn = 3, .maxn = 6, .bucket = 0};
  CHECK_THAT(std::string(CheckSgnsOptions(sub).message()), Catch::Contains("--bucket"));
  sub.subwords = {.minn = 3, .maxn = -1, .bucket = 10};
  CHECK_THAT(std::string(CheckSgnsOptions(sub).message()), Catch::Contains("--maxn"));
  sub.subwords = {.minn = 0, .maxn = 0, .bucket = 0};  // off: minn and bucket are not looked at
  CHECK(CheckSgnsOptions(sub).ok());
}

TEST_CASE("a cancel flag stops training: before it starts, or from the progress callback",
          "[embeddings]") {
  TempDir dir;
  testing::WriteFile(dir.File("topics.txt"), TopicCorpus(3000, 3));
  auto ids = corpus::TokenIdFile::Encode(dir.File("topics.txt"), {.corpus = {}, .vocab = {.min_count = 1}});
  REQUIRE(ids.ok());
  std::atomic<bool> cancel{true};
  SgnsOptions options = SmallOptions();
  options.cancel = &cancel;
  auto at_once = TrainSkipGram(*ids, options);
  CHECK(at_once.status().code() == absl::StatusCode::kCancelled);
  // A run far too long to finish in a test stops at the first report.
  cancel = false;
  options.epochs = 100000;
  options.threads = 2;
  int reports = 0;
  auto stopped = TrainSkipGram(
      *ids, options,
      [&](const SgnsProgress& p) {
        ++reports;
        CHECK(p.fraction < 0.5);
        cancel = true;
      },
      0.02);
  CHECK(stopped.status().code() == absl::StatusCode::kCancelled);
  CHECK_THAT(std::string(stopped.status().message()), Catch::Contains("stopped"));
  CHECK(reports >= 1);
}

TEST_CASE("model and loss names, and CBOW's default rate", "[embeddings]") {
  CHECK(*ParseWordModel("cbow") == WordModel::kCbow);
  CHECK(*ParseWordModel("skipgram") == WordModel::kSkipGram);
  CHECK(*ParseOutputLoss("hs") == OutputLoss::kHierarchicalSoftmax);
  CHECK(*ParseOutputLoss("ns") == OutputLoss::kNegativeSampling);
  CHECK_THAT(std::string(ParseWordModel("glove").status().message()),
             Catch::Contains("skipgram or cbow"));
  CHECK_THAT(std::string(ParseOutputLoss("softmax").status().message()), Catch::Contains("hs"));
  SgnsOptions o;
  o.model = WordModel::kCbow;
  CHECK(DefaultAlpha(o) == 0.05);  // word2vec.c's CBOW rate
  o.model = WordModel::kSkipGram;
  o.kernel = SgnsKernel::kClassic;
  CHECK(DefaultAlpha(o) == 0.025);
  o.subwords.maxn = 6;  // fastText's rate for its subword models, with either kernel
  CHECK(DefaultAlpha(o) == 0.05);
}

}  // namespace
}  // namespace wordspace::embeddings
