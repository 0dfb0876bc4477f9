// NextWordScorer: what `wordspace lm-bench` needs from a language model, so that the n-gram
// baselines and the transformer plug in the same way. A scorer predicts over its own id space
// [0, V), which contains `<unk>` (every out-of-vocabulary word) and `</s>` (a line end).
//
// It is fed windows of a token stream. In a window of ids t[0..n), it predicts t[j+1] from
// t[0..j] (causally: nothing at or after j+1 is visible) for every j in [first_target, n-1),
// and returns one TargetScore per prediction, in order:
//   - ln p(target | context);
//   - ln p(<unk> | context), so a caller can remove <unk> from the prediction and renormalise;
//   - the kTopList most probable ids, best first (ties broken by the lower id). Six, so that
//     the top 5 are still known once `<unk>` is taken out.
// A transformer scores a whole window in one forward pass; an n-gram model looks at the last
// order-1 ids before each target only.
//
//   std::vector<ScoreWindow> windows = {{tokens, 0}};
//   std::vector<TargetScore> out(tokens.size() - 1);
//   RETURN_IF_ERROR(scorer.Score(windows, out));
#ifndef WORDSPACE_EVAL_LM_NEXT_WORD_SCORER_H_
#define WORDSPACE_EVAL_LM_NEXT_WORD_SCORER_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "corpus/sentence_reader.h"

namespace wordspace::eval {

inline constexpr int kTopList = 6;

struct TargetScore {
  double log_prob = 0;                  // ln p(target | context), natural log
  double log_prob_unk = 0;              // ln p(<unk> | context)
  std::array<int32_t, kTopList> top{};  // most probable ids, best first
};

struct ScoreWindow {
  std::span<const int32_t> tokens;  // ids of the scorer's vocabulary
  int first_target = 0;             // predictions for j = first_target .. tokens.size()-2
  int targets() const { return static_cast<int>(tokens.size()) - 1 - first_target; }
};

class NextWordScorer {
 public:
  virtual ~NextWordScorer() = default;

  // One line for reports: "Kneser-Ney order 5, V=20002" or the transformer's config.
  virtual std::string Describe() const = 0;
  // id -> word for every id in [0, V), `<unk>` and `</s>` included.
  virtual const std::vector<std::string>& vocabulary() const = 0;
  virtual int32_t unk_id() const = 0;
  virtual int32_t eos_id() const = 0;
  // How the model's training text was split into words; held-out text is read the same way.
  virtual corpus::TokenizerOptions tokenizer() const = 0;

  // The evaluation windows this model wants by default: `default_window()` ids of context per
  // window (a transformer's context length), moved by `default_stride()`.
  virtual int default_window() const = 0;
  virtual int default_stride() const = 0;
  // The longest window Score accepts, in context ids (tokens.size() - 1); 0: no limit.
  virtual int max_window() const = 0;
  // Windows per Score call that use the machine well (a transformer's batch size).
  virtual int preferred_batch() const { return 64; }

  // Scores `windows` into `out`, which holds exactly the sum of windows[i].targets() entries.
  // InvalidArgument for an id outside [0, V) or a window longer than max_window().
  [[nodiscard]] virtual absl::Status Score(std::span<const ScoreWindow> windows,
                                           std::span<TargetScore> out) = 0;
};

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NEXT_WORD_SCORER_H_
