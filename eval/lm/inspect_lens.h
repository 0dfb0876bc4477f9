// `inspect lens`: the logit lens (nostalgebraist 2020, "interpreting GPT: the
// logit lens"). The residual stream after the embeddings and after each block
// is read through the final LayerNorm and the output layer as if it were the
// last; the top words per layer show how the prediction forms. At the last
// layer the read-out is the model's own distribution.
//
//   ASSIGN_OR_RETURN(LensReport lens, InspectLens(lm, PromptWindow(lm, "the
//   capital of"), 5, "")); lens.layers[l].positions[t].top[0].word   // l = 0:
//   embeddings only; l = L: the model
#ifndef WORDSPACE_EVAL_LM_INSPECT_LENS_H_
#define WORDSPACE_EVAL_LM_INSPECT_LENS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/lm/inspect_window.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

struct LensCell {
  std::vector<WordProb> top;  // the k most probable next words read at this layer
  double final_prob = 0;      // probability of the model's final top-1 word here
  int target_rank = 0;        // rank (1 = top) of the target word; 0 without a target
  double target_prob = 0;
};

struct LensLayer {
  int layer = 0;  // 0: after the embeddings; l: after block l-1 ... L: the
                  // model's output
  std::vector<LensCell> positions;
};

struct LensReport {
  std::vector<std::string> tokens;
  std::vector<WordProb> final_top1;  // the model's top word per position
  std::string target;                // "" when none
  int32_t target_id = -1;
  std::vector<LensLayer> layers;  // L + 1
};

// `target` (optional; "" for none) is a word whose rank and probability are
// followed through the layers; InvalidArgument when it is not in the
// vocabulary, or for a bad window.
[[nodiscard]] absl::StatusOr<LensReport> InspectLens(transformer::LanguageModel& lm,
                                                     const InspectWindow& window, int k,
                                                     const std::string& target);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_LENS_H_
