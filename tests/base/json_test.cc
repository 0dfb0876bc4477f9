// Tests for base/json.h.
#include "base/json.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace wordspace {
namespace {

TEST_CASE("JsonString quotes and escapes", "[base][json]") {
  CHECK(JsonString("cat") == "\"cat\"");
  CHECK(JsonString("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(JsonString("tab\there\nline") == "\"tab\\there\\nline\"");
  CHECK(JsonString(std::string("\x01", 1)) == "\"\\u0001\"");
  CHECK(JsonString("béta") == "\"béta\"");  // UTF-8 passes through
}

TEST_CASE("JsonArray joins formatted items; JsonStrings quotes each word", "[base][json]") {
  CHECK(JsonArray({}) == "[]");
  CHECK(JsonArray({"1"}) == "[1]");
  CHECK(JsonArray({"1", "2.5", "null"}) == "[1, 2.5, null]");
  CHECK(JsonStrings({}) == "[]");
  CHECK(JsonStrings({"a", "b\"c"}) == "[\"a\", \"b\\\"c\"]");
}

}  // namespace
}  // namespace wordspace
