// base/svg.h: XML escaping keeps any byte string valid UTF-8 XML; the document is well formed.
#include "base/svg.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "tests/testing/temp_dir.h"

namespace wordspace {
namespace {

TEST_CASE("XmlEscape escapes markup and keeps valid UTF-8", "[base][svg]") {
  CHECK(XmlEscape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  CHECK(XmlEscape("café ∑ 😀") == "café ∑ 😀");
  CHECK(XmlEscape("tab\there") == "tab\there");
  CHECK(XmlEscape(std::string("nul\0bell\x07", 9)) == "nulbell");
}

TEST_CASE("XmlEscape replaces invalid UTF-8 by U+FFFD", "[base][svg]") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(XmlEscape("\xFF") == fffd);
  CHECK(XmlEscape("a\xC3") == "a" + fffd);                            // truncated sequence
  CHECK(XmlEscape("\xC0\xAF") == fffd + fffd);                        // overlong '/'
  CHECK(XmlEscape("\xED\xA0\x80") == fffd + fffd + fffd);             // a surrogate
  CHECK(XmlEscape("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // above U+10FFFF
  CHECK(XmlEscape("\xEF\xBF\xBE") == fffd + fffd + fffd);  // U+FFFE is not an XML character
  CHECK(XmlEscape("\xC3\xA9\x80") == "\xC3\xA9" + fffd);   // stray continuation byte
}

TEST_CASE("Colour scales and widths", "[base][svg]") {
  CHECK(ScaleColor(0) == "#440154");
  CHECK(ScaleColor(1) == "#fde725");
  CHECK(ScaleColor(-3) == ScaleColor(0));
  CHECK(ScaleColor(std::nan("")) == "#cccccc");
  CHECK(CategoryColor(0) != CategoryColor(1));
  CHECK(CategoryColor(10) == CategoryColor(0));
  CHECK(Utf8Length("béta") == 4);
  CHECK(SvgDocument::Num(1.5) == "1.5");
  CHECK(SvgDocument::Num(2.0) == "2");
  CHECK(SvgDocument::Num(-0.001) == "0");
}

TEST_CASE("An SVG document is written whole, with titles on shapes", "[base][svg]") {
  SvgDocument svg(100, 50, "a <test>");
  svg.Rect(1, 2, 3, 4, "#ff0000", "none", "tip & more");
  svg.Circle(5, 5, 2, "#00ff00");
  svg.Text(10, 20, "bank\xFF", SvgText().Size(10).Anchor("middle").Bold().Rotate(-45));
  svg.ColorLegend(60, 10, 10, 30, "0", "1", "weight");
  const std::string doc = svg.Finish();
  CHECK(doc.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=", 0) == 0);
  CHECK(doc.find("<title>a &lt;test&gt;</title>") != std::string::npos);
  CHECK(doc.find("<title>tip &amp; more</title></rect>") != std::string::npos);
  CHECK(doc.find("bank\xEF\xBF\xBD</text>") != std::string::npos);
  CHECK(doc.find("rotate(-45 10 20)") != std::string::npos);
  CHECK(doc.substr(doc.size() - 7) == "</svg>\n");

  testing::TempDir dir;
  const std::string path = dir.File("a.svg");
  REQUIRE(svg.WriteFile(path).ok());
  std::ifstream in(path, std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) == doc);
  CHECK(!svg.WriteFile(dir.File("missing/a.svg")).ok());
  CHECK(dir.EntryCount() == 1);
}

}  // namespace
}  // namespace wordspace
