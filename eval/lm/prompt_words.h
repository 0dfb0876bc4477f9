// What a language model makes of the words a user typed (lm-generate's prompts, lm-score's
// sentences): the training tokenizer's words, their ids, and the words it does not know, each
// with the lowercase form the vocabulary has, when it has one. A model trained on a lowercased
// corpus without --lowercase reads "The capital of Poland" as "<unk> capital of <unk>"; the
// note names "The" and "Poland" and says that "the" and "poland" are known.
//
//   PromptWords words = ReadPromptWords(lm, "The capital of Poland is");
//   if (!words.unknown.empty()) std::cerr << "note: " << DescribeUnknownWords(words) << "\n";
#ifndef WORDSPACE_EVAL_LM_PROMPT_WORDS_H_
#define WORDSPACE_EVAL_LM_PROMPT_WORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transformer/language_model.h"

namespace wordspace::eval {

struct UnknownWord {
  std::string word;       // as the tokenizer split it
  std::string lowercase;  // its folded form when that is in the vocabulary, else empty
};

struct PromptWords {
  std::vector<std::string> tokens;    // the line split as training split it
  std::vector<int32_t> ids;           // one per token; transformer::kUnkId when unknown
  std::vector<UnknownWord> unknown;   // distinct unknown words, in order of first appearance
  // Words read in their lowercase form (as typed, as read), distinct, in order of first
  // appearance: a word the vocabulary lacks as spelled but has in lowercase is read that way
  // unless the reading is case-sensitive (the case policy of every command that looks words up).
  std::vector<std::pair<std::string, std::string>> lowercased;
  bool lowercase_vocabulary = false;  // see IsLowercaseVocabulary
};

// True when no word of the vocabulary changes under case folding (corpus::FoldCase) and the
// model does not lowercase its input itself: then a capitalised word can never be known, and a
// user should be told to write in lowercase.
bool IsLowercaseVocabulary(const transformer::LanguageModel& lm);

// Splits `line` with the model's tokenizer and looks each word up: as spelled, then (unless
// `case_sensitive`) in lowercase. `lowercase_vocabulary` is IsLowercaseVocabulary(lm), computed
// once per call (O(V)); pass it in to skip that for many lines.
PromptWords ReadPromptWords(const transformer::LanguageModel& lm, std::string_view line);
PromptWords ReadPromptWords(const transformer::LanguageModel& lm, std::string_view line,
                            bool lowercase_vocabulary, bool case_sensitive = false);

// One sentence naming the unknown words, e.g. `2 prompt words are not in the vocabulary (read as
// <unk>): 'The', 'Poland'; the model's vocabulary is lowercase and has 'the', 'poland': write
// the prompt in lowercase`. Empty when every word is known. `what` names the text ("prompt",
// "sentence").
std::string DescribeUnknownWords(const PromptWords& words, std::string_view what = "prompt");

// The case policy for a text the inspection studies read (`inspect`, the web server): the words
// the model lacks as spelled but has in lowercase are written in lowercase, and the text is
// rejoined with single spaces (which the tokenizer splits into the same words). `text` itself
// when nothing changes. *lowercased (if not null) gets the {asked, used} pairs.
std::string TextInModelCase(const transformer::LanguageModel& lm, const std::string& text,
                            std::vector<std::pair<std::string, std::string>>* lowercased);
// The same for one word (`inspect --word`, `--target`): as spelled if the model has it, else its
// lowercase form if the model has that (*lowercased set), else as given.
std::string WordInModelCase(const transformer::LanguageModel& lm, const std::string& word,
                            bool* lowercased);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_PROMPT_WORDS_H_
