#include "eval/vectors/analogy_eval.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/output_file.h"
#include "base/status_macros.h"
#include "corpus/text_reader.h"
#include "eval/vectors/word_lookup.h"

namespace wordspace::eval {

int64_t AnalogyDataset::questions() const {
  int64_t n = 0;
  for (const AnalogySection& s : sections) n += static_cast<int64_t>(s.questions.size());
  return n;
}

absl::StatusOr<AnalogyDataset> ReadAnalogyQuestions(const std::string& path) {
  // TextReader: gzip is read too, a folder or a damaged gzip stream is an error naming the file.
  ASSIGN_OR_RETURN(std::unique_ptr<corpus::TextReader> reader, corpus::TextReader::Open(path));
  reader->set_max_line_bytes(corpus::kMaxListLineBytes);
  AnalogyDataset data;
  std::string line;
  while (true) {
    ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
    if (!got) break;
    const uint64_t line_no = reader->line_number();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(": ", 0) == 0 || line.rfind(":\t", 0) == 0) {
      AnalogySection section;
      std::string_view name = std::string_view(line).substr(2);
      while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())))
        name.remove_prefix(1);
      while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
        name.remove_suffix(1);
      section.name = std::string(name);
      section.semantic = section.name.rfind("gram", 0) != 0;
      data.sections.push_back(std::move(section));
      continue;
    }
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (words.empty()) continue;
    if (words.size() != 4) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line_no, ": expected four words 'a b c d' or a ': section' header, got ",
          words.size(), " words"));
    }
    if (data.sections.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": question before the first ': section' header"));
    }
    data.sections.back().questions.push_back({std::string(words[0]), std::string(words[1]),
                                              std::string(words[2]), std::string(words[3])});
  }
  if (data.questions() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": no questions (expected ': section' headers and 'a b c d' lines, as in "
              "questions-words.txt)"));
  }
  return data;
}

absl::StatusOr<AnalogyReport> EvaluateAnalogies(const embeddings::VectorIndex& index,
                                                const AnalogyDataset& data,
                                                const AnalogyEvalOptions& options) {
  AnalogyReport report;
  report.restrict = index.searchable();
  WordLookup lookup(index.vectors(), index.searchable(), options.case_sensitive);
  std::vector<embeddings::AnalogyQuestion> questions;
  std::vector<int64_t> expected;
  std::vector<size_t> section_of;
  std::vector<const std::array<std::string, 4>*> asked;  // for the errors list
  std::vector<std::vector<int64_t>> exclude;
  std::vector<size_t> outcome_of;  // question -> its entry in report.outcomes
  bool any_variants = false;
  for (size_t s = 0; s < data.sections.size(); ++s) {
    const AnalogySection& section = data.sections[s];
    AnalogyScore score;
    score.name = section.name;
    score.semantic = section.semantic;
    score.total = static_cast<int64_t>(section.questions.size());
    report.sections.push_back(score);
    for (size_t qi = 0; qi < section.questions.size(); ++qi) {
      const auto& q = section.questions[qi];
      int64_t rows[4];
      bool ok = true;
      for (int i = 0; i < 4 && ok; ++i) {
        rows[i] = lookup.Find(q[i]);
        ok = rows[i] >= 0;
      }
      if (options.keep_outcomes) {
        report.outcomes.push_back({static_cast<int32_t>(s), static_cast<int64_t>(qi),
                                   AnalogyOutcome::kSkipped});
      }
      if (!ok) continue;
      if (options.keep_outcomes) outcome_of.push_back(report.outcomes.size() - 1);
      questions.push_back({rows[0], rows[1], rows[2]});
      expected.push_back(rows[3]);
      section_of.push_back(s);
      asked.push_back(&q);
      // Case variants of the inputs are not answers either (gensim skips a prediction whose
      // upper-cased form is a question word).
      std::vector<int64_t> variants;
      for (int i = 0; i < 3; ++i) {
        for (int64_t v : lookup.Variants(rows[i])) variants.push_back(v);
      }
      any_variants |= !variants.empty();
      exclude.push_back(std::move(variants));
    }
  }
  embeddings::AnalogyOptions analogy;
  analogy.method = options.method;
  analogy.k = 1;
  analogy.exclude_inputs = true;
  analogy.mul_epsilon = options.mul_epsilon;
  ASSIGN_OR_RETURN(auto answers,
                   index.Analogies(questions, analogy,
                                   any_variants ? std::span<const std::vector<int64_t>>(exclude)
                                                : std::span<const std::vector<int64_t>>()));
  for (size_t i = 0; i < questions.size(); ++i) {
    AnalogyScore& score = report.sections[section_of[i]];
    ++score.seen;
    const bool correct = !answers[i].empty() &&
                         lookup.Canonical(answers[i][0].row) == lookup.Canonical(expected[i]);
    if (options.keep_outcomes) {
      report.outcomes[outcome_of[i]].kind =
          correct ? AnalogyOutcome::kCorrect : AnalogyOutcome::kWrong;
    }
    if (correct) {
      ++score.correct;
    } else if (options.keep_errors) {
      AnalogyError error;
      error.section = score.name;
      error.question = *asked[i];
      if (!answers[i].empty()) {
        error.answer = index.vectors().word(answers[i][0].row);
        error.score = answers[i][0].score;
      }
      report.errors.push_back(std::move(error));
    }
  }
  for (const AnalogyScore& s : report.sections) {
    for (AnalogyScore* sum : {&report.total, s.semantic ? &report.semantic : &report.syntactic}) {
      sum->correct += s.correct;
      sum->seen += s.seen;
      sum->total += s.total;
    }
  }
  return report;
}

absl::Status WriteAnalogyErrors(const std::string& path, const std::vector<AnalogyError>& errors) {
  ASSIGN_OR_RETURN(auto file, OutputFile::Create(path));
  std::string text = "section\ta\tb\tc\texpected\tanswer\tscore\n";
  for (const AnalogyError& e : errors) {
    absl::StrAppend(&text, e.section, "\t", e.question[0], "\t", e.question[1], "\t", e.question[2],
                    "\t", e.question[3], "\t", e.answer, "\t",
                    e.answer.empty() ? std::string() : absl::StrFormat("%.6f", e.score), "\n");
    // Bounded memory for the full Google set with a poor model (19,544 questions).
    if (text.size() > (1 << 16)) {
      RETURN_IF_ERROR(file->Write(text));
      text.clear();
    }
  }
  RETURN_IF_ERROR(file->Write(text));
  return file->Commit();
}

}  // namespace wordspace::eval
