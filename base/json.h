// JsonString: a JSON string literal for `s` (quotes and escapes included), for the --json
// outputs of the query, bias and benchmark commands. Bytes >= 0x80 pass through, so UTF-8
// words stay readable.
#ifndef WORDSPACE_BASE_JSON_H_
#define WORDSPACE_BASE_JSON_H_

#include <cstdio>
#include <string>
#include <string_view>

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

}  // namespace wordspace

#endif  // WORDSPACE_BASE_JSON_H_
