// `wordspace train`: skip-gram word vectors from a plain or gzipped corpus.
#include <sys/stat.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "absl/strings/str_format.h"
#include "base/json.h"
#include "base/output_file.h"
#include "base/progress_line.h"
#include "base/string_view.h"
#include "corpus/vocabulary_io.h"
#include "absl/container/flat_hash_map.h"
#include "embeddings/fasttext_model.h"
#include "embeddings/saved_run.h"
#include "embeddings/sgns_trainer.h"
#include "embeddings/vector_io.h"
#include "tools/command.h"
#include "tools/corpus_options.h"
#include "tools/input_kind.h"
#include "tools/options.h"

namespace wordspace::tools {
namespace {

// The trained model as fastText's .bin (embeddings/fasttext_model.h), with the settings it was
// trained with in fastText's terms.
absl::Status SaveFastTextModel(const std::string& path, const embeddings::SgnsOptions& sgns,
                               int64_t min_count, const corpus::TokenIdFile& ids,
                               const embeddings::SgnsResult& result) {
  using embeddings::FastTextArgs;
  const embeddings::SgnsResult::Matrices& m = *result.matrices;
  FastTextArgs args;
  args.dim = sgns.dim;
  args.ws = sgns.window;
  args.epoch = sgns.epochs;
  args.min_count = static_cast<int32_t>(min_count);
  args.neg = sgns.loss == embeddings::OutputLoss::kHierarchicalSoftmax ? 0 : sgns.negative;
  args.loss = sgns.loss == embeddings::OutputLoss::kHierarchicalSoftmax ? FastTextArgs::kHs
                                                                         : FastTextArgs::kNs;
  args.model = sgns.model == embeddings::WordModel::kCbow ? FastTextArgs::kCbow
                                                          : FastTextArgs::kSkipGram;
  args.bucket = sgns.subwords.bucket;
  args.minn = sgns.subwords.minn;
  args.maxn = sgns.subwords.maxn;
  args.t = sgns.sample;
  const int dim = sgns.dim;
  const embeddings::MatrixView input{m.input.data(), static_cast<int64_t>(m.table.rows()), dim,
                                     m.input_stride};
  const embeddings::MatrixView output{m.output.data(), static_cast<int64_t>(m.output_rows), dim,
                                      m.output_stride};
  return embeddings::WriteFastTextModel(path, args, ids.vocab().words(), ids.vocab().counts(),
                                        static_cast<int64_t>(ids.tokens()), input, output);
}

// The vocabulary a run from a saved model trains: the model's own, in its order (--resume); or
// (--init-from) the model's words with the new corpus' counts added, then the corpus' words new
// to the model, as gensim's build_vocab(update=True) grows a vocabulary.
absl::StatusOr<corpus::Vocabulary> StartVocabulary(const embeddings::FastTextModel& model,
                                                   bool grow, const std::string& input,
                                                   const CorpusFlags& corpus_flags,
                                                   ProgressLine* progress) {
  std::vector<std::string> words = model.words;
  std::vector<int64_t> counts = model.counts;
  if (grow) {
    absl::StatusOr<corpus::Vocabulary> fresh = corpus::BuildVocabulary(
        input, corpus_flags.encode.corpus, corpus_flags.encode.vocab, nullptr,
        [&](double fraction, uint64_t n) {
          progress->Update(absl::StrFormat("counting %s  %5.1f%%  %s words", input,
                                           100 * fraction, HumanCount(static_cast<double>(n))));
        });
    if (!fresh.ok()) return fresh.status();
    progress->Finish("");
    absl::flat_hash_map<std::string, size_t> old;
    for (size_t i = 0; i < words.size(); ++i) old.emplace(words[i], i);
    for (int32_t id = 0; id < fresh->size(); ++id) {
      auto it = old.find(fresh->word(id));
      if (it != old.end()) {
        counts[it->second] += fresh->count(id);
      } else {
        words.push_back(fresh->word(id));
        counts.push_back(fresh->count(id));
      }
    }
  }
  return corpus::Vocabulary::FromOrderedWords(std::move(words), std::move(counts));
}

// The rows to start from: each vocabulary word's row in the model (-1 for a word new to it).
embeddings::SgnsStart StartFrom(const embeddings::FastTextModel& model,
                                const corpus::Vocabulary& vocab,
                                const embeddings::SgnsOptions& sgns) {
  embeddings::SgnsStart start;
  start.input = model.input.data();
  start.input_words = model.words.size();
  start.input_rows = static_cast<size_t>(model.input_rows);
  start.output = model.output.data();
  start.output_rows = static_cast<size_t>(model.output_rows);
  absl::flat_hash_map<std::string, int64_t> rows;
  for (size_t i = 0; i < model.words.size(); ++i) rows.emplace(model.words[i], i);
  for (int32_t id = 0; id < vocab.size(); ++id) {
    auto it = rows.find(vocab.word(id));
    start.word_rows.push_back(it == rows.end() ? -1 : it->second);
  }
  // Output rows are the words' for negative sampling; for hierarchical softmax they are the
  // Huffman tree's nodes, which a grown vocabulary (or other counts) rebuilds differently.
  const bool model_hs = model.args.loss == embeddings::FastTextArgs::kHs;
  const bool run_hs = sgns.loss == embeddings::OutputLoss::kHierarchicalSoftmax;
  start.copy_output = model_hs == run_hs &&
                      (!run_hs || (vocab.words() == model.words && vocab.counts() == model.counts));
  return start;
}

int RunTrain(int argc, char** argv) {
  using embeddings::VectorFormat;
  std::string input, output, format_name = "auto", save_vocab, save_model, resume, init_from,
              kernel_name = "batched",
              model_name = "skipgram", loss_name = "ns";
  embeddings::SgnsOptions sgns;
  CorpusFlags corpus_flags;
  bool quiet = false, json = false;
  po::options_description options("train options");
  options.add_options()
      ("input", po::value(&input), "corpus: plain text or gzip (detected), `-` for stdin")
      ("output", po::value(&output), "vector file to write (.bin: word2vec binary; .txt/.vec: text; a final .gz compresses it; `-`: standard output, text unless --format binary)")
      ("format", po::value(&format_name)->default_value("auto"), "output format: auto (by extension), text or binary")
      ("model", po::value(&model_name)->default_value("skipgram"), "skipgram: each context word predicts the centre word; cbow: the mean of the context predicts it (word2vec.c -cbow 1; less arithmetic per word)")
      ("loss", po::value(&loss_name)->default_value("ns"), "ns: negative sampling (--negative noise words); hs: hierarchical softmax over a Huffman tree of the vocabulary (word2vec.c -hs 1 -negative 0, fastText -loss hs)")
      ("minn", po::value(&sgns.subwords.minn)->default_value(3), "shortest character n-gram of fastText's subword vectors (giving --minn alone turns them on with --maxn 6)")
      ("maxn", po::value(&sgns.subwords.maxn)->default_value(0), "longest character n-gram; 0: no subwords, one row per word (fastText's subwords: --minn 3 --maxn 6)")
      ("bucket", po::value(&sgns.subwords.bucket)->default_value(2000000), "rows shared by the hashed n-grams (fastText's -bucket)")
      ("dim", po::value(&sgns.dim)->default_value(100), "vector dimension")
      ("window", po::value(&sgns.window)->default_value(5), "maximum context distance (each word draws 1..window)")
      ("negative", po::value(&sgns.negative)->default_value(5), "noise words per pair (--loss ns)")
      ("sample", po::value(&sgns.sample)->default_value(1e-3, "1e-3"), "subsampling threshold for frequent words (0: off)")
      ("alpha", po::value(&sgns.alpha)->default_value(0, "0.05 batched and cbow, 0.025 classic"), "starting learning rate")
      ("min-alpha", po::value(&sgns.min_alpha)->default_value(0.0001, "0.0001"), "final learning rate (linear decay)")
      ("epochs", po::value(&sgns.epochs)->default_value(5), "passes over the corpus")
      ("threads", po::value(&sgns.threads)->default_value(0), "worker threads (0: all cores)")
      ("seed", po::value(&sgns.seed)->default_value(1), "random seed; with --threads 1 the output is reproducible bit for bit")
      ("kernel", po::value(&kernel_name)->default_value("batched"), "batched: output rows shared per window (skip-gram: small matrix products, Ji et al. 2016; cbow: noise words drawn and rows prefetched a window ahead), faster; classic: word2vec.c's per-pair loop")
      ("save-model", po::value(&save_model), "also write the whole model (vocabulary with counts, input rows with the n-gram buckets, output rows, settings) in fastText's .bin format, which fasttext print-word-vectors, fasttext nn and gensim's load_facebook_model read, and every wordspace command that takes vectors (answering words outside the vocabulary from their n-grams)")
      ("stop-after-epochs", po::value(&sgns.stop_after_epochs)->default_value(0), "stop after this many epochs (the learning rate still falls over all --epochs) and write --save-model with MODEL.resume beside it, for --resume to go on")
      ("resume", po::value(&resume), "go on with a run stopped by --stop-after-epochs: MODEL (and MODEL.resume) as --save-model wrote them, on the same --input; the settings are the run's. With one thread and a seed the result is the uninterrupted run's, byte for byte")
      ("init-from", po::value(&init_from), "start a new run from a model's weights (a --save-model file or a fastText .bin): the same or a new corpus; words new to the model get fresh rows and the counts add up (gensim's build_vocab(update=True)); the learning rate starts again")
      ("save-vocab", po::value(&save_vocab), "also write the vocabulary (`word count` lines) here (`-`: standard output)")
      ("json", po::bool_switch(&json), "end with one JSON line on stdout: words, pairs, seconds, loss, vocabulary, output")
      ("quiet", po::bool_switch(&quiet), "no progress line");
  AddCorpusOptions(&options, &corpus_flags);
  // word2vec.c's spellings: -train -size -iter -binary -cbow -hs (the others share our names).
  int binary = -1, cbow = 0, hs = 0;
  po::options_description aliases;
  aliases.add_options()
      ("binary", po::value(&binary), "")
      ("cbow", po::value(&cbow), "")("hs", po::value(&hs), "");
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, "wordspace train --input CORPUS --output VECTORS [options]",
          "Trains skip-gram or CBOW word vectors with negative sampling or hierarchical\n"
          "softmax (word2vec.c's semantics), optionally with fastText's subword vectors\n"
          "(character n-grams: --minn 3 --maxn 6), and writes them in word2vec's text or binary\n"
          "format, which gensim, fastText and word2vec.c read. word2vec.c's spellings work\n"
          "too: -train -output -size -window -negative -sample -min-count -iter -threads\n"
          "-alpha -binary -cbow -hs.\n\n"
          "  wordspace train --input corpus.txt.gz --output vectors.bin\n"
          "  wordspace train --input corpus.txt.gz --output cbow.bin --model cbow --loss hs\n"
          "  wordspace train --input corpus.txt.gz --output sub.bin --minn 3 --maxn 6 \\\n"
          "      --save-model model.bin     # then: wordspace neighbors model.bin unseenword",
          options, {}, &vm, &aliases, {{"train", "input"}, {"size", "dim"}, {"iter", "epochs"}})) {
    return *exit;
  }
  if (input.empty() || output.empty()) {
    return UsageError("--input and --output are required (see --help)");
  }
  absl::StatusOr<embeddings::WordModel> model = embeddings::ParseWordModel(model_name);
  if (!model.ok()) return UsageError("--model must be skipgram or cbow");
  sgns.model = *model;
  absl::StatusOr<embeddings::OutputLoss> loss = embeddings::ParseOutputLoss(loss_name);
  if (!loss.ok()) return UsageError("--loss must be ns (negative sampling) or hs (hierarchical softmax)");
  sgns.loss = *loss;
  // word2vec.c's -cbow 0|1 and -hs 0|1 (it can train both losses at once; wordspace trains one:
  // -hs 1 is hierarchical softmax alone, as with word2vec.c's -negative 0).
  if (vm.count("cbow")) sgns.model = cbow ? embeddings::WordModel::kCbow : embeddings::WordModel::kSkipGram;
  if (vm.count("hs")) {
    sgns.loss = hs ? embeddings::OutputLoss::kHierarchicalSoftmax : embeddings::OutputLoss::kNegativeSampling;
  }
  if (sgns.loss == embeddings::OutputLoss::kHierarchicalSoftmax && !vm["negative"].defaulted() &&
      sgns.negative > 0 && !quiet) {
    std::fprintf(stderr, "note: --negative %d is not used: hierarchical softmax has no noise words\n",
                 sgns.negative);
  }
  // fastText's subwords are n-grams of 3 to 6 code points; --minn alone asks for them.
  if (!vm["minn"].defaulted() && vm["maxn"].defaulted()) sgns.subwords.maxn = 6;
  absl::StatusOr<embeddings::SgnsKernel> kernel = embeddings::ParseSgnsKernel(kernel_name);
  if (!kernel.ok()) {
    return UsageError("--kernel must be batched or classic");
  }
  sgns.kernel = *kernel;
  if (absl::Status s = embeddings::CheckSgnsOptions(sgns); !s.ok()) return UsageError(ToStd(s.message()));
  absl::StatusOr<VectorFormat> format = embeddings::ParseVectorFormat(format_name);
  if (!format.ok() || *format == VectorFormat::kGlove || *format == VectorFormat::kFastText) {
    return UsageError("--format must be auto, text or binary");
  }
  if (binary >= 0) *format = binary ? VectorFormat::kBinary : VectorFormat::kText;
  if (*format == VectorFormat::kAuto) *format = embeddings::FormatFromExtension(output);
  if (json && (output == "-" || save_vocab == "-")) {
    return UsageError("--json prints to standard output: write the vectors and vocabulary to files");
  }
  if (output == "-" && save_vocab == "-") {
    return UsageError("--output and --save-vocab cannot both be `-` (standard output)");
  }
  if (!resume.empty() && !init_from.empty()) {
    return UsageError("--resume goes on with a stopped run, --init-from starts a new one: give one");
  }
  if (!resume.empty() && save_model.empty()) save_model = resume;  // the run goes on in its file
  if (sgns.stop_after_epochs > 0 && save_model.empty()) {
    return UsageError("--stop-after-epochs needs --save-model MODEL.bin to keep the run in");
  }
  if (!save_model.empty() && (save_model == output || save_model == save_vocab || save_model == "-")) {
    return UsageError("--save-model needs a file of its own (not standard output, --output or --save-vocab)");
  }
  sgns.keep_matrices = !save_model.empty();
  // The files are written after training: an unwritable folder must fail now, not then.
  for (const std::string& path : {output, save_vocab, save_model}) {
    if (path.empty()) continue;
    if (absl::Status s = OutputFile::CheckCanCreate(path); !s.ok()) return ReportError(s);
  }

  if (auto exit = CheckInputs({{input, corpus::FileRole::kCorpus},
                               {corpus_flags.read_vocab, corpus::FileRole::kVocabulary}},
                              corpus_flags.encode.corpus.force)) {
    return *exit;
  }

  // A run to go on with, or weights to start from: read before the corpus, since they decide
  // the settings and the vocabulary.
  std::optional<embeddings::SavedRun> saved;
  std::optional<embeddings::FastTextModel> start_model;
  if (!resume.empty()) {
    absl::StatusOr<embeddings::SavedRun> run =
        embeddings::ReadSavedRun(embeddings::ResumePath(resume), resume);
    if (!run.ok()) return ReportError(run.status());
    const int stop_after = sgns.stop_after_epochs;
    const int threads = sgns.threads;
    saved = std::move(*run);
    sgns = saved->options;
    sgns.keep_matrices = true;
    sgns.stop_after_epochs = stop_after;
    if (threads != 0 && threads != sgns.threads && !quiet) {
      std::fprintf(stderr, "note: --threads %d is not used: the run goes on with its %d\n",
                   threads, sgns.threads);
    }
    if (!quiet) {
      std::fprintf(stderr, "resuming %s after epoch %d of %d (its settings: %s, %s, dim %d)\n",
                   resume.c_str(), saved->state.epochs_done, sgns.epochs,
                   embeddings::WordModelName(sgns.model), embeddings::OutputLossName(sgns.loss),
                   sgns.dim);
    }
    if (absl::Status s = embeddings::CheckSgnsOptions(sgns); !s.ok()) return UsageError(ToStd(s.message()));
  }
  const std::string& start_path = !resume.empty() ? resume : init_from;
  if (!start_path.empty()) {
    absl::StatusOr<embeddings::FastTextModel> m = embeddings::ReadFastTextModel(start_path);
    if (!m.ok()) return ReportError(m.status());
    start_model = std::move(*m);
  }
  if (!init_from.empty()) {
    // The weights decide the dimension and the n-grams; the rest is this run's.
    const embeddings::FastTextArgs& a = start_model->args;
    if (!vm["dim"].defaulted() && sgns.dim != a.dim) {
      return UsageError(absl::StrFormat("--dim %d: the model in %s has dimension %d", sgns.dim,
                                        init_from, a.dim));
    }
    sgns.dim = a.dim;
    sgns.subwords = {.minn = a.minn, .maxn = a.maxn, .bucket = a.maxn > 0 ? a.bucket : 2000000};
  }

  ProgressLine progress(!quiet);
  const corpus::Vocabulary* fixed_vocab = nullptr;
  corpus::Vocabulary read_vocab;
  if (start_model) {
    absl::StatusOr<corpus::Vocabulary> v = StartVocabulary(*start_model, !init_from.empty(),
                                                           input, corpus_flags, &progress);
    if (!v.ok()) return ReportError(v.status());
    read_vocab = std::move(*v);
    fixed_vocab = &read_vocab;
  } else if (!corpus_flags.read_vocab.empty()) {
    absl::StatusOr<corpus::Vocabulary> v =
        corpus::ReadVocabulary(corpus_flags.read_vocab, corpus_flags.encode.vocab);
    if (!v.ok()) return ReportError(v.status());
    read_vocab = std::move(*v);
    fixed_vocab = &read_vocab;
  }
  absl::StatusOr<corpus::TokenIdFile> ids = corpus::TokenIdFile::Encode(
      input, corpus_flags.encode, fixed_vocab, [&](double fraction, uint64_t words) {
        progress.Update(absl::StrFormat("reading %s  %5.1f%%  %s words", input, 100 * fraction,
                                        HumanCount(static_cast<double>(words))));
      });
  if (!ids.ok()) return ReportError(ids.status());
  progress.Finish("");
  if (!quiet) PrintCorpusReport(input, ids->stats(), ids->vocab().size());
  if (!save_vocab.empty()) {
    if (absl::Status s = corpus::WriteVocabulary(ids->vocab(), save_vocab); !s.ok()) {
      return ReportError(s);
    }
  }

  embeddings::SgnsStart start;
  if (start_model) {
    if (saved && ids->tokens() != saved->corpus_tokens) {
      return ReportError(absl::FailedPreconditionError(absl::StrFormat(
          "%s: %d words of the model's vocabulary, where the run being resumed read %d; "
          "--resume needs the corpus it was trained on (--init-from starts a new run on another)",
          input, ids->tokens(), saved->corpus_tokens)));
    }
    start = StartFrom(*start_model, ids->vocab(), sgns);
    if (saved) start.state = saved->state;
  }
  absl::StatusOr<embeddings::SgnsResult> result = embeddings::TrainSkipGram(
      *ids, sgns, [&](const embeddings::SgnsProgress& p) {
        progress.Update(absl::StrFormat(
            "train %5.1f%%  epoch %d/%d  words/s/thread %s  alpha %.5f  loss %.4f  eta %s",
            100 * p.fraction, p.epoch, sgns.epochs, HumanCount(p.words_per_second_per_thread),
            p.alpha, p.loss, HumanDuration(p.eta_seconds)));
      }, 0.5, start_model ? &start : nullptr);
  start_model.reset();  // its matrices are copied: freed before the model is written
  if (!result.ok()) return ReportError(result.status());
  const bool is_cbow = sgns.model == embeddings::WordModel::kCbow;
  const std::string loop = absl::StrCat(embeddings::SgnsKernelName(sgns.kernel), " kernel");
  progress.Finish(absl::StrFormat(
      "trained on %s words (%s %s) in %.1f s, %.1f CPU s: %s words/s, final loss %.4f (%s, %s, "
      "%s%s%s)",
      HumanCount(static_cast<double>(result->words)), HumanCount(static_cast<double>(result->pairs)),
      is_cbow ? "windows" : "pairs", result->seconds, result->cpu_seconds,
      HumanCount(result->words / std::max(result->seconds, 1e-9)), result->final_loss,
      embeddings::WordModelName(sgns.model), embeddings::OutputLossName(sgns.loss),
      embeddings::UsesSubwords(sgns)
          ? absl::StrFormat("subwords %d-%d, %d buckets, %s", sgns.subwords.minn,
                            sgns.subwords.maxn, sgns.subwords.bucket, loop)
          : loop,
      *result->isa ? ", " : "", result->isa));
  if (absl::Status s = embeddings::WriteVectors(result->vectors, output, *format); !s.ok()) {
    return ReportError(s);
  }
  if (!save_model.empty()) {
    const int64_t min_count = saved ? saved->min_count : corpus_flags.encode.vocab.min_count;
    if (absl::Status s = SaveFastTextModel(save_model, sgns, min_count, *ids, *result); !s.ok()) {
      return ReportError(s);
    }
    if (!quiet) std::fprintf(stderr, "wrote the model to %s (fastText .bin)\n", save_model.c_str());
    const std::string resume_path = embeddings::ResumePath(save_model);
    if (result->state.epochs_done < sgns.epochs) {
      embeddings::SavedRun run;
      run.options = sgns;
      run.options.alpha = result->alpha;
      run.options.stop_after_epochs = 0;
      run.options.keep_matrices = false;
      // The threads it ran with (0 meant all cores, which another machine may not have).
      run.options.threads = static_cast<int>(result->state.hogwild.workers.size());
      run.min_count = min_count;
      run.corpus_tokens = ids->tokens();
      run.state = result->state;
      absl::Status s = embeddings::FileSizeAndCrc(save_model, &run.model_bytes, &run.model_crc);
      if (s.ok()) s = embeddings::WriteSavedRun(resume_path, run);
      if (!s.ok()) return ReportError(s);
      if (!quiet) {
        std::fprintf(stderr,
                     "stopped after epoch %d of %d; go on with: wordspace train --resume %s "
                     "--input %s --output %s\n",
                     result->state.epochs_done, sgns.epochs, save_model.c_str(), input.c_str(),
                     output.c_str());
      }
    } else if (struct stat st; stat(resume_path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      std::remove(resume_path.c_str());  // a finished run leaves nothing to go on with
    }
  }
  if (!quiet) {
    std::fprintf(stderr, "wrote %lld vectors of dimension %d to %s (%s)\n",
                 static_cast<long long>(result->vectors.size()), result->vectors.dim(),
                 output == "-" ? "standard output" : output.c_str(),
                 embeddings::VectorFormatName(*format));
  }
  if (json) {
    Json summary;
    summary["output"] = output;
    summary["format"] = embeddings::VectorFormatName(*format);
    summary["vocab_size"] = result->vectors.size();
    summary["dim"] = result->vectors.dim();
    summary["words"] = result->words;
    summary["pairs"] = result->pairs;
    summary["seconds"] = result->seconds;
    summary["cpu_seconds"] = result->cpu_seconds;
    summary["final_loss"] = JsonValue(result->final_loss);
    summary["alpha"] = result->alpha;
    summary["model"] = embeddings::WordModelName(sgns.model);
    summary["loss"] = embeddings::OutputLossName(sgns.loss);
    summary["kernel"] = embeddings::SgnsKernelName(sgns.kernel);
    summary["minn"] = embeddings::UsesSubwords(sgns) ? sgns.subwords.minn : 0;
    summary["maxn"] = sgns.subwords.maxn;
    summary["isa"] = result->isa;
    std::printf("%s\n", Dump(summary).c_str());
  }
  return 0;
}

const Registration kTrain{"train", "train skip-gram or CBOW word vectors from a corpus", RunTrain};

}  // namespace
}  // namespace wordspace::tools
