#include "eval/lm/next_word_transformer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/parallel_for.h"
#include "base/status_macros.h"
#include "transformer/model.h"

namespace wordspace::eval {

void TopOfLogProbs(std::span<const float> logp, std::array<int32_t, kTopList>* top) {
  std::array<float, kTopList> best_v;
  int n = 0;
  top->fill(-1);
  for (size_t v = 0; v < logp.size(); ++v) {
    const float x = logp[v];
    // Ids arrive in increasing order, so "strictly greater" keeps the lower id first on ties.
    if (n == kTopList && !(x > best_v[kTopList - 1])) continue;
    int pos = n < kTopList ? n : kTopList - 1;
    while (pos > 0 && x > best_v[pos - 1]) {
      best_v[pos] = best_v[pos - 1];
      (*top)[pos] = (*top)[pos - 1];
      --pos;
    }
    best_v[pos] = x;
    (*top)[pos] = static_cast<int32_t>(v);
    if (n < kTopList) ++n;
  }
}

absl::StatusOr<std::unique_ptr<TransformerScorer>> TransformerScorer::Load(const std::string& path,
                                                                           int threads) {
  ASSIGN_OR_RETURN(transformer::LanguageModel lm, transformer::LanguageModel::Load(path));
  return std::make_unique<TransformerScorer>(std::move(lm), threads);
}

TransformerScorer::TransformerScorer(transformer::LanguageModel lm, int threads)
    : lm_(std::move(lm)) {
  lm_.set_threads(ResolveThreads(threads));
}

int32_t TransformerScorer::unk_id() const { return transformer::kUnkId; }
int32_t TransformerScorer::eos_id() const { return transformer::kEosId; }

std::string TransformerScorer::Describe() const {
  const transformer::ModelConfig& c = lm_.config();
  return absl::StrCat("transformer d_model ", c.d_model, ", ", c.layers, " layers, ", c.heads,
                      " heads, context ", c.context, c.tied ? "" : ", untied", ", V=", c.vocab_size,
                      c.IsClassic() ? "" : absl::StrCat(" (", c.ArchitectureName(), ")"), ", ",
                      lm_.trained_steps(), " steps");
}

absl::Status TransformerScorer::Score(std::span<const ScoreWindow> windows,
                                      std::span<TargetScore> out) {
  // Output offset of each window's first target.
  std::vector<size_t> offset(windows.size() + 1, 0);
  for (size_t w = 0; w < windows.size(); ++w) {
    const ScoreWindow& win = windows[w];
    if (win.tokens.size() < 2 || win.first_target < 0 || win.targets() < 0) {
      return absl::InvalidArgumentError("a window needs at least one target");
    }
    for (int32_t id : win.tokens) {
      if (id < 0 || id >= lm_.vocab_size()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "token id ", id, " is outside the model's vocabulary of ", lm_.vocab_size()));
      }
    }
    offset[w + 1] = offset[w] + win.targets();
  }
  if (offset.back() != out.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("output holds ", out.size(), " scores for ", offset.back(), " targets"));
  }
  const int32_t unk = unk_id();
  // Runs of windows with the same number of inputs go through one forward pass.
  for (size_t begin = 0; begin < windows.size();) {
    const int T = static_cast<int>(windows[begin].tokens.size()) - 1;
    size_t end = begin + 1;
    while (end < windows.size() && static_cast<int>(windows[end].tokens.size()) - 1 == T) ++end;
    const int B = static_cast<int>(end - begin);
    batch_.resize(static_cast<size_t>(B) * T);
    for (int b = 0; b < B; ++b) {
      std::copy_n(windows[begin + b].tokens.begin(), T,
                  batch_.begin() + static_cast<size_t>(b) * T);
    }
    RETURN_IF_ERROR(
        lm_.ForEachLogProbs(batch_, B, T, [&](int64_t row, std::span<const float> logp) {
          const size_t w = begin + static_cast<size_t>(row / T);
          const int t = static_cast<int>(row % T);
          const ScoreWindow& win = windows[w];
          if (t < win.first_target) return;
          TargetScore& s = out[offset[w] + (t - win.first_target)];
          s.log_prob = logp[win.tokens[t + 1]];
          s.log_prob_unk = logp[unk];
          TopOfLogProbs(logp, &s.top);
        }));
    begin = end;
  }
  return absl::OkStatus();
}

}  // namespace wordspace::eval
