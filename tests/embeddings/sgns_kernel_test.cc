// Tests of the batched skip-gram kernels (embeddings/sgns_kernels.h) against a naive reference,
// and of the batched trainer against the classic one.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "base/aligned_buffer.h"
#include "embeddings/sgns_kernels.h"
#include "embeddings/sgns_trainer.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::embeddings {
namespace {

AlignedBuffer Aligned(size_t n) { return AlignedBuffer(n == 0 ? 1 : n); }

std::vector<const SgnsKernels*> AllKernels() {
  const SgnsKernels* k[8];
  int n = SgnsKernels::Available(k, 8);
  return std::vector<const SgnsKernels*>(k, k + n);
}

// A small problem: `rows_in`/`rows_out` distinct rows, with B in-pointers and T out-pointers
// drawn from them, so that rows repeat as a window's contexts and noise words can.
struct Problem {
  Problem(int B, int T, int dim, int rows_in, int rows_out, unsigned seed)
      : B(B),
        T(T),
        dim(dim),
        in(Aligned(rows_in * dim)),
        out(Aligned(rows_out * dim)),
        g(B * T),
        rows_in(rows_in),
        rows_out(rows_out) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1, 1);
    for (int i = 0; i < rows_in * dim; ++i) in[i] = u(rng);
    for (int i = 0; i < rows_out * dim; ++i) out[i] = u(rng);
    for (float& x : g) x = u(rng) * 0.1f;
    for (int i = 0; i < B; ++i) in_index.push_back(static_cast<int>(rng() % rows_in));
    for (int j = 0; j < T; ++j) out_index.push_back(static_cast<int>(rng() % rows_out));
    for (int i : in_index) in_rows.push_back(in.data() + i * dim);
    for (int j : out_index) out_rows.push_back(out.data() + j * dim);
  }
  int B, T, dim;
  AlignedBuffer in, out;
  std::vector<float> g;
  int rows_in, rows_out;
  std::vector<int> in_index, out_index;
  std::vector<float*> in_rows, out_rows;
};

TEST_CASE("batched kernels match a naive reference, repeated rows included", "[embeddings]") {
  const std::vector<const SgnsKernels*> kernels = AllKernels();
  REQUIRE(!kernels.empty());
  CHECK(std::string(kernels.back()->name) == "portable");
  CHECK(std::string(SgnsKernels::Best().name) == kernels.front()->name);
  unsigned seed = 1;
  for (const SgnsKernels* k : kernels) {
    // T up to 11 crosses the register-block sizes (6 and 8); B up to 13 covers odd and even.
    for (int B : {1, 2, 5, 10, 13}) {
      for (int T : {1, 3, 6, 8, 9, 11}) {
        for (int dim : {16, 32, 112}) {
          INFO(k->name << " B=" << B << " T=" << T << " dim=" << dim);
          // Few distinct rows, so that repeats are common.
          Problem p(B, T, dim, std::max(1, B - 2), std::max(1, T - 2), seed++);

          // Reference in double, from the values before the update.
          std::vector<double> ref_scores(B * T);
          for (int i = 0; i < B; ++i) {
            for (int j = 0; j < T; ++j) {
              double s = 0;
              for (int c = 0; c < dim; ++c) s += double(p.in_rows[i][c]) * p.out_rows[j][c];
              ref_scores[i * T + j] = s;
            }
          }
          std::vector<double> ref_in(p.in.data(), p.in.data() + p.rows_in * dim);
          std::vector<double> ref_out(p.out.data(), p.out.data() + p.rows_out * dim);
          for (int i = 0; i < B; ++i) {
            for (int j = 0; j < T; ++j) {
              const double gij = p.g[i * T + j];
              for (int c = 0; c < dim; ++c) {
                ref_in[p.in_index[i] * dim + c] += gij * p.out_rows[j][c];
                ref_out[p.out_index[j] * dim + c] += gij * p.in_rows[i][c];
              }
            }
          }

          std::vector<float> scores(B * T, -1e30f);
          k->scores(p.in_rows.data(), B, p.out_rows.data(), T, dim, scores.data());
          for (int e = 0; e < B * T; ++e) CHECK(scores[e] == Approx(ref_scores[e]).margin(1e-4));

          AlignedBuffer scratch = Aligned(SgnsUpdateScratch(B, T));
          k->update(p.in_rows.data(), B, p.out_rows.data(), T, dim, p.g.data(), scratch.data());
          double worst = 0;
          for (int e = 0; e < p.rows_in * dim; ++e) {
            worst = std::max(worst, std::fabs(p.in[e] - ref_in[e]));
          }
          for (int e = 0; e < p.rows_out * dim; ++e) {
            worst = std::max(worst, std::fabs(p.out[e] - ref_out[e]));
          }
          CHECK(worst < 1e-5);
        }
      }
    }
  }
}

TEST_CASE("PaddedDim rounds up to whole 64-byte rows", "[embeddings]") {
  CHECK(PaddedDim(1) == 16);
  CHECK(PaddedDim(16) == 16);
  CHECK(PaddedDim(100) == 112);
  CHECK(PaddedDim(300) == 304);
}

constexpr int kTopics = 6;
constexpr int kWordsPerTopic = 10;

std::string TopicWord(int topic, int i) {
  return "topic" + std::to_string(topic) + "word" + std::to_string(i);
}

// Planted structure: each sentence draws all its words from one topic.
std::string TopicCorpus(int sentences, unsigned seed) {
  std::mt19937 rng(seed);
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    const int topic = static_cast<int>(rng() % kTopics);
    const int length = 6 + static_cast<int>(rng() % 10);
    for (int w = 0; w < length; ++w) {
      text += TopicWord(topic, static_cast<int>(rng() % kWordsPerTopic));
      text += w + 1 == length ? '\n' : ' ';
    }
  }
  return text;
}

double Cosine(std::span<const float> a, std::span<const float> b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / std::sqrt(na * nb);
}

// Mean cosine of same-topic pairs and of cross-topic pairs.
std::pair<double, double> TopicSeparation(const WordVectors& v) {
  double same = 0, cross = 0;
  int n_same = 0, n_cross = 0;
  for (int t1 = 0; t1 < kTopics; ++t1) {
    for (int i = 0; i < kWordsPerTopic; ++i) {
      for (int t2 = 0; t2 < kTopics; ++t2) {
        for (int j = 0; j < kWordsPerTopic; ++j) {
          if (t1 == t2 && i == j) continue;
          const double c = Cosine(v.row(v.Find(TopicWord(t1, i))), v.row(v.Find(TopicWord(t2, j))));
          (t1 == t2 ? same : cross) += c;
          ++(t1 == t2 ? n_same : n_cross);
        }
      }
    }
  }
  return {same / n_same, cross / n_cross};
}

absl::StatusOr<SgnsResult> Train(const std::string& path, SgnsOptions options) {
  corpus::EncodeOptions encode;
  encode.vocab.min_count = 1;
  auto ids = corpus::TokenIdFile::Encode(path, encode);
  if (!ids.ok()) return ids.status();
  return TrainSkipGram(*ids, options);
}

SgnsOptions TopicOptions(SgnsKernel kernel) {
  SgnsOptions o;
  o.dim = 40;  // padded to 48: exercises the zero columns
  o.window = 5;
  o.negative = 5;
  o.sample = 0;
  o.epochs = 4;
  o.threads = 2;
  o.kernel = kernel;
  return o;
}

TEST_CASE("batched and classic kernels both separate planted topics", "[embeddings]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("topics.txt.gz"), testing::Gzip(TopicCorpus(4000, 7)));
  auto batched = Train(dir.File("topics.txt.gz"), TopicOptions(SgnsKernel::kBatched));
  auto classic = Train(dir.File("topics.txt.gz"), TopicOptions(SgnsKernel::kClassic));
  REQUIRE(batched.ok());
  REQUIRE(classic.ok());
  CHECK(std::string(batched->isa) == SgnsKernels::Best().name);
  const auto [b_same, b_cross] = TopicSeparation(batched->vectors);
  const auto [c_same, c_cross] = TopicSeparation(classic->vectors);
  INFO("batched: same " << b_same << " cross " << b_cross << "; classic: same " << c_same
                        << " cross " << c_cross);
  CHECK(b_same > 0.5);
  CHECK(b_same - b_cross > 0.4);
  CHECK(c_same > 0.5);
  CHECK(c_same - c_cross > 0.4);
  // Equal quality: the batched kernel's separation is no worse than 80% of the classic one's.
  CHECK(b_same - b_cross > 0.8 * (c_same - c_cross));
  // Both losses fall well below the starting (1 + negative)·log 2 ≈ 4.16 per pair.
  CHECK(batched->final_loss < 3.0);
  CHECK(classic->final_loss < 3.0);
}

TEST_CASE("each kernel is bit-for-bit reproducible with one thread", "[embeddings]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("topics.txt"), TopicCorpus(500, 3));
  for (SgnsKernel kernel : {SgnsKernel::kBatched, SgnsKernel::kClassic}) {
    INFO(SgnsKernelName(kernel));
    SgnsOptions o = TopicOptions(kernel);
    o.threads = 1;
    o.sample = 1e-2;
    o.seed = 11;
    auto a = Train(dir.File("topics.txt"), o);
    auto b = Train(dir.File("topics.txt"), o);
    o.seed = 12;
    auto c = Train(dir.File("topics.txt"), o);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(c.ok());
    const std::vector<float>& va = a->vectors.values();
    REQUIRE(va.size() == b->vectors.values().size());
    CHECK(std::memcmp(va.data(), b->vectors.values().data(), va.size() * sizeof(float)) == 0);
    CHECK(std::memcmp(va.data(), c->vectors.values().data(), va.size() * sizeof(float)) != 0);
  }
}

TEST_CASE("alpha 0 takes the kernel's default learning rate", "[embeddings]") {
  CHECK(DefaultAlpha(SgnsKernel::kClassic) == 0.025);  // word2vec.c
  CHECK(DefaultAlpha(SgnsKernel::kBatched) == 0.05);   // fastText's skip-gram rate
  testing::TempDir dir;
  testing::WriteFile(dir.File("topics.txt"), TopicCorpus(50, 5));
  for (SgnsKernel kernel : {SgnsKernel::kBatched, SgnsKernel::kClassic}) {
    SgnsOptions o = TopicOptions(kernel);
    o.epochs = 1;
    CHECK(o.alpha == 0);
    auto by_default = Train(dir.File("topics.txt"), o);
    REQUIRE(by_default.ok());
    CHECK(by_default->alpha == DefaultAlpha(kernel));
    o.alpha = 0.01;
    auto given = Train(dir.File("topics.txt"), o);
    REQUIRE(given.ok());
    CHECK(given->alpha == 0.01);
    o.alpha = -0.01;
    CHECK(Train(dir.File("topics.txt"), o).status().code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("kernel names parse and print", "[embeddings]") {
  CHECK(*ParseSgnsKernel("batched") == SgnsKernel::kBatched);
  CHECK(*ParseSgnsKernel("classic") == SgnsKernel::kClassic);
  CHECK(ParseSgnsKernel("fast").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(SgnsKernelName(SgnsKernel::kClassic)) == "classic");
}

}  // namespace
}  // namespace wordspace::embeddings
