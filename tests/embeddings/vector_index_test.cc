// Tests for embeddings/vector_index.{h,cc} and its kernel.
#include "embeddings/vector_index.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "embeddings/inner_product_kernel.h"
#include "tests/embeddings/index_test_util.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_util.h"

namespace wordspace::embeddings {
namespace {

using testing::BuildOrDie;
using testing::RandomVectors;
using testing::TempDir;
using testing::Words;

// Orthonormal directions e0..e7. man = p+m, woman = p+f, king = r+m, queen = r+f, so
// unit(king) - unit(man) + unit(woman) = unit(queen) exactly (cosine 1).
// For a = e4, b = e5, c = e6 (words "a", "b", "c"): "x" has cosines (a, b, c) = (0, .9, .1) and
// "y" (0, .5, .45). 3CosAdd prefers x (1.0 against .95), 3CosMul prefers y
// (.75 * .725 / .501 = 1.0853 against .95 * .55 / .501 = 1.0429).
WordVectors Fixture() {
  const int d = 8;
  std::vector<std::string> words;
  std::vector<float> values;
  auto add = [&](const std::string& w, std::vector<std::pair<int, float>> parts) {
    words.push_back(w);
    std::vector<float> v(d, 0.0f);
    for (auto [i, x] : parts) v[i] = x;
    values.insert(values.end(), v.begin(), v.end());
  };
  // m = e0, f = e1, p = e2, r = e3; stored at other lengths than 1: the index normalises.
  add("man", {{2, 2}, {0, 2}});
  add("woman", {{2, 1}, {1, 1}});
  add("king", {{3, 3}, {0, 3}});
  add("queen", {{3, 1}, {1, 1}});
  add("a", {{4, 1}});
  add("b", {{5, 1}});
  add("c", {{6, 1}});
  add("x", {{5, 0.9f}, {6, 0.1f}, {7, std::sqrt(0.18f)}});
  add("y", {{5, 0.5f}, {6, 0.45f}, {7, std::sqrt(1 - 0.25f - 0.2025f)}});
  add("other", {{7, 1}});
  return WordVectors(std::move(words), d, std::move(values));
}

double UnitDot(const WordVectors& v, int64_t i, int64_t j) {
  double xy = 0, xx = 0, yy = 0;
  for (int p = 0; p < v.dim(); ++p) {
    xy += double(v.row(i)[p]) * v.row(j)[p];
    xx += double(v.row(i)[p]) * v.row(i)[p];
    yy += double(v.row(j)[p]) * v.row(j)[p];
  }
  return xy / std::sqrt(xx * yy);
}

TEST_CASE("kernel: every supported instruction set agrees with a naive product", "[embeddings][index]") {
  using namespace internal;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uni(-1, 1);
  for (auto [m, n, d] : {std::tuple{1, 1, 1}, {7, 45, 37}, {50, 300, 100}, {13, 33, 3}}) {
    std::vector<float> A(m * d), B(n * d);
    for (float& x : A) x = uni(rng);
    for (float& x : B) x = uni(rng);
    PackedPanel panel;
    PackRows(B.data(), n, d, d, &panel);
    for (Isa isa : kAllIsas) {
      if (!CpuSupports(isa)) continue;
      INFO(IsaName(isa) << " m=" << m << " n=" << n << " d=" << d);
      const int64_t ldc = n + 5;
      std::vector<float> C(m * ldc, -7.0f);
      MultiplyPacked(A.data(), m, d, panel, C.data(), ldc, isa);
      for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
          double ref = 0;
          for (int p = 0; p < d; ++p) ref += double(A[i * d + p]) * B[j * d + p];
          REQUIRE(C[i * ldc + j] == Approx(ref).margin(1e-4));
        }
        for (int j = n; j < ldc; ++j) REQUIRE(C[i * ldc + j] == -7.0f);  // padding untouched
      }
    }
  }
}

TEST_CASE("analogy answers known exactly, for 3CosAdd and 3CosMul", "[embeddings][index]") {
  VectorIndex index = BuildOrDie(Fixture());
  AnalogyOptions add;
  add.k = 2;
  auto r = index.Analogy("man", "king", "woman", add);
  REQUIRE(r.ok());
  REQUIRE(index.word(r->answers[0].row) == "queen");
  CHECK(r->answers[0].score == Approx(1.0).epsilon(1e-5));

  auto xy = index.Analogy("a", "b", "c", add);
  REQUIRE(xy.ok());
  CHECK(Words(index, xy->answers) == std::vector<std::string>{"x", "y"});
  // cos(x, unit(b - a + c)) = (0.9 + 0.1) / sqrt(3).
  CHECK(xy->answers[0].score == Approx(1.0 / std::sqrt(3.0)).epsilon(1e-5));

  AnalogyOptions mul = add;
  mul.method = AnalogyMethod::kMul;
  auto m = index.Analogy("a", "b", "c", mul);
  REQUIRE(m.ok());
  CHECK(Words(index, m->answers) == std::vector<std::string>{"y", "x"});
  CHECK(m->answers[0].score == Approx(0.75 * 0.725 / 0.501).epsilon(1e-5));
  CHECK(m->answers[1].score == Approx(0.95 * 0.55 / 0.501).epsilon(1e-5));
  auto q = index.Analogy("man", "king", "woman", mul);
  REQUIRE(q.ok());
  CHECK(index.word(q->answers[0].row) == "queen");
}

TEST_CASE("the question words are excluded unless asked for", "[embeddings][index]") {
  VectorIndex index = BuildOrDie(Fixture());
  // man : king :: man : ?  The raw best answer is king itself (cosine 1).
  AnalogyOptions options;
  options.k = 3;
  auto excluded = index.Analogy("man", "king", "man", options);
  REQUIRE(excluded.ok());
  for (const Neighbor& n : excluded->answers) {
    CHECK(index.word(n.row) != "man");
    CHECK(index.word(n.row) != "king");
  }
  options.exclude_inputs = false;
  auto raw = index.Analogy("man", "king", "man", options);
  REQUIRE(raw.ok());
  CHECK(index.word(raw->answers[0].row) == "king");
  CHECK(raw->answers[0].score == Approx(1.0).epsilon(1e-5));
  // Extra per-question exclusions are honoured too.
  AnalogyQuestion question{index.Find("man"), index.Find("king"), index.Find("woman")};
  std::vector<std::vector<int64_t>> more = {{index.Find("queen")}};
  auto without_queen = index.Analogies({&question, 1}, {}, more);
  REQUIRE(without_queen.ok());
  CHECK(index.word((*without_queen)[0][0].row) != "queen");
}

TEST_CASE("batched search and analogies match brute force", "[embeddings][index]") {
  WordVectors v = RandomVectors(1000, 37, 11);
  WordVectors copy = v;
  IndexOptions options;
  options.threads = 2;
  VectorIndex index = BuildOrDie(std::move(v), options);
  const int k = 7;
  std::vector<float> queries;
  std::vector<std::vector<int64_t>> exclude;
  for (int q = 0; q < 101; ++q) {
    auto row = copy.row(q * 9);
    queries.insert(queries.end(), row.begin(), row.end());
    exclude.push_back({q * 9});
  }
  auto found = index.Search(queries, k, exclude);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 101);
  for (int q = 0; q < 101; ++q) {
    std::vector<std::pair<double, int64_t>> all;
    for (int64_t r = 0; r < copy.size(); ++r) {
      if (r != q * 9) all.push_back({-UnitDot(copy, q * 9, r), r});
    }
    std::sort(all.begin(), all.end());
    REQUIRE((*found)[q].size() == k);
    for (int i = 0; i < k; ++i) {
      CHECK((*found)[q][i].row == all[i].second);
      CHECK((*found)[q][i].score == Approx(-all[i].first).margin(1e-5));
    }
  }

  std::vector<AnalogyQuestion> questions;
  for (int q = 0; q < 60; ++q) questions.push_back({q, q + 100, q + 200});
  for (AnalogyMethod method : {AnalogyMethod::kAdd, AnalogyMethod::kMul}) {
    AnalogyOptions ao;
    ao.method = method;
    ao.k = 3;
    auto answers = index.Analogies(questions, ao);
    REQUIRE(answers.ok());
    for (size_t q = 0; q < questions.size(); ++q) {
      std::vector<std::pair<double, int64_t>> all;
      for (int64_t r = 0; r < copy.size(); ++r) {
        if (r == questions[q].a || r == questions[q].b || r == questions[q].c) continue;
        double ca = UnitDot(copy, r, questions[q].a), cb = UnitDot(copy, r, questions[q].b),
               cc = UnitDot(copy, r, questions[q].c);
        double s = method == AnalogyMethod::kAdd
                       ? cb + cc - ca
                       : ((cb + 1) / 2) * ((cc + 1) / 2) / ((ca + 1) / 2 + 0.001);
        all.push_back({-s, r});
      }
      std::sort(all.begin(), all.end());
      INFO("question " << q << " method " << static_cast<int>(method));
      for (int i = 0; i < 3; ++i) CHECK((*answers)[q][i].row == all[i].second);
    }
  }
}

TEST_CASE("3CosMul over any number of terms matches brute force", "[embeddings][index]") {
  WordVectors v = RandomVectors(700, 19, 5);
  WordVectors copy = v;
  IndexOptions options;
  options.threads = 2;
  options.restrict = 650;  // answers only from the first 650 rows
  VectorIndex index = BuildOrDie(std::move(v), options);
  auto unit = [&](int64_t row) {
    std::vector<float> u(index.vectors().row(row).begin(), index.vectors().row(row).end());
    return u;
  };
  struct Case {
    std::vector<int64_t> positive, negative;
  };
  for (const Case& c : {Case{{3}, {}}, Case{{10, 20}, {30}}, Case{{5}, {6, 7}},
                        Case{{1, 2, 3}, {4, 5}}}) {
    std::vector<float> pos, neg;
    for (int64_t r : c.positive) { auto u = unit(r); pos.insert(pos.end(), u.begin(), u.end()); }
    for (int64_t r : c.negative) { auto u = unit(r); neg.insert(neg.end(), u.begin(), u.end()); }
    std::vector<int64_t> exclude = c.positive;
    exclude.insert(exclude.end(), c.negative.begin(), c.negative.end());
    auto found = index.CosMul(pos, neg, 5, exclude, 1e-6f);
    REQUIRE(found.ok());
    std::vector<std::pair<double, int64_t>> all;
    for (int64_t r = 0; r < 650; ++r) {
      if (std::find(exclude.begin(), exclude.end(), r) != exclude.end()) continue;
      double num = 1, den = 1;
      for (int64_t p : c.positive) num *= (UnitDot(copy, r, p) + 1) / 2;
      for (int64_t n : c.negative) den *= (UnitDot(copy, r, n) + 1) / 2;
      all.push_back({-num / (den + 1e-6), r});
    }
    std::sort(all.begin(), all.end());
    REQUIRE(found->size() == 5);
    for (int i = 0; i < 5; ++i) {
      INFO("terms " << c.positive.size() << "+" << c.negative.size() << " answer " << i);
      CHECK((*found)[i].row == all[i].second);
      CHECK((*found)[i].score == Approx(-all[i].first).epsilon(1e-4));
    }
  }
  CHECK(index.CosMul({}, {}, 5, {}, 1e-6f).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(index.CosMul(unit(1), {}, 0, {}, 1e-6f).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a batch with more distinct words than one pass holds answers as one by one", "[embeddings][index]") {
  // 1,500 questions over 4,500 distinct words: the exact path splits them into passes of at
  // most 3,072 words. Each answer must be what the question gets on its own.
  IndexOptions options;
  options.threads = 2;
  VectorIndex index = BuildOrDie(RandomVectors(5000, 8, 17), options);
  std::vector<AnalogyQuestion> questions;
  for (int q = 0; q < 1500; ++q) questions.push_back({3 * q, 3 * q + 1, 3 * q + 2});
  AnalogyOptions ao;
  ao.k = 2;
  auto batch = index.Analogies(questions, ao);
  REQUIRE(batch.ok());
  for (int q = 0; q < 1500; q += 37) {
    auto one = index.Analogies({&questions[q], 1}, ao);
    REQUIRE(one.ok());
    REQUIRE((*batch)[q].size() == 2);
    CHECK((*batch)[q][0].row == (*one)[0][0].row);
    CHECK((*batch)[q][1].row == (*one)[0][1].row);
    CHECK((*batch)[q][0].score == Approx((*one)[0][0].score).margin(1e-6));
  }
  // More answers asked for than rows exist: all of them, once each.
  auto all = index.Search(index.vectors().row(0), 6000);
  REQUIRE(all.ok());
  CHECK((*all)[0].size() == 5000);
}

TEST_CASE("restrict limits the answers to the first rows", "[embeddings][index]") {
  IndexOptions options;
  options.restrict = 300;
  VectorIndex index = BuildOrDie(RandomVectors(1000, 16, 5), options);
  CHECK(index.searchable() == 300);
  CHECK(index.size() == 1000);
  // A query from outside the restricted rows still works; its answers come from the first 300.
  auto near = index.NeighborsOf("w900", 20);
  REQUIRE(near.ok());
  REQUIRE(near->size() == 20);
  for (const Neighbor& n : *near) CHECK(n.row < 300);
  AnalogyQuestion q{950, 960, 970};
  auto a = index.Analogies({&q, 1}, {});
  REQUIRE(a.ok());
  CHECK((*a)[0][0].row < 300);
  options.restrict = -1;
  CHECK(VectorIndex::Build(RandomVectors(10, 4, 1), options).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("an unknown word is named, with close spellings", "[embeddings][index]") {
  VectorIndex index = BuildOrDie(Fixture());
  auto missing = index.NeighborsOf("kinq", 3);
  REQUIRE(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(missing.status().message()), Catch::Contains("'kinq'"));
  CHECK_THAT(std::string(missing.status().message()), Catch::Contains("king"));
  auto upper = index.Analogy("MAN", "king", "woman", {});
  REQUIRE(upper.status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(upper.status().message()), Catch::Contains("'MAN'"));
  CHECK(index.Suggest("Queen").at(0) == "queen");
  CHECK(index.Suggest("zzzzzzzz").empty());
}

TEST_CASE("expressions parse and evaluate", "[embeddings][index]") {
  VectorIndex index = BuildOrDie(Fixture());
  auto e = index.ParseExpression("  king - man +   woman ");
  REQUIRE(e.ok());
  CHECK(e->rows ==
        std::vector<int64_t>{index.Find("king"), index.Find("man"), index.Find("woman")});
  CHECK(e->signs == std::vector<float>{1, -1, 1});
  auto best = index.Evaluate(*e, 1);
  REQUIRE(best.ok());
  CHECK(index.word((*best)[0].row) == "queen");
  CHECK((*best)[0].score == Approx(1.0).epsilon(1e-5));

  auto lead = index.ParseExpression("- man + king");
  REQUIRE(lead.ok());
  CHECK(lead->signs == std::vector<float>{-1, 1});
  auto single = index.ParseExpression("king");
  REQUIRE(single.ok());
  CHECK(single->rows.size() == 1);
  auto near = index.Evaluate(*single, 3);
  REQUIRE(near.ok());
  for (const Neighbor& n : *near) CHECK(index.word(n.row) != "king");

  for (const char* bad : {"", "   ", "king -", "king man", "+ + king", "king - - man", "-"}) {
    INFO(bad);
    CHECK(index.ParseExpression(bad).status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(index.ParseExpression("king - mann").status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("approximate indexes: HNSW and trained IVF, saved and loaded", "[embeddings][index]") {
  TempDir dir;
  WordVectors v = RandomVectors(600, 16, 21);
  for (const char* factory : {"HNSW16", "IVF8,Flat"}) {
    INFO(factory);
    IndexOptions options;
    options.factory = factory;
    options.search_params =
        std::string(factory).rfind("HNSW", 0) == 0 ? "efSearch=200" : "nprobe=8";
    VectorIndex index = BuildOrDie(v, options);
    CHECK_FALSE(index.exact());
    const std::string path = dir.File(std::string(1, factory[0]) + ".faiss");
    REQUIRE(index.Save(path).ok());
    auto loaded = VectorIndex::Load(v, path, options);
    REQUIRE(loaded.ok());
    VectorIndex exact = BuildOrDie(v);
    // With every list probed (IVF) or a wide beam (HNSW) the answers are the exact ones.
    int same = 0;
    for (int q = 0; q < 50; ++q) {
      auto x = exact.NeighborsOf(absl::StrCat("w", q * 7), 1);
      auto y = loaded->NeighborsOf(absl::StrCat("w", q * 7), 1);
      REQUIRE(x.ok());
      REQUIRE(y.ok());
      REQUIRE(y->size() == 1);
      same += (*x)[0].row == (*y)[0].row;
    }
    CHECK(same >= 45);
    // Analogies on an approximate index re-rank candidates exactly.
    AnalogyQuestion q{1, 2, 3};
    auto approx = loaded->Analogies({&q, 1}, {});
    REQUIRE(approx.ok());
    REQUIRE_FALSE((*approx)[0].empty());
    CHECK((*approx)[0][0].row != 1);
  }
  IndexOptions bad;
  bad.factory = "NoSuchIndex42";
  CHECK(VectorIndex::Build(v, bad).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("an index build reports training once and each block of rows added, to the last",
          "[embeddings][index]") {
  // More rows than one block (16,384), so the rows go in three blocks.
  WordVectors v = RandomVectors(40000, 4, 9);
  std::vector<float> last(v.row(39999).begin(), v.row(39999).end());
  IndexOptions options;
  options.factory = "IVF4,Flat";
  options.search_params = "nprobe=4";
  std::vector<std::tuple<IndexBuildPhase, int64_t, int64_t>> calls;
  options.build_progress = [&](IndexBuildPhase phase, int64_t done, int64_t total) {
    calls.emplace_back(phase, done, total);
  };
  VectorIndex index = BuildOrDie(std::move(v), options);
  using P = IndexBuildPhase;
  CHECK(calls == std::vector<std::tuple<P, int64_t, int64_t>>{{P::kTraining, 0, 40000},
                                                              {P::kAdding, 16384, 40000},
                                                              {P::kAdding, 32768, 40000},
                                                              {P::kAdding, 40000, 40000}});
  // Every block is in the index: the last row is its own nearest neighbour.
  auto found = index.Search(last, 1);
  REQUIRE(found.ok());
  CHECK((*found)[0][0].row == 39999);
}

TEST_CASE("analogy method names", "[embeddings][index]") {
  CHECK(*ParseAnalogyMethod("add") == AnalogyMethod::kAdd);
  CHECK(*ParseAnalogyMethod("3cosmul") == AnalogyMethod::kMul);
  CHECK(ParseAnalogyMethod("sum").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(DefaultIndexPath("v.bin", "IVF1024,PQ16") == "v.bin.IVF1024_PQ16.faiss");
  CHECK(DefaultIndexPath("v.bin", "HNSW32", 30000) == "v.bin.HNSW32.first30000.faiss");
}

}  // namespace
}  // namespace wordspace::embeddings
