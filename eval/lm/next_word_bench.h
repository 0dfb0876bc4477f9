// `wordspace lm-bench` as a library: several next-word models (n-gram models or transformer
// checkpoints, told apart by their magic number) on several held-out texts, with the table and
// JSON it prints. Counting conventions are in eval/next_word_eval.h.
//
//   ASSIGN_OR_RETURN(auto model, OpenNextWordModel("kn5.bin", {}));
//   std::vector<NextWordModelEntry> models;
//   models.push_back({"kn5.bin", std::move(model)});
//   ASSIGN_OR_RETURN(auto rows, RunNextWordBench(models, {"valid.txt.gz"}, {}));
//   std::cout << FormatNextWordTable(rows);
#ifndef WORDSPACE_EVAL_LM_NEXT_WORD_BENCH_H_
#define WORDSPACE_EVAL_LM_NEXT_WORD_BENCH_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/lm/next_word_eval.h"
#include "eval/lm/next_word_scorer.h"

namespace wordspace::eval {

struct OpenModelOptions {
  int threads = 0;  // 0: all cores
};

// Opens an n-gram model file or a transformer checkpoint, told apart by corpus/file_kind.h.
// NotFound for a missing file; InvalidArgument naming `path` for any other kind of file.
[[nodiscard]] absl::StatusOr<std::unique_ptr<NextWordScorer>> OpenNextWordModel(
    const std::string& path, const OpenModelOptions& options);

struct NextWordModelEntry {
  std::string name;  // shown in the table and JSON (the file name, by default)
  std::unique_ptr<NextWordScorer> scorer;
};

struct NextWordBenchRow {
  std::string model;
  std::string file;
  std::string description;  // the scorer's Describe()
  int window = 0;
  int stride = 0;
  int64_t vocab_size = 0;
  NextWordCounts counts;
  double seconds = 0;
};

struct NextWordBenchOptions {
  NextWordEvalOptions eval;  // window/stride overrides apply to every model
  bool force_text = false;   // read a held-out file even when it does not look like text
  // Called with a status line now and then (model, file, progress).
  std::function<void(const std::string&)> progress;
};

// Every model on every file, in that order (model-major). A file is encoded once per distinct
// vocabulary and tokenizer.
[[nodiscard]] absl::StatusOr<std::vector<NextWordBenchRow>> RunNextWordBench(
    const std::vector<NextWordModelEntry>& models, const std::vector<std::string>& files,
    const NextWordBenchOptions& options);

// The comparison table, with a header stating the counting conventions and each model's
// windows, and a note when the models' vocabularies differ (their OOV targets then differ).
std::string FormatNextWordTable(const std::vector<NextWordBenchRow>& rows, bool vocabularies_match);

// One line of JSON, an array with one object per (model, file): model, input (the held-out
// file), tokens, top1, top5, perplexity, known_tokens, top1_known, top5_known, perplexity_known,
// oov_rate, window, stride, vocab_size, description, seconds. Accuracies are fractions in [0, 1].
std::string FormatNextWordJson(const std::vector<NextWordBenchRow>& rows);

// True when every model has the same vocabulary (words and special ids).
bool SameVocabularies(const std::vector<NextWordModelEntry>& models);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NEXT_WORD_BENCH_H_
