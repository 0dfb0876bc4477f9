// `wordspace ngram-train`: an interpolated modified Kneser-Ney n-gram model, the baseline
// `wordspace lm-bench` compares the transformer with.
#include <cstdio>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/json.h"
#include "base/output_file.h"
#include "base/progress_line.h"
#include "eval/lm/ngram_model.h"
#include "eval/lm/ngram_model_io.h"
#include "eval/lm/ngram_trainer.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"

namespace wordspace::tools {
namespace {

int RunNgramTrain(int argc, char** argv) {
  eval::NgramTrainOptions o;
  std::string out, discounts;
  bool quiet = false, json = false;
  po::options_description options("ngram-train options");
  // clang-format off
  options.add_options()
      ("input", po::value(&o.train_path), "training corpus: plain text or gzip, one sentence per line")
      ("output", po::value(&out), "model file to write")
      ("order", po::value(&o.kn.order)->default_value(3), "n-gram order, 1 (unigram) to 9")
      ("vocab-size", po::value(&o.vocab_size)->default_value(20000), "words kept (N); every other word is <unk>")
      ("read-vocab", po::value(&o.vocab_path), "take the N most frequent words of this `word count` file")
      ("vectors", po::value(&o.vectors_path), "take the first N words of this vector file (the transformer's vocabulary)")
      ("min-count", po::value(&o.min_count)->default_value(1), "when counting the corpus's own vocabulary, drop rarer words")
      ("discounts", po::value(&discounts), "fixed D1,D2,D3+ for every order instead of the count-of-counts estimate")
      ("lowercase", po::bool_switch(&o.corpus.tokenizer.lowercase), "lowercase words")
      ("strip-punct", po::bool_switch(&o.corpus.tokenizer.strip_punct), "treat punctuation as white space")
      ("split-cjk", po::bool_switch(&o.corpus.tokenizer.split_cjk), "make each CJK character a token")
      ("strict", po::bool_switch(&o.corpus.strict_utf8), "invalid UTF-8 is an error")
      ("force", po::bool_switch(&o.corpus.force), "read --train even if it does not look like text")
      ("json", po::bool_switch(&json), "end with one JSON object describing the model")
      ("quiet", po::bool_switch(&quiet), "no progress or report on stderr");
  // clang-format on
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, "wordspace ngram-train --input CORPUS --order N --output MODEL [options]",
          "Trains an interpolated modified Kneser-Ney language model (Chen & Goodman: three\n"
          "discounts per order from the count-of-counts) over a fixed vocabulary: the N most\n"
          "frequent words (of the corpus, --read-vocab or --vectors) plus <unk> and </s> (line end).\n"
          "The text is one stream; n-grams run across line ends. Evaluate with `wordspace\n"
          "lm-bench --model MODEL --input HELDOUT`.",
          options, {}, &vm, nullptr,
          {{"train", "input"}, {"out", "output"}, {"vocab", "read-vocab"}})) {
    return *exit;
  }
  if (o.train_path.empty() || out.empty()) {
    return UsageError("--input and --output are required (see --help)");
  }
  if (!discounts.empty()) {
    std::vector<std::string> parts = absl::StrSplit(discounts, ',');
    std::array<double, 3> d{};
    if (parts.size() != 3 || !absl::SimpleAtod(parts[0], &d[0]) ||
        !absl::SimpleAtod(parts[1], &d[1]) || !absl::SimpleAtod(parts[2], &d[2])) {
      return UsageError("--discounts takes three numbers, D1,D2,D3+ (e.g. 0.5,1,1.5)");
    }
    o.kn.fixed_discounts = d;
  }

  if (o.kn.order < 1 || o.kn.order > eval::kMaxNgramOrder) {
    return UsageError(absl::StrCat("--order ", o.kn.order, " is out of range; use 1 to ",
                                   eval::kMaxNgramOrder));
  }
  // Fail before a long training run, not after it, when the output folder is not writable.
  if (absl::Status s = OutputFile::CheckCanCreate(out); !s.ok()) return ReportError(s);
  if (auto exit = CheckInputs({{o.train_path, corpus::FileRole::kCorpus},
                               {o.vocab_path, corpus::FileRole::kVocabulary},
                               {o.vectors_path, corpus::FileRole::kVectors}},
                              o.corpus.force)) {
    return *exit;
  }
  ProgressLine progress(!quiet);
  eval::NgramTrainReport report;
  absl::StatusOr<eval::NgramModel> model = eval::TrainNgramFromCorpus(
      o, &report, [&](const std::string& phase) { progress.Update(phase); });
  if (!model.ok()) return ReportError(model.status());
  progress.Finish("");
  if (absl::Status s = eval::WriteNgramModel(*model, out); !s.ok()) return ReportError(s);

  if (!quiet) {
    std::fprintf(stderr,
                 "%s: %llu words, %llu lines; stream of %llu tokens (</s> included), "
                 "%.2f%% <unk>\n",
                 o.train_path.c_str(), static_cast<unsigned long long>(report.corpus.words),
                 static_cast<unsigned long long>(report.corpus.sentences),
                 static_cast<unsigned long long>(report.tokens),
                 report.tokens ? 100.0 * report.unknown_tokens / report.tokens : 0.0);
    std::fprintf(stderr,
                 "order  n-grams       n1         n2         n3         n4      "
                 "D1     D2     D3+\n");
    for (int n = 1; n <= model->order(); ++n) {
      const eval::NgramOrderStats& s = model->stats(n);
      std::fprintf(stderr, "%5d %9llu %10llu %10llu %10llu %10llu  %.3f  %.3f  %.3f%s\n", n,
                   static_cast<unsigned long long>(s.ngrams),
                   static_cast<unsigned long long>(s.count_of_counts[0]),
                   static_cast<unsigned long long>(s.count_of_counts[1]),
                   static_cast<unsigned long long>(s.count_of_counts[2]),
                   static_cast<unsigned long long>(s.count_of_counts[3]), s.discounts[0],
                   s.discounts[1], s.discounts[2], s.fallback ? "  (fallback)" : "");
    }
    std::fprintf(stderr, "wrote %s (order %d, V=%d) in %.1f s\n", out.c_str(), model->order(),
                 model->vocab_size(), report.seconds);
  }
  if (json) {
    Json ngrams = Json::array(), discounts = Json::array();
    for (int n = 1; n <= model->order(); ++n) {
      const eval::NgramOrderStats& s = model->stats(n);
      ngrams.push_back(s.ngrams);
      discounts.push_back(Json::array({s.discounts[0], s.discounts[1], s.discounts[2]}));
    }
    Json summary;
    summary["output"] = out;
    summary["order"] = model->order();
    summary["vocab_size"] = model->vocab_size();
    summary["tokens"] = report.tokens;
    summary["unknown_tokens"] = report.unknown_tokens;
    summary["ngrams"] = std::move(ngrams);
    summary["discounts"] = std::move(discounts);
    summary["seconds"] = report.seconds;
    std::printf("%s\n", Dump(summary).c_str());
  }
  return 0;
}

const Registration kNgramTrain{"ngram-train", "train a Kneser-Ney n-gram language model",
                               RunNgramTrain};

}  // namespace
}  // namespace wordspace::tools
