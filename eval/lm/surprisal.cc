#include "eval/lm/surprisal.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <span>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "eval/lm/next_word_eval.h"

namespace wordspace::eval {

double SentenceSurprisal::perplexity() const {
  if (tokens.empty()) return std::numeric_limits<double>::quiet_NaN();
  return std::exp2(total_bits / static_cast<double>(tokens.size()));
}

absl::StatusOr<SentenceSurprisal> ScoreSentence(transformer::LanguageModel* lm,
                                                std::string_view line,
                                                const SurprisalOptions& options) {
  return ScoreSentence(lm, line, options, IsLowercaseVocabulary(*lm));
}

absl::StatusOr<SentenceSurprisal> ScoreSentence(transformer::LanguageModel* lm,
                                                std::string_view line,
                                                const SurprisalOptions& options,
                                                bool lowercase_vocabulary) {
  SentenceSurprisal out;
  out.words = ReadPromptWords(*lm, line, lowercase_vocabulary, options.case_sensitive);
  // The stream: the previous line's end, the words, and this line's end.
  std::vector<int32_t> ids = {transformer::kEosId};
  ids.insert(ids.end(), out.words.ids.begin(), out.words.ids.end());
  if (options.end_of_line) ids.push_back(transformer::kEosId);
  if (ids.size() < 2) {
    return absl::InvalidArgumentError(
        "the line has no words to score (and the line end is not scored)");
  }
  out.tokens.resize(ids.size() - 1);
  for (size_t i = 0; i < out.tokens.size(); ++i) {
    TokenSurprisal& t = out.tokens[i];
    t.id = ids[i + 1];
    if (i < out.words.tokens.size()) {
      t.word = out.words.tokens[i];
      t.unknown = t.id == transformer::kUnkId && t.word != lm->word(transformer::kUnkId);
    } else {
      t.word = lm->word(transformer::kEosId);
    }
  }
  // lm-bench's windows: the whole context, moved by half of it.
  const int window = lm->context();
  ASSIGN_OR_RETURN(std::vector<WindowSpan> spans,
                   PlanWindows(static_cast<int64_t>(ids.size()), window, std::max(1, window / 2)));
  for (const WindowSpan& span : spans) {
    const std::span<const int32_t> input(ids.data() + span.start, span.length);
    RETURN_IF_ERROR(
        lm->ForEachLogProbs(input, 1, span.length, [&](int64_t row, std::span<const float> logp) {
          if (row < span.first_target) return;
          // Row `row` predicts ids[start + row + 1], the stream's target start + row.
          TokenSurprisal& t = out.tokens[span.start + row];
          const float target = logp[t.id];
          int64_t above = 0;
          int32_t best = 0;
          for (size_t v = 0; v < logp.size(); ++v) {
            above += logp[v] > target;
            if (logp[v] > logp[best]) best = static_cast<int32_t>(v);
          }
          t.log_prob = target;
          t.bits = -target / std::numbers::ln2;
          t.rank = above + 1;
          t.expected = best;
          t.context = static_cast<int>(row) + 1;
        }));
  }
  for (const TokenSurprisal& t : out.tokens) out.total_bits += t.bits;
  return out;
}

}  // namespace wordspace::eval
