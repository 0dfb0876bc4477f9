#include "base/utf8.h"

#include <catch2/catch.hpp>
#include <string>

namespace wordspace {
namespace {

TEST_CASE("DecodeUtf8 reads one character and refuses invalid sequences", "[base]") {
  char32_t cp = 0;
  CHECK(DecodeUtf8("a", 0, &cp) == 1);
  CHECK(cp == U'a');
  CHECK(DecodeUtf8("\xC3\xA9", 0, &cp) == 2);  // é
  CHECK(cp == 0xE9);
  CHECK(DecodeUtf8("\xE2\x82\xAC", 0, &cp) == 3);  // €
  CHECK(cp == 0x20AC);
  CHECK(DecodeUtf8("\xF0\x9F\x98\x80", 0, &cp) == 4);  // 😀
  CHECK(cp == 0x1F600);
  CHECK(DecodeUtf8("\xC0\xAF", 0, &cp) == 0);          // overlong '/'
  CHECK(DecodeUtf8("\xED\xA0\x80", 0, &cp) == 0);      // a surrogate
  CHECK(DecodeUtf8("\xF4\x90\x80\x80", 0, &cp) == 0);  // above U+10FFFF
  CHECK(DecodeUtf8("\xE2\x82", 0, &cp) == 0);          // cut short
  CHECK(DecodeUtf8("\x80", 0, &cp) == 0);              // a lone continuation byte
}

TEST_CASE("AppendUtf8 encodes what DecodeUtf8 decodes", "[base]") {
  for (char32_t cp : {char32_t{0x41}, char32_t{0xE9}, char32_t{0x20AC}, char32_t{0x1F600}}) {
    std::string s;
    AppendUtf8(cp, &s);
    char32_t back = 0;
    REQUIRE(DecodeUtf8(s, 0, &back) == s.size());
    CHECK(back == cp);
  }
}

TEST_CASE("QuoteForMessage keeps text, escapes bytes that are not text, and cuts long fields",
          "[base]") {
  CHECK(QuoteForMessage("abc") == "'abc'");
  CHECK(QuoteForMessage("caf\xC3\xA9") == "'caf\xC3\xA9'");
  CHECK(QuoteForMessage(std::string("a\x1E\x97\n", 4)) == "'a\\x1E\\x97\\x0A'");
  CHECK(QuoteForMessage(std::string(50, 'x')) == "'" + std::string(40, 'x') + "...'");
  CHECK(QuoteForMessage("abcdef", 3) == "'abc...'");
  CHECK(QuoteForMessage("") == "''");
}

}  // namespace
}  // namespace wordspace
