// `wordspace vocab`: counts a corpus' words into a word2vec `word count` vocabulary file.
#include <cstdio>

#include "absl/strings/str_format.h"
#include "base/json.h"
#include "base/output_file.h"
#include "base/progress_line.h"
#include "corpus/vocabulary_io.h"
#include "tools/command.h"
#include "tools/corpus_options.h"
#include "tools/input_kind.h"

namespace wordspace::tools {
namespace {

int RunVocab(int argc, char** argv) {
  std::string input, output;
  CorpusFlags flags;
  bool quiet = false, json = false;
  po::options_description options("vocab options");
  options.add_options()
      ("input", po::value(&input)->required(), "corpus: plain text or gzip (detected), `-` for stdin")
      ("output", po::value(&output)->default_value("-"), "vocabulary file to write (`-`: standard output; a final .gz compresses it)")
      ("json", po::bool_switch(&json), "end with one JSON line on stdout: words, sentences, vocabulary size, output (needs --output FILE)")
      ("quiet", po::bool_switch(&quiet), "no progress line");
  AddCorpusOptions(&options, &flags, /*with_read_vocab=*/false);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, "wordspace vocab --input CORPUS [--output VOCAB] [options]",
          "Counts the words of a corpus and writes them, most frequent first (ties by word),\n"
          "one `word count` per line: word2vec.c's -save-vocab format, which `train\n"
          "--read-vocab` reads back.",
          options, {}, &vm, nullptr, {{"train", "input"}, {"save-vocab", "output"}})) {
    return *exit;
  }
  if (json && output == "-") {
    return UsageError("--json prints to standard output: give --output FILE for the vocabulary");
  }
  // The file is written after the corpus is read: an unwritable folder must fail now.
  if (absl::Status s = OutputFile::CheckCanCreate(output); !s.ok()) return ReportError(s);
  if (auto exit = CheckInputs({{input, corpus::FileRole::kCorpus}}, flags.encode.corpus.force)) {
    return *exit;
  }
  ProgressLine progress(!quiet);
  corpus::CorpusStats stats;
  absl::StatusOr<corpus::Vocabulary> vocab = corpus::BuildVocabulary(
      input, flags.encode.corpus, flags.encode.vocab, &stats, [&](double fraction, uint64_t words) {
        progress.Update(absl::StrFormat("reading %s  %5.1f%%  %s words", input, 100 * fraction,
                                        HumanCount(static_cast<double>(words))));
      });
  if (!vocab.ok()) return ReportError(vocab.status());
  progress.Finish("");
  if (!quiet) PrintCorpusReport(input, stats, vocab->size());
  // "-" (the default) goes through the same writer as a file, so a failed write to standard
  // output is an error too.
  if (absl::Status s = corpus::WriteVocabulary(*vocab, output); !s.ok()) return ReportError(s);
  if (json) {
    Json summary;
    summary["output"] = output;
    summary["words"] = stats.words;
    summary["sentences"] = stats.sentences;
    summary["vocab_size"] = vocab->size();
    std::printf("%s\n", Dump(summary).c_str());
  }
  return 0;
}

const Registration kVocab{"vocab", "count a corpus' words into a `word count` file", RunVocab};

}  // namespace
}  // namespace wordspace::tools
