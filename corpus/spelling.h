// Spelling helpers for words a user typed: case folding as the tokenizer's --lowercase does it,
// the case policy of every lookup, a bounded edit distance, and "did you mean" suggestions from
// a vocabulary.
//
//   corpus::FoldCase("Straße")                              // "straße"
//   corpus::FindAsSpelledOrLowercase("Paris", false, find, found, &lowercased)
//   corpus::EditDistance("kinq", "king", 2)                 // 1
//   corpus::SuggestSpellings({"king", "queen"}, "Quen")     // {"queen"}
#ifndef WORDSPACE_CORPUS_SPELLING_H_
#define WORDSPACE_CORPUS_SPELLING_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wordspace::corpus {

// Folds case the way the tokenizer's --lowercase does (ASCII, Latin, Greek, Cyrillic). A word the
// tokenizer would split on white space comes back with its parts joined by single spaces.
std::string FoldCase(std::string_view word);

// The case policy of every command that looks up a word someone typed (queries, probes,
// prompts): the spelling as typed; when `found` says that missed and the lookup is not
// case-sensitive, its FoldCase form, if that is found. Otherwise the first result, which names
// the spelling the user gave. `*lowercased` tells whether the folded form was used (so the caller
// can say so once).
template <typename Find, typename Found>
auto FindAsSpelledOrLowercase(const std::string& word, bool case_sensitive, Find&& find,
                              Found&& found, bool* lowercased) -> decltype(find(word)) {
  *lowercased = false;
  auto as_spelled = find(word);
  if (case_sensitive || found(as_spelled)) return as_spelled;
  const std::string folded = FoldCase(word);
  if (folded == word) return as_spelled;
  auto lowered = find(folded);
  if (!found(lowered)) return as_spelled;
  *lowercased = true;
  return lowered;
}

// Levenshtein distance between `a` and `b` in bytes, or max + 1 when it exceeds `max` (the
// computation stops early then).
int EditDistance(std::string_view a, std::string_view b, int max);

// Up to `max` of `vocabulary` within edit distance 2 of `word` after case folding (the word
// itself excluded), closest first and, at equal distance, in vocabulary order (for our files,
// most frequent first).
std::vector<std::string> SuggestSpellings(std::span<const std::string> vocabulary,
                                          std::string_view word, int max = 5);

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_SPELLING_H_
