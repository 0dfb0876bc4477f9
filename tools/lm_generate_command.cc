// `wordspace lm-generate`: the most probable next words after a prompt, and a sampled
// continuation, from a checkpoint written by lm-train.
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/json.h"
#include "base/parallel_for.h"
#include "eval/lm/next_words.h"
#include "eval/lm/prompt_words.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"
#include "tools/precision_option.h"
#include "tools/query_common.h"
#include "transformer/language_model.h"

namespace wordspace::tools {
namespace {

int RunLmGenerate(int argc, char** argv) {
  std::string model_path, prompt;
  int top_k = 10, length = 20, sample_top_k = 40, threads = 0;
  double temperature = 1.0;
  uint64_t seed = 1;
  bool mid_line = false, stop_at_eos = false, no_unk = false, json = false, quiet = false,
       case_sensitive = false;
  po::options_description options("lm-generate options");
  options.add_options()
      ("model", po::value(&model_path), "checkpoint written by lm-train")
      ("prompt", po::value(&prompt), "text to continue (split like the training text); without it, prompts are read from stdin, one a line")
      ("k", po::value(&top_k)->default_value(10), "list this many most probable next words (0: none)")
      ("length", po::value(&length)->default_value(20), "words to sample after the prompt (0: none)")
      ("temperature", po::value(&temperature)->default_value(1.0, "1.0"), "sampling temperature (> 0; lower is greedier)")
      ("sample-top-k", po::value(&sample_top_k)->default_value(40), "sample among the k most probable words (0: all; 1: greedy)")
      ("seed", po::value(&seed)->default_value(1), "sampling seed (same seed, same text)")
      ("stop-at-eos", po::bool_switch(&stop_at_eos), "stop sampling at the end of a line (</s>)")
      ("no-unk", po::bool_switch(&no_unk), "never answer <unk>: leave it out of the top-k list and never sample it")
      ("mid-line", po::bool_switch(&mid_line), "do not treat the prompt as the start of a line (by default </s> precedes it)")
      ("case-sensitive", po::bool_switch(&case_sensitive), "read prompt words only as spelled (by default a word the model lacks is read in lowercase when it has that form, with a note)")
      ("threads", po::value(&threads)->default_value(0), "cores to use (0: all)")
      ("json", po::bool_switch(&json), "one JSON line per prompt (JSON Lines): query, missing, answers (the next words), sample")
      ("quiet", po::bool_switch(&quiet), "no notes on stderr (unknown words, a prompt cut to the context)");
  std::string precision;
  AddPrecisionOption(options, &precision, "fp32");
  // Positional words: `lm-generate MODEL [PROMPT]` as `lm-score MODEL` and `inspect ... MODEL`
  // read, or `lm-generate --model MODEL PROMPT` as earlier versions did.
  std::vector<std::string> positional_args;
  po::options_description hidden;
  hidden.add_options()("positional", po::value(&positional_args)->composing());
  po::positional_options_description positional;
  positional.add("positional", -1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, "wordspace lm-generate MODEL [--prompt TEXT] [options]",
          "Prints the most probable next words after the prompt with their probabilities,\n"
          "then samples a continuation (temperature and top-k, reproducible with --seed).\n"
          "A word the vocabulary lacks as spelled is read in lowercase when it has that form\n"
          "(one note a run; --case-sensitive: only as spelled); other unknown words read as\n"
          "<unk> and are named in a note on stderr;\n"
          "--no-unk keeps <unk> out of the answers. </s> marks a line end. Without --prompt,\n"
          "prompts are read from stdin, one a line (at a prompt when stdin is a terminal);\n"
          "--prompt \"\" continues an empty line.\n\n"
          "  wordspace lm-generate model.lm --prompt \"i like my coffee with cream and\"\n"
          "  printf 'the king\\nthe queen\\n' | wordspace lm-generate model.lm --length 0",
          options, positional, &vm, &hidden, {{"top-k", "k"}})) {
    return *exit;
  }
  if (auto exit = ApplyPrecisionOption(precision)) return *exit;
  bool has_prompt = vm.count("prompt") > 0;
  auto next_positional = positional_args.begin();
  if (model_path.empty() && next_positional != positional_args.end()) {
    model_path = *next_positional++;
  }
  if (next_positional != positional_args.end()) {
    if (has_prompt) {
      return UsageError(absl::StrCat("the prompt is given twice: --prompt and '", *next_positional,
                                     "' (quote a prompt of several words)"));
    }
    prompt = *next_positional++;
    has_prompt = true;
  }
  if (next_positional != positional_args.end()) {
    return UsageError(absl::StrCat("unexpected '", *next_positional,
                                   "': give MODEL and at most one prompt (quote a prompt of "
                                   "several words)"));
  }
  if (model_path.empty()) {
    return UsageError("give the model: wordspace lm-generate MODEL (see --help)");
  }
  if (!(temperature > 0) || top_k < 0 || length < 0 || sample_top_k < 0) {
    return UsageError("need --temperature > 0 and non-negative --k, --length, --sample-top-k");
  }
  if (auto exit = CheckInputs({{model_path, corpus::FileRole::kCheckpoint}})) return *exit;
  auto lm = transformer::LanguageModel::Load(model_path);
  if (!lm.ok()) return ReportError(lm.status());
  lm->set_threads(ResolveThreads(threads));

  const bool lowercase_vocabulary = eval::IsLowercaseVocabulary(*lm);
  eval::NextWordsOptions next_options;
  next_options.k = top_k;
  next_options.length = length;
  next_options.sample.temperature = temperature;
  next_options.sample.top_k = sample_top_k;
  next_options.sample.seed = seed;
  next_options.sample.stop_at_eos = stop_at_eos;
  next_options.no_unk = no_unk;
  next_options.mid_line = mid_line;
  next_options.case_sensitive = case_sensitive;
  CaseFallback case_fallback(case_sensitive, quiet);

  bool first = true;
  auto generate = [&](const std::string& text) {
    if (!first && !json) std::printf("\n");
    first = false;
    const eval::NextWords next =
        eval::PredictNextWords(*lm, text, next_options, lowercase_vocabulary);
    for (const auto& [asked, used] : next.words.lowercased) case_fallback.Note(asked, used);
    if (!next.note.empty() && !quiet) {
      std::fflush(stdout);  // keep the note beside its prompt when both go to a terminal
      std::fprintf(stderr, "note: %s\n", next.note.c_str());
    }
    if (static_cast<int>(next.context.size()) > lm->context() && !quiet) {
      std::fprintf(stderr,
                   "note: the prompt is longer than the model's context; using its last %d words\n",
                   lm->context());
    }
    if (top_k > 0 && !json) {
      std::printf("next word after \"%s\":\n", text.c_str());
      for (size_t i = 0; i < next.top.size(); ++i) {
        std::printf("  %2zu. %-20s %.4f\n", i + 1, lm->word(next.top[i].first).c_str(),
                    next.top[i].second);
      }
    }
    if (length > 0 && !json) {
      std::printf("sample (temperature %g, top-k %d, seed %llu):\n  %s\n", temperature,
                  sample_top_k, static_cast<unsigned long long>(seed), next.continued.c_str());
    }
    if (json) std::printf("%s\n", Dump(eval::NextWordsJson(*lm, next)).c_str());
    std::fflush(stdout);
    return true;
  };
  if (has_prompt) {
    generate(prompt);
  } else {
    // One prompt a line; each is sampled with the same --seed, so a line's answer does not
    // depend on the lines before it.
    ForEachQueryBatch({}, "prompt> ", [&](const std::vector<std::string>& prompts) {
      for (const std::string& p : prompts) generate(p);
      return true;
    });
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}

const Registration kLmGenerate{"lm-generate",
                               "next-word predictions and sampled text from a transformer",
                               RunLmGenerate};

}  // namespace
}  // namespace wordspace::tools
