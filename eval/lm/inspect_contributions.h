// `inspect contributions`: what each sub-layer's update does to the prediction
// at one position.
//
// The final LayerNorm at the position is affine once its mean and scale are
// fixed, so the logits split exactly into one part per residual component (the
// embeddings, and every block's attention and feed-forward update u) plus the
// LayerNorm bias's part:
//   logits = sum_u H (lnf_w * (u - mean(u)) * rstd) + H lnf_b,   rstd that of
//   the whole residual
// ("direct logit attribution"). Each part is reported centred over the
// vocabulary (softmax ignores a shift): the words it promotes and demotes most,
// and its effect on a target word. Feed-forward neurons are keys and values
// (Geva et al. 2021, "Transformer feed-forward layers are key-value memories"):
// neuron n of block l writes activation * fcproj[:, n]; its direct effect on
// the target ranks the neurons, and the words its value vector promotes say
// what it stores.
//
//   ASSIGN_OR_RETURN(ContributionsReport r, InspectContributions(lm, window,
//   options));
#ifndef WORDSPACE_EVAL_LM_INSPECT_CONTRIBUTIONS_H_
#define WORDSPACE_EVAL_LM_INSPECT_CONTRIBUTIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/lm/inspect_window.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

struct ContributionsOptions {
  int position = -1;   // window position (-1: the last)
  std::string target;  // word whose logit is explained ("": the model's top prediction)
  int k = 5;           // words promoted / demoted per component
  int neurons = 10;    // top feed-forward neurons listed
};

struct WordScore {
  std::string word;
  double score = 0;  // centred logit effect
};

struct Component {
  std::string name;  // "embeddings", "attn 0", "ff 0", ..., "lnf bias"
  int layer = -1;    // block, -1 for embeddings and the bias
  double target_effect = 0;
  std::vector<WordScore> promotes, demotes;
};

struct NeuronContribution {
  int layer = 0, neuron = 0;
  double activation = 0;            // GELU output at the position
  double target_effect = 0;         // centred logit effect on the target
  std::vector<WordScore> promotes;  // words its value vector (times the activation's sign) promotes
};

struct ContributionsReport {
  std::vector<std::string> tokens;
  int position = 0;
  std::string target;
  int32_t target_id = 0;
  double target_prob = 0;                            // the model's probability of the target
  std::vector<WordProb> predicted;                   // the model's top-k at the position
  std::vector<Component> components;                 // embeddings, attn/ff per block, lnf bias
  std::vector<NeuronContribution> neurons;           // by target effect, highest first
  std::vector<float> centred_logits;                 // the model's logits, centred (V); for tests
  std::vector<std::vector<float>> component_logits;  // each component's centred part (V); tests
};

// InvalidArgument for a position outside the window, a target outside the
// vocabulary or a bad window.
[[nodiscard]] absl::StatusOr<ContributionsReport> InspectContributions(
    transformer::LanguageModel& lm, const InspectWindow& window,
    const ContributionsOptions& options);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_CONTRIBUTIONS_H_
