// Word-analogy benchmark: reads the Google `questions-words.txt` format and scores a
// VectorIndex on it with gensim's semantics (KeyedVectors.evaluate_word_analogies):
// - only the index's searchable rows exist (build it with restrict 30000 to match
//   restrict_vocab=30000): a question with any of its four words outside them is skipped
//   and counted against coverage, not against accuracy;
// - words match case-insensitively by default (a folded word is its first row), and an answer
//   is right when it folds to the expected word;
// - the three question words, and their case variants, are never answers;
// - 3CosAdd (gensim's only method) or 3CosMul.
// gensim considers only its top 5 answers when skipping case variants of the inputs; we skip
// them all. That differs only for a vocabulary with 5+ spellings of one question word.
//
//   ASSIGN_OR_RETURN(AnalogyDataset data, ReadAnalogyQuestions("questions-words.txt"));
//   ASSIGN_OR_RETURN(AnalogyReport r, EvaluateAnalogies(index, data, {}));
//   // r.total.correct / r.total.seen is the accuracy.
#ifndef WORDSPACE_EVAL_VECTORS_ANALOGY_EVAL_H_
#define WORDSPACE_EVAL_VECTORS_ANALOGY_EVAL_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/vector_index.h"

namespace wordspace::eval {

struct AnalogySection {
  std::string name;
  bool semantic = true;  // the Google set's "gram*" sections are syntactic, the others semantic
  std::vector<std::array<std::string, 4>> questions;  // a b c d: a is to b as c is to d
};

struct AnalogyDataset {
  std::vector<AnalogySection> sections;
  int64_t questions() const;
};

// Reads `: section` headers and `a b c d` lines (blank lines are skipped), plain or gzip.
// NotFound for a missing file; InvalidArgument names `path:line` for a line without exactly four
// words or a question before the first header, and `path` for a file with no questions or a
// folder; DataLoss for a damaged gzip stream.
[[nodiscard]] absl::StatusOr<AnalogyDataset> ReadAnalogyQuestions(const std::string& path);

struct AnalogyEvalOptions {
  embeddings::AnalogyMethod method = embeddings::AnalogyMethod::kAdd;
  bool case_sensitive = false;
  float mul_epsilon = 0.001f;
  bool keep_errors = false;  // list the questions answered wrongly in AnalogyReport::errors
  bool keep_outcomes = false;  // say how every question went in AnalogyReport::outcomes
};

struct AnalogyScore {
  std::string name;
  bool semantic = true;
  int64_t correct = 0;
  int64_t seen = 0;   // questions with all four words in the vocabulary
  int64_t total = 0;  // questions in the file
  double accuracy() const { return seen == 0 ? 0.0 : static_cast<double>(correct) / seen; }
};

// A question answered wrongly (eval-analogy --errors): what was asked, what was expected, and
// the answer given (empty when the index had none to give).
struct AnalogyError {
  std::string section;
  std::array<std::string, 4> question;  // a b c and the expected d, as in the file
  std::string answer;                   // the vocabulary's spelling of the answer given
  float score = 0;                      // its 3CosAdd cosine or 3CosMul ratio
};

// How one question went (AnalogyEvalOptions::keep_outcomes), for gensim's lists of correct and
// incorrect questions per section (the Python binding's evaluate_word_analogies).
struct AnalogyOutcome {
  enum Kind : uint8_t { kSkipped, kCorrect, kWrong };
  int32_t section = 0;   // index in AnalogyDataset::sections
  int64_t question = 0;  // index in that section's questions
  Kind kind = kSkipped;  // skipped: a word outside the searchable rows
};

struct AnalogyReport {
  std::vector<AnalogyScore> sections;
  AnalogyScore semantic{"semantic"}, syntactic{"syntactic", false}, total{"total"};
  int64_t restrict = 0;  // the searchable rows of the index
  std::vector<AnalogyError> errors;  // with keep_errors: in file order
  std::vector<AnalogyOutcome> outcomes;  // with keep_outcomes: every question, in file order
};

// Answers every question in one batched Analogies call. Errors come only from the index.
[[nodiscard]] absl::StatusOr<AnalogyReport> EvaluateAnalogies(const embeddings::VectorIndex& index,
                                                              const AnalogyDataset& data,
                                                              const AnalogyEvalOptions& options);

// Writes `errors` as tab-separated lines under a header row
// `section a b c expected answer score`, through OutputFile ("-": standard output). An empty
// list writes the header only. Errors name `path` (a folder, no permission, a full disk).
[[nodiscard]] absl::Status WriteAnalogyErrors(const std::string& path,
                                              const std::vector<AnalogyError>& errors);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_VECTORS_ANALOGY_EVAL_H_
