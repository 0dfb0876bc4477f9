// JSON for every --json output (queries, evaluations, bias probes, inspection, training and
// benchmark summaries). A command builds a Json value and prints Dump(value): one line of compact
// JSON, so commands that answer one query a line print JSON Lines. The key names are one scheme
// across commands (README, "JSON keys").
//
//   Json out;
//   out["query"] = word;                      // strings: invalid UTF-8 becomes U+FFFD in Dump
//   out["measure"] = "cosine";
//   out["answers"].push_back({{"word", w}, {"score", JsonValue(score_as_float)}});
//   out["perplexity"] = JsonValue(ppl);       // null when NaN or infinite
//   std::printf("%s\n", Dump(out).c_str());   // {"query":"cat","measure":"cosine",...}
//
// Numbers print in their shortest round-trip form: a double as nlohmann-json writes it, a float
// through JsonValue(float) as the float's own shortest form (0.1f is 0.1, not
// 0.10000000149011612).
#ifndef WORDSPACE_BASE_JSON_H_
#define WORDSPACE_BASE_JSON_H_

#include <charconv>
#include <cmath>
#include <string>

#include "nlohmann/json.hpp"

namespace wordspace {

// Objects keep their keys in insertion order, so every output reads in the order written.
using Json = nlohmann::ordered_json;

// One line of compact JSON; invalid UTF-8 in a string becomes U+FFFD instead of an exception, so
// the output is valid JSON whatever the corpus held.
inline std::string Dump(const Json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

// `x` as a JSON value: null for NaN and infinity (JSON has neither; null reads as "undefined",
// e.g. a perplexity with no targets).
inline Json JsonValue(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

// A float as the double nearest to its shortest decimal form, which Dump then prints as that
// form; null for NaN and infinity.
inline Json JsonValue(float x) {
  if (!std::isfinite(x)) return Json(nullptr);
  char text[32];
  const auto printed = std::to_chars(text, text + sizeof(text), x);
  double value = x;
  std::from_chars(text, printed.ptr, value);
  return Json(value);
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_JSON_H_
