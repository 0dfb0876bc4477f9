#include "eval/vectors/vectors_json.h"

namespace wordspace::eval {

Json AnswersJson(const embeddings::VectorIndex& index,
                 const std::vector<embeddings::Neighbor>& list) {
  Json answers = Json::array();
  for (const embeddings::Neighbor& n : list) {
    answers.push_back({{"word", index.word(n.row)}, {"score", JsonValue(n.score)}});
  }
  return answers;
}

const char* AnalogyMeasure(embeddings::AnalogyMethod method) {
  return method == embeddings::AnalogyMethod::kAdd ? "3cosadd" : "3cosmul";
}

const char* AnalogyMethodName(embeddings::AnalogyMethod method) {
  return method == embeddings::AnalogyMethod::kAdd ? "add" : "mul";
}

Json MapJson(const WordMap& map, const std::string& vectors_path) {
  Json points = Json::array();
  for (const auto& p : map.points) {
    // "asked": the point is a word given on the command line, not one of its neighbours.
    points.push_back({{"word", p.word},
                      {"of", map.queries[p.group]},
                      {"asked", p.query},
                      {"cosine", JsonValue(p.cosine)},
                      {"x", JsonValue(p.x)},
                      {"y", JsonValue(p.y)}});
  }
  Json out;
  out["vectors"] = vectors_path;
  out["variance_shares"] =
      Json::array({JsonValue(map.variance_share[0]), JsonValue(map.variance_share[1])});
  out["missing"] = map.missing;
  out["points"] = std::move(points);
  return out;
}

}  // namespace wordspace::eval
