// lm-score's library side: per-token surprisal checked against the model's own next-token
// distribution, in one window and across windows.
#include "eval/lm/surprisal.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <span>

#include "absl/strings/str_cat.h"
#include "eval/lm/prompt_words.h"
#include "tests/testing/tiny_lm.h"

namespace wordspace::eval {
namespace {

using transformer::kEosId;
using transformer::kUnkId;
using transformer::LanguageModel;

const std::vector<std::string> kLower = {"<unk>", "</s>", "the", "capital", "of", "poland", "is"};

// log P(ids[pos + 1] | the `context` ids ending at ids[pos]) from the model directly.
double DirectLogProb(LanguageModel& lm, const std::vector<int32_t>& ids, size_t pos, int context) {
  std::span<const int32_t> history(ids.data() + pos + 1 - context, context);
  return lm.NextLogProbs(history)[ids[pos + 1]];
}

TEST_CASE("surprisal is the model's own -log2 P per token, the line end included",
          "[eval][lm][surprisal]") {
  LanguageModel lm = testing::TinyLmWithWords(kLower);
  auto s = ScoreSentence(&lm, "the capital of Paris is", {});
  REQUIRE(s.ok());
  REQUIRE(s->tokens.size() == 6);  // five words and </s>
  const std::vector<int32_t> ids = {kEosId, 2, 3, 4, kUnkId, 6, kEosId};
  double total = 0;
  for (size_t i = 0; i < s->tokens.size(); ++i) {
    const TokenSurprisal& t = s->tokens[i];
    INFO("token " << i << " " << t.word);
    CHECK(t.id == ids[i + 1]);
    CHECK(t.context == static_cast<int>(i) + 1);  // one window: the whole line so far
    CHECK(t.log_prob == Approx(DirectLogProb(lm, ids, i, t.context)).margin(1e-5));
    CHECK(t.bits == Approx(-t.log_prob / std::numbers::ln2));
    CHECK(t.bits >= 0);
    const std::vector<float> logp = lm.NextLogProbs(std::span<const int32_t>(ids.data(), i + 1));
    int64_t above = 0;
    for (float v : logp) above += v > logp[t.id];
    CHECK(t.rank == above + 1);
    CHECK((t.rank == 1) == (t.expected == t.id));
    total += t.bits;
  }
  CHECK(s->tokens[3].word == "Paris");
  CHECK(s->tokens[3].unknown);
  CHECK_FALSE(s->tokens[2].unknown);
  CHECK(s->tokens[5].word == "</s>");
  CHECK(s->total_bits == Approx(total));
  CHECK(s->perplexity() == Approx(std::exp2(total / 6)));
  CHECK(s->words.unknown.size() == 1);

  SurprisalOptions no_eos;
  no_eos.end_of_line = false;
  auto words_only = ScoreSentence(&lm, "the capital of Paris is", no_eos);
  REQUIRE(words_only.ok());
  REQUIRE(words_only->tokens.size() == 5);
  CHECK(words_only->tokens[4].bits == Approx(s->tokens[4].bits));
  CHECK(ScoreSentence(&lm, "  ", no_eos).status().code() == absl::StatusCode::kInvalidArgument);
  auto empty = ScoreSentence(&lm, "", {});
  REQUIRE(empty.ok());
  CHECK(empty->tokens.size() == 1);  // an empty line is just its end
}

TEST_CASE("a line longer than the context is scored in half-context windows",
          "[eval][lm][surprisal]") {
  LanguageModel lm = testing::TinyLmWithWords(kLower, /*context=*/4);
  std::string line;
  std::vector<int32_t> ids = {kEosId};
  for (int i = 0; i < 11; ++i) {
    absl::StrAppend(&line, i ? " " : "", kLower[2 + i % 5]);
    ids.push_back(2 + i % 5);
  }
  ids.push_back(kEosId);
  auto s = ScoreSentence(&lm, line, {});
  REQUIRE(s.ok());
  REQUIRE(s->tokens.size() == 12);
  for (size_t i = 0; i < s->tokens.size(); ++i) {
    const TokenSurprisal& t = s->tokens[i];
    INFO("token " << i);
    // At least half the context of history once the line is long enough, never more than it.
    CHECK(t.context >= std::min<int>(static_cast<int>(i) + 1, 2));
    CHECK(t.context <= 4);
    CHECK(t.log_prob == Approx(DirectLogProb(lm, ids, i, t.context)).margin(1e-5));
  }
  CHECK(s->tokens.back().context > 1);
}

}  // namespace
}  // namespace wordspace::eval
