#include "eval/lm/ngram_scorer.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/parallel_for.h"

namespace wordspace::eval {
namespace {

constexpr size_t kMaxCacheEntries = 1 << 19;

struct CachedPrediction {
  double log_prob_unk;
  std::array<int32_t, kTopList> top;
};

}  // namespace

struct NgramScorer::Worker {
  NgramModel::Scratch scratch;
  std::vector<int32_t> ids;
  std::vector<double> probs;
  absl::flat_hash_map<uint64_t, CachedPrediction> cache;
};

NgramScorer::NgramScorer(NgramModel model, int threads)
    : model_(std::move(model)), threads_(ResolveThreads(threads)) {
  for (int t = 0; t < threads_; ++t) workers_.push_back(std::make_unique<Worker>());
}

NgramScorer::~NgramScorer() = default;

std::string NgramScorer::Describe() const {
  return absl::StrCat("interpolated modified Kneser-Ney, order ", model_.order(),
                      ", V=", model_.vocab_size(), ", trained on ", model_.training_tokens(),
                      " tokens");
}

absl::Status NgramScorer::Score(std::span<const ScoreWindow> windows, std::span<TargetScore> out) {
  const int32_t V = model_.vocab_size();
  // (window, position) of every prediction, in output order.
  std::vector<std::pair<uint32_t, int>> jobs;
  for (uint32_t w = 0; w < windows.size(); ++w) {
    const ScoreWindow& win = windows[w];
    for (int32_t id : win.tokens) {
      if (id < 0 || id >= V) {
        return absl::InvalidArgumentError(
            absl::StrCat("token id ", id, " is outside the model's vocabulary of ", V));
      }
    }
    for (int j = win.first_target; j + 1 < static_cast<int>(win.tokens.size()); ++j) {
      jobs.emplace_back(w, j);
    }
  }
  if (jobs.size() != out.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("output holds ", out.size(), " scores for ", jobs.size(), " targets"));
  }
  const int history = model_.order() - 1;
  const int32_t unk = unk_id();
  ParallelFor(jobs.size(), threads_, [&](int t, size_t begin, size_t end) {
    Worker& worker = *workers_[t];
    for (size_t i = begin; i < end; ++i) {
      const auto [w, j] = jobs[i];
      const std::span<const int32_t> tokens = windows[w].tokens;
      const int from = std::max(0, j + 1 - history);
      const NgramModel::Context ctx = model_.FindContext(tokens.subspan(from, j + 1 - from));
      TargetScore& s = out[i];
      s.log_prob = std::log(model_.Prob(ctx, tokens[j + 1]));
      const uint64_t key = (static_cast<uint64_t>(ctx.depth) << 32) | ctx.node[ctx.depth];
      auto it = worker.cache.find(key);
      if (it == worker.cache.end()) {
        model_.TopWords(ctx, kTopList, &worker.scratch, &worker.ids, &worker.probs);
        CachedPrediction p;
        p.log_prob_unk = std::log(model_.Prob(ctx, unk));
        p.top.fill(-1);
        std::copy(worker.ids.begin(), worker.ids.end(), p.top.begin());
        if (worker.cache.size() >= kMaxCacheEntries) worker.cache.clear();
        it = worker.cache.emplace(key, p).first;
      }
      s.log_prob_unk = it->second.log_prob_unk;
      s.top = it->second.top;
    }
  });
  return absl::OkStatus();
}

}  // namespace wordspace::eval
