// Word lists and word pairs for the bias probes (WEAT, bias directions, debiasing, analogy
// probes), and the word lookup they share.
//
// Lookup is case-insensitive by default, as the analogy and similarity benchmarks are: the exact
// spelling wins when the vectors have it, otherwise its ASCII lowercase form is tried. Lists such
// as Bolukbasi et al.'s are mixed case (`Mary`, `Catholic_priest`), corpora often lowercase.
//
//   ASSIGN_OR_RETURN(std::vector<WordPair> pairs, ReadWordPairs("definitional_pairs.tsv"));
//   int64_t row = LookupWord(vectors, "Mary", /*case_sensitive=*/false);   // row of "mary"
#ifndef WORDSPACE_EVAL_BIAS_BIAS_WORDS_H_
#define WORDSPACE_EVAL_BIAS_BIAS_WORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"

namespace wordspace::eval {

struct WordPair {
  std::string first;
  std::string second;
};

// ASCII lowercase copy of `word`.
std::string AsciiLower(std::string_view word);

// Row of `word` in `vectors`: the exact spelling, else (unless `case_sensitive`) its ASCII
// lowercase form. -1 when absent.
int64_t LookupWord(const embeddings::WordVectors& vectors, std::string_view word,
                   bool case_sensitive);

// Reads a word list (plain or gzip): the first tab- or space-separated field of each line.
// Blank lines and lines starting with '#' are skipped, so `professions.tsv` (word, then scores)
// reads as its words. NotFound for a missing file; InvalidArgument for a file with no words.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> ReadWordList(const std::string& path);

// Reads `first<TAB>second` lines (tabs or spaces; '#' comments and blank lines skipped).
// InvalidArgument names the file and line of a line without exactly two fields.
[[nodiscard]] absl::StatusOr<std::vector<WordPair>> ReadWordPairs(const std::string& path);

// Parses "he:she" into {he, she}. InvalidArgument unless there are two non-empty sides.
[[nodiscard]] absl::StatusOr<WordPair> ParseWordPair(std::string_view spec);

// The words of `listed` followed by those of the word list `path` (ReadWordList; none when
// `path` is empty), as a command gathers --word flags and a --words file. ReadWordList's errors.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> GatherWords(
    const std::vector<std::string>& listed, const std::string& path);

// The pairs of the file `path` (ReadWordPairs; none when `path` is empty) followed by those of
// `specs` ("a:b", ParseWordPair), as a command gathers --pairs and --pair. Their errors.
[[nodiscard]] absl::StatusOr<std::vector<WordPair>> GatherWordPairs(
    const std::string& path, const std::vector<std::string>& specs);

// Row `row` of `vectors` in double precision, scaled to unit length (a zero row stays zero).
std::vector<double> UnitRow(const embeddings::WordVectors& vectors, int64_t row);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_BIAS_BIAS_WORDS_H_
