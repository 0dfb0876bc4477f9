#include "eval/lm/inspect_lens.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace wordspace::eval {

absl::StatusOr<LensReport> InspectLens(transformer::LanguageModel& lm, const InspectWindow& window,
                                       int k, const std::string& target) {
  LensReport report;
  report.tokens = window.tokens;
  report.target = target;
  if (!target.empty()) {
    ASSIGN_OR_RETURN(report.target_id, WordId(lm, target, "--target"));
  }
  ASSIGN_OR_RETURN(transformer::ForwardTrace trace, lm.Trace(window.ids));
  const int L = trace.L, T = trace.T;
  std::vector<std::vector<float>> final_logp(T);
  for (int t = 0; t < T; ++t) {
    final_logp[t] = lm.ReadOut(trace.Residual(L, t));
    report.final_top1.push_back(TopWords(lm, final_logp[t], 1)[0]);
  }
  for (int l = 0; l <= L; ++l) {
    LensLayer layer;
    layer.layer = l;
    for (int t = 0; t < T; ++t) {
      const std::vector<float> logp = l == L ? final_logp[t] : lm.ReadOut(trace.Residual(l, t));
      LensCell cell;
      cell.top = TopWords(lm, logp, k);
      cell.final_prob = std::exp(double{logp[report.final_top1[t].id]});
      if (report.target_id >= 0) {
        cell.target_rank = RankOf(logp, report.target_id);
        cell.target_prob = std::exp(double{logp[report.target_id]});
      }
      layer.positions.push_back(std::move(cell));
    }
    report.layers.push_back(std::move(layer));
  }
  return report;
}

}  // namespace wordspace::eval
