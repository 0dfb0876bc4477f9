#include "eval/lm/next_word_eval.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "base/json.h"
#include "eval/lm/next_word_bench.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::eval {
namespace {

// Vocabulary: w0..w5, <unk> = 6, </s> = 7.
constexpr int32_t kUnk = 6, kEos = 7, kV = 8;

// A scorer whose predictions are fixed by the test: after context id c, the distribution
// table_[c] (the last context id only). It records every (context, target) it is asked about.
class TableScorer : public NextWordScorer {
 public:
  explicit TableScorer(int window = 4, int stride = 2, int max_window = 0)
      : window_(window), stride_(stride), max_window_(max_window) {
    for (int i = 0; i < kV - 2; ++i) words_.push_back(absl::StrCat("w", i));
    words_.push_back("<unk>");
    words_.push_back("</s>");
    // By default: uniform.
    for (int c = 0; c < kV; ++c) table_[c] = std::vector<double>(kV, 1.0 / kV);
  }
  void Set(int32_t context, std::vector<double> p) { table_[context] = std::move(p); }

  std::string Describe() const override { return "table"; }
  const std::vector<std::string>& vocabulary() const override { return words_; }
  int32_t unk_id() const override { return kUnk; }
  int32_t eos_id() const override { return kEos; }
  corpus::TokenizerOptions tokenizer() const override { return {}; }
  int default_window() const override { return window_; }
  int default_stride() const override { return stride_; }
  int max_window() const override { return max_window_; }
  int preferred_batch() const override { return 3; }

  absl::Status Score(std::span<const ScoreWindow> windows, std::span<TargetScore> out) override {
    size_t k = 0;
    for (const ScoreWindow& w : windows) {
      if (max_window_ > 0 && static_cast<int>(w.tokens.size()) - 1 > max_window_) {
        return absl::InvalidArgumentError("window too long");
      }
      for (size_t j = w.first_target; j + 1 < w.tokens.size(); ++j) {
        const std::vector<double>& p = table_.at(w.tokens[j]);
        TargetScore& s = out[k++];
        s.log_prob = std::log(p[w.tokens[j + 1]]);
        s.log_prob_unk = std::log(p[kUnk]);
        std::vector<int32_t> order(kV);
        for (int i = 0; i < kV; ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](int32_t a, int32_t b) { return p[a] > p[b]; });
        std::copy(order.begin(), order.begin() + kTopList, s.top.begin());
        contexts.push_back(static_cast<int>(j) + 1);  // context ids seen
        seen_targets.push_back(w.tokens[j + 1]);
      }
    }
    if (k != out.size()) return absl::InternalError("size mismatch");
    return absl::OkStatus();
  }

  std::vector<int> contexts;
  std::vector<int32_t> seen_targets;

 private:
  int window_, stride_, max_window_;
  std::vector<std::string> words_;
  std::map<int32_t, std::vector<double>> table_;
};

TEST_CASE("Accuracy and perplexity are counted from the scorer's predictions",
          "[eval][lm][next_word]") {
  TableScorer scorer(/*window=*/10, /*stride=*/10);
  // After w0: w1 0.5, w2 0.2, <unk> 0.1, the other five 0.04 each.
  scorer.Set(0, {0.04, 0.5, 0.2, 0.04, 0.04, 0.04, 0.1, 0.04});
  // After w1: <unk> 0.6 is the top prediction, then w2 0.3, the other six 1/60 each.
  const double r = 0.1 / 6;
  scorer.Set(1, {r, r, 0.3, r, r, r, 0.6, r});
  // Stream: w0 w1 | w1 <unk> | <unk> w0 (uniform) | w0 w2 | w2 w3 (uniform) | w3 w1 (uniform)
  //         | w1 w2
  const std::vector<int32_t> ids = {0, 1, kUnk, 0, 2, 3, 1, 2};
  auto c = EvaluateNextWord(&scorer, ids, {});
  REQUIRE(c.ok());
  CHECK(c->targets == 7);
  CHECK(c->known == 6);
  CHECK(c->oov_rate() == Approx(1.0 / 7));
  // Top-1 over all targets: w1|w0 yes; <unk>|w1 yes (PTB convention); w0|<unk>: uniform, ties
  // by lower id give w0: yes; w2|w0 no; w3|w2 (uniform: w0 first) no; w1|w3 no; w2|w1 no.
  CHECK(c->top1 == 3);
  // Top-5: uniform contexts list w0..w4: w3 yes, w1 yes; w2|w0 yes; w2|w1 yes; all seven.
  CHECK(c->top5 == 7);
  // Known targets: <unk> skipped; once <unk> is removed, w2|w1 becomes the top prediction.
  CHECK(c->top1_known == 3);  // w1|w0, w0|<unk>, w2|w1
  CHECK(c->top5_known == 6);
  const double nll = -(std::log(0.5) + std::log(0.6) + std::log(1.0 / 8) + std::log(0.2) +
                       std::log(1.0 / 8) + std::log(1.0 / 8) + std::log(0.3));
  CHECK(c->perplexity() == Approx(std::exp(nll / 7)));
  // Known: each p(t) / (1 - p(<unk>)).
  const double nll_known =
      -(std::log(0.5 / 0.9) + std::log((1.0 / 8) / (7.0 / 8)) + std::log(0.2 / 0.9) +
        std::log((1.0 / 8) / (7.0 / 8)) + std::log((1.0 / 8) / (7.0 / 8)) + std::log(0.3 / 0.4));
  CHECK(c->perplexity_known() == Approx(std::exp(nll_known / 6)));
}

TEST_CASE("An <unk> target predicted as <unk> never counts as a known hit", "[eval][lm][next_word]") {
  TableScorer scorer(4, 4);
  // Everything predicts <unk> with 0.9.
  for (int ctx = 0; ctx < kV; ++ctx) {
    std::vector<double> p(kV, 0.1 / 7);
    p[kUnk] = 0.9;
    scorer.Set(ctx, p);
  }
  const std::vector<int32_t> ids = {0, kUnk, kUnk, kUnk, kUnk};
  auto c = EvaluateNextWord(&scorer, ids, {});
  REQUIRE(c.ok());
  CHECK(c->targets == 4);
  CHECK(c->top1 == 4);  // the all-targets convention counts them
  CHECK(c->known == 0);
  CHECK(c->top1_known == 0);
  CHECK(c->top5_known == 0);
  CHECK(c->top1_known_rate() == 0);
  CHECK(std::isnan(c->perplexity_known()));
  // A known target behind a top-ranked <unk> is a known top-1 hit, and its probability is
  // renormalised over the non-<unk> words.
  NextWordCounts k;
  TargetScore s;
  s.log_prob = std::log(0.05);
  s.log_prob_unk = std::log(0.9);
  s.top = {kUnk, 3, 1, 2, 4, 5};
  k.Add(s, 3, kUnk);
  CHECK(k.top1 == 0);
  CHECK(k.top1_known == 1);
  CHECK(k.top5_known == 1);
  CHECK(k.perplexity_known() == Approx(1 / (0.05 / 0.1)));
  // The sixth entry of the list is only used when <unk> is among the first five.
  NextWordCounts k2;
  s.top = {1, 2, 4, 0, 5, 3};
  k2.Add(s, 3, kUnk);
  CHECK(k2.top5_known == 0);
  CHECK(k2.top5 == 0);
  NextWordCounts k3;
  s.top = {1, 2, kUnk, 0, 5, 3};
  k3.Add(s, 3, kUnk);
  CHECK(k3.top5_known == 1);
  CHECK(k3.top5 == 0);
}

TEST_CASE("Windows score every target exactly once", "[eval][lm][next_word]") {
  for (int64_t n : {0, 1, 2, 3, 5, 9, 10, 11, 64, 65, 100, 129, 1000}) {
    for (auto [window, stride] : std::vector<std::pair<int, int>>{
             {1, 1}, {4, 1}, {4, 2}, {4, 4}, {5, 3}, {64, 32}, {64, 64}, {10, 7}}) {
      INFO("stream " << n << " window " << window << " stride " << stride);
      auto spans = PlanWindows(n, window, stride);
      REQUIRE(spans.ok());
      std::vector<int> scored(std::max<int64_t>(n, 1), 0);
      for (const WindowSpan& s : *spans) {
        REQUIRE(s.length <= window);
        REQUIRE(s.start + s.length <= n - 1);
        for (int j = s.first_target; j < s.length; ++j) {
          const int64_t target = s.start + j + 1;
          ++scored[target];
          // Context: j + 1 ids, at least min(position, W - S + 1).
          REQUIRE(j + 1 >= std::min<int64_t>(target, window - stride + 1));
        }
      }
      for (int64_t t = 1; t < n; ++t) REQUIRE(scored[t] == 1);
      if (n > 0) REQUIRE(scored[0] == 0);
    }
  }
  CHECK(!PlanWindows(10, 4, 5).ok());
  CHECK(!PlanWindows(10, 0, 1).ok());
  CHECK(!PlanWindows(10, 4, 0).ok());
}

TEST_CASE("The evaluation feeds the scorer every target once, causally", "[eval][lm][next_word]") {
  std::vector<int32_t> ids;
  for (int i = 0; i < 103; ++i) ids.push_back(i % 7);
  TableScorer scorer(/*window=*/8, /*stride=*/3);
  auto c = EvaluateNextWord(&scorer, ids, {});
  REQUIRE(c.ok());
  CHECK(c->targets == 102);
  REQUIRE(scorer.seen_targets.size() == 102);
  // In order, exactly the stream's targets.
  for (size_t i = 0; i < 102; ++i) REQUIRE(scorer.seen_targets[i] == ids[i + 1]);
  // Overrides and limits.
  TableScorer limited(8, 4, /*max_window=*/8);
  auto windows = [](int window, int stride) {
    NextWordEvalOptions o;
    o.window = window;
    o.stride = stride;
    return o;
  };
  CHECK(!EvaluateNextWord(&limited, ids, windows(9, 0)).ok());
  CHECK(EvaluateNextWord(&limited, ids, windows(6, 6)).ok());
  CHECK(!EvaluateNextWord(&limited, ids, windows(6, 7)).ok());
}

TEST_CASE("Held-out text is encoded with the scorer's vocabulary", "[eval][lm][next_word]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("t.txt"), "w1 w2 zz\nw0 <unk> </s>\n");
  TableScorer scorer;
  corpus::CorpusStats stats;
  auto ids = EncodeForScorer(dir.File("t.txt"), scorer, &stats);
  REQUIRE(ids.ok());
  // Out-of-vocabulary words, and the literal spellings of the specials, are <unk>.
  CHECK(*ids == std::vector<int32_t>{1, 2, kUnk, kEos, 0, kUnk, kUnk, kEos});
  CHECK(stats.words == 6);
  auto missing = EncodeForScorer(dir.File("none.txt"), scorer);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("lm-bench rows become a table and JSON", "[eval][lm][next_word]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("t.txt"), "w0 w1 w2\nw3 w4\n");
  std::vector<NextWordModelEntry> models;
  models.push_back({"first", std::make_unique<TableScorer>()});
  models.push_back({"second", std::make_unique<TableScorer>(2, 1)});
  CHECK(SameVocabularies(models));
  auto rows = RunNextWordBench(models, {dir.File("t.txt")}, {});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].counts.targets == 6);
  CHECK((*rows)[1].window == 2);
  const std::string text = FormatNextWordJson(*rows);
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);  // one JSON value, one line
  const Json json = Json::parse(text);
  REQUIRE(json.size() == 2);
  CHECK(json[0]["model"] == "first");
  CHECK(json[0]["input"] == dir.File("t.txt"));
  CHECK(json[0]["tokens"] == 6);
  CHECK(json[0]["perplexity"].get<double>() == Approx(8.0));
  CHECK(json[0]["perplexity_known"].get<double>() == Approx(7.0));
  CHECK(json[0]["oov_rate"].get<double>() == 0.0);
  for (const char* key : {"top1", "top5", "top1_known", "top5_known", "known_tokens", "seconds"}) {
    CHECK(json[0].contains(key));
  }
  std::string table = FormatNextWordTable(*rows, true);
  CHECK(table.find("second") != std::string::npos);
  CHECK(table.find("nounk") != std::string::npos);
  // Uniform over 8 ids: perplexity 8, and 7 once <unk> is removed.
  CHECK((*rows)[0].counts.perplexity() == Approx(8.0));
  CHECK((*rows)[0].counts.perplexity_known() == Approx(7.0));
  auto bad = OpenNextWordModel(dir.File("t.txt"), {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(OpenNextWordModel(dir.File("missing"), {}).status().code() == absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace wordspace::eval
