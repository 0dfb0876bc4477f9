// Hard debiasing (Bolukbasi et al., 2016, section 5; their code tolga-b/debiaswe, debias.py):
//  1. unit-normalise every vector;
//  2. g = the bias direction of the definitional pairs (eval/bias_direction.h);
//  3. neutralize: every word that is not in the gender-specific list loses its component along
//     g (w -= (w . g) g), then all vectors are normalised again;
//  4. equalize: for each equalize pair (a, b), in its lower, Title and UPPER case spellings as
//     debiaswe tries them, with both words in the vectors: y = mean(a, b) minus its g component,
//     z = sqrt(1 - |y|^2), a = y + z g and b = y - z g (z's sign keeps a on the side of g it was
//     on), so that a and b differ only along g and are equidistant from every neutral word;
//  5. normalise again.
// The result is unit-length vectors in which neutralized words have zero projection on g.
// With case_sensitive = false, a word is gender-specific when its ASCII lowercase form is that of
// a listed word (Bolukbasi's list is mixed case; corpora are often lowercase).
//
//   ASSIGN_OR_RETURN(DebiasReport report, HardDebias(&vectors, definitional, specific, equalize, {}));
//   RETURN_IF_ERROR(WriteVectors(vectors, "debiased.bin", VectorFormat::kBinary));
#ifndef WORDSPACE_EVAL_BIAS_DEBIAS_H_
#define WORDSPACE_EVAL_BIAS_DEBIAS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"
#include "eval/bias/bias_direction.h"
#include "eval/bias/bias_words.h"

namespace wordspace::eval {

struct DebiasOptions {
  bool case_sensitive = false;
  // Words whose projections on g the report gives before and after (looked up as LookupWord).
  std::vector<std::string> report_words;
};

// A report word's cosine with g before and after debiasing.
struct ProjectionShift {
  std::string word;  // as spelt in the vectors
  double before = 0;
  double after = 0;
};

struct DebiasReport {
  BiasDirection direction;            // g, from the normalised input vectors
  int64_t neutralized = 0;            // rows whose g component was removed
  int64_t specific = 0;               // rows kept as gender-specific
  std::vector<WordPair> equalized;    // pairs equalized, as spelt in the vectors
  std::vector<WordPair> not_found;    // equalize pairs with no spelling of both words present
  // |cos(w, g)| over the neutralized rows that equalize did not move, before and after.
  double mean_abs_projection_before = 0;
  double mean_abs_projection_after = 0;
  double max_abs_projection_after = 0;
  std::vector<ProjectionShift> words;      // options.report_words found, in their order
  std::vector<std::string> missing_words;  // options.report_words not in the vectors
};

// Python's str.title() on ASCII: a letter after a non-letter is uppercased, others lowercased
// ("catholic_priest" -> "Catholic_Priest"), as debiaswe spells its equalize candidates.
std::string AsciiTitle(std::string_view word);

// Debiases `vectors` in place (rows stay in place; words are unchanged). InvalidArgument as
// ComputeBiasDirection for unusable definitional pairs.
[[nodiscard]] absl::StatusOr<DebiasReport> HardDebias(embeddings::WordVectors* vectors,
                                                      std::span<const WordPair> definitional,
                                                      std::span<const std::string> specific,
                                                      std::span<const WordPair> equalize,
                                                      const DebiasOptions& options);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_BIAS_DEBIAS_H_
