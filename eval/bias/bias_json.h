// The --json form of `wordspace bias direction`, with the probe it reports (the direction, its
// extreme words and the projections of given words), in one place so that the command and the
// web server (serve/) compute and answer the same way (README, "JSON keys").
//
//   ASSIGN_OR_RETURN(DirectionProbe p, ProbeDirection(vectors, pairs, {"nurse"}, {}, 20, 30000));
//   std::cout << Dump(DirectionProbeJson(p, "vectors.bin")) << "\n";
#ifndef WORDSPACE_EVAL_BIAS_BIAS_JSON_H_
#define WORDSPACE_EVAL_BIAS_BIAS_JSON_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/json.h"
#include "embeddings/word_vectors.h"
#include "eval/bias/bias_direction.h"
#include "eval/bias/bias_words.h"

namespace wordspace::eval {

// [["a", "b"], ...] (an explicit array: nlohmann would read a list of string pairs as an object).
Json WordPairsJson(const std::vector<WordPair>& pairs);

struct DirectionProbe {
  BiasDirection direction;
  int64_t restrict = 0;                    // rows the extremes were searched among (0: all)
  std::vector<ProjectedWord> positive;     // the `top` largest projections, descending
  std::vector<ProjectedWord> negative;     // the `top` most negative, most negative first
  std::vector<ProjectedWord> words;        // the given words found, in their order
  std::vector<std::string> missing_words;  // the given words not in the vectors
};

// ComputeBiasDirection, then ExtremeProjections (when top > 0) and ProjectWords. Errors as
// ComputeBiasDirection.
[[nodiscard]] absl::StatusOr<DirectionProbe> ProbeDirection(
    const embeddings::WordVectors& vectors, std::span<const WordPair> pairs,
    std::span<const std::string> words, const DirectionOptions& options, int top,
    int64_t restrict);

// vectors, pairs_used, pairs_missing_words, variance_explained, variance_shares, restrict,
// top_positive, top_negative, words, missing (each projection a {word, projection}), direction.
Json DirectionProbeJson(const DirectionProbe& probe, const std::string& vectors_path);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_BIAS_BIAS_JSON_H_
