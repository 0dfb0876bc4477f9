// `wordspace map VECTORS word... [--neighbors K] --svg FILE`: a 2-D map (principal components)
// of some words and their nearest neighbours in a vector file (eval/vectors/word_map.h).
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "embeddings/vector_io.h"
#include "eval/lm/inspect_svg.h"
#include "eval/vectors/vectors_json.h"
#include "eval/vectors/word_map.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"
#include "tools/query_common.h"

namespace wordspace::tools {
namespace {

int RunMap(int argc, char** argv) {
  const std::string usage =
      "wordspace map VECTORS word... [--k 8] [--svg FILE] [--json] [--restrict N]";
  std::string vectors_path, svg_path, format_name = "auto";
  std::vector<std::string> words;
  int neighbors = 8;
  int64_t restrict = 0;
  bool json = false, case_sensitive = false, quiet = false;
  po::options_description options("map options");
  // clang-format off
  options.add_options()
      ("vectors", po::value(&vectors_path), "vector file (word2vec text/binary, GloVe; gzip ok)")
      ("words", po::value(&words)->composing(), "the words to map (also as bare arguments)")
      ("k", po::value(&neighbors)->default_value(8), "nearest neighbours shown per word (8 keeps a map of several words legible)")
      ("restrict", po::value(&restrict)->default_value(kQueryRestrict), "neighbours from the first N words only (0: all)")
      ("format", po::value(&format_name)->default_value("auto"), "vector format: auto, text, binary or glove")
      ("svg", po::value(&svg_path), "draw the map into this SVG file")
      ("json", po::bool_switch(&json), "machine-readable output")
      ("case-sensitive", po::bool_switch(&case_sensitive), "exact spelling only (default: a word not in the vectors is tried in lowercase, with a note)")
      ("quiet", po::bool_switch(&quiet), "no notes on stderr");
  // clang-format on
  po::positional_options_description positional;
  positional.add("vectors", 1).add("words", -1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, usage,
          "A 2-D map of the given words and their nearest neighbours (by cosine) in a vector\n"
          "file: the first two principal components of the vectors shown. The table lists the\n"
          "coordinates; --svg draws the map, each word's neighbourhood in its own colour.\n\n"
          "  wordspace map vectors.bin cat king paris --k 8 --svg map.svg",
          options, positional, &vm, nullptr, {{"neighbors", "k"}})) {
    return *exit;
  }
  if (vectors_path.empty() || words.empty()) {
    return UsageError("VECTORS and at least one word are required", usage);
  }
  if (neighbors < 0) {
    return UsageError("--k must not be negative", usage);
  }
  if (!svg_path.empty()) {
    if (absl::Status s = OutputFile::CheckCanCreate(svg_path); !s.ok()) return ReportError(s);
  }
  auto format = embeddings::ParseVectorFormat(format_name);
  if (!format.ok()) return ReportError(format.status());
  if (auto exit = CheckInputs({{vectors_path, corpus::FileRole::kVectors}})) return *exit;
  auto vectors = embeddings::ReadVectors(vectors_path, *format);
  if (!vectors.ok()) return ReportError(vectors.status());
  auto map = eval::MapWords(*vectors, words, neighbors, restrict, case_sensitive);
  if (!map.ok()) return ReportError(map.status());
  if (!quiet && !map->lowercased.empty()) {
    const auto& [asked, used] = map->lowercased.front();
    std::cerr << "note: '" << asked << "' is not in the vocabulary; using '" << used
              << "' (--case-sensitive: exact spelling only)\n";
  }
  if (json) {
    std::cout << Dump(eval::MapJson(*map, vectors_path)) << "\n";
  } else {
    std::cout << absl::StrFormat(
        "map of %s: PC1 and PC2 explain %.0f%% and %.0f%% of the variance of the %d words\n",
        vectors_path, 100 * map->variance_share[0], 100 * map->variance_share[1],
        map->points.size());
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : map->points) {
      rows.push_back({p.query ? p.word + " *" : p.word, map->queries[p.group],
                      absl::StrFormat("%.3f", p.cosine), absl::StrFormat("%.3f", p.x),
                      absl::StrFormat("%.3f", p.y)});
    }
    std::cout << FormatTable({"word (* = asked)", "neighbour of", "cosine", "PC1", "PC2"}, rows,
                             {false, false, true, true, true});
    if (!map->missing.empty()) {
      std::cout << "not in the vectors: " << absl::StrJoin(map->missing, " ") << "\n";
    }
  }
  if (!svg_path.empty()) {
    if (absl::Status s = eval::MapSvg(*map).WriteFile(svg_path); !s.ok()) return ReportError(s);
    if (!json) std::cout << "\npicture: " << svg_path << "\n";
  }
  return 0;
}

const Registration kMap{"map", "a 2-D map of words and their neighbours (PCA), as an SVG", RunMap};

}  // namespace
}  // namespace wordspace::tools
