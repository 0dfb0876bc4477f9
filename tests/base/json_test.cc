// Tests for base/json.h.
#include "base/json.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
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
  CHECK(JsonString("a\tb\nc\rd") == "\"a\\tb\\nc\\rd\"");
  CHECK(JsonString(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
  CHECK(JsonString("") == "\"\"");
}

TEST_CASE("JsonString and Dump stay valid JSON for bytes that are not UTF-8", "[base][json]") {
  // A lone continuation byte and a truncated two-byte sequence each become U+FFFD.
  CHECK(JsonString(std::string("a\x80" "b", 3)) == "\"a\xEF\xBF\xBD" "b\"");
  CHECK(JsonString(std::string("\xC3", 1)) == "\"\xEF\xBF\xBD\"");
  Json object;
  object["word"] = std::string("\xFF");
  object["count"] = 3;
  object["perplexity"] = JsonValue(std::nan(""));
  CHECK(Dump(object) == "{\"word\":\"\xEF\xBF\xBD\",\"count\":3,\"perplexity\":null}");
}

TEST_CASE("JsonArray joins formatted items; JsonStrings quotes each word", "[base][json]") {
  CHECK(JsonArray({}) == "[]");
  CHECK(JsonArray({"1"}) == "[1]");
  CHECK(JsonArray({"1", "2.5", "null"}) == "[1, 2.5, null]");
  CHECK(JsonStrings({}) == "[]");
  CHECK(JsonStrings({"a", "b\"c"}) == "[\"a\", \"b\\\"c\"]");
}


TEST_CASE("JsonNumber prints %g at the given precision", "[base][json]") {
  CHECK(JsonNumber(1.0 / 3) == "0.333333");
  CHECK(JsonNumber(1.0 / 3, 10) == "0.3333333333");
  CHECK(JsonNumber(0.1, 10) == "0.1");
  CHECK(JsonNumber(2.0, 10) == "2");
  CHECK(JsonNumber(-1.5e-7, 4) == "-1.5e-07");
  CHECK(JsonNumber(123456789.0) == "1.23457e+08");
  CHECK(JsonNumber(123456789.0, 10) == "123456789");
  CHECK(JsonNumber(0.0) == "0");
}

TEST_CASE("JsonNumber writes null for what JSON cannot hold", "[base][json]") {
  CHECK(JsonNumber(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(JsonNumber(std::numeric_limits<double>::infinity(), 10) == "null");
  CHECK(JsonNumber(-std::numeric_limits<double>::infinity()) == "null");
  CHECK(JsonNumber(std::numeric_limits<double>::max(), 3) == "1.8e+308");
}

TEST_CASE("JsonValue prints doubles and floats in their shortest round-trip form", "[base][json]") {
  CHECK(Dump(JsonValue(0.1)) == "0.1");
  CHECK(Dump(JsonValue(1.0 / 3)) == "0.3333333333333333");
  CHECK(Dump(JsonValue(2.0)) == "2.0");
  // A float keeps its own shortest form, not the double's 17 digits.
  CHECK(Dump(Json(0.1f)) == "0.10000000149011612");
  CHECK(Dump(JsonValue(0.1f)) == "0.1");
  CHECK(Dump(JsonValue(0.70710677f)) == "0.70710677");
  CHECK(Dump(JsonValue(-1.5e-7f)) == "-1.5e-07");
  const float third = 1.0f / 3;
  CHECK(static_cast<float>(JsonValue(third).get<double>()) == third);  // round-trips
  CHECK(JsonValue(std::numeric_limits<float>::quiet_NaN()).is_null());
  CHECK(JsonValue(-std::numeric_limits<float>::infinity()).is_null());
}

}  // namespace
}  // namespace wordspace
