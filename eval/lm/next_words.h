// `lm-generate`'s answer to one prompt: the prompt read with the model's tokenizer and case
// policy, the most probable next words, and a sampled continuation; and its --json form. In one
// place so that the command and the web server (serve/'s /api/lm/next) answer alike.
//
//   NextWordsOptions o;  o.k = 10;  o.length = 0;
//   NextWords next = PredictNextWords(lm, "the capital of france is", o, IsLowercaseVocabulary(lm));
//   std::cout << Dump(NextWordsJson(lm, next)) << "\n";
#ifndef WORDSPACE_EVAL_LM_NEXT_WORDS_H_
#define WORDSPACE_EVAL_LM_NEXT_WORDS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "eval/lm/prompt_words.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

struct NextWordsOptions {
  int k = 10;       // most probable next words listed (0: none)
  int length = 0;   // words sampled after the prompt (0: none)
  transformer::LanguageModel::SampleOptions sample;  // its `tokens` is set from `length`
  bool no_unk = false;          // <unk> neither listed nor sampled
  bool mid_line = false;        // no </s> before the prompt
  bool case_sensitive = false;  // prompt words only as spelled
};

struct NextWords {
  std::string query;                            // the prompt as given
  PromptWords words;                            // as the model read it
  std::string note;                             // DescribeUnknownWords; empty when all known
  std::vector<int32_t> context;                 // </s> (unless mid_line) and the prompt's ids
  bool listed = false;                          // k > 0
  std::vector<std::pair<int32_t, float>> top;   // (id, probability), best first
  bool sampled = false;                         // length > 0
  std::string continued;                        // the prompt and the sampled words
};

// `lowercase_vocabulary` is IsLowercaseVocabulary(lm), computed once by the caller (O(V)).
NextWords PredictNextWords(transformer::LanguageModel& lm, const std::string& prompt,
                           const NextWordsOptions& options, bool lowercase_vocabulary);

// query, missing, note (when there is one), measure ("probability") and answers (with k > 0),
// sample (with length > 0).
Json NextWordsJson(const transformer::LanguageModel& lm, const NextWords& next);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NEXT_WORDS_H_
