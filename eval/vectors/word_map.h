// `wordspace map`: a 2-D map of some words and their nearest neighbours in a
// vector file, by principal components of the vectors shown (the picture of the
// neighbourhoods the cosines describe: cat near dog, kitten, pet).
//
//   ASSIGN_OR_RETURN(WordMap map, MapWords(vectors, {"cat", "king"}, 8));
//   for (const MapPoint& p : map.points) ... p.x, p.y
#ifndef WORDSPACE_EVAL_VECTORS_WORD_MAP_H_
#define WORDSPACE_EVAL_VECTORS_WORD_MAP_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "embeddings/word_vectors.h"

namespace wordspace::eval {

struct MapPoint {
  std::string word;
  double x = 0, y = 0;  // on PC1, PC2 of the points shown
  int group = 0;        // index of the query word it belongs to (its own or as a neighbour)
  bool query = false;
  double cosine = 1;  // with its query word
};

struct WordMap {
  std::vector<std::string> queries;
  std::vector<std::string> missing;  // query words not in the vectors
  // Query words found only in lowercase, {asked, used} (queries holds the lowercase form).
  std::vector<std::pair<std::string, std::string>> lowercased;
  std::vector<MapPoint> points;      // each query word, then its neighbours by cosine
  double variance_share[2] = {0, 0};
};

// Neighbours by cosine over all rows (or the first `restrict` when > 0), the
// query itself excluded; a word already shown (as a query or another's
// neighbour) is not repeated. InvalidArgument when no query word is in the
// vectors. A word not in the vectors as spelled is looked up in lowercase unless
// `case_sensitive` (the case policy of every command).
[[nodiscard]] absl::StatusOr<WordMap> MapWords(const embeddings::WordVectors& vectors,
                                               const std::vector<std::string>& words, int neighbors,
                                               int64_t restrict = 0, bool case_sensitive = false);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_VECTORS_WORD_MAP_H_
