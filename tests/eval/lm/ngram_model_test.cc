#include "eval/lm/ngram_model.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "eval/lm/next_word_eval.h"
#include "eval/lm/ngram_scorer.h"
#include "eval/lm/ngram_trainer.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::eval {
namespace {

// a b c d e f <unk> </s>: V = 8; d, e and f never occur in the tiny corpus.
enum : int32_t { A = 0, B = 1, C = 2, D = 3, E = 4, F = 5, UNK = 6, EOS = 7 };

NgramVocabulary TinyVocab() {
  NgramVocabulary v;
  v.words = {"a", "b", "c", "d", "e", "f", "<unk>", "</s>"};
  v.unk_id = UNK;
  v.eos_id = EOS;
  return v;
}

// "a b a b c" / "a c": one stream, a line end after the first line.
const std::vector<uint32_t> kTiny = {A, B, A, B, C, EOS, A, C};

KneserNeyOptions Order(int order) {
  KneserNeyOptions o;
  o.order = order;
  return o;
}

NgramModel TrainTiny(int order) {
  KneserNeyOptions o;
  o.order = order;
  o.fixed_discounts = std::array<double, 3>{0.5, 1.0, 1.5};
  auto m = NgramModel::Train(kTiny, TinyVocab(), o);
  REQUIRE(m.ok());
  return std::move(*m);
}

double P(const NgramModel& m, std::vector<int32_t> history, int32_t w) {
  return m.Prob(history, w);
}

// Hand computation for kTiny with D1 = 0.5, D2 = 1, D3+ = 1.5, written out term by term.
//
// Unigram continuation counts (distinct left neighbours, plus one for the stream's first
// word): a: {b, </s>} + start = 3; b: {a} = 1; c: {b, a} = 2; </s>: {c} = 1. Sum 7; one count of
// 1 for b and </s>, one of 2 (c), one of 3+ (a): gamma(root) = (0.5*2 + 1*1 + 1.5*1)/7 = 0.5.
// p1(w) = max(c(w) - D, 0)/7 + 0.5/8.
constexpr double kU = 0.5 / 8;
constexpr double p1_a = 1.5 / 7 + kU, p1_b = 0.5 / 7 + kU, p1_c = 1.0 / 7 + kU;
constexpr double p1_eos = 0.5 / 7 + kU, p1_unseen = kU;

TEST_CASE("Kneser-Ney unigram level matches the hand computation", "[eval][lm][ngram]") {
  NgramModel m = TrainTiny(2);
  CHECK(P(m, {}, A) == Approx(p1_a).epsilon(1e-6));
  CHECK(P(m, {}, B) == Approx(p1_b).epsilon(1e-6));
  CHECK(P(m, {}, C) == Approx(p1_c).epsilon(1e-6));
  CHECK(P(m, {}, EOS) == Approx(p1_eos).epsilon(1e-6));
  CHECK(P(m, {}, D) == Approx(p1_unseen).epsilon(1e-6));
  CHECK(P(m, {}, UNK) == Approx(p1_unseen).epsilon(1e-6));
  CHECK(p1_a + p1_b + p1_c + p1_eos + 4 * p1_unseen == Approx(1.0));
}

TEST_CASE("Kneser-Ney bigram model matches the hand computation", "[eval][lm][ngram]") {
  NgramModel m = TrainTiny(2);
  // Raw bigram counts: ab 2, ba 1, bc 1, c</s> 1, </s>a 1, ac 1.
  // Context a: b (2), c (1); S = 3; gamma = (0.5*1 + 1*1)/3 = 0.5.
  CHECK(P(m, {A}, B) == Approx((2 - 1.0) / 3 + 0.5 * p1_b).epsilon(1e-6));
  CHECK(P(m, {A}, C) == Approx((1 - 0.5) / 3 + 0.5 * p1_c).epsilon(1e-6));
  CHECK(P(m, {A}, A) == Approx(0.5 * p1_a).epsilon(1e-6));
  CHECK(P(m, {A}, D) == Approx(0.5 * p1_unseen).epsilon(1e-6));
  // Context b: a (1), c (1); S = 2; gamma = 0.5*2/2 = 0.5.
  CHECK(P(m, {B}, A) == Approx(0.5 / 2 + 0.5 * p1_a).epsilon(1e-6));
  CHECK(P(m, {B}, EOS) == Approx(0.5 * p1_eos).epsilon(1e-6));
  // Context c: </s> (1); gamma = 0.5.
  CHECK(P(m, {C}, EOS) == Approx(0.5 + 0.5 * p1_eos).epsilon(1e-6));
  // Contexts never followed by anything back off entirely.
  CHECK(P(m, {D}, A) == Approx(p1_a).epsilon(1e-6));
  CHECK(P(m, {UNK}, C) == Approx(p1_c).epsilon(1e-6));
  // Only the last word matters at order 2.
  CHECK(P(m, {C, C, A}, B) == Approx(P(m, {A}, B)).epsilon(1e-12));
}

TEST_CASE("Kneser-Ney trigram model matches the hand computation", "[eval][lm][ngram]") {
  NgramModel m = TrainTiny(3);
  // Bigram continuation counts: ab {b} + start = 2, ba 1, bc 1, c</s> 1, </s>a 1, ac 1; so the
  // middle level equals the bigram model above, plus context </s>: a (1), gamma 0.5.
  const double p2_b_a = 1.0 / 3 + 0.5 * p1_b;
  const double p2_a_b = 0.25 + 0.5 * p1_a, p2_c_b = 0.25 + 0.5 * p1_c;
  const double p2_b_b = 0.5 * p1_b, p2_eos_c = 0.5 + 0.5 * p1_eos;
  CHECK(P(m, {A}, B) == Approx(p2_b_a).epsilon(1e-6));
  CHECK(P(m, {EOS}, A) == Approx(0.5 + 0.5 * p1_a).epsilon(1e-6));
  // Raw trigram counts, all 1: aba, bab, abc, bc</s>, c</s>a, </s>ac.
  // Context "a b": a (1), c (1); S = 2; gamma = 0.5.
  CHECK(P(m, {A, B}, C) == Approx(0.25 + 0.5 * p2_c_b).epsilon(1e-6));
  CHECK(P(m, {A, B}, A) == Approx(0.25 + 0.5 * p2_a_b).epsilon(1e-6));
  CHECK(P(m, {A, B}, B) == Approx(0.5 * p2_b_b).epsilon(1e-6));
  // Context "b a": b (1).
  CHECK(P(m, {B, A}, B) == Approx(0.5 + 0.5 * p2_b_a).epsilon(1e-6));
  // Context "b c": </s> (1).
  CHECK(P(m, {B, C}, EOS) == Approx(0.5 + 0.5 * p2_eos_c).epsilon(1e-6));
  // "c a" was never seen: the bigram context a alone.
  CHECK(P(m, {C, A}, B) == Approx(p2_b_a).epsilon(1e-6));
  // A history shorter than order-1 uses what there is.
  CHECK(P(m, {B}, A) == Approx(p2_a_b).epsilon(1e-6));
}

TEST_CASE("Kneser-Ney perplexity of a tiny held-out text matches the hand computation",
          "[eval][lm][ngram]") {
  NgramScorer scorer(TrainTiny(3), 1);
  // Held-out "a b c zzz": ids a b c <unk> </s>; window 2, stride 1 (the scorer's default).
  const std::vector<int32_t> ids = {A, B, C, UNK, EOS};
  auto counts = EvaluateNextWord(&scorer, ids, {});
  REQUIRE(counts.ok());
  const double p2_c_b = 0.25 + 0.5 * p1_c, p2_unk_c = 0.5 * p1_unseen;
  const double t1 = 1.0 / 3 + 0.5 * p1_b;  // b | a
  const double t2 = 0.25 + 0.5 * p2_c_b;   // c | a b
  const double t3 = 0.5 * p2_unk_c;        // <unk> | b c
  const double t4 = p1_eos;                // </s> | c <unk>: unk has no continuation
  // p(<unk>) under each context, for the known-target renormalisation.
  const double u1 = 0.5 * p1_unseen, u2 = 0.5 * (0.5 * p1_unseen), u4 = p1_unseen;
  CHECK(counts->targets == 4);
  CHECK(counts->known == 3);
  CHECK(counts->perplexity() ==
        Approx(std::exp(-(std::log(t1) + std::log(t2) + std::log(t3) + std::log(t4)) / 4))
            .epsilon(1e-6));
  CHECK(counts->perplexity_known() ==
        Approx(
            std::exp(
                -(std::log(t1 / (1 - u1)) + std::log(t2 / (1 - u2)) + std::log(t4 / (1 - u4))) / 3))
            .epsilon(1e-6));
  // b | a is the most probable; c | a b is second to a; <unk> | b c ranks below the unseen
  // d, e, f (equal probability, lower ids) so it is outside the top 5; </s> | unk is 4th.
  CHECK(counts->top1 == 1);
  CHECK(counts->top5 == 3);
  CHECK(counts->top1_known == 1);
  CHECK(counts->top5_known == 3);
}

TEST_CASE("Discounts follow Chen and Goodman's count-of-counts formula", "[eval][lm][ngram]") {
  auto d = EstimateDiscounts({100, 40, 20, 10});
  REQUIRE(d.has_value());
  const double y = 100.0 / (100 + 2 * 40);
  CHECK((*d)[0] == Approx(1 - 2 * y * 40 / 100));
  CHECK((*d)[1] == Approx(2 - 3 * y * 20 / 40));
  CHECK((*d)[2] == Approx(3 - 4 * y * 10 / 20));
  CHECK_FALSE(EstimateDiscounts({0, 4, 2, 1}).has_value());
  CHECK_FALSE(EstimateDiscounts({5, 4, 0, 1}).has_value());
  // Out-of-range estimates are clamped into [0.01, k].
  auto clamped = EstimateDiscounts({10, 1, 100, 0});
  REQUIRE(clamped.has_value());
  CHECK((*clamped)[1] == Approx(0.01));
  CHECK((*clamped)[2] == Approx(3.0));
}

TEST_CASE("Count-of-counts use adjusted counts below the top order", "[eval][lm][ngram]") {
  KneserNeyOptions o;
  o.order = 2;
  auto m = NgramModel::Train(kTiny, TinyVocab(), o);
  REQUIRE(m.ok());
  // Unigram continuation counts: a 3, b 1, c 2, </s> 1 (see above).
  CHECK(m->stats(1).count_of_counts == std::array<uint64_t, 4>{2, 1, 1, 0});
  CHECK(m->stats(1).ngrams == 4);
  // Raw bigram counts: ab 2, the five others 1.
  CHECK(m->stats(2).count_of_counts == std::array<uint64_t, 4>{5, 1, 0, 0});
  CHECK(m->stats(2).ngrams == 6);
  // n3 = 0 at order 2: the fallback discounts.
  CHECK(m->stats(2).fallback);
  CHECK(m->stats(2).discounts == std::array<double, 3>{0.5, 1.0, 1.5});
}

// An independent, slow Kneser-Ney written straight from the definitions with maps of vectors.
class ReferenceKneserNey {
 public:
  ReferenceKneserNey(const std::vector<uint32_t>& s, int order, int V) : order_(order), V_(V) {
    count_.resize(order + 1);
    for (int n = 1; n <= order; ++n) {
      for (size_t i = 0; i + n <= s.size(); ++i) {
        std::vector<int> g(s.begin() + i, s.begin() + i + n);
        if (n == order) {
          ++count_[n][g];
        } else {
          std::set<int>& left = left_[g];
          left.insert(i == 0 ? -1 : static_cast<int>(s[i - 1]));  // -1: the stream's start
        }
      }
      if (n < order) {
        for (auto& [g, left] : left_) {
          if (static_cast<int>(g.size()) == n) count_[n][g] = static_cast<int>(left.size());
        }
      }
    }
    discount_.resize(order + 1);
    for (int n = 1; n <= order; ++n) {
      std::array<uint64_t, 4> coc{};
      for (auto& [g, c] : count_[n]) {
        if (c >= 1 && c <= 4) ++coc[c - 1];
      }
      auto d = EstimateDiscounts(coc);
      discount_[n] = d ? *d : std::array<double, 3>{0.5, 1.0, 1.5};
      for (auto& [g, c] : count_[n]) {
        std::vector<int> h(g.begin(), g.end() - 1);
        context_[n][h].push_back(c);
      }
    }
  }

  // history: the last order-1 (or fewer) ids.
  double Prob(std::vector<int> history, int w) const {
    if (static_cast<int>(history.size()) > order_ - 1) {
      history.erase(history.begin(), history.end() - (order_ - 1));
    }
    return ProbAt(static_cast<int>(history.size()) + 1, history, w);
  }

 private:
  double ProbAt(int n, std::vector<int> h, int w) const {
    if (n == 0) return 1.0 / V_;
    std::vector<int> shorter(h.begin() + (h.empty() ? 0 : 1), h.end());
    double lower = ProbAt(n - 1, shorter, w);
    auto it = context_[n].find(h);
    if (it == context_[n].end()) return lower;
    double total = 0;
    std::array<double, 3> nk{};
    for (int c : it->second) {
      total += c;
      nk[std::min(c, 3) - 1] += 1;
    }
    const auto& d = discount_[n];
    std::vector<int> hw = h;
    hw.push_back(w);
    auto c = count_[n].find(hw);
    double alpha = 0;
    if (c != count_[n].end())
      alpha = std::max(c->second - d[std::min(c->second, 3) - 1], 0.0) / total;
    double gamma = (d[0] * nk[0] + d[1] * nk[1] + d[2] * nk[2]) / total;
    return alpha + gamma * lower;
  }

  int order_, V_;
  std::vector<std::map<std::vector<int>, int>> count_;
  std::map<std::vector<int>, std::set<int>> left_;
  std::vector<std::array<double, 3>> discount_;
  std::map<std::vector<int>, std::vector<int>> context_[kMaxNgramOrder + 1];
};

// A Zipf-ish stream over V ids with line ends, so every order has counts of 1 to 4.
std::vector<uint32_t> RandomStream(int V, size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<double> weights(V - 2);
  for (int i = 0; i < V - 2; ++i) weights[i] = 1.0 / ((i + 1.0) * (i + 1.0));
  std::discrete_distribution<int> word(weights.begin(), weights.end());
  std::vector<uint32_t> s;
  uint32_t prev = 0;
  while (s.size() < n) {
    // Some structure: half the time repeat a successor of the previous word.
    uint32_t w = (rng() % 2 == 0) ? (prev * 3 + 1) % (V - 2) : static_cast<uint32_t>(word(rng));
    s.push_back(w);
    prev = w;
    if (rng() % 8 == 0) s.push_back(static_cast<uint32_t>(V - 1));  // </s>
  }
  return s;
}

NgramVocabulary RandomVocab(int V) {
  NgramVocabulary v;
  for (int i = 0; i < V - 2; ++i) v.words.push_back(absl::StrCat("w", i));
  v.words.push_back("<unk>");
  v.words.push_back("</s>");
  v.unk_id = V - 2;
  v.eos_id = V - 1;
  return v;
}

// Histories to probe: every context that occurs, plus random (mostly unseen) ones.
std::vector<std::vector<int32_t>> Histories(const std::vector<uint32_t>& s, int order, int V,
                                            size_t random_count) {
  std::vector<std::vector<int32_t>> out;
  std::mt19937 rng(5);
  for (size_t i = 0; i < s.size(); i += 7) {
    size_t from = i >= static_cast<size_t>(order - 1) ? i - (order - 1) : 0;
    out.emplace_back(s.begin() + from, s.begin() + i);
  }
  for (size_t r = 0; r < random_count; ++r) {
    std::vector<int32_t> h(rng() % order);
    for (int32_t& w : h) w = static_cast<int32_t>(rng() % V);
    out.push_back(h);
  }
  return out;
}

TEST_CASE("Kneser-Ney agrees with a from-the-definition reference at orders 1 to 5",
          "[eval][lm][ngram]") {
  const int V = 60;
  const std::vector<uint32_t> s = RandomStream(V, 4000, 11);
  for (int order = 1; order <= 5; ++order) {
    INFO("order " << order);
    auto m = NgramModel::Train(s, RandomVocab(V), Order(order));
    REQUIRE(m.ok());
    for (int n = 1; n <= order; ++n) {
      INFO("level " << n << " n1..n4 " << m->stats(n).count_of_counts[0] << " "
                    << m->stats(n).count_of_counts[1] << " " << m->stats(n).count_of_counts[2]
                    << " " << m->stats(n).count_of_counts[3]);
      CHECK_FALSE(m->stats(n).fallback);
    }
    ReferenceKneserNey ref(s, order, V);
    for (const auto& h : Histories(s, order, V, 50)) {
      for (int32_t w = 0; w < V; ++w) {
        std::vector<int> hi(h.begin(), h.end());
        REQUIRE(m->Prob(h, w) == Approx(ref.Prob(hi, w)).epsilon(2e-6));
      }
    }
  }
}

TEST_CASE("Kneser-Ney distributions sum to one for every history and order", "[eval][lm][ngram]") {
  const int V = 30;
  const std::vector<uint32_t> s = RandomStream(V, 5000, 3);
  for (int order = 1; order <= 5; ++order) {
    INFO("order " << order);
    auto m = NgramModel::Train(s, RandomVocab(V), Order(order));
    REQUIRE(m.ok());
    std::vector<double> dist;
    for (const auto& h : Histories(s, order, V, 200)) {
      NgramModel::Context ctx = m->FindContext(h);
      double sum = 0;
      for (int32_t w = 0; w < V; ++w) {
        double p = m->Prob(ctx, w);
        REQUIRE(p > 0);
        sum += p;
      }
      REQUIRE(sum == Approx(1.0).epsilon(1e-5));
      m->Distribution(ctx, &dist);
      double dense = 0;
      for (double p : dist) dense += p;
      REQUIRE(dense == Approx(1.0).epsilon(1e-5));
    }
  }
  // Also with the fallback discounts on a corpus too small to estimate them.
  auto tiny = NgramModel::Train(kTiny, TinyVocab(), Order(4));
  REQUIRE(tiny.ok());
  for (const auto& h : Histories(kTiny, 4, 8, 100)) {
    double sum = 0;
    for (int32_t w = 0; w < 8; ++w) sum += tiny->Prob(h, w);
    REQUIRE(sum == Approx(1.0).epsilon(1e-5));
  }
}

TEST_CASE("TopWords returns the most probable ids of the full distribution", "[eval][lm][ngram]") {
  const int V = 40;
  const std::vector<uint32_t> s = RandomStream(V, 4000, 9);
  auto m = NgramModel::Train(s, RandomVocab(V), Order(4));
  REQUIRE(m.ok());
  NgramModel::Scratch scratch;
  std::vector<int32_t> ids;
  std::vector<double> probs, dist;
  for (const auto& h : Histories(s, 4, V, 100)) {
    NgramModel::Context ctx = m->FindContext(h);
    m->TopWords(ctx, kTopList, &scratch, &ids, &probs);
    m->Distribution(ctx, &dist);
    REQUIRE(ids.size() == static_cast<size_t>(kTopList));
    std::vector<double> sorted = dist;
    std::sort(sorted.rbegin(), sorted.rend());
    for (int i = 0; i < kTopList; ++i) {
      REQUIRE(probs[i] == Approx(dist[ids[i]]).epsilon(1e-9));
      REQUIRE(probs[i] == Approx(sorted[i]).epsilon(1e-9));
      if (i > 0) REQUIRE(probs[i] <= probs[i - 1]);
    }
    // The scratch space is left clean for the next call.
    for (double x : scratch.mass) REQUIRE(x == 0.0);
  }
}

TEST_CASE("Training rejects bad input", "[eval][lm][ngram]") {
  CHECK(!NgramModel::Train(kTiny, TinyVocab(), Order(0)).ok());
  CHECK(!NgramModel::Train(kTiny, TinyVocab(), Order(kMaxNgramOrder + 1)).ok());
  std::vector<uint32_t> bad = {A, 8};
  CHECK(!NgramModel::Train(bad, TinyVocab(), Order(2)).ok());
  NgramVocabulary v = TinyVocab();
  v.eos_id = v.unk_id;
  CHECK(!NgramModel::Train(kTiny, v, Order(2)).ok());
  KneserNeyOptions o{.order = 2, .fixed_discounts = std::array<double, 3>{0.5, 2.5, 1.0}};
  CHECK(!NgramModel::Train(kTiny, TinyVocab(), o).ok());
}

TEST_CASE("Training from a corpus file builds the <unk>/</s> vocabulary", "[eval][lm][ngram]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("c.txt.gz"),
                     testing::Gzip("x y x z\nx y w\nv x y\n"));  // x 4, y 3, then v w z once
  NgramTrainOptions o;
  o.train_path = dir.File("c.txt.gz");
  o.vocab_size = 3;
  o.kn.order = 2;
  o.kn.fixed_discounts = std::array<double, 3>{0.5, 1.0, 1.5};
  NgramTrainReport report;
  auto m = TrainNgramFromCorpus(o, &report);
  REQUIRE(m.ok());
  // The 3 most frequent words by count then spelling, then <unk> and </s>.
  CHECK(m->vocabulary().words == std::vector<std::string>{"x", "y", "v", "<unk>", "</s>"});
  CHECK(m->vocabulary().unk_id == 3);
  CHECK(m->vocabulary().eos_id == 4);
  CHECK(report.tokens == 13);         // 10 words + 3 line ends
  CHECK(report.unknown_tokens == 2);  // z, w
  // "x y" occurs 3 times and "x z" once: p(y | x) = (3 - 1.5) / 4 + gamma p(y) > 0.375.
  std::vector<int32_t> h = {0};
  CHECK(m->Prob(h, 1) > 0.375);
  CHECK(m->Prob(h, 1) < 0.375 + 0.5);

  // The same words taken from a vector file's first rows (the transformer's vocabulary).
  testing::WriteFile(dir.File("v.txt"), "4 2\ny 1 0\n</s> 0 0\nz 0 1\nx 1 1\n");
  o.vectors_path = dir.File("v.txt");
  auto mv = TrainNgramFromCorpus(o);
  REQUIRE(mv.ok());
  CHECK(mv->vocabulary().words == std::vector<std::string>{"y", "z", "x", "<unk>", "</s>"});

  // Or from a `word count` file, re-sorted by count.
  o.vectors_path.clear();
  testing::WriteFile(dir.File("vocab.txt"), "</s> 9\nw 2\nv 3\nz 1\n");
  o.vocab_path = dir.File("vocab.txt");
  auto mf = TrainNgramFromCorpus(o);
  REQUIRE(mf.ok());
  CHECK(mf->vocabulary().words == std::vector<std::string>{"v", "w", "z", "<unk>", "</s>"});
  o.vectors_path = dir.File("v.txt");
  CHECK(TrainNgramFromCorpus(o).status().code() == absl::StatusCode::kInvalidArgument);

  o.vocab_path.clear();
  o.vectors_path.clear();
  o.train_path = dir.File("missing.txt");
  auto missing = TrainNgramFromCorpus(o);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace wordspace::eval
