// `wordspace similarity`: the cosine of two words (gensim's KeyedVectors.similarity).
#include <iostream>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/string_view.h"
#include "embeddings/vector_io.h"
#include "eval/vectors/similarity_eval.h"
#include "tools/command.h"
#include "tools/options.h"
#include "tools/query_common.h"

namespace wordspace::tools {
namespace {

int RunSimilarity(int argc, char** argv) {
  const std::string usage = "wordspace similarity VECTORS [WORD1 WORD2] [options]";
  std::string vectors_path, format_name = "auto";
  std::vector<std::string> words;
  eval::SimilarityEvalOptions lookup;
  bool json = false, quiet = false;
  po::options_description options("similarity options");
  // clang-format off
  options.add_options()
      ("format", po::value(&format_name)->default_value("auto"),
       "vector file format: auto, text, binary or glove")
      ("restrict", po::value(&lookup.restrict)->default_value(0),
       "only the N most frequent words (the first N rows) exist (0: all)")
      ("case-sensitive", po::bool_switch(&lookup.case_sensitive),
       "exact spelling only (default: the exact spelling, else its lowercase form)")
      ("json", po::bool_switch(&json), "one JSON object per pair (JSON Lines)")
      ("quiet", po::bool_switch(&quiet), "no notes on stderr");
  // clang-format on
  po::options_description positional_opts;
  // clang-format off
  positional_opts.add_options()
      ("vectors", po::value(&vectors_path), "")
      ("word", po::value(&words)->multitoken(), "");
  // clang-format on
  po::positional_options_description positional;
  positional.add("vectors", 1).add("word", -1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, usage,
          "Prints the cosine similarity of two words, as gensim's KeyedVectors.similarity:\n"
          "`WORD1 WORD2 COSINE`. A word is looked up by its exact spelling first, then by its\n"
          "lowercase form (with a note on stderr; --case-sensitive turns that off). With no\n"
          "words on the command line, pairs are read from stdin, `WORD1 WORD2` a line, or at\n"
          "a prompt when stdin is a terminal. A word not in the vocabulary is an error on\n"
          "stderr with spelling suggestions; the other pairs are still answered, and the exit\n"
          "code is 1.\n\n"
          "  wordspace similarity vectors.bin king queen\n"
          "  printf 'king queen\\ncat dog\\n' | wordspace similarity vectors.bin --json",
          options, positional, &vm, &positional_opts)) {
    return *exit;
  }
  if (vectors_path.empty()) return UsageError("a vector file is required", usage);
  if (!words.empty() && words.size() != 2) {
    return UsageError(absl::StrCat("give two words, not ", words.size(),
                                   " (or none, to read `WORD1 WORD2` lines from stdin)"),
                      usage);
  }
  if (lookup.restrict < 0) return UsageError("--restrict must be 0 or positive", usage);
  absl::StatusOr<embeddings::VectorFormat> format = embeddings::ParseVectorFormat(format_name);
  if (!format.ok()) return UsageError(std::string(format.status().message()), usage);
  absl::StatusOr<embeddings::WordVectors> vectors =
      embeddings::ReadVectors(vectors_path, *format, lookup.restrict);
  if (!vectors.ok()) return ReportError(vectors.status());

  // Each lowercase fallback is noted once per run, not once per pair.
  std::set<std::pair<std::string, std::string>> noted;
  auto note_folded = [&](const std::string& asked, const std::string& found) {
    if (quiet || asked == found || !noted.emplace(asked, found).second) return;
    std::cerr << "note: '" << asked << "' is not in the vocabulary; using '" << found << "'\n";
  };
  auto answer = [&](const std::vector<std::pair<std::string, std::string>>& pairs) {
    bool ok = true;
    const auto answers = eval::WordSimilarities(*vectors, pairs, lookup);
    for (size_t i = 0; i < answers.size(); ++i) {
      const std::string query = absl::StrCat(pairs[i].first, " ", pairs[i].second);
      if (!answers[i].ok()) {
        ok = false;
        if (json) {
          // As neighbors and analogy do: the failed query in the stream, in its place.
          std::cout << QueryErrorJson(query, answers[i].status()) << "\n";
        } else {
          ReportError(answers[i].status());
        }
        continue;
      }
      const eval::WordPairCosine& r = *answers[i];
      note_folded(pairs[i].first, r.a);
      note_folded(pairs[i].second, r.b);
      if (json) {
        std::cout << Dump({{"query", query},
                           {"words", Json::array({pairs[i].first, pairs[i].second})},
                           {"found", Json::array({r.a, r.b})},
                           {"cosine", JsonValue(r.cosine)}})
                  << "\n";
      } else {
        std::cout << absl::StrFormat("%s %s %.6f\n", pairs[i].first, pairs[i].second, r.cosine);
      }
    }
    std::cout << std::flush;
    return ok;
  };
  bool ok = true;
  if (!words.empty()) {
    ok = answer({{words[0], words[1]}});
  } else {
    ok = ForEachQueryBatch({}, "pair> ", [&](const std::vector<std::string>& lines) {
      bool lines_ok = true;
      std::vector<std::pair<std::string, std::string>> pairs;
      for (const std::string& line : lines) {
        std::vector<std::string> fields =
            absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
        if (fields.size() != 2) {
          std::cerr << "error: '" << line << "': expected two words `WORD1 WORD2`\n";
          lines_ok = false;
          continue;
        }
        pairs.emplace_back(fields[0], fields[1]);
      }
      return answer(pairs) && lines_ok;
    });
  }
  return ok && std::cout.good() ? 0 : 1;
}

const Registration kSimilarity{"similarity", "the cosine of two words (gensim's similarity)",
                               RunSimilarity};

}  // namespace
}  // namespace wordspace::tools
