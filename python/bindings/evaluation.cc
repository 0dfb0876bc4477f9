// KeyedVectors.evaluate_word_analogies and evaluate_word_pairs: gensim 4's return shapes over
// eval/vectors' benchmarks (the same code `wordspace eval-analogy` and `eval-similarity` run).
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <string>
#include <vector>

#include "eval/vectors/analogy_eval.h"
#include "eval/vectors/similarity_eval.h"
#include "python/bindings/bindings.h"

namespace wordspace::python {
namespace {

// The result types of python/wordspace/_results.py (shaped as scipy's).
py::object ResultType(const char* name) {
  return py::module_::import("wordspace._results").attr(name);
}

py::tuple EvaluateWordAnalogies(const KeyedVectorsPtr& self, const std::filesystem::path& file,
                                int64_t restrict_vocab, bool case_insensitive,
                                const std::string& method) {
  const std::string path = file.string();
  if (restrict_vocab <= 0) throw py::value_error("restrict_vocab must be positive");
  eval::AnalogyEvalOptions options;
  options.method = ValueOrThrow(embeddings::ParseAnalogyMethod(method));
  options.case_sensitive = !case_insensitive;
  options.keep_outcomes = true;
  absl::StatusOr<eval::AnalogyDataset> data;
  absl::StatusOr<std::shared_ptr<const embeddings::VectorIndex>> index;
  absl::StatusOr<eval::AnalogyReport> report;
  {
    py::gil_scoped_release release;
    data = eval::ReadAnalogyQuestions(path);
    if (data.ok()) index = self->Index(restrict_vocab);
    if (data.ok() && index.ok()) report = eval::EvaluateAnalogies(**index, *data, options);
  }
  OkOrThrow(data.status());
  OkOrThrow(index.status());
  OkOrThrow(report.status());
  // gensim's tuples: the file's words, upper-cased when case-insensitive (as its evaluation
  // compares them).
  py::list sections;
  std::vector<py::list> correct(data->sections.size()), incorrect(data->sections.size());
  py::list all_correct, all_incorrect;
  for (const eval::AnalogyOutcome& o : report->outcomes) {
    if (o.kind == eval::AnalogyOutcome::kSkipped) continue;
    const auto& q = data->sections[o.section].questions[o.question];
    py::list words;
    for (const std::string& w : q) {
      py::str word(w);
      words.append(case_insensitive ? word.attr("upper")() : word);
    }
    py::tuple t(words);
    (o.kind == eval::AnalogyOutcome::kCorrect ? correct : incorrect)[o.section].append(t);
  }
  for (size_t s = 0; s < data->sections.size(); ++s) {
    py::dict d;
    d["section"] = data->sections[s].name;
    d["correct"] = correct[s];
    d["incorrect"] = incorrect[s];
    sections.append(d);
    for (py::handle t : correct[s]) all_correct.append(t);
    for (py::handle t : incorrect[s]) all_incorrect.append(t);
  }
  py::dict total;
  total["section"] = "Total accuracy";
  total["correct"] = all_correct;
  total["incorrect"] = all_incorrect;
  sections.append(total);
  const double seen = static_cast<double>(report->total.seen);
  const double score = seen > 0 ? static_cast<double>(report->total.correct) / seen : 0.0;
  return py::make_tuple(score, sections);
}

py::tuple EvaluateWordPairs(const KeyedVectorsPtr& self, const std::filesystem::path& file,
                            const py::object& delimiter, int64_t restrict_vocab,
                            bool case_insensitive) {
  const std::string path = file.string();
  if (!delimiter.is_none()) {
    const std::string d = delimiter.cast<std::string>();
    if (d != "\t" && d != " ") {
      throw py::value_error("delimiter: pairs files are read split on tabs or spaces (both)");
    }
  }
  if (restrict_vocab <= 0) throw py::value_error("restrict_vocab must be positive");
  eval::SimilarityEvalOptions options;
  options.case_sensitive = !case_insensitive;
  options.restrict = restrict_vocab;
  absl::StatusOr<std::vector<eval::SimilarityPair>> pairs;
  absl::StatusOr<eval::SimilarityReport> report;
  {
    py::gil_scoped_release release;
    pairs = eval::ReadSimilarityPairs(path);
    if (pairs.ok()) report = eval::EvaluateSimilarity(self->vectors(), *pairs, options);
  }
  OkOrThrow(pairs.status());
  OkOrThrow(report.status());
  const double skipped = static_cast<double>(report->skipped.size());
  const double oov_ratio = skipped / (static_cast<double>(report->pairs_used) + skipped) * 100.0;
  return py::make_tuple(ResultType("PearsonResult")(report->pearson, report->pearson_p),
                        ResultType("SpearmanResult")(report->spearman, report->spearman_p),
                        oov_ratio);
}

}  // namespace

void RegisterEvaluation(py::module_& m) {
  (void)m;
  auto& c = KeyedVectorsClass();
  c.def("evaluate_word_analogies", &EvaluateWordAnalogies, py::arg("analogies"),
        py::arg("restrict_vocab") = 30000, py::arg("case_insensitive") = true,
        py::arg("method") = "3cosadd",
        R"doc(The analogy benchmark (questions-words.txt format) as gensim computes it: only the
first restrict_vocab words exist (30,000 here, the figure every wordspace benchmark reports;
gensim's own default is 300,000), questions with any other word are skipped, words match
case-insensitively (a folded word is its first row), the question words are never answers.
Returns (score, sections): sections is gensim's list of {'section', 'correct', 'incorrect'}
dicts (4-tuples of words, upper-cased when case_insensitive), the last 'Total accuracy'.
method="3cosmul" uses Levy and Goldberg's 3CosMul instead of 3CosAdd. A malformed line is a
ValueError naming the file and line (gensim skips it).)doc");
  c.def("evaluate_word_pairs", &EvaluateWordPairs, py::arg("pairs"),
        py::arg("delimiter") = "\t", py::arg("restrict_vocab") = 300000,
        py::arg("case_insensitive") = true,
        R"doc(The word-similarity benchmark (WordSim-353, SimLex-999, RG-65: `word word score`
lines) as gensim: returns (pearson, spearman, oov_ratio), pearson = (statistic, pvalue),
spearman = (correlation, pvalue) (named tuples; p-values two-sided, as scipy's), oov_ratio the
percentage of pairs skipped for a word outside the first restrict_vocab rows.)doc");
}

}  // namespace wordspace::python
