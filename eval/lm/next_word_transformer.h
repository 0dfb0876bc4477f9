// TransformerScorer: a transformer checkpoint (`wordspace lm-train`, transformer/
// LanguageModel) behind the NextWordScorer interface, for `wordspace lm-bench`. Each window is
// one row of a forward pass (windows of equal length are batched); the model's ids are used
// as they are (<unk> = 0, </s> = 1, then the words), and its context length is the longest
// window. Default windows: the full context, moved by half of it (torch_tiny_lm.py's eval).
//
//   ASSIGN_OR_RETURN(auto scorer, TransformerScorer::Load("model.lm", /*threads=*/2));
#ifndef WORDSPACE_EVAL_LM_NEXT_WORD_TRANSFORMER_H_
#define WORDSPACE_EVAL_LM_NEXT_WORD_TRANSFORMER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/lm/next_word_scorer.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

class TransformerScorer : public NextWordScorer {
 public:
  // Errors as transformer::LanguageModel::Load (NotFound, InvalidArgument, DataLoss).
  // `threads` <= 0: all cores.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TransformerScorer>> Load(
      const std::string& path, int threads);
  TransformerScorer(transformer::LanguageModel lm, int threads);

  std::string Describe() const override;
  const std::vector<std::string>& vocabulary() const override { return lm_.words(); }
  int32_t unk_id() const override;
  int32_t eos_id() const override;
  corpus::TokenizerOptions tokenizer() const override { return lm_.corpus_options().tokenizer; }
  int default_window() const override { return lm_.context(); }
  int default_stride() const override { return std::max(1, lm_.context() / 2); }
  int max_window() const override { return lm_.context(); }
  int preferred_batch() const override { return 32; }

  [[nodiscard]] absl::Status Score(std::span<const ScoreWindow> windows,
                                   std::span<TargetScore> out) override;

 private:
  transformer::LanguageModel lm_;
  std::vector<int32_t> batch_;
};

// The kTopList best ids of `logp` (ties: lower id first), into `top` (-1 when V < kTopList).
void TopOfLogProbs(std::span<const float> logp, std::array<int32_t, kTopList>* top);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NEXT_WORD_TRANSFORMER_H_
