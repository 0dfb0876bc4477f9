// `wordspace bias analogy|direction|weat|debias`: bias probes on a vector file (issue 4).
//   analogy    man : w :: woman : ? and the reverse, inputs excluded and included side by side
//   direction  the first principal component of definitional pairs, and word projections on it
//   weat       the Word Embedding Association Test with permutation p-values
//   debias     hard debiasing (neutralize + equalize), written atomically
// Each prints an aligned table, or JSON with --json.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/string_view.h"
#include "embeddings/vector_io.h"
#include "eval/bias/bias_analogy.h"
#include "eval/bias/bias_direction.h"
#include "eval/bias/bias_json.h"
#include "eval/bias/debias.h"
#include "eval/bias/weat.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"
#include "tools/query_common.h"

namespace wordspace::tools {
namespace {

using embeddings::WordVectors;

// ---------------------------------------------------------------------------------------------
// Output helpers.

std::string FormatP(double p) {
  return p >= 0.001 ? absl::StrFormat("%.4f", p) : absl::StrFormat("%.1e", p);
}

// Reads the vectors; reports errors as a command does.
absl::StatusOr<WordVectors> LoadVectors(const std::string& path, const std::string& format_name) {
  absl::StatusOr<embeddings::VectorFormat> format = embeddings::ParseVectorFormat(format_name);
  if (!format.ok()) return format.status();
  return embeddings::ReadVectors(path, *format);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// ---------------------------------------------------------------------------------------------
// bias weat

int RunWeatCommand(int argc, char** argv) {
  const std::string usage =
      "wordspace bias weat VECTORS --tests FILE [--test NAME] [--permutations 100000] [--seed S]";
  std::string vectors_path, tests_path, format_name = "auto";
  std::vector<std::string> only;
  eval::WeatOptions weat;
  bool all_words = false, json = false;
  po::options_description options("bias weat options");
  options.add_options()
      ("vectors", po::value(&vectors_path), "vector file (word2vec text/binary, GloVe; gzip ok)")
      ("tests", po::value(&tests_path), "tests file: test<TAB>role<TAB>set_name<TAB>word[<TAB>used_in_caliskan2017] (data/weat.tsv)")
      ("test", po::value(&only)->composing(), "run only this test (repeatable; default: all)")
      ("permutations", po::value(&weat.permutations)->default_value(100000), "sampled partitions when exact enumeration is too large")
      ("exact-limit", po::value(&weat.exact_limit)->default_value(1e6, "1e6"), "enumerate every partition when there are at most this many")
      ("seed", po::value(&weat.seed)->default_value(1), "seed of the sampled partitions")
      ("threads", po::value(&weat.threads)->default_value(0), "threads for sampling (0: all cores); the p-value does not depend on it")
      ("all-words", po::bool_switch(&all_words), "keep rows marked used_in_caliskan2017=0")
      ("case-sensitive", po::bool_switch(&weat.case_sensitive), "exact spelling only (default: fall back to lowercase)")
      ("format", po::value(&format_name)->default_value("auto"), "vector format: auto, text, binary or glove")
      ("json", po::bool_switch(&json), "machine-readable output");
  po::positional_options_description positional;
  positional.add("vectors", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, usage,
          "The Word Embedding Association Test (Caliskan et al., 2017). For each test: the\n"
          "statistic s(X,Y,A,B) = sum_x s(x,A,B) - sum_y s(y,A,B), with s(w,A,B) the mean\n"
          "cosine of w with A minus that with B; the effect size d = (mean_x s - mean_y s) /\n"
          "std_{X u Y} s (sample std, n-1); the one-sided p-value P(s(Xi,Yi) >= s(X,Y)) over\n"
          "the partitions of X u Y into sets of sizes |X| and |Y|: exact when there are at most\n"
          "--exact-limit of them, else from --permutations seeded samples as\n"
          "(1 + #>=) / (1 + permutations). Ties count (>=; Caliskan et al. count >), so p is\n"
          "never 0. Words missing from the vectors are listed and left out.\n"
          "With |X| != |Y| the statistic (sums) and d (means) can differ in sign; a note\n"
          "explains it, and d's sign, which the p-value agrees with, is the one to read.\n"
          "Warnings mark degenerate tests: a set of fewer than 4 words, or so few partitions\n"
          "that p < 0.05 cannot happen (C(|X|+|Y|, |X|) <= 20), or all associations equal.",
          options, positional, &vm)) {
    return *exit;
  }
  if (vectors_path.empty() || tests_path.empty()) {
    return UsageError("VECTORS and --tests are required", usage);
  }
  if (weat.permutations < 1) return UsageError("--permutations must be at least 1", usage);
  if (auto exit = CheckInputs({{vectors_path, corpus::FileRole::kVectors},
                               {tests_path, corpus::FileRole::kWordList}})) {
    return *exit;
  }
  absl::StatusOr<std::vector<eval::WeatTest>> tests =
      eval::ReadWeatTests(tests_path, {.all_words = all_words});
  if (!tests.ok()) return ReportError(tests.status());
  absl::StatusOr<std::vector<eval::WeatTest>> chosen =
      eval::SelectWeatTests(std::move(*tests), only, tests_path);
  if (!chosen.ok()) return ReportError(chosen.status());
  const std::vector<eval::WeatTest>& selected = *chosen;

  const auto load_start = std::chrono::steady_clock::now();
  absl::StatusOr<WordVectors> vectors = LoadVectors(vectors_path, format_name);
  if (!vectors.ok()) return ReportError(vectors.status());
  const double load_seconds = Seconds(load_start);

  std::vector<eval::WeatResult> results;
  std::vector<double> wall, cpu;
  for (const eval::WeatTest& test : selected) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    results.push_back(eval::RunWeat(*vectors, test, weat));
    cpu.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    wall.push_back(Seconds(start));
  }
  double total_wall = 0, total_cpu = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    total_wall += wall[i];
    total_cpu += cpu[i];
  }

  if (json) {
    Json out;
    out["vectors"] = vectors_path;
    out["tests_file"] = tests_path;
    out["seed"] = weat.seed;
    out["permutations"] = weat.permutations;
    out["exact_limit"] = JsonValue(weat.exact_limit);
    out["p_value_counts"] = ">=";
    out["tests"] = Json::array();
    for (size_t i = 0; i < results.size(); ++i) {
      const eval::WeatResult& r = results[i];
      Json test;
      test["test"] = r.test;
      test["sets"] = {{"X", r.set_names[0]},
                      {"Y", r.set_names[1]},
                      {"A", r.set_names[2]},
                      {"B", r.set_names[3]}};
      test["sizes"] = {{"X", r.sizes[0]}, {"Y", r.sizes[1]}, {"A", r.sizes[2]}, {"B", r.sizes[3]}};
      if (r.computed) {
        test["effect_size"] = JsonValue(r.effect_size);
        test["p_value"] = JsonValue(r.p.p_value);
        test["statistic"] = JsonValue(r.statistic);
        test["exact"] = r.p.exact;
        test["partitions"] = r.p.partitions;
        test["at_least"] = r.p.at_least;
      } else {
        test["effect_size"] = nullptr;
        test["p_value"] = nullptr;
        test["statistic"] = nullptr;
        test["problem"] = r.problem;
      }
      test["notes"] = r.notes;
      test["warnings"] = r.warnings;
      test["missing"] = r.missing;
      test["left_out_rows"] = selected[i].left_out_rows;
      test["seconds"] = wall[i];
      test["cpu_seconds"] = cpu[i];
      out["tests"].push_back(std::move(test));
    }
    // The tests' own time (loading the vectors is load_seconds), as the per-test figures count.
    out["load_seconds"] = load_seconds;
    out["seconds"] = total_wall;
    out["cpu_seconds"] = total_cpu;
    std::cout << Dump(out) << "\n";
    return 0;
  }

  std::cout << absl::StrFormat(
      "WEAT on %s (%lld words, dim %d); tests from %s\n"
      "p = share of partitions with statistic >= observed: exact when at most %g partitions, "
      "else %lld seeded samples (seed %llu)\n\n",
      vectors_path, static_cast<long long>(vectors->size()), vectors->dim(), tests_path,
      weat.exact_limit, static_cast<long long>(weat.permutations),
      static_cast<unsigned long long>(weat.seed));
  std::vector<std::vector<std::string>> rows;
  for (const eval::WeatResult& r : results) {
    std::vector<std::string> row = {
        r.test, absl::StrCat(r.set_names[0], " vs ", r.set_names[1]),
        absl::StrCat(r.set_names[2], " vs ", r.set_names[3]),
        absl::StrCat(r.sizes[0], "+", r.sizes[1]), absl::StrCat(r.sizes[2], "+", r.sizes[3])};
    if (r.computed) {
      row.push_back(absl::StrFormat("%.4f", r.statistic));
      row.push_back(absl::StrFormat("%.2f", r.effect_size));
      row.push_back(FormatP(r.p.p_value));
      row.push_back(r.p.exact ? absl::StrCat("exact ", r.p.partitions)
                              : absl::StrCat("sampled ", r.p.partitions));
    } else {
      row.insert(row.end(), {"-", "-", "-", "not run"});
    }
    row.push_back(absl::StrCat(r.missing.size()));
    rows.push_back(std::move(row));
  }
  std::cout << FormatTable({"test", "targets X vs Y", "attributes A vs B", "|X|+|Y|", "|A|+|B|",
                            "statistic", "d", "p", "partitions", "missing"},
                           rows, {false, false, false, true, true, true, true, true, false, true});
  // Notes explain an odd-looking but right result; warnings say when not to trust one.
  bool any_remark = false;
  for (const eval::WeatResult& r : results) {
    for (const std::string& note : r.notes) {
      std::cout << (any_remark ? "" : "\n") << "note: " << r.test << ": " << note << "\n";
      any_remark = true;
    }
    for (const std::string& warning : r.warnings) {
      std::cout << (any_remark ? "" : "\n") << "warning: " << r.test << ": " << warning << "\n";
      any_remark = true;
    }
  }
  bool any_missing = false;
  for (size_t i = 0; i < results.size(); ++i) {
    const eval::WeatResult& r = results[i];
    if (!r.computed) std::cout << "\n" << r.test << " not run: " << r.problem;
    if (r.missing.empty()) continue;
    if (!any_missing) std::cout << "\nwords not in the vectors (left out):\n";
    any_missing = true;
    std::cout << "  " << r.test << ": " << absl::StrJoin(r.missing, " ") << "\n";
  }
  int left_out = 0;
  for (const auto& t : selected) left_out += t.left_out_rows;
  if (left_out > 0) {
    std::cout << "\n" << left_out
              << " rows marked used_in_caliskan2017=0 were left out (--all-words keeps them)\n";
  }
  std::cout << absl::StrFormat("\n%zu tests in %.3f s (%.3f CPU s); loading the vectors took %.1f s\n",
                               results.size(), total_wall, total_cpu, load_seconds);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// bias direction

int RunDirectionCommand(int argc, char** argv) {
  const std::string usage =
      "wordspace bias direction VECTORS (--pairs FILE | --pair a:b) [--words FILE | --k N]";
  std::string vectors_path, pairs_file, words_file, format_name = "auto";
  std::vector<std::string> pair_flags, word_flags;
  int top = 20;
  int64_t restrict = kProbeRestrict;
  bool json = false;
  eval::DirectionOptions direction;
  po::options_description options("bias direction options");
  options.add_options()
      ("vectors", po::value(&vectors_path), "vector file")
      ("pairs", po::value(&pairs_file), "definitional pairs, `word<TAB>word` per line (data/bolukbasi/definitional_pairs.tsv)")
      ("pair", po::value(&pair_flags)->composing(), "a definitional pair a:b (repeatable; with or instead of --pairs)")
      ("words", po::value(&words_file), "print the projection of each word of this list (first column; e.g. professions.tsv)")
      ("word", po::value(&word_flags)->composing(), "print the projection of this word (repeatable)")
      ("k", po::value(&top)->default_value(20), "list the N words with the largest positive and negative projections (0: none)")
      ("restrict", po::value(&restrict)->default_value(kProbeRestrict), "search the top lists among the first N rows, the most frequent words (0: all)")
      ("components", po::value(&direction.components)->default_value(10), "variance shares shown")
      ("case-sensitive", po::bool_switch(&direction.case_sensitive), "exact spelling only (default: fall back to lowercase)")
      ("format", po::value(&format_name)->default_value("auto"), "vector format: auto, text, binary or glove")
      ("json", po::bool_switch(&json), "machine-readable output");
  po::positional_options_description positional;
  positional.add("vectors", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, usage,
          "A bias direction (Bolukbasi et al., 2016): the vectors are unit-normalised, each\n"
          "definitional pair is centred on its mean, and the direction is the first principal\n"
          "component of the centred vectors, with the share of the variance it explains. It\n"
          "points from the second word of each pair to the first (definitional_pairs.tsv lists\n"
          "the female word first, so positive is the female side). Projections are cosines.",
          options, positional, &vm, nullptr, {{"top", "k"}})) {
    return *exit;
  }
  if (vectors_path.empty()) return UsageError("VECTORS is required", usage);
  if (pairs_file.empty() && pair_flags.empty()) {
    return UsageError("give definitional pairs with --pairs FILE or --pair a:b", usage);
  }
  if (auto exit = CheckInputs({{vectors_path, corpus::FileRole::kVectors},
                               {pairs_file, corpus::FileRole::kWordList},
                               {words_file, corpus::FileRole::kWordList}})) {
    return *exit;
  }
  absl::StatusOr<std::vector<eval::WordPair>> pairs = eval::GatherWordPairs(pairs_file, pair_flags);
  if (!pairs.ok()) return ReportError(pairs.status());
  absl::StatusOr<std::vector<std::string>> words = eval::GatherWords(word_flags, words_file);
  if (!words.ok()) return ReportError(words.status());
  absl::StatusOr<WordVectors> vectors = LoadVectors(vectors_path, format_name);
  if (!vectors.ok()) return ReportError(vectors.status());
  absl::StatusOr<eval::DirectionProbe> probe =
      eval::ProbeDirection(*vectors, *pairs, *words, direction, top, restrict);
  if (!probe.ok()) return ReportError(probe.status());
  const eval::BiasDirection* g = &probe->direction;
  const std::vector<eval::ProjectedWord>& positive = probe->positive;
  const std::vector<eval::ProjectedWord>& negative = probe->negative;
  const std::vector<eval::ProjectedWord>& listed = probe->words;
  const std::vector<std::string>& missing_words = probe->missing_words;

  if (json) {
    std::cout << Dump(eval::DirectionProbeJson(*probe, vectors_path)) << "\n";
    return 0;
  }

  std::vector<std::string> used;
  for (const auto& p : g->used_pairs) used.push_back(absl::StrCat(p.first, "-", p.second));
  std::cout << absl::StrFormat("bias direction of %s from %zu pair%s: %s\n", vectors_path,
                               g->used_pairs.size(), g->used_pairs.size() == 1 ? "" : "s",
                               absl::StrJoin(used, " "));
  if (!g->missing.empty()) {
    std::cout << "pairs left out, words not in the vectors: " << absl::StrJoin(g->missing, " ") << "\n";
  }
  std::vector<std::string> shares;
  for (double s : g->variance_shares) shares.push_back(absl::StrFormat("%.1f%%", 100 * s));
  std::cout << absl::StrFormat("first principal component: %.1f%% of the variance (components: %s)\n",
                               100 * (g->variance_shares.empty() ? 0 : g->variance_shares[0]),
                               absl::StrJoin(shares, " "));
  std::cout << "positive = towards the first word of each pair (" << g->used_pairs[0].first << ")\n";
  if (top > 0) {
    std::cout << absl::StrFormat("\nlargest projections among the %s:\n",
                                 restrict > 0 ? absl::StrCat("first ", restrict, " words")
                                              : std::string("all words"));
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < positive.size(); ++i) {
      rows.push_back({positive[i].word, absl::StrFormat("%+.3f", positive[i].projection),
                      negative[i].word, absl::StrFormat("%+.3f", negative[i].projection)});
    }
    std::cout << FormatTable({"positive", "cos", "negative", "cos"}, rows,
                             {false, true, false, true});
  }
  if (!words->empty()) {
    std::cout << "\nprojections:\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : listed) rows.push_back({p.word, absl::StrFormat("%+.3f", p.projection)});
    std::cout << FormatTable({"word", "cos"}, rows, {false, true});
    if (!missing_words.empty()) {
      std::cout << "not in the vectors: " << absl::StrJoin(missing_words, " ") << "\n";
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// bias debias

int RunDebiasCommand(int argc, char** argv) {
  const std::string usage =
      "wordspace bias debias VECTORS --pairs FILE --equalize FILE --specific FILE --output OUT";
  std::string vectors_path, pairs_file, equalize_file, specific_file, out_path, words_file;
  std::string format_name = "auto", out_format_name = "auto";
  std::vector<std::string> pair_flags, word_flags;
  bool json = false;
  eval::DebiasOptions debias;
  po::options_description options("bias debias options");
  options.add_options()
      ("vectors", po::value(&vectors_path), "vector file")
      ("pairs", po::value(&pairs_file), "definitional pairs, `word<TAB>word` (bolukbasi/definitional_pairs.tsv)")
      ("pair", po::value(&pair_flags)->composing(), "a definitional pair a:b (repeatable)")
      ("equalize", po::value(&equalize_file), "pairs to equalize (bolukbasi/equalize_pairs.tsv)")
      ("specific", po::value(&specific_file), "gender-specific words, not neutralized (bolukbasi/gender_specific_full.txt)")
      ("output", po::value(&out_path), "debiased vectors to write (.bin: binary, else text; atomic; `-`: standard output, the report then goes to stderr)")
      ("output-format", po::value(&out_format_name)->default_value("auto"), "output format: auto (by extension), text or binary")
      ("words", po::value(&words_file), "report these words' projections before and after (e.g. professions.tsv)")
      ("word", po::value(&word_flags)->composing(), "report this word's projections (repeatable)")
      ("case-sensitive", po::bool_switch(&debias.case_sensitive), "exact spelling only (default: lists match case-insensitively)")
      ("format", po::value(&format_name)->default_value("auto"), "input vector format: auto, text, binary or glove")
      ("json", po::bool_switch(&json), "machine-readable report");
  po::positional_options_description positional;
  positional.add("vectors", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, usage,
          "Hard debiasing (Bolukbasi et al., 2016), as their debiaswe code does it: normalise\n"
          "all vectors; find the bias direction g of the definitional pairs; remove g from\n"
          "every word not in the --specific list (neutralize); make each --equalize pair\n"
          "differ only along g, at equal distance from every neutral word; normalise again.\n"
          "Equalize pairs are tried as written and in lower, Title and UPPER case. The output\n"
          "holds unit vectors, in the input's row order.",
          options, positional, &vm, nullptr, {{"out", "output"}, {"out-format", "output-format"}})) {
    return *exit;
  }
  if (vectors_path.empty() || out_path.empty()) return UsageError("VECTORS and --output are required", usage);
  if (pairs_file.empty() && pair_flags.empty()) {
    return UsageError("give definitional pairs with --pairs FILE or --pair a:b", usage);
  }
  if (equalize_file.empty() || specific_file.empty()) {
    return UsageError("--equalize and --specific are required", usage);
  }
  absl::StatusOr<embeddings::VectorFormat> out_format = embeddings::ParseVectorFormat(out_format_name);
  if (!out_format.ok() || *out_format == embeddings::VectorFormat::kGlove ||
      *out_format == embeddings::VectorFormat::kFastText) {
    return UsageError("--out-format must be auto, text or binary", usage);
  }
  if (*out_format == embeddings::VectorFormat::kAuto) *out_format = embeddings::FormatFromExtension(out_path);
  if (auto exit = CheckInputs({{vectors_path, corpus::FileRole::kVectors},
                               {pairs_file, corpus::FileRole::kWordList},
                               {equalize_file, corpus::FileRole::kWordList},
                               {specific_file, corpus::FileRole::kWordList},
                               {words_file, corpus::FileRole::kWordList}})) {
    return *exit;
  }
  absl::StatusOr<std::vector<eval::WordPair>> pairs = eval::GatherWordPairs(pairs_file, pair_flags);
  if (!pairs.ok()) return ReportError(pairs.status());
  absl::StatusOr<std::vector<eval::WordPair>> equalize = eval::ReadWordPairs(equalize_file);
  if (!equalize.ok()) return ReportError(equalize.status());
  absl::StatusOr<std::vector<std::string>> specific = eval::ReadWordList(specific_file);
  if (!specific.ok()) return ReportError(specific.status());
  absl::StatusOr<std::vector<std::string>> words = eval::GatherWords(word_flags, words_file);
  if (!words.ok()) return ReportError(words.status());
  absl::StatusOr<WordVectors> vectors = LoadVectors(vectors_path, format_name);
  if (!vectors.ok()) return ReportError(vectors.status());

  debias.report_words = std::move(*words);
  absl::StatusOr<eval::DebiasReport> report =
      eval::HardDebias(&*vectors, *pairs, *specific, *equalize, debias);
  if (!report.ok()) return ReportError(report.status());
  if (absl::Status s = embeddings::WriteVectors(*vectors, out_path, *out_format); !s.ok()) {
    return ReportError(s);
  }
  // With `--output -` the vectors went to standard output: the report goes to stderr.
  std::ostream& out = out_path == "-" ? std::cerr : std::cout;
  std::vector<std::vector<std::string>> word_table;
  Json word_json = Json::array();
  for (const eval::ProjectionShift& w : report->words) {
    word_table.push_back(
        {w.word, absl::StrFormat("%+.3f", w.before), absl::StrFormat("%+.3f", w.after)});
    word_json.push_back(
        {{"word", w.word}, {"before", JsonValue(w.before)}, {"after", JsonValue(w.after)}});
  }
  const std::vector<std::string>& missing_words = report->missing_words;
  const double share = report->direction.variance_shares.empty() ? 0 : report->direction.variance_shares[0];
  if (json) {
    Json summary;
    summary["vectors"] = vectors_path;
    summary["output"] = out_path;
    summary["format"] = embeddings::VectorFormatName(*out_format);
    summary["pairs_used"] = eval::WordPairsJson(report->direction.used_pairs);
    summary["variance_explained"] = JsonValue(share);
    summary["neutralized"] = report->neutralized;
    summary["specific"] = report->specific;
    summary["equalized"] = eval::WordPairsJson(report->equalized);
    summary["equalize_missing"] = eval::WordPairsJson(report->not_found);
    summary["mean_abs_projection_before"] = JsonValue(report->mean_abs_projection_before);
    summary["mean_abs_projection_after"] = JsonValue(report->mean_abs_projection_after);
    summary["max_abs_projection_after"] = JsonValue(report->max_abs_projection_after);
    summary["words"] = std::move(word_json);
    summary["missing"] = missing_words;
    out << Dump(summary) << "\n";
    return 0;
  }
  out << absl::StrFormat(
      "hard debias of %s -> %s (%s)\n"
      "direction from %zu definitional pairs, first component %.1f%% of their variance\n"
      "neutralized %lld words; kept %lld gender-specific words\n"
      "equalized %zu pairs; %zu pairs had no spelling with both words in the vectors\n"
      "mean |cos(w, g)| of neutralized words: %.4f before, %.2g after (max %.2g)\n",
      vectors_path, out_path, embeddings::VectorFormatName(*out_format),
      report->direction.used_pairs.size(), 100 * share,
      static_cast<long long>(report->neutralized), static_cast<long long>(report->specific),
      report->equalized.size(), report->not_found.size(), report->mean_abs_projection_before,
      report->mean_abs_projection_after, report->max_abs_projection_after);
  if (!word_table.empty()) {
    out << "\nprojections on g (cosine):\n"
        << FormatTable({"word", "before", "after"}, word_table, {false, true, true});
  }
  if (!missing_words.empty()) {
    out << "not in the vectors: " << absl::StrJoin(missing_words, " ") << "\n";
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// bias analogy

int RunBiasAnalogyCommand(int argc, char** argv) {
  const std::string usage =
      "wordspace bias analogy VECTORS [--pair man:woman] --word doctor ... | --words FILE";
  std::string vectors_path, words_file, pair_spec = "man:woman", method_name = "add";
  std::vector<std::string> word_flags;
  eval::BiasAnalogyOptions probe;
  IndexFlags index_flags;
  index_flags.restrict = kProbeRestrict;
  bool json = false;
  po::options_description options("bias analogy options");
  options.add_options()("vectors", po::value(&vectors_path), "vector file")(
      "pair", po::value(&pair_spec)->default_value("man:woman"),
      "the pair a:b of the probes a : w :: b : ? and b : w :: a : ?")(
      "word", po::value(&word_flags)->composing(),
      "a probe word w (repeatable; more may follow VECTORS)")(
      "words", po::value(&words_file),
      "probe words, one per line (first column; e.g. professions.tsv)")(
      "k", po::value(&probe.k)->default_value(10), "answers shown per question")(
      "method", po::value(&method_name)->default_value("add"), "add (3CosAdd) or mul (3CosMul)")(
      "restrict", po::value(&index_flags.restrict)->default_value(kProbeRestrict),
      "answers come from the first N rows, the most frequent words (0: all)")(
      "index", po::value(&index_flags.factory)->default_value("Flat"),
      "FAISS index_factory string (Flat: exact)")(
      "threads", po::value(&index_flags.threads)->default_value(0), "threads (0: all cores)")(
      "case-sensitive", po::bool_switch(&probe.case_sensitive),
      "exact spelling only (default: fall back to lowercase)")(
      "format", po::value(&index_flags.format)->default_value("auto"),
      "vector format: auto, text, binary or glove")("json", po::bool_switch(&json),
                                                    "machine-readable output");
  po::options_description hidden;
  hidden.add_options()("positional-words", po::value(&word_flags)->composing(), "");
  po::positional_options_description positional;
  positional.add("vectors", 1).add("positional-words", -1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, usage,
          "Analogy probes (Bolukbasi et al., 2016): for each word w, the answers to\n"
          "a : w :: b : ? and b : w :: a : ? (with --pair a:b, default man:woman), with the\n"
          "three inputs excluded from the answers, as word2vec.c and gensim do, and included.\n"
          "Nissim et al. (2020) showed that the excluded answer can be an artefact: when the\n"
          "inputs are allowed, the best answer is often w itself. Inputs are marked with *.",
          options, positional, &vm, &hidden)) {
    return *exit;
  }
  if (vectors_path.empty()) return UsageError("VECTORS is required", usage);
  absl::StatusOr<eval::WordPair> pair = eval::ParseWordPair(pair_spec);
  if (!pair.ok()) return UsageError(std::string(pair.status().message()), usage);
  absl::StatusOr<embeddings::AnalogyMethod> method = embeddings::ParseAnalogyMethod(method_name);
  if (!method.ok()) return UsageError(std::string(method.status().message()), usage);
  probe.method = *method;
  if (probe.k < 1) return UsageError("--k must be at least 1", usage);
  if (auto exit = CheckInputs({{vectors_path, corpus::FileRole::kVectors},
                               {words_file, corpus::FileRole::kWordList},
                               IndexFileInput(index_flags)})) {
    return *exit;
  }
  absl::StatusOr<std::vector<std::string>> words = eval::GatherWords(word_flags, words_file);
  if (!words.ok()) return ReportError(words.status());
  if (words->empty()) return UsageError("give probe words (--word W, --words FILE)", usage);
  absl::StatusOr<embeddings::VectorIndex> index = OpenIndex(vectors_path, index_flags);
  if (!index.ok()) return ReportError(index.status());
  // A restriction beyond the vocabulary is none (the report says "all words").
  if (index_flags.restrict > index->size()) index_flags.restrict = 0;
  absl::StatusOr<eval::BiasAnalogyReport> report =
      eval::RunBiasAnalogies(*index, *pair, *words, probe);
  if (!report.ok()) return ReportError(report.status());

  const eval::WordPair& p = report->pair;
  const int64_t a_row = index->Find(p.first), b_row = index->Find(p.second);
  auto is_input = [&](int64_t row, int64_t probe_row) {
    return row == a_row || row == b_row || row == probe_row;
  };
  if (json) {
    // Each list in the scheme's item shape, with "input" marking a, b and the probe word.
    auto answers = [&](const std::vector<embeddings::Neighbor>& list, int64_t probe_row) {
      Json items = Json::array();
      for (const auto& n : list) {
        items.push_back({{"word", index->word(n.row)},
                         {"score", JsonValue(n.score)},
                         {"input", is_input(n.row, probe_row)}});
      }
      return items;
    };
    Json probes = Json::array();
    for (const auto& pr : report->probes) {
      probes.push_back({{"word", pr.word},
                        {"forward",
                         {{"excluded", answers(pr.forward_excluded, pr.row)},
                          {"included", answers(pr.forward_included, pr.row)}}},
                        {"reverse",
                         {{"excluded", answers(pr.reverse_excluded, pr.row)},
                          {"included", answers(pr.reverse_included, pr.row)}}}});
    }
    Json out;
    out["vectors"] = vectors_path;
    out["pair"] = Json::array({p.first, p.second});
    out["method"] = AnalogyMethodName(*method);
    out["measure"] = AnalogyMeasure(*method);
    out["restrict"] = index_flags.restrict;
    out["probes"] = std::move(probes);
    out["missing"] = report->missing;
    out["questions"] = report->questions;
    out["included_answer_is_input"] = report->included_answer_is_input;
    out["included_answer_is_probe"] = report->included_answer_is_probe;
    std::cout << Dump(out) << "\n";
    return 0;
  }
  auto cell = [&](const std::vector<embeddings::Neighbor>& list, int64_t probe_row) {
    std::vector<std::string> parts;
    for (const auto& n : list) {
      parts.push_back(absl::StrFormat("%s%s %.2f", index->word(n.row),
                                      is_input(n.row, probe_row) ? "*" : "", n.score));
    }
    return absl::StrJoin(parts, ", ");
  };
  std::cout << absl::StrFormat("analogy probes on %s (%s, answers from %s)\n", vectors_path,
                               method_name == "mul" ? "3CosMul" : "3CosAdd",
                               index_flags.restrict > 0
                                   ? absl::StrCat("the first ", index_flags.restrict, " words")
                                   : std::string("all words"));
  for (int direction = 0; direction < 2; ++direction) {
    const std::string& a = direction == 0 ? p.first : p.second;
    const std::string& c = direction == 0 ? p.second : p.first;
    std::cout << "\n" << a << " : w :: " << c << " : ?\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& pr : report->probes) {
      rows.push_back({pr.word, cell(direction == 0 ? pr.forward_excluded : pr.reverse_excluded, pr.row),
                      cell(direction == 0 ? pr.forward_included : pr.reverse_included, pr.row)});
    }
    std::cout << FormatTable({"w", "inputs excluded", "inputs included (* = an input)"}, rows,
                             {false, false, false});
  }
  if (!report->missing.empty()) {
    std::cout << "\nnot in the vectors: " << absl::StrJoin(report->missing, " ") << "\n";
  }
  std::cout << absl::StrFormat(
      "\nwith inputs included, the best answer is an input in %d of %d questions (the probe word "
      "itself in %d)\n",
      report->included_answer_is_input, report->questions, report->included_answer_is_probe);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// dispatch

struct Sub {
  const char* name;
  const char* summary;
  int (*run)(int, char**);
};

const Sub kSubs[] = {
    {"analogy", "man : w :: woman : ? and the reverse, inputs excluded and included", RunBiasAnalogyCommand},
    {"direction", "a bias direction (PCA of definitional pairs) and projections on it", RunDirectionCommand},
    {"weat", "Word Embedding Association Tests with permutation p-values", RunWeatCommand},
    {"debias", "hard debiasing: neutralize and equalize, write new vectors", RunDebiasCommand},
};

void PrintBiasUsage(std::ostream& out) {
  out << "usage: wordspace bias <analogy|direction|weat|debias> VECTORS [options]\n\n"
         "Bias probes on a vector file. Each prints a table, or JSON with --json.\n\n";
  for (const Sub& s : kSubs) out << absl::StrFormat("  %-10s %s\n", s.name, s.summary);
  out << "\n`wordspace bias <probe> --help` describes a probe's options.\n";
}

int RunBias(int argc, char** argv) {
  if (argc < 2) {
    PrintBiasUsage(std::cerr);
    return 2;
  }
  const std::string sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    PrintBiasUsage(std::cout);
    return 0;
  }
  for (const Sub& s : kSubs) {
    if (sub == s.name) return s.run(argc - 1, argv + 1);
  }
  const int exit = UsageError(absl::StrCat("unknown bias probe '", sub, "'"));
  PrintBiasUsage(std::cerr);
  return exit;
}

const Registration kBias{"bias", "bias probes: analogy, direction, weat, debias", RunBias};

}  // namespace
}  // namespace wordspace::tools
