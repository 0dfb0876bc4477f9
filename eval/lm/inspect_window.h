// Shared pieces of the `inspect` studies (inspect_*.h): a prompt turned into
// the window a language model reads, and the top-k words of a next-token
// distribution.
//
//   InspectWindow w = PromptWindow(lm, "the river bank was muddy");
//   // w.ids = {</s>, the, river, bank, was, muddy}; w.tokens the matching
//   words std::vector<WordProb> top = TopWords(lm, logp, 5);
#ifndef WORDSPACE_EVAL_LM_INSPECT_WINDOW_H_
#define WORDSPACE_EVAL_LM_INSPECT_WINDOW_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

struct InspectWindow {
  std::vector<int32_t> ids;         // at most lm.context() ids
  std::vector<std::string> tokens;  // lm.word(id) each; "<unk>" for words outside the vocabulary
};

// The text split as training split it, after a </s> (a line start, as
// lm-generate reads a prompt). Longer texts keep their last context() tokens.
// Empty text gives just {</s>}.
InspectWindow PromptWindow(const transformer::LanguageModel& lm, std::string_view text);
// The window of given ids (their words as tokens).
InspectWindow IdsWindow(const transformer::LanguageModel& lm, std::vector<int32_t> ids);

struct WordProb {
  int32_t id = 0;
  std::string word;
  double prob = 0;  // probability (exp of the log-probability)
};
// The k most probable ids of log-probabilities `logp`, best first (ties: lower
// id first).
std::vector<WordProb> TopWords(const transformer::LanguageModel& lm, std::span<const float> logp,
                               int k);
// Ids of the k largest values of `scores` (descending; ties: lower id first);
// with `lowest`, the k smallest (ascending).
std::vector<int32_t> TopIds(std::span<const float> scores, int k, bool lowest = false);
// The id of `word` spelt as the model's tokenizer spells it (lowercased, punctuation stripped,
// ... as in training), so that "Paris" finds "paris" in a lowercased model. InvalidArgument,
// naming `flag`, unless it is exactly one word of the vocabulary.
[[nodiscard]] absl::StatusOr<int32_t> WordId(const transformer::LanguageModel& lm,
                                             std::string_view word, std::string_view flag);

// 1-based rank of `id` in `scores` (1: the largest).
int RankOf(std::span<const float> scores, int32_t id);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_WINDOW_H_
