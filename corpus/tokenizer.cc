#include "corpus/tokenizer.h"

#include "base/utf8.h"

namespace wordspace::corpus {
namespace {

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
         cp == 0x00A0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0xFEFF;
}

bool IsPunct(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= '!' && cp <= '/') || (cp >= ':' && cp <= '@') || (cp >= '[' && cp <= '`') ||
           (cp >= '{' && cp <= '~');
  }
  return (cp >= 0x00A1 && cp <= 0x00BF && cp != 0x00AA && cp != 0x00B2 && cp != 0x00B3 &&
          cp != 0x00B5 && cp != 0x00B9 && cp != 0x00BA && cp != 0x00BC && cp != 0x00BD &&
          cp != 0x00BE) ||
         cp == 0x00D7 || cp == 0x00F7 || (cp >= 0x2010 && cp <= 0x2027) ||
         (cp >= 0x2030 && cp <= 0x205E) || (cp >= 0x3001 && cp <= 0x3003) ||
         (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301F) ||
         (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

bool IsCjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2EBEF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
         (cp >= 0xFF66 && cp <= 0xFF9F);
}

char32_t ToLower(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if ((cp >= 0x00C0 && cp <= 0x00DE && cp != 0x00D7) || (cp >= 0x0391 && cp <= 0x03AB) ||
      (cp >= 0x0410 && cp <= 0x042F)) {
    return cp + 32;
  }
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 80;
  if (cp >= 0x0100 && cp <= 0x017F) {
    // Latin Extended-A pairs capitals and smalls as even/odd, except in 0x0139-0x0148 and
    // 0x0179-0x017E where the capital is the odd one.
    bool odd_capital = (cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E);
    if (cp == 0x0130 || cp == 0x0131 || cp == 0x0138 || cp == 0x0149 || cp == 0x017F) return cp;
    if (odd_capital ? (cp % 2 == 1) : (cp % 2 == 0)) return cp + 1;
  }
  return cp;
}

}  // namespace

size_t Tokenizer::Tokenize(std::string_view line, std::vector<std::string_view>* words,
                           size_t* first_invalid) {
  words->clear();
  normalized_.clear();
  size_t invalid = 0;
  const bool rewrite = options_.lowercase || options_.strip_punct || options_.split_cjk;

  // Fast path: plain ASCII text needing no rewriting is split in place.
  // Otherwise each character is decoded and the normalised text is built in normalized_, with
  // a '\0' between tokens, then sliced. Offsets are recorded because normalized_ may grow.
  auto& spans = spans_;
  spans.clear();
  size_t token_start = std::string::npos;
  auto end_token = [&] {
    if (token_start != std::string::npos && normalized_.size() > token_start) {
      spans.emplace_back(token_start, normalized_.size() - token_start);
    }
    token_start = std::string::npos;
  };

  size_t i = 0;
  while (i < line.size()) {
    const auto byte = static_cast<unsigned char>(line[i]);
    char32_t cp;
    size_t len;
    if (byte < 0x80) {
      cp = byte;
      len = 1;
    } else {
      len = DecodeUtf8(line, i, &cp);
      if (len == 0) {
        if (invalid == 0 && first_invalid != nullptr) *first_invalid = i;
        ++invalid;
        ++i;
        continue;
      }
    }
    i += len;
    if (IsSpace(cp) || (options_.strip_punct && IsPunct(cp))) {
      end_token();
      continue;
    }
    if (options_.split_cjk && IsCjk(cp)) {
      end_token();
      token_start = normalized_.size();
      AppendUtf8(cp, &normalized_);
      end_token();
      continue;
    }
    if (token_start == std::string::npos) token_start = normalized_.size();
    if (!rewrite && len == 1) {
      normalized_.push_back(static_cast<char>(cp));
    } else {
      AppendUtf8(options_.lowercase ? ToLower(cp) : cp, &normalized_);
    }
  }
  end_token();
  words->reserve(spans.size());
  for (auto [start, size] : spans) words->emplace_back(normalized_.data() + start, size);
  return invalid;
}

}  // namespace wordspace::corpus
