// `wordspace neighbors`: the nearest words to a word or to a vector expression.
#include <cstdio>
#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/string_view.h"
#include "tools/command.h"
#include "tools/options.h"
#include "tools/query_common.h"

namespace wordspace::tools {
namespace {

int RunNeighbors(int argc, char** argv) {
  std::string vectors_path;
  std::vector<std::string> queries;
  int k = 10;
  bool json = false, case_sensitive = false;
  IndexFlags flags;
  po::options_description options("neighbors options");
  // clang-format off
  options.add_options()
      ("k", po::value(&k)->default_value(10), "neighbours per query")
      ("json", po::bool_switch(&json), "one JSON object per query (JSON Lines)")
      ("case-sensitive", po::bool_switch(&case_sensitive), "exact spelling only (default: a word not in the vectors is tried in lowercase, with a note)");
  // clang-format on
  AddIndexOptions(&options, &flags, kQueryRestrict);
  po::options_description positional_opts;
  // clang-format off
  positional_opts.add_options()
      ("vectors", po::value(&vectors_path), "")
      ("query", po::value(&queries)->multitoken(), "");
  // clang-format on
  po::positional_options_description positional;
  positional.add("vectors", 1).add("query", -1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, "wordspace neighbors VECTORS [WORD|EXPRESSION ...] [--k 10] [options]",
          "Prints the k nearest words to each query by cosine, without the query's own words.\n"
          "A query is a word or an expression such as \"biggest - big + small\" (quote it;\n"
          "operators are separate tokens). With no query on the command line, queries are read\n"
          "from stdin, one per line (all in one batch), or at a prompt when stdin is a terminal.",
          options, positional, &vm, &positional_opts)) {
    return *exit;
  }
  if (vectors_path.empty()) {
    return UsageError("a vector file is required (see --help)");
  }
  if (k <= 0) {
    return UsageError("--k must be positive");
  }
  if (auto exit =
          CheckInputs({{vectors_path, corpus::FileRole::kVectors}, IndexFileInput(flags)})) {
    return *exit;
  }
  absl::StatusOr<embeddings::VectorIndex> index = OpenIndex(vectors_path, flags);
  if (!index.ok()) return ReportError(index.status());

  CaseFallback case_fallback(case_sensitive, flags.quiet);
  bool noted_ngrams = false;
  auto run = [&](const std::vector<std::string>& batch) {
    // Parse everything first, then one batched search for the valid queries.
    std::vector<absl::StatusOr<embeddings::Expression>> parsed;
    std::vector<float> vectors;
    std::vector<std::vector<int64_t>> exclude;
    for (const std::string& q : batch) {
      parsed.push_back(case_fallback.Find(q, [&](const std::string& text) {
        return index->ParseExpression(text);
      }));
      // A fastText model answers words outside its vocabulary from their n-grams (after the
      // exact and the lowercase spelling, which a vocabulary word would have had).
      if (!parsed.back().ok() && absl::IsNotFound(parsed.back().status()) &&
          index->vectors().has_ngrams()) {
        parsed.back() = index->ParseExpression(q, /*ngrams=*/true);
        if (parsed.back().ok() && !flags.quiet && !noted_ngrams) {
          std::cout << std::flush;
          std::cerr << "note: '" << parsed.back()->unseen.front()
                    << "' is not in the vocabulary; its vector is the mean of its character "
                       "n-grams' (fastText's answer)\n";
          noted_ngrams = true;
        }
      }
      if (parsed.back().ok()) {
        vectors.insert(vectors.end(), parsed.back()->vector.begin(), parsed.back()->vector.end());
        exclude.push_back(parsed.back()->rows);
      }
    }
    absl::StatusOr<std::vector<std::vector<embeddings::Neighbor>>> results =
        std::vector<std::vector<embeddings::Neighbor>>{};
    if (!vectors.empty()) results = index->Search(vectors, k, exclude);
    if (!results.ok()) {
      ReportError(results.status());
      return false;
    }
    bool ok = true;
    size_t next = 0;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!parsed[i].ok()) {
        ok = false;
        if (json) {
          std::cout << QueryErrorJson(batch[i], parsed[i].status()) << "\n";
        } else {
          std::cout << std::flush;  // keep the error after the answers before it on a terminal
          std::cerr << "query: " << batch[i] << "\n  error: " << parsed[i].status().message()
                    << "\n\n";
        }
        continue;
      }
      const std::vector<embeddings::Neighbor>& found = (*results)[next++];
      if (json) {
        std::cout << Dump({{"query", batch[i]},
                           {"measure", "cosine"},
                           {"answers", AnswersJson(*index, found)}})
                  << "\n";
      } else {
        std::vector<std::vector<std::string>> rows;
        for (size_t j = 0; j < found.size(); ++j) {
          rows.push_back({absl::StrCat(j + 1), index->word(found[j].row),
                          absl::StrFormat("%.4f", found[j].score)});
        }
        std::cout << "query: " << batch[i] << "\n"
                  << FormatTable({"rank", "word", "cosine"}, rows, {true, false, true}) << "\n";
      }
    }
    std::cout << std::flush;
    return ok;
  };
  return ForEachQueryBatch(queries, "word or expression (EXIT to quit)> ", run) ? 0 : 1;
}

const Registration kNeighbors{"neighbors", "nearest words to a word or a vector expression",
                              RunNeighbors};

}  // namespace
}  // namespace wordspace::tools
