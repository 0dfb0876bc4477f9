// NgramScorer: an NgramModel behind the NextWordScorer interface, for `wordspace lm-bench`.
// Each target is predicted from the last order-1 ids before it in its window; by default the
// windows are order-1 ids moved by 1, so every target sees all the context the model can use
// (the first order-2 targets of a file see all the ids before them, fewer). Targets are spread over
// `threads` threads; the top list and p(<unk>) depend only on the deepest known context, so they
// are cached per context node (the cache is bounded).
//
//   ASSIGN_OR_RETURN(NgramModel lm, ReadNgramModel("kn5.bin"));
//   NgramScorer scorer(std::move(lm), /*threads=*/2);
#ifndef WORDSPACE_EVAL_LM_NGRAM_SCORER_H_
#define WORDSPACE_EVAL_LM_NGRAM_SCORER_H_

#include <memory>
#include <string>
#include <vector>

#include "eval/lm/next_word_scorer.h"
#include "eval/lm/ngram_model.h"

namespace wordspace::eval {

class NgramScorer : public NextWordScorer {
 public:
  // `threads` <= 0: all cores.
  NgramScorer(NgramModel model, int threads);
  ~NgramScorer() override;

  const NgramModel& model() const { return model_; }

  std::string Describe() const override;
  const std::vector<std::string>& vocabulary() const override { return model_.vocabulary().words; }
  int32_t unk_id() const override { return model_.vocabulary().unk_id; }
  int32_t eos_id() const override { return model_.vocabulary().eos_id; }
  corpus::TokenizerOptions tokenizer() const override { return model_.vocabulary().tokenizer; }
  int default_window() const override { return std::max(1, model_.order() - 1); }
  int default_stride() const override { return 1; }
  int max_window() const override { return 0; }
  int preferred_batch() const override { return 4096; }

  [[nodiscard]] absl::Status Score(std::span<const ScoreWindow> windows,
                                   std::span<TargetScore> out) override;

 private:
  struct Worker;
  NgramModel model_;
  int threads_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NGRAM_SCORER_H_
