#include "eval/lm/inspect_svg.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wordspace::eval {
namespace {

// Rough width of a label in pixels (DejaVu Sans averages ~0.6 em per character).
double LabelWidth(const std::string& s, double size) { return 0.6 * size * Utf8Length(s); }

// Width a picture needs for its 13-pixel bold title line.
double TitleWidth(const std::string& title) { return 0.65 * 13 * Utf8Length(title) + 30; }

double MaxLabelWidth(const std::vector<std::string>& labels, double size) {
  double w = 0;
  for (const std::string& s : labels) w = std::max(w, LabelWidth(s, size));
  return w;
}

// Cuts long words so that a cell stays legible.
std::string Clip(const std::string& s, size_t max_chars) {
  if (Utf8Length(s) <= max_chars) return s;
  std::string out;
  size_t chars = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80 && ++chars > max_chars - 1) break;
    out += static_cast<char>(c);
  }
  return out + "\xE2\x80\xA6";  // …
}

// A square heatmap of `n` rows × `m` columns at (x, y), values in [0, 1] through value(r, c);
// row labels at the left, column labels below, rotated.
template <typename Value>
void Heatmap(SvgDocument& svg, double x, double y, double cell, int n, int m,
             const std::vector<std::string>& rows, const std::vector<std::string>& cols,
             Value value, const std::string& tooltip_prefix) {
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < m; ++c) {
      const double v = value(r, c);
      svg.Rect(x + c * cell, y + r * cell, cell, cell, ScaleColor(v), "none",
               absl::StrFormat("%s%s -> %s: %.3f", tooltip_prefix, rows[r], cols[c], v));
    }
  }
  svg.Rect(x, y, m * cell, n * cell, "none", "#888888");
  const double size = std::min(11.0, cell * 0.8);
  for (int r = 0; r < n; ++r) {
    svg.Text(x - 3, y + r * cell + cell * 0.5 + size * 0.35, rows[r],
             SvgText().Size(size).Anchor("end"));
  }
  for (int c = 0; c < m; ++c) {
    svg.Text(x + c * cell + cell * 0.5 + size * 0.35, y + n * cell + 4, cols[c],
             SvgText().Size(size).Anchor("end").Rotate(-60));
  }
}

// A scatter panel: points (x, y) scaled into the box, coloured by category, optional labels.
struct Point {
  double x, y;
  int category;
  std::string label;
  bool bold = false;
};
void Scatter(SvgDocument& svg, double x0, double y0, double w, double h,
             const std::vector<Point>& points, const std::string& title, const std::string& xlabel,
             const std::string& ylabel, double radius, bool equal_aspect = false) {
  svg.Rect(x0, y0, w, h, "#fafafa", "#888888");
  svg.Text(x0 + w / 2, y0 - 8, title, SvgText().Size(12).Anchor("middle").Bold());
  svg.Text(x0 + w / 2, y0 + h + 16, xlabel, SvgText().Size(11).Anchor("middle"));
  svg.Text(x0 - 8, y0 + h / 2, ylabel, SvgText().Size(11).Anchor("middle").Rotate(-90));
  if (points.empty()) return;
  double xmin = points[0].x, xmax = xmin, ymin = points[0].y, ymax = ymin;
  for (const Point& p : points) {
    xmin = std::min(xmin, p.x);
    xmax = std::max(xmax, p.x);
    ymin = std::min(ymin, p.y);
    ymax = std::max(ymax, p.y);
  }
  const double pad = 0.06;
  double xs = xmax > xmin ? (1 - 2 * pad) * w / (xmax - xmin) : 0;
  double ys = ymax > ymin ? (1 - 2 * pad) * h / (ymax - ymin) : 0;
  if (equal_aspect && xs > 0 && ys > 0) {
    // One unit is as long across as up: distances on the map are the projection's own.
    xs = ys = std::min(xs, ys);
    const double cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2;
    xmin = cx - (1 - 2 * pad) * w / (2 * xs);
    ymin = cy - (1 - 2 * pad) * h / (2 * ys);
  }
  auto px = [&](double v) { return xs > 0 ? x0 + pad * w + (v - xmin) * xs : x0 + w / 2; };
  auto py = [&](double v) { return ys > 0 ? y0 + h - pad * h - (v - ymin) * ys : y0 + h / 2; };
  // The origin's axes, when inside.
  if (xmin < 0 && xmax > 0) svg.Line(px(0), y0, px(0), y0 + h, "#dddddd");
  if (ymin < 0 && ymax > 0) svg.Line(x0, py(0), x0 + w, py(0), "#dddddd");
  for (const Point& p : points) {
    svg.Circle(px(p.x), py(p.y), radius, CategoryColor(p.category), p.label);
    if (!p.label.empty() && !p.bold) {
      svg.Text(px(p.x) + radius + 2, py(p.y) + 4, p.label, SvgText().Size(11));
    }
  }
  for (const Point& p : points) {  // bold labels last, on top
    if (!p.label.empty() && p.bold) {
      svg.Text(px(p.x) + radius + 2, py(p.y) + 4, p.label,
               SvgText().Size(13).Bold().Fill(CategoryColor(p.category)));
    }
  }
}

std::string Percent(double share) { return absl::StrFormat("%.0f%%", 100 * share); }

}  // namespace

SvgDocument AttentionSvg(const AttentionMap& map) {
  const int T = static_cast<int>(map.tokens.size());
  const double cell = std::clamp(300.0 / std::max(1, T), 6.0, 22.0);
  const double label = MaxLabelWidth(map.tokens, std::min(11.0, cell * 0.8)) + 8;
  const double panel = T * cell;
  const double gap_x = label + 20, gap_y = label + 30;
  const double width = 20 + map.heads * (panel + gap_x) + 90;
  const double height = 50 + map.layers * (panel + gap_y);
  const std::string headline =
      "attention weights: rows are queries (the word attending), columns are keys; "
      "layers down, heads across";
  SvgDocument svg(std::max<double>(width, TitleWidth(headline)), height, "attention weights");
  svg.Text(10, 20, headline, SvgText().Size(13).Bold());
  for (int l = 0; l < map.layers; ++l) {
    for (int h = 0; h < map.heads; ++h) {
      const double x = 10 + label + h * (panel + gap_x);
      const double y = 50 + l * (panel + gap_y);
      svg.Text(x + panel / 2, y - 6, absl::StrCat("layer ", l, " head ", h),
               SvgText().Size(11).Anchor("middle").Bold());
      Heatmap(
          svg, x, y, cell, T, T, map.tokens, map.tokens,
          [&](int q, int k) { return static_cast<double>(map.weight(l, h, q, k)); },
          absl::StrCat("L", l, "H", h, " "));
    }
  }
  svg.ColorLegend(width - 70, 60, 14, 160, "0", "1", "weight");
  return svg;
}

SvgDocument HeadsSvg(const std::vector<HeadProfile>& heads, int context) {
  const std::vector<std::string> cols = {"distance / T", "previous", "first", "same word",
                                         "induction"};
  std::vector<std::string> rows;
  for (const HeadProfile& h : heads) {
    rows.push_back(absl::StrCat("L", h.layer, " H", h.head, " ", h.role));
  }
  const double cell = 26, label = MaxLabelWidth(rows, 11) + 10;
  const double width = label + cols.size() * cell * 3 + 120;
  const double height = 60 + heads.size() * cell + 60;
  const std::string headline = "attention heads: what each one attends to (0..1)";
  SvgDocument svg(std::max<double>(width, TitleWidth(headline)), height, "attention head profiles");
  svg.Text(10, 20, headline, SvgText().Size(13).Bold());
  const double x0 = 10 + label, y0 = 50;
  for (size_t c = 0; c < cols.size(); ++c) {
    svg.Text(x0 + c * cell * 3 + cell * 1.5, y0 - 6, cols[c], SvgText().Size(11).Anchor("middle"));
  }
  for (size_t r = 0; r < heads.size(); ++r) {
    const HeadProfile& h = heads[r];
    const double values[] = {h.mean_distance / std::max(1, context), h.previous_token,
                             h.first_token, h.same_word, h.induction};
    svg.Text(x0 - 4, y0 + r * cell + cell * 0.65, rows[r], SvgText().Size(11).Anchor("end"));
    for (size_t c = 0; c < cols.size(); ++c) {
      const double v = values[c];
      const double x = x0 + c * cell * 3, y = y0 + r * cell;
      svg.Rect(x, y, cell * 3, cell, ScaleColor(v), "#ffffff");
      const std::string text = std::isnan(v) ? "n/a"
                               : c == 0      ? absl::StrFormat("%.1f", h.mean_distance)
                                             : absl::StrFormat("%.2f", v);
      svg.Text(x + cell * 1.5, y + cell * 0.65, text,
               SvgText().Size(11).Anchor("middle").Fill(TextColorOn(std::isnan(v) ? 1 : v)));
    }
  }
  svg.ColorLegend(width - 80, y0 + 20, 14, 140, "0", "1", "score");
  return svg;
}

SvgDocument LensSvg(const LensReport& report) {
  const int T = static_cast<int>(report.tokens.size());
  const int layers = static_cast<int>(report.layers.size());
  const double cw = 78, ch = 26, x0 = 90, y0 = 70;
  const double width = x0 + T * cw + 110, height = y0 + layers * ch + 70;
  const std::string headline =
      "logit lens: the top next word read from each layer's residual stream (colour: its "
      "probability)";
  SvgDocument svg(std::max<double>(width, TitleWidth(headline)), height, "logit lens");
  svg.Text(10, 20, headline, SvgText().Size(13).Bold());
  for (int t = 0; t < T; ++t) {
    svg.Text(x0 + t * cw + cw / 2, y0 - 8, Clip(report.tokens[t], 11),
             SvgText().Size(11).Anchor("middle").Bold());
  }
  svg.Text(x0 + T * cw / 2, y0 - 28, "input word at the position (the prediction is for the next)",
           SvgText().Size(11).Anchor("middle"));
  for (int l = 0; l < layers; ++l) {
    const LensLayer& layer = report.layers[l];
    const double y = y0 + l * ch;
    const std::string name = l == 0            ? "embeddings"
                             : l == layers - 1 ? absl::StrCat("layer ", l, " (out)")
                                               : absl::StrCat("layer ", l);
    svg.Text(x0 - 6, y + ch * 0.65, name, SvgText().Size(11).Anchor("end"));
    for (int t = 0; t < T; ++t) {
      const LensCell& cell = layer.positions[t];
      const double p = cell.top.empty() ? 0 : cell.top[0].prob;
      const std::string word = cell.top.empty() ? "" : cell.top[0].word;
      svg.Rect(
          x0 + t * cw, y, cw, ch, ScaleColor(p), "#ffffff",
          absl::StrFormat("layer %d, after '%s': %s %.3f (final word %s: %.3f)", l,
                          report.tokens[t], word, p, report.final_top1[t].word, cell.final_prob));
      svg.Text(x0 + t * cw + cw / 2, y + ch * 0.65, Clip(word, 11),
               SvgText().Size(11).Anchor("middle").Fill(TextColorOn(p)));
    }
  }
  svg.Text(20, y0 + layers * ch / 2, "layer", SvgText().Size(11).Anchor("middle").Rotate(-90));
  svg.ColorLegend(width - 80, y0 + 10, 14, std::max(60.0, layers * ch - 20), "0", "1",
                  "probability");
  return svg;
}

SvgDocument ContributionsSvg(const ContributionsReport& report) {
  const int n = static_cast<int>(report.components.size());
  double scale = 1e-9;
  for (const Component& c : report.components) scale = std::max(scale, std::fabs(c.target_effect));
  const double bar = 22, x0 = 110, half = 220, y0 = 60;
  const double width = x0 + 2 * half + 200, height = y0 + n * bar + 60;
  const std::string headline =
      absl::StrFormat("what each update adds to the logit of '%s' after '%s' (direct effect)",
                      report.target, report.tokens[report.position]);
  SvgDocument svg(std::max<double>(width, TitleWidth(headline)), height,
                  "direct logit contributions");
  svg.Text(10, 20, headline, SvgText().Size(13).Bold());
  const double zero = x0 + half;
  svg.Line(zero, y0 - 6, zero, y0 + n * bar + 4, "#444444");
  for (int i = 0; i < n; ++i) {
    const Component& c = report.components[i];
    const double y = y0 + i * bar;
    const double len = c.target_effect / scale * half;
    svg.Rect(len >= 0 ? zero : zero + len, y + 3, std::fabs(len), bar - 6,
             len >= 0 ? "#4e79a7" : "#e15759", "none",
             absl::StrFormat("%s: %+.3f", c.name, c.target_effect));
    svg.Text(x0 - 6, y + bar * 0.65, c.name, SvgText().Size(11).Anchor("end"));
    svg.Text(len >= 0 ? zero + len + 4 : zero + len - 4, y + bar * 0.65,
             absl::StrFormat("%+.2f", c.target_effect),
             SvgText().Size(10).Anchor(len >= 0 ? "start" : "end"));
  }
  const double axis_y = y0 + n * bar + 10;
  svg.Line(x0, axis_y, x0 + 2 * half, axis_y, "#444444");
  svg.Text(x0, axis_y + 14, absl::StrFormat("%+.2f", -scale), SvgText().Size(10).Anchor("middle"));
  svg.Text(zero, axis_y + 14, "0", SvgText().Size(10).Anchor("middle"));
  svg.Text(x0 + 2 * half, axis_y + 14, absl::StrFormat("%+.2f", scale),
           SvgText().Size(10).Anchor("middle"));
  svg.Text(zero, axis_y + 32, "change of the logit (centred over the vocabulary)",
           SvgText().Size(11).Anchor("middle"));
  svg.CategoryLegend(width - 150, y0, {"raises the logit", "lowers it"});
  return svg;
}

SvgDocument ContextSvg(const ContextReport& report) {
  const int S = static_cast<int>(report.sentences.size());
  std::vector<std::string> names;
  for (int s = 0; s < S; ++s) names.push_back(absl::StrCat("s", s + 1));
  const double cell = 28, panel = S * cell, gap = 60;
  const int layers = static_cast<int>(report.layers.size());
  double legend_w = 0;
  for (const ContextSentence& s : report.sentences)
    legend_w = std::max(legend_w, LabelWidth(s.text, 11));
  const double width = std::max(30 + layers * (panel + gap) + 90, 40 + legend_w + 40);
  const double height = 70 + panel + 60 + 18.0 * S + 20;
  // Residual streams share a large common direction, so raw cosines crowd near 1: the colour
  // scale runs from the lowest cosine shown to 1, and each cell prints its value.
  double low = 1;
  for (const ContextLayer& layer : report.layers) {
    for (double c : layer.cosines) low = std::min(low, c);
  }
  if (low > 0.999) low = 0.999;
  const std::string headline = absl::StrCat("cosine between the vectors of '", report.word,
                                            "' in each pair of sentences, per layer");
  SvgDocument svg(std::max<double>(width, TitleWidth(headline)), height,
                  absl::StrCat("contextual vectors of ", report.word));
  svg.Text(10, 20, headline, SvgText().Size(13).Bold());
  for (int l = 0; l < layers; ++l) {
    const ContextLayer& layer = report.layers[l];
    const double x = 40 + l * (panel + gap), y = 60;
    svg.Text(x + panel / 2, y - 8, layer.layer < 0 ? "static" : absl::StrCat("layer ", layer.layer),
             SvgText().Size(11).Anchor("middle").Bold());
    auto scaled = [&](int a, int b) { return (layer.cosines[a * S + b] - low) / (1 - low); };
    Heatmap(svg, x, y, cell, S, S, names, names, scaled, "");
    for (int a = 0; a < S; ++a) {
      for (int b = 0; b < S; ++b) {
        svg.Text(x + b * cell + cell / 2, y + a * cell + cell * 0.62,
                 absl::StrFormat("%.2f", layer.cosines[a * S + b]),
                 SvgText().Size(8).Anchor("middle").Fill(TextColorOn(scaled(a, b))));
      }
    }
  }
  for (int s = 0; s < S; ++s) {
    svg.Text(20, 70 + panel + 50 + 18.0 * s, absl::StrCat(names[s], ": ", report.sentences[s].text),
             SvgText().Size(11));
  }
  svg.ColorLegend(width - 70, 70, 14, std::max(60.0, panel), absl::StrFormat("%.2f", low), "1",
                  "cosine");
  return svg;
}

SvgDocument SensesSvg(const SensesReport& report) {
  const int panels = static_cast<int>(report.layers.size()) + 1;
  const int per_row = std::min(panels, 4);
  const int rows = (panels + per_row - 1) / per_row;
  const double w = 220, h = 200, gx = 40, gy = 70;
  const double width = 30 + per_row * (w + gx) + 150, height = 60 + rows * (h + gy);
  const std::string headline =
      absl::StrCat("'", report.word, "' in context: first two principal components per layer",
                   report.hide_cues ? " (cue words hidden)" : "",
                   "; acc = leave-one-out nearest-centroid accuracy");
  SvgDocument svg(std::max<double>(width, TitleWidth(headline)), height,
                  absl::StrCat("senses of ", report.word));
  svg.Text(10, 20, headline, SvgText().Size(13).Bold());
  for (int i = 0; i < panels; ++i) {
    const bool bow = i == panels - 1;
    const Projection& pca = bow ? report.bag_of_words_pca : report.layers[i].pca;
    const Separation& sep = bow ? report.bag_of_words : report.layers[i].separation;
    std::vector<Point> points;
    for (size_t k = 0; k < report.labels.size(); ++k) {
      points.push_back({pca.coords[2 * k], pca.coords[2 * k + 1], report.labels[k], "", false});
    }
    const double x = 40 + (i % per_row) * (w + gx), y = 60 + (i / per_row) * (h + gy);
    const std::string title =
        bow ? absl::StrFormat("bag of words, acc %.2f", sep.accuracy)
            : absl::StrFormat("%s, acc %.2f",
                              i == 0 ? std::string("embeddings") : absl::StrCat("layer ", i),
                              sep.accuracy);
    Scatter(svg, x, y, w, h, points, title,
            absl::StrCat("PC1 (", Percent(pca.variance_share[0]), ")"),
            absl::StrCat("PC2 (", Percent(pca.variance_share[1]), ")"), 2.5);
  }
  std::vector<std::string> names;
  for (const SenseSummary& s : report.senses)
    names.push_back(absl::StrCat(s.name, " (", s.used, ")"));
  svg.CategoryLegend(width - 140, 70, names);
  return svg;
}

SvgDocument MapSvg(const WordMap& map) {
  const double w = 640, h = 480;
  const std::string headline =
      "words (bold) and their nearest neighbours, first two principal components";
  SvgDocument svg(std::max<double>(w + 200, TitleWidth(headline)), h + 90, "word map");
  svg.Text(10, 20, headline, SvgText().Size(13).Bold());
  std::vector<Point> points;
  for (const MapPoint& p : map.points) points.push_back({p.x, p.y, p.group, p.word, p.query});
  Scatter(svg, 50, 45, w, h, points, "",
          absl::StrCat("PC1 (", Percent(map.variance_share[0]), " of the variance)"),
          absl::StrCat("PC2 (", Percent(map.variance_share[1]), ")"), 4, /*equal_aspect=*/true);
  svg.CategoryLegend(w + 70, 60, map.queries);
  return svg;
}

}  // namespace wordspace::eval
