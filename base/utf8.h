// UTF-8: the one decoder and encoder (RFC 3629) that the tokenizer, the SVG writer and error
// messages share, and a quoting of untrusted bytes for messages.
//
//   char32_t cp;
//   size_t len = DecodeUtf8(text, i, &cp);   // 0: not valid UTF-8 at i
//   absl::StrCat(path, ": bad number ", QuoteForMessage(field));
#ifndef WORDSPACE_BASE_UTF8_H_
#define WORDSPACE_BASE_UTF8_H_

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace wordspace {

// Decodes one UTF-8 character at s[i]; returns its length (1-4) and the code point, or 0 for
// an invalid sequence (overlong forms, surrogates and values above U+10FFFF are invalid).
inline size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  char32_t value;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    value = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    value = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    value = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMinForLength[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinForLength[len] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *cp = value;
  return len;
}

inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Code points in valid UTF-8 `s` (continuation bytes not counted): the width of a label.
inline size_t Utf8Length(std::string_view s) {
  size_t count = 0;
  for (unsigned char c : s) count += (c & 0xC0) != 0x80;
  return count;
}

// `s` in single quotes for an error message, safe to print on a terminal: valid printable
// UTF-8 is kept, every control character or invalid byte is shown as \xNN, and past
// `max_chars` characters the rest is cut to "...". A message that quotes a field of a file
// given in the wrong format (a checkpoint read as vectors) then stays one readable line.
inline std::string QuoteForMessage(std::string_view s, size_t max_chars = 40) {
  std::string out = "'";
  size_t shown = 0;
  for (size_t i = 0; i < s.size(); ++shown) {
    if (shown == max_chars) {
      out += "...";
      break;
    }
    char32_t cp = 0;
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
      char hex[5];
      std::snprintf(hex, sizeof(hex), "\\x%02X", static_cast<unsigned char>(s[i]));
      out += hex;
      i += len == 0 ? 1 : len;  // a control character is one byte
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out + "'";
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_UTF8_H_
