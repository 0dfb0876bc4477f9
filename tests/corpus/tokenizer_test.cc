#include "corpus/tokenizer.h"

#include <catch2/catch.hpp>

namespace wordspace::corpus {
namespace {

std::vector<std::string> Tokens(Tokenizer& tok, std::string_view line, size_t* invalid = nullptr,
                                size_t* first_invalid = nullptr) {
  std::vector<std::string_view> views;
  size_t bad = tok.Tokenize(line, &views, first_invalid);
  if (invalid != nullptr) *invalid = bad;
  return std::vector<std::string>(views.begin(), views.end());
}

using V = std::vector<std::string>;

TEST_CASE("splits on any run of white space", "[corpus]") {
  Tokenizer tok({});
  CHECK(Tokens(tok, "  the  cat\tsat\r") == V{"the", "cat", "sat"});
  CHECK(Tokens(tok, "").empty());
  CHECK(Tokens(tok, " \t ").empty());
  // Unicode spaces (no-break space, ideographic space) separate words too.
  CHECK(Tokens(tok, "a\u00A0b\u3000c") == V{"a", "b", "c"});
}

TEST_CASE("keeps case and punctuation unless asked", "[corpus]") {
  Tokenizer plain({});
  CHECK(Tokens(plain, "The Cat, sat.") == V{"The", "Cat,", "sat."});
  Tokenizer lower({.lowercase = true});
  CHECK(Tokens(lower, "The ÉCOLE Straße ΑΘΗΝΑ Москва") ==
        V{"the", "école", "straße", "αθηνα", "москва"});
  Tokenizer strip({.strip_punct = true});
  CHECK(Tokens(strip, "don't stop—now, «ok»!") == V{"don", "t", "stop", "now", "ok"});
}

TEST_CASE("CJK characters become tokens of their own with --split-cjk", "[corpus]") {
  Tokenizer tok({.split_cjk = true});
  CHECK(Tokens(tok, "我爱北京 tokyo東京です") ==
        V{"我", "爱", "北", "京", "tokyo", "東", "京", "で", "す"});
  Tokenizer off({});
  CHECK(Tokens(off, "我爱北京") == V{"我爱北京"});
}

TEST_CASE("invalid UTF-8 bytes are dropped, counted and located", "[corpus]") {
  Tokenizer tok({});
  size_t invalid = 0, first = 99;
  // \xff is never valid; \xe4\xb8 is a cut 3-byte character; \xc0\xaf an overlong '/'.
  V words = Tokens(tok, "ok caf\xc3\xa9 b\xff" "ad \xe4\xb8 x\xc0\xafy", &invalid, &first);
  CHECK(words == V{"ok", "café", "bad", "xy"});
  CHECK(invalid == 5);
  CHECK(first == 10);
}

TEST_CASE("words are never cut inside a character", "[corpus]") {
  Tokenizer tok({.strip_punct = true, .split_cjk = true});
  for (const std::string& w : Tokens(tok, "naïve—日本 𝄞music")) {
    // Every token must itself be valid UTF-8: re-tokenizing it reports no invalid bytes.
    Tokenizer check({});
    size_t invalid = 0;
    Tokens(check, w, &invalid);
    CHECK(invalid == 0);
  }
}

}  // namespace
}  // namespace wordspace::corpus
