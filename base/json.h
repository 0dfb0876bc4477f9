// JSON pieces for the --json outputs of the query, bias, inspect, training and benchmark
// commands:
//   JsonString: a JSON string literal for `s` (quotes and escapes included). Bytes >= 0x80 pass
//               through, so UTF-8 words stay readable.
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

namespace wordspace {

inline std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

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
