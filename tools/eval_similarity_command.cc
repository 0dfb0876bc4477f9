// `wordspace eval-similarity`: Spearman's rho on a word-similarity set (WordSim-353, SimLex-999).
#include <cmath>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "embeddings/vector_io.h"
#include "eval/vectors/similarity_eval.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"
#include "tools/query_common.h"

namespace wordspace::tools {
namespace {

int RunEvalSimilarity(int argc, char** argv) {
  std::string vectors_path, pairs_path, format_name = "auto";
  eval::SimilarityEvalOptions eval_options;
  bool json = false, show_oov = false;
  po::options_description options("eval-similarity options");
  // clang-format off
  options.add_options()
      ("format", po::value(&format_name)->default_value("auto"),
       "vector file format: auto, text, binary, glove or fasttext")
      ("restrict", po::value(&eval_options.restrict)->default_value(0),
       "only the N most frequent words (the first N rows) exist (0: all)")
      ("case-sensitive", po::bool_switch(&eval_options.case_sensitive),
       "match words exactly (default: case-insensitive, as gensim)")
      ("ngrams", po::bool_switch(&eval_options.ngrams),
       "a fastText model (.bin) answers words outside its vocabulary from their character "
       "n-grams, as gensim's FastTextKeyedVectors does (default: their pairs are skipped, as "
       "gensim's KeyedVectors skips them)")
      ("show-oov", po::bool_switch(&show_oov), "list the skipped pairs")
      ("json", po::bool_switch(&json), "print one JSON object");
  // clang-format on
  po::options_description positional_opts;
  // clang-format off
  positional_opts.add_options()
      ("vectors", po::value(&vectors_path), "")("pairs", po::value(&pairs_path), "");
  // clang-format on
  po::positional_options_description positional;
  positional.add("vectors", 1).add("pairs", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, "wordspace eval-similarity VECTORS PAIRS [options]",
          "Scores vectors on a word-similarity set: `word1 word2 score` lines (tab or space\n"
          "separated, `#` comments), as WordSim-353, SimLex-999 or RG-65. Prints Spearman's rho\n"
          "between the human scores and the cosines (ties get their average rank, as scipy)\n"
          "and how many pairs had both words in the vocabulary. With a single usable pair\n"
          "rho is undefined; the pair's cosine is printed instead (`wordspace similarity`\n"
          "gives the cosine of any two words).",
          options, positional, &vm, &positional_opts)) {
    return *exit;
  }
  absl::StatusOr<embeddings::VectorFormat> format = embeddings::ParseVectorFormat(format_name);
  if (vectors_path.empty() || pairs_path.empty() || !format.ok()) {
    return UsageError(absl::StrCat(
        !format.ok() ? std::string(format.status().message()) : "VECTORS and PAIRS are required",
        " (see --help)"));
  }
  if (auto exit = CheckInputs({{vectors_path, corpus::FileRole::kVectors},
                               {pairs_path, corpus::FileRole::kWordList}})) {
    return *exit;
  }
  absl::StatusOr<std::vector<eval::SimilarityPair>> pairs = eval::ReadSimilarityPairs(pairs_path);
  if (!pairs.ok()) return ReportError(pairs.status());
  absl::StatusOr<embeddings::WordVectors> vectors =
      embeddings::ReadVectors(vectors_path, *format, eval_options.restrict);
  if (!vectors.ok()) return ReportError(vectors.status());
  absl::StatusOr<eval::SimilarityReport> report =
      eval::EvaluateSimilarity(*vectors, *pairs, eval_options);
  if (!report.ok()) return ReportError(report.status());
  if (json) {
    // One pair: rho is null (undefined) and "cosine" carries the pair's cosine.
    Json out;
    out["spearman"] = JsonValue(report->spearman);
    out["pearson"] = JsonValue(report->pearson);
    if (report->pairs_used == 1) out["cosine"] = JsonValue(report->cosine);
    out["pairs_used"] = report->pairs_used;
    out["pairs_total"] = report->pairs_total;
    out["pairs_from_ngrams"] = report->pairs_from_ngrams;
    // The pairs skipped for a word not in the vectors.
    out["missing"] = Json::array();
    for (const eval::SimilarityPair& p : report->skipped) {
      out["missing"].push_back(Json::array({p.a, p.b}));
    }
    std::cout << Dump(out) << "\n";
    return 0;
  }
  if (report->pairs_used == 1) {
    // A rank correlation needs two pairs; printing "nan" would read as a bug.
    std::cout << absl::StrFormat(
        "spearman  undefined (one pair: a rank correlation needs at least two)\n"
        "cosine    %.4f\npairs     1 of %d used",
        report->cosine, report->pairs_total);
  } else if (std::isnan(report->spearman)) {
    std::cout << absl::StrFormat(
        "spearman  undefined (the human scores or the cosines are all equal)\n"
        "pairs     %d of %d used",
        report->pairs_used, report->pairs_total);
  } else {
    std::cout << absl::StrFormat("spearman  %.4f\npearson   %.4f\npairs     %d of %d used",
                                 report->spearman, report->pearson, report->pairs_used,
                                 report->pairs_total);
  }
  if (report->pairs_from_ngrams > 0) {
    std::cout << absl::StrFormat(" (%d with a word answered from its n-grams)",
                                 report->pairs_from_ngrams);
  }
  if (report->pairs_used < report->pairs_total) {
    std::cout << absl::StrFormat(" (%d skipped: a word not in the vocabulary%s)",
                                 report->pairs_total - report->pairs_used,
                                 show_oov ? "" : "; --show-oov lists them");
  }
  std::cout << "\n";
  if (show_oov) {
    for (const auto& p : report->skipped) {
      std::cout << "  line " << p.line << ": " << p.a << " " << p.b << "\n";
    }
  }
  return 0;
}

const Registration kEvalSimilarity{
    "eval-similarity", "Spearman's rho on word-similarity pairs (WordSim-353, SimLex-999)",
    RunEvalSimilarity};

}  // namespace
}  // namespace wordspace::tools
