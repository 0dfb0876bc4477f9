// Spelling helpers for words a user typed: case folding as the tokenizer's --lowercase does it,
// a bounded edit distance, and "did you mean" suggestions from a vocabulary.
//
//   corpus::FoldCase("Straße")                              // "straße"
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
