// JSON helpers for the --json outputs of the query, bias, training and benchmark commands:
//   JsonString: a JSON string literal for `s` (quotes and escapes included). Bytes >= 0x80 pass
//               through, so UTF-8 words stay readable.
//   JsonNumber: `x` printed like printf's "%.<precision>g", or `null` for NaN and infinity (JSON
//               has neither; null reads as "undefined", e.g. a perplexity with no targets).
//
//   JsonString("tab\there")  -> the 12 characters "tab\there" (quotes included)
//   JsonNumber(0.1, 10)      -> 0.1        JsonNumber(1.0 / 3) -> 0.333333
#ifndef WORDSPACE_BASE_JSON_H_
#define WORDSPACE_BASE_JSON_H_

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "absl/strings/str_format.h"

namespace wordspace {

inline std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
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

// `precision` significant digits (6 is printf's default for %g; the commands that report
// statistics to compare across runs pass 10).
inline std::string JsonNumber(double x, int precision = 6) {
  if (!std::isfinite(x)) return "null";
  return absl::StrFormat("%.*g", precision, x);
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_JSON_H_
