// `wordspace lm-bench`: next-word accuracy and perplexity of n-gram models and transformer
// checkpoints on held-out text, in one comparison table.
#include <cstdio>
#include <iostream>

#include "base/progress_line.h"
#include "eval/lm/next_word_bench.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"
#include "tools/precision_option.h"

namespace wordspace::tools {
namespace {

int RunLmBench(int argc, char** argv) {
  std::vector<std::string> model_paths, names, texts;
  eval::NextWordBenchOptions bench;
  int threads = 0;
  bool json = false, quiet = false;
  po::options_description options("lm-bench options");
  // clang-format off
  options.add_options()
      ("model", po::value(&model_paths)->composing(), "n-gram model or transformer checkpoint (repeat for several)")
      ("input", po::value(&texts)->composing(), "held-out text, plain or gzip (repeat for several)")
      ("name", po::value(&names)->composing(), "display name of each --model, in order (default: the file name)")
      ("window", po::value(&bench.eval.window)->default_value(0), "context ids per window (0: each model's default: a transformer's context, order-1 for n-grams)")
      ("stride", po::value(&bench.eval.stride)->default_value(0), "window stride (0: each model's default: half a transformer's context, 1 for n-grams)")
      ("force", po::bool_switch(&bench.force_text), "read --text files even if they do not look like text")
      ("threads", po::value(&threads)->default_value(0), "threads (0: all cores)")
      ("json", po::bool_switch(&json), "print a JSON array (one object per model and file) instead of the table")
      ("quiet", po::bool_switch(&quiet), "no progress line");
  // clang-format on
  std::string precision;
  AddPrecisionOption(options, &precision, "fp32");
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv,
          "wordspace lm-bench --model MODEL [--model MODEL2 ...] --input HELDOUT [--input ...] "
          "[--json]",
          "Next-word prediction on held-out text: top-1 and top-5 accuracy and perplexity, over\n"
          "all targets and over in-vocabulary targets, with the OOV rate, for each model and "
          "file.\n"
          "Models are n-gram files (`wordspace ngram-train`) or transformer checkpoints\n"
          "(`wordspace lm-train`), told apart by their magic number.",
          options, {}, &vm, nullptr, {{"text", "input"}})) {
    return *exit;
  }
  if (auto exit = ApplyPrecisionOption(precision)) return *exit;
  if (model_paths.empty() || texts.empty()) {
    return UsageError("at least one --model and one --input are required (see --help)");
  }
  if (!names.empty() && names.size() != model_paths.size()) {
    return UsageError("give one --name per --model, or none");
  }
  for (const std::string& path : model_paths) {
    if (auto exit = CheckInputs({{path, corpus::FileRole::kNextWordModel}})) return *exit;
  }
  for (const std::string& path : texts) {
    if (auto exit = CheckInputs({{path, corpus::FileRole::kCorpus}}, bench.force_text)) {
      return *exit;
    }
  }
  ProgressLine progress(!quiet);
  std::vector<eval::NextWordModelEntry> models;
  for (size_t i = 0; i < model_paths.size(); ++i) {
    progress.Update("loading " + model_paths[i]);
    absl::StatusOr<std::unique_ptr<eval::NextWordScorer>> scorer =
        eval::OpenNextWordModel(model_paths[i], {.threads = threads});
    if (!scorer.ok()) return ReportError(scorer.status());
    std::string name = names.empty() ? model_paths[i] : names[i];
    if (names.empty()) {
      size_t slash = name.find_last_of('/');
      if (slash != std::string::npos) name = name.substr(slash + 1);
    }
    models.push_back({name, std::move(*scorer)});
  }
  bench.progress = [&](const std::string& line) { progress.Update(line); };
  absl::StatusOr<std::vector<eval::NextWordBenchRow>> rows =
      eval::RunNextWordBench(models, texts, bench);
  if (!rows.ok()) return ReportError(rows.status());
  progress.Finish("");
  if (json) {
    std::fputs(eval::FormatNextWordJson(*rows).c_str(), stdout);
  } else {
    std::fputs(eval::FormatNextWordTable(*rows, eval::SameVocabularies(models)).c_str(), stdout);
  }
  return 0;
}

const Registration kLmBench{"lm-bench",
                            "next-word accuracy and perplexity of language models on held-out text",
                            RunLmBench};

}  // namespace
}  // namespace wordspace::tools
