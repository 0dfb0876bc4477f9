// SvgDocument: a small writer of self-contained SVG pictures (the --svg outputs of `inspect` and
// `map`): rectangles, lines, circles and text in user units (pixels), colour scales and their
// legends. Text is XML-escaped and kept valid UTF-8 (invalid bytes become U+FFFD, control
// characters XML 1.0 forbids are dropped), so any word from a corpus is safe to draw.
//
//   SvgDocument svg(400, 300, "attention");
//   svg.Rect(10, 10, 20, 20, ScaleColor(0.7));
//   svg.Text(40, 25, "bank", SvgText().Size(12));
//   RETURN_IF_ERROR(svg.WriteFile("out.svg"));   // atomically
#ifndef WORDSPACE_BASE_SVG_H_
#define WORDSPACE_BASE_SVG_H_

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/output_file.h"
#include "base/status_macros.h"
#include "base/utf8.h"

namespace wordspace {

// `s` as XML character data or attribute value: & < > " ' escaped, invalid UTF-8 replaced by
// U+FFFD, control characters other than tab, newline and carriage return dropped.
inline std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0 || cp == 0xFFFE || cp == 0xFFFF) {  // U+FFFE and U+FFFF are no XML characters
      out += "\xEF\xBF\xBD";                         // U+FFFD
      ++i;
      continue;
    }
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r') out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

// "#rrggbb" on a sequential scale for t in [0, 1] (clamped; NaN gives grey): viridis' colours at
// five stops, linearly interpolated, dark purple (0) to yellow (1).
inline std::string ScaleColor(double t) {
  if (std::isnan(t)) return "#cccccc";
  static const double kStops[][3] = {
      {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(t, 0.0, 1.0) * 4;
  const int i = std::min(3, static_cast<int>(t));
  const double f = t - i;
  char buf[8];
  std::snprintf(
      buf, sizeof(buf), "#%02x%02x%02x",
      static_cast<int>(std::lround(kStops[i][0] + f * (kStops[i + 1][0] - kStops[i][0]))),
      static_cast<int>(std::lround(kStops[i][1] + f * (kStops[i + 1][1] - kStops[i][1]))),
      static_cast<int>(std::lround(kStops[i][2] + f * (kStops[i + 1][2] - kStops[i][2]))));
  return buf;
}

// Whether text drawn on ScaleColor(t) should be white (dark end) or black.
inline std::string TextColorOn(double t) { return t < 0.55 ? "#ffffff" : "#000000"; }

// Distinct colours for categories (Tableau 10), cycling.
inline std::string CategoryColor(int i) {
  static const char* kColors[] = {"#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1",
                                  "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"};
  return kColors[((i % 10) + 10) % 10];
}

// How Text draws: SvgText().Size(10).Anchor("middle").Bold() (setters chain, so that callers
// name only what differs from the defaults).
struct SvgText {
  double size = 12;
  std::string anchor = "start";  // start, middle, end
  std::string fill = "#222222";
  bool bold = false;
  double rotate = 0;  // degrees, about the anchor point
  std::string title;  // a tooltip

  SvgText& Size(double v) {
    size = v;
    return *this;
  }
  SvgText& Anchor(std::string v) {
    anchor = std::move(v);
    return *this;
  }
  SvgText& Fill(std::string v) {
    fill = std::move(v);
    return *this;
  }
  SvgText& Bold(bool v = true) {
    bold = v;
    return *this;
  }
  SvgText& Rotate(double v) {
    rotate = v;
    return *this;
  }
  SvgText& Title(std::string v) {
    title = std::move(v);
    return *this;
  }
};

class SvgDocument {
 public:
  SvgDocument(double width, double height, const std::string& title)
      : width_(width), height_(height) {
    body_ =
        absl::StrCat("<title>", XmlEscape(title), "</title>\n", "<rect x=\"0\" y=\"0\" width=\"",
                     Num(width), "\" height=\"", Num(height), "\" fill=\"#ffffff\"/>\n");
  }

  double width() const { return width_; }
  double height() const { return height_; }

  void Rect(double x, double y, double w, double h, const std::string& fill,
            const std::string& stroke = "none", const std::string& title = "") {
    absl::StrAppend(&body_, "<rect x=\"", Num(x), "\" y=\"", Num(y), "\" width=\"", Num(w),
                    "\" height=\"", Num(h), "\" fill=\"", XmlEscape(fill), "\" stroke=\"",
                    XmlEscape(stroke), "\"");
    Close(title);
  }
  void Line(double x1, double y1, double x2, double y2, const std::string& stroke = "#444444",
            double stroke_width = 1) {
    absl::StrAppend(&body_, "<line x1=\"", Num(x1), "\" y1=\"", Num(y1), "\" x2=\"", Num(x2),
                    "\" y2=\"", Num(y2), "\" stroke=\"", XmlEscape(stroke), "\" stroke-width=\"",
                    Num(stroke_width), "\"/>\n");
  }
  void Circle(double cx, double cy, double r, const std::string& fill,
              const std::string& title = "") {
    absl::StrAppend(&body_, "<circle cx=\"", Num(cx), "\" cy=\"", Num(cy), "\" r=\"", Num(r),
                    "\" fill=\"", XmlEscape(fill), "\" fill-opacity=\"0.8\"");
    Close(title);
  }
  void Text(double x, double y, std::string_view text, const SvgText& style = {}) {
    absl::StrAppend(&body_, "<text x=\"", Num(x), "\" y=\"", Num(y), "\" font-size=\"",
                    Num(style.size), "\" text-anchor=\"", XmlEscape(style.anchor), "\" fill=\"",
                    XmlEscape(style.fill), "\"", style.bold ? " font-weight=\"bold\"" : "");
    if (style.rotate != 0) {
      absl::StrAppend(&body_, " transform=\"rotate(", Num(style.rotate), " ", Num(x), " ", Num(y),
                      ")\"");
    }
    absl::StrAppend(&body_, ">", XmlEscape(text));
    if (!style.title.empty())
      absl::StrAppend(&body_, "<title>", XmlEscape(style.title), "</title>");
    absl::StrAppend(&body_, "</text>\n");
  }

  // A vertical colour bar for ScaleColor at (x, y), w × h, high values at the top, with its
  // end labels and a caption above.
  void ColorLegend(double x, double y, double w, double h, const std::string& low,
                   const std::string& high, const std::string& caption) {
    const int steps = 20;
    for (int i = 0; i < steps; ++i) {
      const double t = 1.0 - (i + 0.5) / steps;
      Rect(x, y + h * i / steps, w, h / steps + 0.5, ScaleColor(t));
    }
    Rect(x, y, w, h, "none", "#444444");
    Text(x + w + 4, y + 10, high, SvgText().Size(11));
    Text(x + w + 4, y + h, low, SvgText().Size(11));
    Text(x, y - 8, caption, SvgText().Size(11));
  }
  // Coloured squares with names, one per line from (x, y).
  void CategoryLegend(double x, double y, const std::vector<std::string>& names) {
    for (size_t i = 0; i < names.size(); ++i) {
      Rect(x, y + 18.0 * i, 12, 12, CategoryColor(static_cast<int>(i)));
      Text(x + 18, y + 18.0 * i + 11, names[i], SvgText().Size(12));
    }
  }

  std::string Finish() const {
    return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", Num(width_),
                        "\" height=\"", Num(height_), "\" viewBox=\"0 0 ", Num(width_), " ",
                        Num(height_), "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n", body_,
                        "</svg>\n");
  }
  // Writes Finish() to `path` atomically; OutputFile's errors.
  [[nodiscard]] absl::Status WriteFile(const std::string& path) const {
    ASSIGN_OR_RETURN(auto file, OutputFile::Create(path));
    RETURN_IF_ERROR(file->Write(Finish()));
    return file->Commit();
  }

  // A coordinate with at most two decimals.
  static std::string Num(double v) {
    if (!std::isfinite(v)) v = 0;
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.2f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
  }

 private:
  void Close(const std::string& title) {
    if (title.empty()) {
      body_ += "/>\n";
    } else {
      absl::StrAppend(&body_, "><title>", XmlEscape(title), "</title></", LastTag(), ">\n");
    }
  }
  // The element being closed: the last "<name " opened in body_.
  std::string LastTag() const {
    const size_t open = body_.rfind('<');
    const size_t space = body_.find(' ', open);
    return body_.substr(open + 1, space - open - 1);
  }

  double width_, height_;
  std::string body_;
};

}  // namespace wordspace

#endif  // WORDSPACE_BASE_SVG_H_
