// Tests for base/json.h.
#include "base/json.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace wordspace {
namespace {

TEST_CASE("Dump writes one line of compact JSON, keys in insertion order", "[base][json]") {
  Json object;
  object["query"] = "tab\there\nline";
  object["answers"] = Json::array();
  object["answers"].push_back({{"word", "béta"}, {"score", 0.5}});  // UTF-8 passes through
  object["count"] = 3;
  object["ok"] = true;
  CHECK(Dump(object) ==
        "{\"query\":\"tab\\there\\nline\",\"answers\":[{\"word\":\"béta\",\"score\":0.5}],"
        "\"count\":3,\"ok\":true}");
  CHECK(Dump(Json(std::string("\x01\x1f", 2))) == "\"\\u0001\\u001f\"");
  CHECK(Dump(Json("a\"b\\c")) == "\"a\\\"b\\\\c\"");
}

TEST_CASE("Dump stays valid JSON for bytes that are not UTF-8", "[base][json]") {
  // A lone continuation byte and a truncated two-byte sequence each become U+FFFD.
  CHECK(Dump(Json(std::string("a\x80" "b", 3))) == "\"a\xEF\xBF\xBD" "b\"");
  CHECK(Dump(Json(std::string("\xC3", 1))) == "\"\xEF\xBF\xBD\"");
  Json object;
  object["word"] = std::string("\xFF");
  object["count"] = 3;
  object["perplexity"] = JsonValue(std::nan(""));
  CHECK(Dump(object) == "{\"word\":\"\xEF\xBF\xBD\",\"count\":3,\"perplexity\":null}");
}

TEST_CASE("JsonValue writes null for what JSON cannot hold", "[base][json]") {
  CHECK(JsonValue(std::numeric_limits<double>::quiet_NaN()).is_null());
  CHECK(JsonValue(std::numeric_limits<double>::infinity()).is_null());
  CHECK(JsonValue(-std::numeric_limits<float>::infinity()).is_null());
  CHECK(JsonValue(std::numeric_limits<float>::quiet_NaN()).is_null());
  CHECK(Dump(JsonValue(std::numeric_limits<double>::max())) == "1.7976931348623157e+308");
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
}

}  // namespace
}  // namespace wordspace
