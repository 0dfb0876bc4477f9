// `wordspace lm-score`: per-token surprisal of sentences under a transformer checkpoint.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/parallel_for.h"
#include "base/string_view.h"
#include "corpus/text_reader.h"
#include "eval/lm/surprisal.h"
#include "tools/command.h"
#include "tools/options.h"
#include "tools/precision_option.h"
#include "tools/query_common.h"
#include "transformer/language_model.h"

namespace wordspace::tools {
namespace {

// One sentence's JSON line (README, "JSON keys"): the sentence as "query", its tokens, and the
// words the model does not know as "missing".
Json SentenceJson(const transformer::LanguageModel& lm, const std::string& text,
                  const eval::SentenceSurprisal& s) {
  Json tokens = Json::array();
  for (const eval::TokenSurprisal& t : s.tokens) {
    tokens.push_back({{"word", t.word},
                      {"id", t.id},
                      {"unknown", t.unknown},
                      {"surprisal_bits", JsonValue(t.bits)},
                      {"log_prob", JsonValue(t.log_prob)},
                      {"prob", JsonValue(std::exp(t.log_prob))},
                      {"rank", t.rank},
                      {"expected", lm.word(t.expected)},
                      {"context", t.context}});
  }
  Json missing = Json::array();
  for (const eval::UnknownWord& u : s.words.unknown) missing.push_back(u.word);
  Json out;
  out["query"] = text;
  out["tokens"] = std::move(tokens);
  out["total_bits"] = JsonValue(s.total_bits);
  out["perplexity"] = JsonValue(s.perplexity());
  out["missing"] = std::move(missing);
  return out;
}

std::string SentenceTable(const transformer::LanguageModel& lm, const std::string& text,
                          const eval::SentenceSurprisal& s) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < s.tokens.size(); ++i) {
    const eval::TokenSurprisal& t = s.tokens[i];
    rows.push_back({absl::StrCat(i + 1), t.unknown ? absl::StrCat(t.word, " (<unk>)") : t.word,
                    absl::StrFormat("%.2f", t.bits), absl::StrFormat("%.4f", std::exp(t.log_prob)),
                    absl::StrCat(t.rank), lm.word(t.expected)});
  }
  return absl::StrCat(
      "sentence: ", text, "\n",
      FormatTable({"#", "word", "bits", "prob", "rank", "expected"}, rows,
                  {true, false, true, true, true, false}),
      absl::StrFormat("  total %.2f bits over %d tokens (%.2f per token); perplexity %.2f\n",
                      s.total_bits, s.tokens.size(),
                      s.tokens.empty() ? 0.0 : s.total_bits / s.tokens.size(), s.perplexity()));
}

int RunLmScore(int argc, char** argv) {
  const std::string usage =
      "wordspace lm-score MODEL [--text SENTENCE ...] [--input FILE] [--json] [options]";
  std::string model_path, input_path;
  std::vector<std::string> texts;
  int threads = 1;
  bool json = false, quiet = false, no_eos = false, case_sensitive = false;
  po::options_description options("lm-score options");
  // clang-format off
  options.add_options()
      ("model", po::value(&model_path), "checkpoint written by lm-train (or the first argument)")
      ("text", po::value(&texts)->composing(), "a sentence to score (repeatable)")
      ("input", po::value(&input_path),
       "score every line of this text file (plain or gzip; - for stdin)")
      ("no-eos", po::bool_switch(&no_eos), "do not score the line end </s> after each sentence")
      ("case-sensitive", po::bool_switch(&case_sensitive),
       "read words only as spelled (by default a word the model lacks is read in lowercase "
       "when it has that form, with a note)")
      ("json", po::bool_switch(&json), "one JSON object per sentence (JSON Lines)")
      ("threads", po::value(&threads)->default_value(1), "cores to use (0: all)")
      ("quiet", po::bool_switch(&quiet), "no notes on unknown words");
  // clang-format on
  std::string precision;
  AddPrecisionOption(options, &precision, "fp32");
  po::positional_options_description positional;
  positional.add("model", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, usage,
          "Prints the surprisal of every word of a sentence under a transformer checkpoint:\n"
          "-log2 P(word | the words before it), in bits, with its probability, its rank among\n"
          "the vocabulary (1: the model's first guess) and the model's first guess. Each\n"
          "sentence is read as one line of text: </s> (the previous line's end) comes before\n"
          "it and, unless --no-eos, its own </s> is scored last, so the total is the line's\n"
          "probability. Words are split with the checkpoint's tokenizer; a word the vocabulary\n"
          "lacks as spelled is read in lowercase when it has that form (one note a run;\n"
          "--case-sensitive: only as spelled); other unknown words are scored as <unk>,\n"
          "marked, and named in a note. Lines longer than the context are\n"
          "scored in windows moved by half of it. Sentences: --text (repeatable), or the lines\n"
          "of --input, or else the lines of stdin (at a prompt when it is a terminal).\n\n"
          "  wordspace lm-score model.lm --text \"the cat sat on the mat\"\n"
          "  wordspace lm-score model.lm --input sentences.txt --json",
          options, positional, &vm)) {
    return *exit;
  }
  if (auto exit = ApplyPrecisionOption(precision)) return *exit;
  if (model_path.empty())
    return UsageError("MODEL (a checkpoint from lm-train) is required", usage);
  if (!texts.empty() && !input_path.empty()) {
    return UsageError("give sentences with --text or with --input, not both", usage);
  }
  if (threads < 0) return UsageError("--threads must be 0 (all cores) or positive", usage);
  auto lm = transformer::LanguageModel::Load(model_path);
  if (!lm.ok()) return ReportError(lm.status());
  lm->set_threads(ResolveThreads(threads));
  const bool lowercase_vocabulary = eval::IsLowercaseVocabulary(*lm);
  eval::SurprisalOptions score_options;
  score_options.end_of_line = !no_eos;
  score_options.case_sensitive = case_sensitive;
  CaseFallback case_fallback(case_sensitive, quiet);

  bool ok = true;
  bool first = true;
  auto score = [&](const std::string& text) {
    absl::StatusOr<eval::SentenceSurprisal> s =
        eval::ScoreSentence(&*lm, text, score_options, lowercase_vocabulary);
    if (!s.ok()) {
      ok = false;
      if (json) {
        std::cout << QueryErrorJson(text, s.status()) << "\n" << std::flush;
        return;
      }
      std::cout << std::flush;
      std::cerr << "error: '" << text << "': " << s.status().message() << "\n";
      return;
    }
    for (const auto& [asked, used] : s->words.lowercased) case_fallback.Note(asked, used);
    if (!quiet) {
      if (const std::string note = eval::DescribeUnknownWords(s->words, "sentence");
          !note.empty()) {
        std::cout << std::flush;
        std::cerr << "note: " << note << "\n";
      }
    }
    if (json) {
      std::cout << Dump(SentenceJson(*lm, text, *s)) << "\n";
    } else {
      std::cout << (first ? "" : "\n") << SentenceTable(*lm, text, *s);
    }
    first = false;
    std::cout << std::flush;
  };
  if (!texts.empty()) {
    for (const std::string& text : texts) score(text);
  } else if (!input_path.empty()) {
    absl::StatusOr<std::unique_ptr<corpus::TextReader>> reader =
        corpus::TextReader::Open(input_path);
    if (!reader.ok()) return ReportError(reader.status());
    std::string line;
    while (true) {
      absl::StatusOr<bool> got = (*reader)->ReadLine(&line);
      if (!got.ok()) return ReportError(got.status());
      if (!*got) break;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      // Blank lines would only score their </s>: skipped, as on stdin.
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      score(line);
    }
  } else {
    ForEachQueryBatch({}, "sentence> ", [&](const std::vector<std::string>& lines) {
      for (const std::string& line : lines) score(line);
      return true;
    });
  }
  return ok && std::cout.good() ? 0 : 1;
}

const Registration kLmScore{"lm-score", "per-token surprisal of sentences under a transformer",
                            RunLmScore};

}  // namespace
}  // namespace wordspace::tools
