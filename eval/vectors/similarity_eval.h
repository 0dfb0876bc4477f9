// Word-similarity benchmark (WordSim-353, SimLex-999, RG-65): Spearman's rho between the
// file's human scores and the cosines of the word pairs, as gensim's
// KeyedVectors.evaluate_word_pairs computes it (scipy.stats.spearmanr: tied values get the
// average of their ranks). Pairs with a word outside the first `restrict` rows are skipped and
// counted; words match case-insensitively by default (a folded word is its first row).
//
//   ASSIGN_OR_RETURN(auto pairs, ReadSimilarityPairs("wordsim353.tsv"));
//   ASSIGN_OR_RETURN(SimilarityReport r, EvaluateSimilarity(vectors, pairs, {}));
#ifndef WORDSPACE_EVAL_VECTORS_SIMILARITY_EVAL_H_
#define WORDSPACE_EVAL_VECTORS_SIMILARITY_EVAL_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"

namespace wordspace::eval {

struct SimilarityPair {
  std::string a, b;
  double score = 0;
  int64_t line = 0;  // in the file, from 1
};

// Reads `word1 word2 score` lines, tab or space separated; lines starting with '#' and blank
// lines are skipped; plain or gzip. NotFound for a missing file; InvalidArgument names
// `path:line` for a line without three fields or with a score that is not a number, and `path`
// for a file with no pairs or a folder; DataLoss for a damaged gzip stream.
[[nodiscard]] absl::StatusOr<std::vector<SimilarityPair>> ReadSimilarityPairs(
    const std::string& path);

struct SimilarityEvalOptions {
  bool case_sensitive = false;
  int64_t restrict = 0;  // only the first rows count (0: all), as gensim's restrict_vocab
};

struct SimilarityReport {
  double spearman = 0;  // NaN when fewer than 2 pairs or either side is constant
  double pearson = 0;
  int64_t pairs_used = 0;
  int64_t pairs_total = 0;
  std::vector<SimilarityPair> skipped;  // pairs with a word out of the vocabulary
};

// Cosines of the pairs' vectors (any norm), ranked against the human scores.
// InvalidArgument when no pair has both words in the vocabulary.
[[nodiscard]] absl::StatusOr<SimilarityReport> EvaluateSimilarity(
    const embeddings::WordVectors& vectors, std::span<const SimilarityPair> pairs,
    const SimilarityEvalOptions& options);

// Ranks from 1, ties given the average of the ranks they span (scipy.stats.rankdata).
std::vector<double> AverageRanks(std::span<const double> values);
// Spearman's rho: the Pearson correlation of the average ranks. NaN for n < 2 or no variance.
double SpearmanRho(std::span<const double> x, std::span<const double> y);
double PearsonR(std::span<const double> x, std::span<const double> y);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_VECTORS_SIMILARITY_EVAL_H_
