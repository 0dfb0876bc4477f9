// Next-word evaluation of a NextWordScorer on held-out text: how the text becomes ids, how the
// stream is cut into windows, and how predictions are counted.
//
// Targets: every id of the stream after the first (so `</s>` line ends are targets too). The
// stream is cut into windows of W context ids moved by a stride S (1 <= S <= W): window starts
// are 0, S, 2S, ... plus, if needed, one last window ending at the stream's end; each window
// scores only the targets no earlier window scored. So every target is scored exactly once;
// the target at position p (1-based: p ids precede it) sees min(p, W - S + 1) or more ids of
// context, and at most W. S = W gives non-overlapping windows.
//
// Counting, two ways:
// - all targets: `<unk>` is a word like any other (the Penn Treebank convention): a `<unk>`
//   target predicted as `<unk>` counts as a hit. perplexity = exp(-mean ln p(target)).
// - known targets (`*_known`): targets that are `<unk>` are skipped, and `<unk>` is removed
//   from every prediction: top-k are the k most probable ids other than `<unk>`, and
//   probabilities are renormalised over the other words,
//     perplexity_known = exp(-mean over known targets of ln[p(target) / (1 - p(<unk>))]),
//   exactly torch_tiny_lm.py's "nounk" mode. A `<unk>` target can never inflate these.
// OOV rate: the fraction of targets that are `<unk>` under the model's vocabulary.
//
//   ASSIGN_OR_RETURN(std::vector<int32_t> ids, EncodeForScorer("valid.txt.gz", scorer));
//   ASSIGN_OR_RETURN(NextWordCounts c, EvaluateNextWord(&scorer, ids, {}));
//   double ppl = c.perplexity();
#ifndef WORDSPACE_EVAL_LM_NEXT_WORD_EVAL_H_
#define WORDSPACE_EVAL_LM_NEXT_WORD_EVAL_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/vocabulary.h"
#include "eval/lm/next_word_scorer.h"

namespace wordspace::eval {

// One window over a stream of ids: ids [start, start + length] (length context ids, the last
// target at start + length); it scores targets start + first_target + 1 .. start + length.
struct WindowSpan {
  int64_t start = 0;
  int length = 0;
  int first_target = 0;
};

// The windows for a stream of `stream_size` ids (stream_size - 1 targets): transformer::
// SlidingWindows (evaluation.h), the windowing lm-train's validation uses. InvalidArgument
// unless 1 <= stride <= window.
[[nodiscard]] absl::StatusOr<std::vector<WindowSpan>> PlanWindows(int64_t stream_size, int window,
                                                                  int stride);

// Sums over targets; they add up across batches and threads.
struct NextWordCounts {
  uint64_t targets = 0;
  uint64_t top1 = 0, top5 = 0;
  double nll = 0;      // sum of -ln p(target)
  uint64_t known = 0;  // targets that are not <unk>
  uint64_t top1_known = 0, top5_known = 0;
  double nll_known = 0;  // sum of -ln[p(target) / (1 - p(<unk>))]

  void Add(const TargetScore& score, int32_t target, int32_t unk_id);
  void Merge(const NextWordCounts& other);

  double top1_rate() const { return targets ? double(top1) / targets : 0; }
  double top5_rate() const { return targets ? double(top5) / targets : 0; }
  double perplexity() const;
  double top1_known_rate() const { return known ? double(top1_known) / known : 0; }
  double top5_known_rate() const { return known ? double(top5_known) / known : 0; }
  double perplexity_known() const;
  double oov_rate() const { return targets ? double(targets - known) / targets : 0; }
};

struct NextWordEvalOptions {
  int window = 0;  // context ids per window; 0: the scorer's default_window()
  int stride = 0;  // 0: the scorer's default_stride() (capped at the window)
  // Called after each batch with targets done and in all.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

// The window and stride EvaluateNextWord uses for `scorer` under `options`; InvalidArgument
// for a window over the scorer's max_window() or a bad stride.
[[nodiscard]] absl::StatusOr<std::pair<int, int>> ResolveWindow(const NextWordScorer& scorer,
                                                                const NextWordEvalOptions& options);

// Scores every target of `ids` (scorer ids) once.
[[nodiscard]] absl::StatusOr<NextWordCounts> EvaluateNextWord(NextWordScorer* scorer,
                                                              std::span<const int32_t> ids,
                                                              const NextWordEvalOptions& options);

// Reads a plain or gzip text with the scorer's tokenizer into scorer ids: each word's id, or
// unk_id() when out of vocabulary, and eos_id() after every line. NotFound/DataLoss name `path`;
// InvalidArgument when it is not text (corpus/file_kind.h), unless `force`.
[[nodiscard]] absl::StatusOr<std::vector<int32_t>> EncodeForScorer(
    const std::string& path, const NextWordScorer& scorer, corpus::CorpusStats* stats = nullptr,
    bool force = false);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NEXT_WORD_EVAL_H_
