// `wordspace eval-analogy`: accuracy on the Google analogy questions (questions-words.txt).
#include <chrono>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/cpu_time.h"
#include "base/output_file.h"
#include "eval/vectors/analogy_eval.h"
#include "tools/command.h"
#include "tools/options.h"
#include "tools/query_common.h"

namespace wordspace::tools {
namespace {

std::string Percent(const eval::AnalogyScore& s) {
  return s.seen == 0 ? "-" : absl::StrFormat("%.2f%%", 100.0 * s.accuracy());
}

Json ScoreJson(const eval::AnalogyScore& s) {
  return {{"name", s.name},
          {"accuracy", JsonValue(s.accuracy())},
          {"correct", s.correct},
          {"seen", s.seen},
          {"total", s.total}};
}

int RunEvalAnalogy(int argc, char** argv) {
  std::string vectors_path, questions_path, method_name = "add", errors_path;
  eval::AnalogyEvalOptions eval_options;
  bool json = false;
  IndexFlags flags;
  po::options_description options("eval-analogy options");
  // clang-format off
  options.add_options()
      ("method", po::value(&method_name)->default_value("add"), "add (3CosAdd) or mul (3CosMul)")
      ("case-sensitive", po::bool_switch(&eval_options.case_sensitive),
       "match words exactly (default: case-insensitive, as compute-accuracy and gensim)")
      ("mul-epsilon", po::value(&eval_options.mul_epsilon)->default_value(0.001f, "0.001"),
       "3CosMul's epsilon")
      ("json", po::bool_switch(&json), "print one JSON object")
      ("errors", po::value(&errors_path),
       "write the questions answered wrongly to this file, tab-separated: section a b c "
       "expected answer score");
  // clang-format on
  AddIndexOptions(&options, &flags, kProbeRestrict);
  po::options_description positional_opts;
  // clang-format off
  positional_opts.add_options()
      ("vectors", po::value(&vectors_path), "")("questions", po::value(&questions_path), "");
  // clang-format on
  po::positional_options_description positional;
  positional.add("vectors", 1).add("questions", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, "wordspace eval-analogy VECTORS QUESTIONS [--restrict 30000] [options]",
          "Scores vectors on analogy questions in the Google questions-words.txt format\n"
          "(`: section` headers, then `a b c d` lines): the share answered right per section,\n"
          "semantic and syntactic, and in total. As gensim's evaluate_word_analogies, only\n"
          "the --restrict most frequent words (the first rows) exist: questions with another\n"
          "word are skipped and reported as lost coverage, and answers come from those words.\n"
          "--errors FILE lists the questions answered wrongly with the answer given, one\n"
          "tab-separated line each under a header row (skipped questions are not listed).",
          options, positional, &vm, &positional_opts)) {
    return *exit;
  }
  absl::StatusOr<embeddings::AnalogyMethod> method = embeddings::ParseAnalogyMethod(method_name);
  if (vectors_path.empty() || questions_path.empty() || !method.ok()) {
    return UsageError(absl::StrCat(!method.ok() ? std::string(method.status().message())
                                                : "VECTORS and QUESTIONS are required",
                                   " (see --help)"));
  }
  eval_options.method = *method;
  eval_options.keep_errors = !errors_path.empty();
  if (errors_path == "-") {
    // The report itself goes to standard output; the two would interleave.
    return UsageError("--errors -: the report is on standard output; give the errors a file");
  }
  // Checked before the vectors are read: a typo in the path should not cost the evaluation.
  if (!errors_path.empty()) {
    if (absl::Status s = OutputFile::CheckCanCreate(errors_path); !s.ok()) return ReportError(s);
  }
  if (auto exit = CheckInputs({{vectors_path, corpus::FileRole::kVectors},
                               {questions_path, corpus::FileRole::kWordList},
                               IndexFileInput(flags)})) {
    return *exit;
  }
  absl::StatusOr<eval::AnalogyDataset> data = eval::ReadAnalogyQuestions(questions_path);
  if (!data.ok()) return ReportError(data.status());
  // Rows past --restrict can never matter, so they are not even read.
  absl::StatusOr<embeddings::VectorIndex> index =
      OpenIndex(vectors_path, flags, /*max_rows=*/flags.restrict);
  if (!index.ok()) return ReportError(index.status());
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  absl::StatusOr<eval::AnalogyReport> report = eval::EvaluateAnalogies(*index, *data, eval_options);
  if (!report.ok()) return ReportError(report.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = ProcessCpuSeconds() - cpu_start;
  if (!errors_path.empty()) {
    if (absl::Status s = eval::WriteAnalogyErrors(errors_path, report->errors); !s.ok()) {
      return ReportError(s);
    }
    if (!flags.quiet) {
      std::cerr << "note: wrote the " << report->errors.size() << " questions answered wrongly to "
                << errors_path << "\n";
    }
  }
  const eval::AnalogyScore& total = report->total;
  const double coverage = total.total == 0 ? 0.0 : static_cast<double>(total.seen) / total.total;
  if (json) {
    Json out;
    out["accuracy"] = JsonValue(total.accuracy());
    out["correct"] = total.correct;
    out["seen"] = total.seen;
    out["total"] = total.total;
    out["coverage"] = JsonValue(coverage);
    out["method"] = AnalogyMethodName(*method);
    out["restrict"] = report->restrict;
    out["case_sensitive"] = eval_options.case_sensitive;
    out["seconds"] = seconds;
    out["cpu_seconds"] = cpu_seconds;
    out["semantic"] = ScoreJson(report->semantic);
    out["syntactic"] = ScoreJson(report->syntactic);
    out["sections"] = Json::array();
    for (const eval::AnalogyScore& section : report->sections) {
      out["sections"].push_back(ScoreJson(section));
    }
    std::cout << Dump(out) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const eval::AnalogyScore& s) {
    rows.push_back(
        {s.name, absl::StrCat(s.correct), absl::StrCat(s.seen), absl::StrCat(s.total), Percent(s)});
  };
  for (const auto& s : report->sections) add(s);
  rows.push_back({});
  add(report->semantic);
  add(report->syntactic);
  add(total);
  std::cout << FormatTable({"section", "correct", "seen", "total", "accuracy"}, rows,
                           {false, true, true, true, true}, "");
  std::cout << absl::StrFormat(
      "\ncoverage: %d of %d questions (%.1f%%); %d skipped: a word outside the %d most frequent "
      "words\nmethod: %s, %s; %.3f s (%.3f s of CPU)\n",
      total.seen, total.total, 100.0 * coverage, total.total - total.seen, report->restrict,
      *method == embeddings::AnalogyMethod::kAdd ? "3CosAdd" : "3CosMul",
      eval_options.case_sensitive ? "case-sensitive" : "case-insensitive", seconds, cpu_seconds);
  return 0;
}

const Registration kEvalAnalogy{
    "eval-analogy", "accuracy on analogy questions (Google questions-words.txt)", RunEvalAnalogy};

}  // namespace
}  // namespace wordspace::tools
