#include "eval/lm/inspect_window.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace wordspace::eval {

InspectWindow IdsWindow(const transformer::LanguageModel& lm, std::vector<int32_t> ids) {
  InspectWindow w;
  w.ids = std::move(ids);
  for (int32_t id : w.ids) w.tokens.push_back(lm.word(id));
  return w;
}

InspectWindow PromptWindow(const transformer::LanguageModel& lm, std::string_view text) {
  std::vector<int32_t> ids = {transformer::kEosId};
  const std::vector<int32_t> words = lm.EncodeLine(text);
  ids.insert(ids.end(), words.begin(), words.end());
  if (static_cast<int>(ids.size()) > lm.context()) ids.erase(ids.begin(), ids.end() - lm.context());
  return IdsWindow(lm, std::move(ids));
}

std::vector<int32_t> TopIds(std::span<const float> scores, int k, bool lowest) {
  std::vector<int32_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  k = std::max(0, std::min<int>(k, static_cast<int>(order.size())));
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int32_t a, int32_t b) {
    if (scores[a] != scores[b]) return lowest ? scores[a] < scores[b] : scores[a] > scores[b];
    return a < b;
  });
  order.resize(k);
  return order;
}

std::vector<WordProb> TopWords(const transformer::LanguageModel& lm, std::span<const float> logp,
                               int k) {
  std::vector<WordProb> top;
  for (int32_t id : TopIds(logp, k)) top.push_back({id, lm.word(id), std::exp(double{logp[id]})});
  return top;
}

absl::StatusOr<int32_t> WordId(const transformer::LanguageModel& lm, std::string_view word,
                               std::string_view flag) {
  const std::vector<int32_t> ids = lm.EncodeLine(word);
  if (ids.size() != 1 || ids[0] == transformer::kUnkId) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(flag), " '", std::string(word), "' is not ",
        ids.size() > 1 ? "one word for the model's tokenizer" : "in the model's vocabulary"));
  }
  return ids[0];
}

int RankOf(std::span<const float> scores, int32_t id) {
  int rank = 1;
  for (size_t v = 0; v < scores.size(); ++v) {
    if (scores[v] > scores[id] || (scores[v] == scores[id] && static_cast<int32_t>(v) < id)) ++rank;
  }
  return rank;
}

}  // namespace wordspace::eval
