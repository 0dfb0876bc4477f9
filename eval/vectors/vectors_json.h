// The --json forms of the vector queries, built in one place so that the commands (neighbors,
// analogy, map) and the web server (serve/) answer in the same keys (README, "JSON keys").
//
//   Json out = {{"query", q}, {"measure", "cosine"}, {"answers", AnswersJson(index, found)}};
//   Json map = MapJson(map, "vectors.bin");
#ifndef WORDSPACE_EVAL_VECTORS_VECTORS_JSON_H_
#define WORDSPACE_EVAL_VECTORS_VECTORS_JSON_H_

#include <string>
#include <vector>

#include "base/json.h"
#include "embeddings/vector_index.h"
#include "eval/vectors/word_map.h"

namespace wordspace::eval {

// A ranked list: [{"word": W, "score": S}, ...], best first; the object that holds it names the
// score with "measure".
Json AnswersJson(const embeddings::VectorIndex& index,
                 const std::vector<embeddings::Neighbor>& list);

// The "measure" of an analogy's scores: "3cosadd" or "3cosmul".
const char* AnalogyMeasure(embeddings::AnalogyMethod method);
// The --method an analogy echoes: "add" or "mul" (whichever spelling was given).
const char* AnalogyMethodName(embeddings::AnalogyMethod method);

// `wordspace map --json`: vectors (the file's name as given), variance_shares, missing and
// points (word, of, asked, cosine, x, y).
Json MapJson(const WordMap& map, const std::string& vectors_path);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_VECTORS_VECTORS_JSON_H_
