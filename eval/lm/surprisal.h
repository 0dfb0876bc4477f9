// Per-token surprisal of a sentence under a transformer checkpoint (`wordspace lm-score`), as
// surprisal studies in psycholinguistics use it: for each word w_t of a line,
//   surprisal(w_t) = -log2 P(w_t | </s>, w_1 .. w_{t-1})   (bits)
// with the line treated as a line of the training text: `</s>` (the previous line's end)
// precedes it, and by default the line's own `</s>` is scored last, so the total is the
// line's probability as a line. Unknown words are scored as <unk> (and flagged): their
// surprisal is that of "some word outside the vocabulary". A line longer than the model's
// context is scored in windows moved by half the context (lm-bench's windowing), so every
// token sees at least half a context of history.
//
//   SentenceSurprisal s = *ScoreSentence(&lm, "the cat sat on the mat", {});
//   for (const TokenSurprisal& t : s.tokens) printf("%s %.2f\n", t.word.c_str(), t.bits);
#ifndef WORDSPACE_EVAL_LM_SURPRISAL_H_
#define WORDSPACE_EVAL_LM_SURPRISAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/lm/prompt_words.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

struct SurprisalOptions {
  bool end_of_line = true;  // score the line's closing </s> too
  // Words only as spelled; otherwise one the vocabulary lacks is read in lowercase if it has
  // that form (PromptWords::lowercased lists them).
  bool case_sensitive = false;
};

struct TokenSurprisal {
  std::string word;      // as the tokenizer split it; "</s>" for the line end
  int32_t id = 0;        // the model's id (transformer::kUnkId for an unknown word)
  bool unknown = false;  // not in the vocabulary: scored as <unk>
  double log_prob = 0;   // natural log of P(token | history)
  double bits = 0;       // surprisal, -log2 P
  int64_t rank = 0;      // 1 + the number of ids the model found more probable
  int32_t expected = 0;  // the model's most probable id at this position
  int context = 0;       // ids of history the model saw (the leading </s> included)
};

struct SentenceSurprisal {
  PromptWords words;  // the line's words and the unknown ones (for DescribeUnknownWords)
  std::vector<TokenSurprisal> tokens;
  double total_bits = 0;
  // 2^(total_bits / tokens): the per-token perplexity of the line (NaN when no token).
  double perplexity() const;
};

// Scores one line. InvalidArgument for a line with no words when `end_of_line` is off (nothing
// to score); errors otherwise only from the model's shape checks.
[[nodiscard]] absl::StatusOr<SentenceSurprisal> ScoreSentence(transformer::LanguageModel* lm,
                                                              std::string_view line,
                                                              const SurprisalOptions& options);
// The same with IsLowercaseVocabulary(lm) computed once by the caller, for many lines.
[[nodiscard]] absl::StatusOr<SentenceSurprisal> ScoreSentence(transformer::LanguageModel* lm,
                                                              std::string_view line,
                                                              const SurprisalOptions& options,
                                                              bool lowercase_vocabulary);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_SURPRISAL_H_
