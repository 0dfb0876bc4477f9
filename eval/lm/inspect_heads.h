// `inspect heads`: a one-line profile of every attention head, and the role it
// plays.
//
// Over windows of held-out text, per head: the mean attention distance (sum
// over keys of weight * (query - key)), the mean weight on the previous token,
// on the window's first token, and on earlier copies of the query's own word
// (positions whose word occurred before only). The induction score (Olsson et
// al. 2022, "In-context learning and induction heads") comes from windows </s>
// R R of a random token sequence R repeated: the mean weight from each token of
// the second copy on the token that followed the same token in the first copy.
// A random R cannot be predicted from training statistics, so only a head that
// copies from context scores high.
//
//   HeadsOptions options;
//   std::vector<HeadProfile> heads = ProfileHeads(lm, heldout_ids, options); //
//   sorted by role
#ifndef WORDSPACE_EVAL_LM_INSPECT_HEADS_H_
#define WORDSPACE_EVAL_LM_INSPECT_HEADS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "transformer/language_model.h"

namespace wordspace::eval {

struct HeadsOptions {
  int max_windows = 64;         // held-out windows of context() tokens, from the start
  int induction_windows = 16;   // random repeated sequences
  uint64_t seed = 1;            // of the random sequences
  double role_threshold = 0.3;  // a score above this names the head's role
};

struct HeadProfile {
  int layer = 0, head = 0;
  double mean_distance = 0;   // positions back, averaged over queries
  double previous_token = 0;  // weight on query-1 (queries >= 1)
  double first_token = 0;     // weight on position 0 (queries >= 1)
  double same_word = 0;       // weight on earlier copies of the query's word (NaN: none seen)
  double induction = 0;       // weight on the token after the first copy (random sequences)
  // "previous-token", "induction", "first-token", "same-word" (the highest such
  // score when above role_threshold), else "local" (mean distance below 2) or
  // "mixed".
  std::string role;
};

// Profiles every head over `heldout` ids (a flat stream as EncodeFile gives,
// cut into windows; when empty, the random windows serve for every score).
// Sorted by role (in the order above), then by the role's score, highest first.
std::vector<HeadProfile> ProfileHeads(transformer::LanguageModel& lm,
                                      std::span<const int32_t> heldout,
                                      const HeadsOptions& options);

// The random windows </s> R R used for the induction score: R has (context-1)/2
// distinct ids from [2, V) when V allows (drawn with repeats otherwise).
// Deterministic for a seed.
std::vector<std::vector<int32_t>> RepeatedRandomWindows(int vocab_size, int context, int count,
                                                        uint64_t seed);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_HEADS_H_
