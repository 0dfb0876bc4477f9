#include "eval/lm/next_word_eval.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "corpus/token_id_file.h"
#include "transformer/evaluation.h"

namespace wordspace::eval {

absl::StatusOr<std::vector<WindowSpan>> PlanWindows(int64_t stream_size, int window, int stride) {
  if (window < 1 || stride < 1 || stride > window) {
    return absl::InvalidArgumentError(
        absl::StrCat("window ", window, " and stride ", stride, ": need 1 <= stride <= window"));
  }
  // The transformer's held-out windowing, which lm-train's validation uses too: one algorithm,
  // so both score the same targets with the same contexts.
  std::vector<WindowSpan> spans;
  for (const transformer::EvalWindow& w :
       transformer::SlidingWindows(stream_size, window, stride)) {
    spans.push_back({w.start, w.length, w.first_scored});
  }
  return spans;
}

void NextWordCounts::Add(const TargetScore& score, int32_t target, int32_t unk_id) {
  ++targets;
  nll -= score.log_prob;
  top1 += score.top[0] == target;
  top5 += std::find(score.top.begin(), score.top.begin() + 5, target) != score.top.begin() + 5;
  if (target == unk_id) return;
  ++known;
  // ln(1 - p(<unk>)), stable for small p.
  const double log_rest = std::log1p(-std::exp(score.log_prob_unk));
  nll_known -= score.log_prob - log_rest;
  int rank = 0;
  for (int32_t id : score.top) {
    if (id == unk_id) continue;
    if (rank >= 5) break;
    if (id == target) {
      top1_known += rank == 0;
      ++top5_known;
      break;
    }
    ++rank;
  }
}

void NextWordCounts::Merge(const NextWordCounts& o) {
  targets += o.targets;
  top1 += o.top1;
  top5 += o.top5;
  nll += o.nll;
  known += o.known;
  top1_known += o.top1_known;
  top5_known += o.top5_known;
  nll_known += o.nll_known;
}

double NextWordCounts::perplexity() const {
  return targets ? std::exp(nll / targets) : std::numeric_limits<double>::quiet_NaN();
}

double NextWordCounts::perplexity_known() const {
  return known ? std::exp(nll_known / known) : std::numeric_limits<double>::quiet_NaN();
}

absl::StatusOr<std::pair<int, int>> ResolveWindow(const NextWordScorer& scorer,
                                                  const NextWordEvalOptions& options) {
  const int window = options.window > 0 ? options.window : scorer.default_window();
  int stride = options.stride > 0 ? options.stride : std::min(scorer.default_stride(), window);
  if (scorer.max_window() > 0 && window > scorer.max_window()) {
    return absl::InvalidArgumentError(absl::StrCat("window ", window, " is longer than the ",
                                                   scorer.max_window(),
                                                   " ids of context this model takes"));
  }
  if (window < 1 || stride < 1 || stride > window) {
    return absl::InvalidArgumentError(
        absl::StrCat("window ", window, " and stride ", stride, ": need 1 <= stride <= window"));
  }
  return std::make_pair(window, stride);
}

absl::StatusOr<NextWordCounts> EvaluateNextWord(NextWordScorer* scorer,
                                                std::span<const int32_t> ids,
                                                const NextWordEvalOptions& options) {
  ASSIGN_OR_RETURN(auto ws, ResolveWindow(*scorer, options));
  ASSIGN_OR_RETURN(std::vector<WindowSpan> spans, PlanWindows(ids.size(), ws.first, ws.second));
  const uint64_t total = ids.size() > 0 ? ids.size() - 1 : 0;
  const size_t batch = std::max(1, scorer->preferred_batch());
  const int32_t unk = scorer->unk_id();
  NextWordCounts counts;
  std::vector<ScoreWindow> windows;
  std::vector<TargetScore> out;
  for (size_t b = 0; b < spans.size(); b += batch) {
    const size_t e = std::min(spans.size(), b + batch);
    windows.clear();
    size_t n = 0;
    for (size_t i = b; i < e; ++i) {
      const WindowSpan& s = spans[i];
      windows.push_back({ids.subspan(s.start, s.length + 1), s.first_target});
      n += windows.back().targets();
    }
    out.assign(n, TargetScore{});
    RETURN_IF_ERROR(scorer->Score(windows, out));
    size_t k = 0;
    for (const ScoreWindow& w : windows) {
      for (size_t j = w.first_target; j + 1 < w.tokens.size(); ++j) {
        counts.Add(out[k++], w.tokens[j + 1], unk);
      }
    }
    if (options.progress) options.progress(counts.targets, total);
  }
  return counts;
}

absl::StatusOr<std::vector<int32_t>> EncodeForScorer(const std::string& path,
                                                     const NextWordScorer& scorer,
                                                     corpus::CorpusStats* stats, bool force) {
  const std::vector<std::string>& words = scorer.vocabulary();
  const int32_t unk = scorer.unk_id(), eos = scorer.eos_id();
  std::vector<std::string> plain;
  std::vector<int32_t> to_scorer;  // plain-vocabulary id -> scorer id
  for (int32_t i = 0; i < static_cast<int32_t>(words.size()); ++i) {
    if (i == unk || i == eos) continue;
    plain.push_back(words[i]);
    to_scorer.push_back(i);
  }
  ASSIGN_OR_RETURN(corpus::Vocabulary vocab,
                   corpus::Vocabulary::FromOrderedWords(std::move(plain), {}));
  corpus::EncodeOptions encode;
  encode.corpus.tokenizer = scorer.tokenizer();
  encode.corpus.force = force;
  encode.keep_unknown = true;
  ASSIGN_OR_RETURN(corpus::TokenIdFile file, corpus::TokenIdFile::Encode(path, encode, &vocab));
  std::vector<uint32_t> raw(file.size());
  RETURN_IF_ERROR(file.Read(0, raw.size(), raw.data()));
  std::vector<int32_t> ids(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const uint32_t r = raw[i];
    ids[i] = r == corpus::kSentenceEnd ? eos : r == corpus::kUnknownId ? unk : to_scorer[r];
  }
  if (stats != nullptr) *stats = file.stats();
  return ids;
}

}  // namespace wordspace::eval
