// Word-similarity benchmark (WordSim-353, SimLex-999, RG-65): Spearman's rho between the
// file's human scores and the cosines of the word pairs, as gensim's
// KeyedVectors.evaluate_word_pairs computes it (scipy.stats.spearmanr: tied values get the
// average of their ranks). Pairs with a word outside the first `restrict` rows are skipped and
// counted; words match case-insensitively by default (a folded word is its first row).
//
//   ASSIGN_OR_RETURN(auto pairs, ReadSimilarityPairs("wordsim353.tsv"));
//   ASSIGN_OR_RETURN(SimilarityReport r, EvaluateSimilarity(vectors, pairs, {}));
//
// Also the cosine of two words, gensim's KeyedVectors.similarity (`wordspace similarity`):
//   std::vector<std::pair<std::string, std::string>> asked = {{"king", "queen"}};
//   auto answers = WordSimilarities(vectors, asked, {});   // answers[0]->cosine
#ifndef WORDSPACE_EVAL_VECTORS_SIMILARITY_EVAL_H_
#define WORDSPACE_EVAL_VECTORS_SIMILARITY_EVAL_H_

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
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
  // Words outside the vocabulary get the vector of their character n-grams when the vectors
  // have them (a fastText model: WordVectors::NgramVector), as gensim's FastTextKeyedVectors
  // answers them, instead of their pair being skipped.
  bool ngrams = false;
};

struct SimilarityReport {
  double spearman = 0;  // NaN when fewer than 2 pairs or either side is constant
  double pearson = 0;
  // Two-sided p-values of the two correlations (CorrelationPValue), as scipy's spearmanr and
  // pearsonr report them beside gensim's evaluate_word_pairs figures.
  double spearman_p = std::numeric_limits<double>::quiet_NaN();
  double pearson_p = std::numeric_limits<double>::quiet_NaN();
  // The cosine of the one pair used when pairs_used == 1, else NaN: a rank correlation of one
  // pair is undefined, but its cosine is what a user with one pair wants to see.
  double cosine = std::numeric_limits<double>::quiet_NaN();
  int64_t pairs_used = 0;
  int64_t pairs_total = 0;
  int64_t pairs_from_ngrams = 0;  // of the pairs used: those with a word answered from n-grams
  std::vector<SimilarityPair> skipped;  // pairs with a word out of the vocabulary
};

// Cosines of the pairs' vectors (any norm), ranked against the human scores.
// InvalidArgument when no pair has both words in the vocabulary.
[[nodiscard]] absl::StatusOr<SimilarityReport> EvaluateSimilarity(
    const embeddings::WordVectors& vectors, std::span<const SimilarityPair> pairs,
    const SimilarityEvalOptions& options);

// The cosine of rows `a` and `b` (any norm), summed in double; 0 when either is the zero vector.
double RowCosine(const embeddings::WordVectors& vectors, int64_t a, int64_t b);
// The same for two vectors of equal length.
double VectorCosine(std::span<const float> a, std::span<const float> b);

struct WordPairCosine {
  std::string a, b;  // the spellings found: the asked ones, or their lowercase forms
  int64_t row_a = -1, row_b = -1;
  double cosine = 0;
};

// The cosine of each pair of words (gensim's KeyedVectors.similarity), one answer per pair.
// A word is looked up by its exact spelling first, then (unless options.case_sensitive) by its
// folded form, whose first row wins, as in EvaluateSimilarity; only the first
// options.restrict rows exist. A pair with a word outside them gets NotFound naming the word,
// with up to five spellings it may have meant.
std::vector<absl::StatusOr<WordPairCosine>> WordSimilarities(
    const embeddings::WordVectors& vectors,
    std::span<const std::pair<std::string, std::string>> pairs,
    const SimilarityEvalOptions& options);

// Ranks from 1, ties given the average of the ranks they span (scipy.stats.rankdata).
std::vector<double> AverageRanks(std::span<const double> values);
// Spearman's rho: the Pearson correlation of the average ranks. NaN for n < 2 or no variance.
double SpearmanRho(std::span<const double> x, std::span<const double> y);
double PearsonR(std::span<const double> x, std::span<const double> y);
// The two-sided p-value of a correlation `r` over `n` pairs under the hypothesis of none, as
// scipy.stats.pearsonr and spearmanr give it: P(|T| >= |t|) for Student's t with n - 2 degrees
// of freedom and t = r sqrt((n - 2) / (1 - r^2)), which is the regularised incomplete beta
// function I_{1-r^2}((n-2)/2, 1/2). 1 for n = 2 (two points always lie on a line), 0 for
// |r| = 1 with n > 2, NaN for a NaN r or n < 2.
double CorrelationPValue(double r, int64_t n);
// The regularised incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1], from its
// continued fraction (Lentz's method) to about 1e-14 relative error.
double RegularizedIncompleteBeta(double a, double b, double x);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_VECTORS_SIMILARITY_EVAL_H_
