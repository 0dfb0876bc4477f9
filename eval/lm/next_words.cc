#include "eval/lm/next_words.h"

namespace wordspace::eval {

NextWords PredictNextWords(transformer::LanguageModel& lm, const std::string& prompt,
                           const NextWordsOptions& options, bool lowercase_vocabulary) {
  NextWords next;
  next.query = prompt;
  next.words = ReadPromptWords(lm, prompt, lowercase_vocabulary, options.case_sensitive);
  next.note = DescribeUnknownWords(next.words);
  if (!options.mid_line) next.context.push_back(transformer::kEosId);
  next.context.insert(next.context.end(), next.words.ids.begin(), next.words.ids.end());
  if (options.k > 0) {
    next.listed = true;
    next.top = lm.TopK(next.context, options.k, /*skip_unk=*/options.no_unk);
  }
  if (options.length > 0) {
    transformer::LanguageModel::SampleOptions so = options.sample;
    so.tokens = options.length;
    so.no_unk = options.no_unk;
    const std::vector<int32_t> drawn = lm.Sample(next.context, so);
    next.sampled = true;
    next.continued = prompt;
    for (int32_t id : drawn) {
      if (!next.continued.empty()) next.continued += ' ';
      next.continued += lm.word(id);
    }
  }
  return next;
}

Json NextWordsJson(const transformer::LanguageModel& lm, const NextWords& next) {
  Json out;
  out["query"] = next.query;
  out["missing"] = Json::array();
  for (const UnknownWord& u : next.words.unknown) out["missing"].push_back(u.word);
  if (!next.note.empty()) out["note"] = next.note;
  if (next.listed) {
    out["measure"] = "probability";
    Json answers = Json::array();
    for (const auto& [id, p] : next.top) {
      answers.push_back({{"word", lm.word(id)}, {"score", JsonValue(p)}});
    }
    out["answers"] = std::move(answers);
  }
  if (next.sampled) out["sample"] = next.continued;
  return out;
}

}  // namespace wordspace::eval
