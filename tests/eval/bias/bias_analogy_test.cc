#include "eval/bias/bias_analogy.h"

#include <catch2/catch.hpp>
#include <cmath>

namespace wordspace::eval {
namespace {

using embeddings::VectorIndex;
using embeddings::WordVectors;

// Axes: e0 gender (woman +), e1 medicine, e2 person. man and woman differ only a little, so
// doctor - man + woman stays closest to doctor itself:
//   forward man : doctor :: woman : ?  target ~ (0.47, 0.99, 0): doctor 0.86, nurse 0.73
//   reverse woman : doctor :: man : ?  target ~ (-0.67, 0.99, 0): surgeon 0.90, doctor 0.88
VectorIndex Index() {
  WordVectors v({"man", "woman", "doctor", "nurse", "surgeon", "table"}, 3,
                {-0.3f, 0, 1, 0.3f, 0, 1, -0.1f, 1, 0, 0.4f, 1, 1, -0.5f, 1, 0.5f, 0, 0, 1});
  auto index = VectorIndex::Build(std::move(v), {});
  REQUIRE(index.ok());
  return std::move(*index);
}

// Cosine of `word` with unit(b) - unit(a) + unit(c), computed directly.
double Score(const VectorIndex& index, const std::string& a, const std::string& b,
             const std::string& c, const std::string& word) {
  const WordVectors& v = index.vectors();  // unit rows
  auto row = [&](const std::string& w) { return v.row(v.Find(w)); };
  double t[3], dot = 0, norm = 0, wn = 0;
  for (int j = 0; j < 3; ++j) {
    t[j] = row(b)[j] - row(a)[j] + row(c)[j];
    dot += t[j] * row(word)[j];
    norm += t[j] * t[j];
    wn += row(word)[j] * row(word)[j];
  }
  return dot / std::sqrt(norm * wn);
}

TEST_CASE("bias analogy: excluded and included answers side by side", "[eval][bias]") {
  VectorIndex index = Index();
  BiasAnalogyOptions options;
  options.k = 2;
  auto report = RunBiasAnalogies(index, {"man", "woman"}, std::vector<std::string>{"Doctor", "xyz"},
                                 options);
  REQUIRE(report.ok());
  CHECK(report->pair.first == "man");
  CHECK(report->missing == std::vector<std::string>{"xyz"});
  REQUIRE(report->probes.size() == 1);
  const BiasAnalogyProbe& p = report->probes[0];
  CHECK(p.word == "doctor");  // found case-insensitively
  auto word = [&](const std::vector<embeddings::Neighbor>& list, size_t i) {
    REQUIRE(list.size() > i);
    return index.word(list[i].row);
  };
  // Forward: the excluded answer "nurse" exists only because doctor is forbidden.
  CHECK(word(p.forward_included, 0) == "doctor");
  CHECK(word(p.forward_excluded, 0) == "nurse");
  CHECK(word(p.forward_included, 1) == "nurse");
  CHECK(p.forward_excluded[0].score == Approx(Score(index, "man", "doctor", "woman", "nurse")).epsilon(1e-5));
  CHECK(p.forward_included[0].score == Approx(Score(index, "man", "doctor", "woman", "doctor")).epsilon(1e-5));
  // Reverse: surgeon wins either way.
  CHECK(word(p.reverse_included, 0) == "surgeon");
  CHECK(word(p.reverse_excluded, 0) == "surgeon");
  CHECK(word(p.reverse_included, 1) == "doctor");
  CHECK(p.reverse_included[0].score == Approx(Score(index, "woman", "doctor", "man", "surgeon")).epsilon(1e-5));
  for (const auto* list : {&p.forward_excluded, &p.reverse_excluded}) {
    for (const auto& n : *list) {
      CHECK(index.word(n.row) != "man");
      CHECK(index.word(n.row) != "woman");
      CHECK(index.word(n.row) != "doctor");
    }
  }
  CHECK(report->questions == 2);
  CHECK(report->included_answer_is_input == 1);
  CHECK(report->included_answer_is_probe == 1);
}

TEST_CASE("bias analogy: a missing or repeated pair word is an error", "[eval][bias]") {
  VectorIndex index = Index();
  auto missing = RunBiasAnalogies(index, {"man", "womann"}, std::vector<std::string>{"doctor"}, {});
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK(std::string(missing.status().message()).find("womann") != std::string::npos);
  auto same = RunBiasAnalogies(index, {"man", "MAN"}, std::vector<std::string>{"doctor"}, {});
  CHECK(same.status().code() == absl::StatusCode::kInvalidArgument);
  auto none = RunBiasAnalogies(index, {"man", "woman"}, std::vector<std::string>{"xyz"}, {});
  REQUIRE(none.ok());
  CHECK(none->probes.empty());
  CHECK(none->questions == 0);
}

}  // namespace
}  // namespace wordspace::eval
