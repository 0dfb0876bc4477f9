// A bias direction in a word space (Bolukbasi et al., 2016, "Man is to Computer Programmer as
// Woman is to Homemaker?"), computed as their code (tolga-b/debiaswe, we.doPCA) does:
// unit-normalise the vectors, centre each definitional pair (a, b) on its mean c, stack the rows
// a - c and b - c, and take the first principal component of that matrix. Its share of the
// variance says how well one direction captures the pairs (Bolukbasi et al., Fig. 6: about 60%
// for the first of 10 components on word2vec GoogleNews). A single pair (he, she) gives the
// normalised difference of the two unit vectors, with 100% of the variance.
//
// The sign of a principal component is arbitrary; we orient the direction from the second word
// of each pair towards the first (sum over pairs of (a - b) . g > 0). With Bolukbasi's
// definitional_pairs.tsv (`woman man`, `she he`, ...) positive projections are the female side.
//
//   ASSIGN_OR_RETURN(BiasDirection g, ComputeBiasDirection(vectors, pairs, {}));
//   double p = Projection(vectors, vectors.Find("nurse"), g.direction);   // cosine with g
#ifndef WORDSPACE_EVAL_BIAS_BIAS_DIRECTION_H_
#define WORDSPACE_EVAL_BIAS_BIAS_DIRECTION_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"
#include "eval/bias/bias_words.h"

namespace wordspace::eval {

struct DirectionOptions {
  bool case_sensitive = false;  // see LookupWord
  int components = 10;          // variance shares reported (debiaswe's doPCA uses 10)
};

struct BiasDirection {
  std::vector<double> direction;        // unit length, dim entries
  std::vector<double> variance_shares;  // first `components` eigenvalues / total variance
  std::vector<WordPair> used_pairs;     // pairs found, as spelt in the vectors
  std::vector<std::string> missing;     // words not in the vectors (their pairs are left out)
};

// The first principal component of the centred pairs. InvalidArgument when no pair has both
// words in the vectors, or when the pairs' vectors do not differ (no direction).
[[nodiscard]] absl::StatusOr<BiasDirection> ComputeBiasDirection(
    const embeddings::WordVectors& vectors, std::span<const WordPair> pairs,
    const DirectionOptions& options);

// Cosine between `v` and the unit `direction` (0 for a zero vector).
double Projection(std::span<const float> v, std::span<const double> direction);
// Cosine between row `row` and the unit `direction` (0 for a zero row).
double Projection(const embeddings::WordVectors& vectors, int64_t row,
                  std::span<const double> direction);

struct ProjectedWord {
  std::string word;
  double projection = 0;
};

// The projections of `words` (looked up as LookupWord does), in their order, as spelt in the
// query; the words not in the vectors go to *missing.
std::vector<ProjectedWord> ProjectWords(const embeddings::WordVectors& vectors,
                                        std::span<const std::string> words,
                                        std::span<const double> direction, bool case_sensitive,
                                        std::vector<std::string>* missing);

// The `top` words with the largest positive projections (descending) and the `top` with the
// largest negative ones (most negative first), among the first `restrict` rows (0: all).
void ExtremeProjections(const embeddings::WordVectors& vectors, std::span<const double> direction,
                        int top, int64_t restrict, std::vector<ProjectedWord>* positive,
                        std::vector<ProjectedWord>* negative);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_BIAS_BIAS_DIRECTION_H_
