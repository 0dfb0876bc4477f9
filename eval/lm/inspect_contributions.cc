#include "eval/lm/inspect_contributions.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace wordspace::eval {
namespace {

// Centred logits of direction d (C): (H - mean row of H) · d, as floats (V).
std::vector<float> CentredLogits(const float* head, const std::vector<double>& head_mean,
                                 const std::vector<double>& d, int V, int C) {
  double shift = 0;
  for (int c = 0; c < C; ++c) shift += head_mean[c] * d[c];
  std::vector<float> out(V);
  for (int v = 0; v < V; ++v) {
    const float* h = head + static_cast<size_t>(v) * C;
    double dot = 0;
    for (int c = 0; c < C; ++c) dot += h[c] * d[c];
    out[v] = static_cast<float>(dot - shift);
  }
  return out;
}

std::vector<WordScore> Extremes(const transformer::LanguageModel& lm, const std::vector<float>& s,
                                int k, bool lowest) {
  std::vector<WordScore> out;
  for (int32_t id : TopIds(s, k, lowest)) out.push_back({lm.word(id), s[id]});
  return out;
}

}  // namespace

absl::StatusOr<ContributionsReport> InspectContributions(transformer::LanguageModel& lm,
                                                         const InspectWindow& window,
                                                         const ContributionsOptions& options) {
  ASSIGN_OR_RETURN(transformer::ForwardTrace trace, lm.Trace(window.ids));
  const int L = trace.L, T = trace.T, C = trace.C, V = lm.vocab_size();
  ContributionsReport r;
  r.tokens = window.tokens;
  r.position = options.position < 0 ? T - 1 : options.position;
  if (r.position >= T) {
    return absl::InvalidArgumentError(absl::StrCat("--position ", options.position,
                                                   " is outside the window of ", T, " tokens (0..",
                                                   T - 1, ")"));
  }
  const int p = r.position;
  const std::vector<float> logp = lm.ReadOut(trace.Residual(L, p));
  r.predicted = TopWords(lm, logp, options.k);
  if (options.target.empty()) {
    r.target_id = r.predicted[0].id;
  } else {
    ASSIGN_OR_RETURN(r.target_id, WordId(lm, options.target, "--target"));
  }
  r.target = lm.word(r.target_id);
  r.target_prob = std::exp(double{logp[r.target_id]});

  const transformer::ParameterViews w = lm.model().param_views();
  // The final norm's scale at p, as LayerNormForward (or RmsNormForward, which does not centre)
  // computes it. The residual is the sum of its parts, and the norm is linear in each part once
  // this scale is fixed.
  const bool centred = lm.model().config().norm == transformer::NormKind::kLayerNorm;
  auto x = trace.Residual(L, p);
  double mean = 0, var = 0;
  if (centred) {
    for (int c = 0; c < C; ++c) mean += x[c];
    mean /= C;
  }
  for (int c = 0; c < C; ++c) var += (x[c] - mean) * (x[c] - mean);
  const double rstd = 1.0 / std::sqrt(var / C + 1e-5);
  std::vector<double> head_mean(C, 0.0);
  for (int v = 0; v < V; ++v) {
    for (int c = 0; c < C; ++c) head_mean[c] += w.head[static_cast<size_t>(v) * C + c];
  }
  for (double& m : head_mean) m /= V;

  auto direction = [&](std::span<const float> u) {
    double m = 0;
    if (centred) {
      for (float f : u) m += f;
      m /= C;
    }
    std::vector<double> d(C);
    for (int c = 0; c < C; ++c) d[c] = (u[c] - m) * rstd * w.lnfw[c];
    return d;
  };
  auto add = [&](std::string name, int layer, std::vector<float> logits) {
    Component comp;
    comp.name = std::move(name);
    comp.layer = layer;
    comp.target_effect = logits[r.target_id];
    comp.promotes = Extremes(lm, logits, options.k, false);
    comp.demotes = Extremes(lm, logits, options.k, true);
    r.components.push_back(std::move(comp));
    r.component_logits.push_back(std::move(logits));
  };
  add("embeddings", -1, CentredLogits(w.head, head_mean, direction(trace.Residual(0, p)), V, C));
  for (int l = 0; l < L; ++l) {
    add(absl::StrCat("attn ", l), l,
        CentredLogits(w.head, head_mean, direction(trace.AttnUpdate(l, p)), V, C));
    add(absl::StrCat("ff ", l), l,
        CentredLogits(w.head, head_mean, direction(trace.FfUpdate(l, p)), V, C));
  }
  if (w.lnfb != nullptr) {  // RMSNorm and bias-free models have none
    std::vector<double> bias(w.lnfb, w.lnfb + C);
    add("lnf bias", -1, CentredLogits(w.head, head_mean, bias, V, C));
  }
  // The model's own logits, centred: log-probabilities differ from logits by a
  // constant.
  double lmean = 0;
  for (float f : logp) lmean += f;
  lmean /= V;
  r.centred_logits.resize(V);
  for (int v = 0; v < V; ++v) r.centred_logits[v] = static_cast<float>(logp[v] - lmean);

  // Neurons: target effect = activation * (H[target] - mean H) · d(fcproj[:,
  // n]).
  std::vector<double> target_dir(C);
  for (int c = 0; c < C; ++c) {
    target_dir[c] = w.head[static_cast<size_t>(r.target_id) * C + c] - head_mean[c];
  }
  const int H4 = trace.H;  // the feed-forward's neurons
  std::vector<NeuronContribution> all;
  std::vector<float> column(C);
  auto value_vector = [&](int l, int n) {
    const float* fcproj = w.fcprojw + static_cast<size_t>(l) * C * H4;
    for (int c = 0; c < C; ++c) column[c] = fcproj[static_cast<size_t>(c) * H4 + n];
    return direction(column);
  };
  for (int l = 0; l < L; ++l) {
    auto act = trace.FfHidden(l, p);
    for (int n = 0; n < H4; ++n) {
      const std::vector<double> d = value_vector(l, n);
      double dot = 0;
      for (int c = 0; c < C; ++c) dot += target_dir[c] * d[c];
      NeuronContribution nc;
      nc.layer = l;
      nc.neuron = n;
      nc.activation = act[n];
      nc.target_effect = act[n] * dot;
      all.push_back(nc);
    }
  }
  const int keep = std::min<int>(options.neurons, static_cast<int>(all.size()));
  std::partial_sort(all.begin(), all.begin() + keep, all.end(),
                    [](const NeuronContribution& a, const NeuronContribution& b) {
                      return a.target_effect > b.target_effect;
                    });
  all.resize(keep);
  for (NeuronContribution& nc : all) {
    std::vector<double> d = value_vector(nc.layer, nc.neuron);
    if (nc.activation < 0) {
      for (double& v : d) v = -v;
    }
    nc.promotes = Extremes(lm, CentredLogits(w.head, head_mean, d, V, C), options.k, false);
  }
  r.neurons = std::move(all);
  return r;
}

}  // namespace wordspace::eval
