// JSON pieces for the --json outputs of the query, bias, inspect and benchmark commands:
// JsonString, a string literal for `s` (quotes and escapes included; bytes >= 0x80 pass
// through, so UTF-8 words stay readable); JsonArray, an array of already-formatted items; and
// JsonStrings, an array of string literals.
//
//   JsonArray({"1", "2.5"})      // [1, 2.5]
//   JsonStrings({"a", "b\"c"})  // ["a", "b\"c"]
#ifndef WORDSPACE_BASE_JSON_H_
#define WORDSPACE_BASE_JSON_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

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

}  // namespace wordspace

#endif  // WORDSPACE_BASE_JSON_H_
