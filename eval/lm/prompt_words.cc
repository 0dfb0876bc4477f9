#include "eval/lm/prompt_words.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/string_view.h"
#include "corpus/spelling.h"
#include "corpus/tokenizer.h"

namespace wordspace::eval {
namespace {

std::string Quoted(const std::vector<std::string>& words) {
  std::vector<std::string> quoted;
  quoted.reserve(words.size());
  for (const std::string& w : words) quoted.push_back(absl::StrCat("'", w, "'"));
  return absl::StrJoin(quoted, ", ");
}

}  // namespace

bool IsLowercaseVocabulary(const transformer::LanguageModel& lm) {
  // A model that lowercases its input never meets a capital: nothing to tell the user.
  if (lm.corpus_options().tokenizer.lowercase) return false;
  const std::vector<std::string>& words = lm.words();
  return std::all_of(words.begin(), words.end(),
                     [](const std::string& w) { return corpus::FoldCase(w) == w; });
}

PromptWords ReadPromptWords(const transformer::LanguageModel& lm, std::string_view line) {
  return ReadPromptWords(lm, line, IsLowercaseVocabulary(lm));
}

PromptWords ReadPromptWords(const transformer::LanguageModel& lm, std::string_view line,
                            bool lowercase_vocabulary, bool case_sensitive) {
  PromptWords out;
  out.lowercase_vocabulary = lowercase_vocabulary;
  corpus::Tokenizer tokenizer(lm.corpus_options().tokenizer);
  std::vector<std::string_view> tokens;
  tokenizer.Tokenize(line, &tokens);
  for (std::string_view token : tokens) {
    bool lowercased = false;
    const int32_t id = corpus::FindAsSpelledOrLowercase(
        std::string(token), case_sensitive, [&](const std::string& w) { return lm.Id(w); },
        [](int32_t found) { return found != transformer::kUnkId; }, &lowercased);
    if (lowercased) {
      const bool seen = std::any_of(out.lowercased.begin(), out.lowercased.end(),
                                    [&](const auto& p) { return p.first == token; });
      if (!seen) out.lowercased.emplace_back(std::string(token), corpus::FoldCase(token));
    }
    out.tokens.emplace_back(token);
    out.ids.push_back(id);
    if (id != transformer::kUnkId || token == lm.word(transformer::kUnkId)) continue;
    const bool seen = std::any_of(out.unknown.begin(), out.unknown.end(),
                                  [&](const UnknownWord& u) { return u.word == token; });
    if (seen) continue;
    UnknownWord unknown{std::string(token), ""};
    std::string folded = corpus::FoldCase(token);
    if (folded != token && lm.Id(folded) != transformer::kUnkId) unknown.lowercase = folded;
    out.unknown.push_back(std::move(unknown));
  }
  return out;
}

std::string DescribeUnknownWords(const PromptWords& words, std::string_view what) {
  if (words.unknown.empty()) return "";
  std::vector<std::string> unknown, lowercase;
  bool any_capital = false;
  for (const UnknownWord& u : words.unknown) {
    unknown.push_back(u.word);
    if (!u.lowercase.empty()) lowercase.push_back(u.lowercase);
    any_capital |= corpus::FoldCase(u.word) != u.word;
  }
  const size_t n = unknown.size();
  std::string out = absl::StrCat(n, " ", ToAbsl(what), n == 1 ? " word is" : " words are",
                                 " not in the vocabulary (read as <unk>): ", Quoted(unknown));
  if (words.lowercase_vocabulary && !lowercase.empty()) {
    absl::StrAppend(&out, "; the model's vocabulary is lowercase and has ", Quoted(lowercase),
                    ": write the ", ToAbsl(what), " in lowercase");
  } else if (words.lowercase_vocabulary && any_capital) {
    absl::StrAppend(&out, "; the model's vocabulary is lowercase");
  } else if (!lowercase.empty()) {
    absl::StrAppend(&out, "; the vocabulary has ", Quoted(lowercase));
  }
  return out;
}

std::string TextInModelCase(const transformer::LanguageModel& lm, const std::string& text,
                            std::vector<std::pair<std::string, std::string>>* lowercased) {
  const PromptWords words =
      ReadPromptWords(lm, text, /*lowercase_vocabulary=*/false, /*case_sensitive=*/false);
  if (words.lowercased.empty()) return text;
  std::vector<std::string> tokens = words.tokens;
  for (const auto& [asked, used] : words.lowercased) {
    if (lowercased != nullptr) lowercased->emplace_back(asked, used);
    for (std::string& t : tokens) {
      if (t == asked) t = used;
    }
  }
  return absl::StrJoin(tokens, " ");
}

std::string WordInModelCase(const transformer::LanguageModel& lm, const std::string& word,
                            bool* lowercased) {
  auto known = [&](const std::string& w) {
    return lm.Id(w) != transformer::kUnkId || w == lm.word(transformer::kUnkId);
  };
  bool folded = false;
  const std::string found = corpus::FindAsSpelledOrLowercase(
      word, /*case_sensitive=*/false, [&](const std::string& w) { return w; }, known, &folded);
  *lowercased = folded;
  return found;
}

}  // namespace wordspace::eval
