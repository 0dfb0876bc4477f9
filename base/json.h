// JSON for the --json outputs of the query, bias, inspect, training and benchmark commands.
// A new output builds an nlohmann::json object (Json below) and prints Dump(object); the older
// ones assemble their text from these pieces:
//   JsonString: a JSON string literal for `s` (quotes and escapes included). UTF-8 passes
//               through, so words stay readable; a byte that is not valid UTF-8 becomes U+FFFD,
//               so the output is valid JSON whatever the corpus held.
//   JsonNumber: `x` printed like printf's "%.<precision>g", or `null` for NaN and infinity (JSON
//               has neither; null reads as "undefined", e.g. a perplexity with no targets).
//   JsonArray:  an array of already-formatted items; JsonStrings: an array of string literals.
//
//   JsonString("tab\there")  -> the 12 characters "tab\there" (quotes included)
//   JsonNumber(0.1, 10)      -> 0.1        JsonNumber(1.0 / 3) -> 0.333333
//   JsonArray({"1", "2.5"})  -> [1, 2.5]   JsonStrings({"a", "b"}) -> ["a", "b"]
#ifndef WORDSPACE_BASE_JSON_H_
#define WORDSPACE_BASE_JSON_H_

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace wordspace {

// Objects keep their keys in insertion order, so every output reads in the order written.
using Json = nlohmann::ordered_json;

// One line of compact JSON; invalid UTF-8 in a string becomes U+FFFD instead of an exception.
inline std::string Dump(const Json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

// `x` as a JSON value: null for NaN and infinity (see JsonNumber).
inline Json JsonValue(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

inline std::string JsonString(std::string_view s) { return Dump(Json(std::string(s))); }

// `items`, each already valid JSON, as one ", "-separated array.
inline std::string JsonArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  out += ']';
  return out;
}

// `words` as an array of JSON strings.
inline std::string JsonStrings(const std::vector<std::string>& words) {
  std::vector<std::string> quoted;
  quoted.reserve(words.size());
  for (const std::string& w : words) quoted.push_back(JsonString(w));
  return JsonArray(quoted);
}

// `precision` significant digits (6 is printf's default for %g; the commands that report
// statistics to compare across runs pass 10).
inline std::string JsonNumber(double x, int precision = 6) {
  if (!std::isfinite(x)) return "null";
  return absl::StrFormat("%.*g", precision, x);
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_JSON_H_
