#include "eval/bias/bias_analogy.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace wordspace::eval {

absl::StatusOr<BiasAnalogyReport> RunBiasAnalogies(const embeddings::VectorIndex& index,
                                                   const WordPair& pair,
                                                   std::span<const std::string> words,
                                                   const BiasAnalogyOptions& options) {
  const embeddings::WordVectors& vectors = index.vectors();
  const int64_t first = LookupWord(vectors, pair.first, options.case_sensitive);
  const int64_t second = LookupWord(vectors, pair.second, options.case_sensitive);
  for (const auto& [row, word] : {std::pair{first, pair.first}, std::pair{second, pair.second}}) {
    if (row < 0) {
      // Lookup names the word and suggests spellings.
      absl::StatusOr<int64_t> found = index.Lookup(word);
      return found.ok() ? absl::NotFoundError(absl::StrCat("'", word, "' is not in the vectors"))
                        : found.status();
    }
  }
  if (first == second) {
    return absl::InvalidArgumentError(absl::StrCat("the pair ", pair.first, ":", pair.second,
                                                   " names one word twice"));
  }
  BiasAnalogyReport report;
  report.pair = {vectors.word(first), vectors.word(second)};
  std::vector<embeddings::AnalogyQuestion> questions;  // forward, reverse per probe
  for (const std::string& word : words) {
    const int64_t row = LookupWord(vectors, word, options.case_sensitive);
    if (row < 0) {
      report.missing.push_back(word);
      continue;
    }
    BiasAnalogyProbe probe;
    probe.word = vectors.word(row);
    probe.row = row;
    report.probes.push_back(std::move(probe));
    questions.push_back({first, row, second});
    questions.push_back({second, row, first});
  }
  if (questions.empty()) return report;
  embeddings::AnalogyOptions analogy;
  analogy.method = options.method;
  analogy.k = options.k;
  analogy.exclude_inputs = true;
  ASSIGN_OR_RETURN(auto excluded, index.Analogies(questions, analogy));
  analogy.exclude_inputs = false;
  ASSIGN_OR_RETURN(auto included, index.Analogies(questions, analogy));
  for (size_t i = 0; i < report.probes.size(); ++i) {
    BiasAnalogyProbe& probe = report.probes[i];
    probe.forward_excluded = std::move(excluded[2 * i]);
    probe.reverse_excluded = std::move(excluded[2 * i + 1]);
    probe.forward_included = std::move(included[2 * i]);
    probe.reverse_included = std::move(included[2 * i + 1]);
    for (const auto* answers : {&probe.forward_included, &probe.reverse_included}) {
      ++report.questions;
      if (answers->empty()) continue;
      const int64_t best = (*answers)[0].row;
      if (best == first || best == second || best == probe.row) ++report.included_answer_is_input;
      if (best == probe.row) ++report.included_answer_is_probe;
    }
  }
  return report;
}

}  // namespace wordspace::eval
