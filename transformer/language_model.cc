#include "transformer/language_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/random.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "corpus/tokenizer.h"
#include "transformer/checkpoint_io.h"
#include "transformer/lm_data.h"

namespace wordspace::transformer {

absl::StatusOr<LanguageModel> LanguageModel::Load(const std::string& path) {
  ASSIGN_OR_RETURN(LmState state, ReadCheckpoint(path, /*with_optimizer=*/false));
  return FromState(std::move(state));
}

LanguageModel LanguageModel::FromState(LmState state) {
  LanguageModel lm;
  lm.model_ = std::move(state.model);
  lm.words_ = std::move(state.words);
  lm.corpus_options_.tokenizer = state.tokenizer;
  lm.trained_steps_ = state.step;
  for (size_t i = 0; i < lm.words_.size(); ++i) {
    lm.ids_.try_emplace(lm.words_[i], static_cast<int32_t>(i));
  }
  return lm;
}

int32_t LanguageModel::Id(std::string_view word) const {
  auto it = ids_.find(ToAbsl(word));
  return it == ids_.end() ? kUnkId : it->second;
}

std::vector<int32_t> LanguageModel::EncodeLine(std::string_view line) const {
  corpus::Tokenizer tokenizer(corpus_options_.tokenizer);
  std::vector<std::string_view> tokens;
  tokenizer.Tokenize(line, &tokens);
  std::vector<int32_t> ids;
  ids.reserve(tokens.size());
  for (std::string_view w : tokens) ids.push_back(Id(w));
  return ids;
}

absl::StatusOr<std::vector<int32_t>> LanguageModel::EncodeFile(const std::string& path) const {
  ASSIGN_OR_RETURN(EncodedText text, EncodeText(path, words_, corpus_options_));
  return std::move(text.ids);
}

absl::Status LanguageModel::CheckWindows(std::span<const int32_t> windows, int batch,
                                         int length) const {
  if (batch < 1 || length < 1 || length > context()) {
    return absl::InvalidArgumentError(
        absl::StrCat("windows of ", batch, " x ", length,
                     " tokens; need batch >= 1 and 1 <= length <= ", context()));
  }
  if (windows.size() != static_cast<size_t>(batch) * length) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", windows.size(), " ids for ", batch, " windows of ", length));
  }
  const int V = vocab_size();
  for (size_t i = 0; i < windows.size(); ++i) {
    if (windows[i] < 0 || windows[i] >= V) {
      return absl::InvalidArgumentError(
          absl::StrCat("id ", windows[i], " at ", i, " is outside [0, ", V, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status LanguageModel::NextTokenLogProbs(std::span<const int32_t> windows, int batch,
                                              int length, std::span<float> out) {
  const size_t V = static_cast<size_t>(vocab_size());
  if (out.size() != static_cast<size_t>(batch) * length * V) {
    return absl::InvalidArgumentError(absl::StrCat("output holds ", out.size(),
                                                   " floats; batch*length*V is ",
                                                   static_cast<size_t>(batch) * length * V));
  }
  return ForEachLogProbs(windows, batch, length, [&](int64_t row, std::span<const float> logp) {
    std::memcpy(out.data() + row * V, logp.data(), V * sizeof(float));
  });
}

std::vector<float> LanguageModel::NextLogProbs(std::span<const int32_t> context_ids) {
  std::vector<int32_t> window;
  if (context_ids.empty()) {
    window.push_back(kEosId);
  } else {
    const size_t n = std::min<size_t>(context_ids.size(), static_cast<size_t>(context()));
    window.assign(context_ids.end() - n, context_ids.end());
  }
  const int T = static_cast<int>(window.size());
  std::vector<float> result;
  absl::Status s = ForEachLogProbs(window, 1, T, [&](int64_t row, std::span<const float> logp) {
    if (row == T - 1) result.assign(logp.begin(), logp.end());
  });
  if (!s.ok()) return {};
  return result;
}

std::vector<std::pair<int32_t, float>> LanguageModel::TopK(std::span<const int32_t> context_ids,
                                                           int k, bool skip_unk) {
  const std::vector<float> logp = NextLogProbs(context_ids);
  std::vector<int32_t> order(logp.size());
  std::iota(order.begin(), order.end(), 0);
  if (skip_unk && !order.empty()) order.erase(order.begin() + kUnkId);
  k = std::max(0, std::min<int>(k, static_cast<int>(order.size())));
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int32_t a, int32_t b) {
    return logp[a] > logp[b] || (logp[a] == logp[b] && a < b);
  });
  std::vector<std::pair<int32_t, float>> top;
  for (int i = 0; i < k; ++i) top.emplace_back(order[i], std::exp(logp[order[i]]));
  return top;
}

absl::StatusOr<ForwardTrace> LanguageModel::Trace(std::span<const int32_t> window) {
  RETURN_IF_ERROR(CheckWindows(window, 1, static_cast<int>(window.size())));
  ForwardTrace trace;
  model_->Trace(window.data(), static_cast<int>(window.size()), threads_, &trace);
  return trace;
}

std::vector<float> LanguageModel::ReadOut(std::span<const float> x) {
  CHECK(static_cast<int>(x.size()) == config().d_model);
  std::vector<float> logp(vocab_size());
  model_->ReadOut(x.data(), 1, logp.data(), threads_);
  return logp;
}

std::span<const float> LanguageModel::TokenEmbedding(int32_t id) const {
  const size_t C = config().d_model;
  const float* wte = model_->params().data() + model_->layout().tensor(kWte).offset;
  return {wte + static_cast<size_t>(id) * C, C};
}

std::vector<int32_t> LanguageModel::Sample(std::span<const int32_t> context_ids,
                                           const SampleOptions& options) {
  std::vector<int32_t> history(context_ids.begin(), context_ids.end());
  std::vector<int32_t> drawn;
  Rng rng(options.seed);
  const double temperature = options.temperature > 0 ? options.temperature : 1.0;
  for (int i = 0; i < options.tokens; ++i) {
    const std::vector<float> logp = NextLogProbs(history);
    if (logp.empty()) break;
    std::vector<int32_t> candidates(logp.size());
    std::iota(candidates.begin(), candidates.end(), 0);
    // Before top-k, so that --sample-top-k still means k real words.
    if (options.no_unk && candidates.size() > 1) candidates.erase(candidates.begin() + kUnkId);
    if (options.top_k > 0 && options.top_k < static_cast<int>(candidates.size())) {
      std::partial_sort(
          candidates.begin(), candidates.begin() + options.top_k, candidates.end(),
          [&](int32_t a, int32_t b) { return logp[a] > logp[b] || (logp[a] == logp[b] && a < b); });
      candidates.resize(options.top_k);
    }
    double maxv = -INFINITY;
    for (int32_t c : candidates) maxv = std::max(maxv, static_cast<double>(logp[c]));
    std::vector<double> weights(candidates.size());
    double total = 0;
    for (size_t j = 0; j < candidates.size(); ++j) {
      weights[j] = std::exp((logp[candidates[j]] - maxv) / temperature);
      total += weights[j];
    }
    double u = rng.Uniform() * total;
    size_t pick = candidates.size() - 1;
    for (size_t j = 0; j < candidates.size(); ++j) {
      if (u < weights[j]) {
        pick = j;
        break;
      }
      u -= weights[j];
    }
    const int32_t id = candidates[pick];
    drawn.push_back(id);
    history.push_back(id);
    if (options.stop_at_eos && id == kEosId) break;
  }
  return drawn;
}

}  // namespace wordspace::transformer
