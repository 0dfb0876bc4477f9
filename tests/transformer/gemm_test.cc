// The blocked sgemm kernels against a naive double-precision product, for every kernel this CPU
// can run, every transpose combination, edge sizes and accumulation.
#include "transformer/gemm.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "base/cpu_features.h"
#include "base/cpu_time.h"

namespace wordspace::transformer {
namespace {

struct Shape {
  int M, N, K;
};

// Restores automatic kernel selection when a test ends.
struct KernelGuard {
  ~KernelGuard() { ClearIsaLimit(); }
};

float Identity(float x) { return x; }

// Sgemm against a double-precision product of the operands as `operand` gives them (the bf16
// kernel's reference rounds them to bf16 first).
void CheckAgainstNaive(bool ta, bool tb, Shape s, bool accumulate, int threads,
                       float (*operand)(float) = Identity) {
  std::mt19937 rng(s.M * 131 + s.N * 7 + s.K + ta * 2 + tb);
  std::uniform_real_distribution<float> u(-1, 1);
  // Leading dimensions larger than the logical sizes, to test strides.
  const int lda = (ta ? s.M : s.K) + 3, ldb = (tb ? s.K : s.N) + 5, ldc = s.N + 2;
  std::vector<float> A(static_cast<size_t>(ta ? s.K : s.M) * lda),
      B(static_cast<size_t>(tb ? s.N : s.K) * ldb), C(static_cast<size_t>(s.M) * ldc);
  for (float& x : A) x = u(rng);
  for (float& x : B) x = u(rng);
  for (float& x : C) x = u(rng);
  const std::vector<float> C0 = C;
  Sgemm(ta, tb, s.M, s.N, s.K, A.data(), lda, B.data(), ldb, C.data(), ldc, accumulate, threads);
  double max_err = 0;
  for (int i = 0; i < s.M; ++i) {
    for (int j = 0; j < s.N; ++j) {
      double ref = accumulate ? C0[static_cast<size_t>(i) * ldc + j] : 0.0;
      for (int k = 0; k < s.K; ++k) {
        const double a =
            operand(ta ? A[static_cast<size_t>(k) * lda + i] : A[static_cast<size_t>(i) * lda + k]);
        const double b =
            operand(tb ? B[static_cast<size_t>(j) * ldb + k] : B[static_cast<size_t>(k) * ldb + j]);
        ref += a * b;
      }
      max_err = std::max(max_err, std::fabs(ref - C[static_cast<size_t>(i) * ldc + j]));
    }
    // Padding columns beyond N are untouched.
    for (int j = s.N; j < ldc; ++j) {
      REQUIRE(C[static_cast<size_t>(i) * ldc + j] == C0[static_cast<size_t>(i) * ldc + j]);
    }
  }
  INFO(ActiveGemmKernelName() << " ta=" << ta << " tb=" << tb << " M=" << s.M << " N=" << s.N
                              << " K=" << s.K << " acc=" << accumulate << " max error " << max_err);
  // float32 products summed over K: error ~ K * 2^-24 * |a||b| at most. (bf16 products are
  // exact in fp32, so the bf16 kernel has the same bound against its rounded operands.)
  CHECK(max_err < 1e-6 * (s.K + 1) + 1e-6);
}

TEST_CASE("Sgemm matches a naive product for every kernel and layout", "[transformer][gemm]") {
  KernelGuard guard;
  const Shape shapes[] = {{1, 1, 1},     {5, 3, 7},    {13, 33, 17}, {12, 32, 256},
                          {37, 65, 300}, {150, 20, 9}, {3, 3100, 5}, {290, 40, 513}};
  for (Isa kernel : kAllIsas) {
    if (!SetIsaLimit(kernel).ok()) {
      WARN("skipping " << GemmKernelName(kernel) << ": this CPU cannot run it");
      continue;
    }
    REQUIRE(ActiveGemmKernel() == kernel);
    for (const Shape& s : shapes) {
      for (int ta = 0; ta < 2; ++ta) {
        for (int tb = 0; tb < 2; ++tb) {
          CheckAgainstNaive(ta, tb, s, false, 1);
          CheckAgainstNaive(ta, tb, s, true, 3);
        }
      }
    }
  }
}

void CheckThreadCountIndependence() {
  const int M = 203, N = 301, K = 517;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> A(M * K), B(K * N);
  for (float& x : A) x = u(rng);
  for (float& x : B) x = u(rng);
  std::vector<float> c1(M * N), c2(M * N), c4(M * N);
  Sgemm(false, false, M, N, K, A.data(), K, B.data(), N, c1.data(), N, false, 1);
  Sgemm(false, false, M, N, K, A.data(), K, B.data(), N, c2.data(), N, false, 2);
  Sgemm(false, false, M, N, K, A.data(), K, B.data(), N, c4.data(), N, false, 4);
  CHECK(std::memcmp(c1.data(), c2.data(), c1.size() * sizeof(float)) == 0);
  CHECK(std::memcmp(c1.data(), c4.data(), c1.size() * sizeof(float)) == 0);
}

TEST_CASE("Sgemm results do not depend on the thread count", "[transformer][gemm]") {
  CheckThreadCountIndependence();
}

// SgemmPackedB with a B packed beforehand against Sgemm, on the active kernel and precision.
void CheckPackedEqualsSgemm(std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-1, 1);
  for (int tb = 0; tb < 2; ++tb) {
    // K = 301: an odd K leaves the last bf16 k-pair half empty.
    for (auto [M, N, K] : {std::tuple{37, 3301, 301}, std::tuple{130, 33, 1000}}) {
      std::vector<float> A(M * K), B(K * N), c1(M * N), c2(M * N);
      for (float& x : A) x = u(rng);
      for (float& x : B) x = u(rng);
      for (size_t i = 0; i < c1.size(); ++i) c1[i] = c2[i] = u(rng);
      const int ldb = tb ? K : N;
      PackedMatrix packed;
      packed.Pack(tb, K, N, B.data(), ldb, 2);
      Sgemm(false, tb, M, N, K, A.data(), K, B.data(), ldb, c1.data(), N, true, 2);
      SgemmPackedB(false, M, A.data(), K, packed, c2.data(), N, true, 3);
      INFO(ActiveGemmKernelName() << " tb=" << tb << " M=" << M);
      CHECK(std::memcmp(c1.data(), c2.data(), c1.size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("A pre-packed B gives Sgemm's exact results", "[transformer][gemm]") {
  KernelGuard guard;
  std::mt19937 rng(6);
  for (Isa kernel : kAllIsas) {
    if (!SetIsaLimit(kernel).ok()) continue;
    CheckPackedEqualsSgemm(rng);
  }
}

// Restores fp32 products (and the automatic kernel) when a test ends.
struct PrecisionGuard {
  ~PrecisionGuard() {
    ClearIsaLimit();
    REQUIRE(SetGemmPrecision(GemmPrecision::kFp32).ok());
  }
};

// x rounded to bf16's 8 significant bits, to nearest even: written independently of gemm.cc's
// bit trick, with frexp and the FPU's own round-to-nearest-even.
float RoundToBf16(float x) {
  int e = 0;
  const double m = std::frexp(static_cast<double>(x), &e);  // 0.5 <= |m| < 1
  return static_cast<float>(std::ldexp(std::nearbyint(std::ldexp(m, 8)), e - 8));
}

TEST_CASE("bf16 Sgemm is the exact product of the operands rounded to bf16, summed in fp32",
          "[transformer][gemm][bf16]") {
  PrecisionGuard guard;
  if (!CpuHasAvx512Bf16()) {
    WARN("skipping: this CPU has no AVX512_BF16");
    return;
  }
  REQUIRE(SetGemmPrecision(GemmPrecision::kBf16).ok());
  REQUIRE(ActiveGemmPrecision() == GemmPrecision::kBf16);
  CHECK(std::string(ActiveGemmKernelName()) == "avx512-bf16 (12x32)");
  // Odd K (a k-pair half empty), K across k-blocks (256), edge tiles on both sides. Truncating
  // instead of rounding to nearest would be off by ~2^-9 per term.
  const Shape shapes[] = {{1, 1, 1}, {5, 3, 7}, {13, 33, 17}, {12, 32, 256},
                          {37, 65, 301}, {3, 3100, 5}, {290, 40, 513}};
  for (const Shape& s : shapes) {
    for (int ta = 0; ta < 2; ++ta) {
      for (int tb = 0; tb < 2; ++tb) {
        CheckAgainstNaive(ta, tb, s, false, 1, RoundToBf16);
        CheckAgainstNaive(ta, tb, s, true, 3, RoundToBf16);
      }
    }
  }
  CheckThreadCountIndependence();
}

TEST_CASE("bf16: a pre-packed B gives Sgemm's exact results", "[transformer][gemm][bf16]") {
  PrecisionGuard guard;
  if (!CpuHasAvx512Bf16()) {
    WARN("skipping: this CPU has no AVX512_BF16");
    return;
  }
  REQUIRE(SetGemmPrecision(GemmPrecision::kBf16).ok());
  std::mt19937 rng(7);
  CheckPackedEqualsSgemm(rng);
}

TEST_CASE("precision names, and bf16 refused where it cannot run", "[transformer][gemm][bf16]") {
  PrecisionGuard guard;
  CHECK(*ParseGemmPrecision("fp32") == GemmPrecision::kFp32);
  CHECK(*ParseGemmPrecision("bf16") == GemmPrecision::kBf16);
  CHECK(*ParseGemmPrecision("auto") ==
        (CpuHasAvx512Bf16() ? GemmPrecision::kBf16 : GemmPrecision::kFp32));
  CHECK(absl::IsInvalidArgument(ParseGemmPrecision("fp16").status()));
  CHECK(ActiveGemmPrecision() == GemmPrecision::kFp32);
  if (!CpuHasAvx512Bf16()) {
    CHECK(absl::IsFailedPrecondition(SetGemmPrecision(GemmPrecision::kBf16)));
    return;
  }
  // With the instruction set limited below avx512, bf16 is refused; a limit set afterwards
  // turns it off (the fp32 kernel of that level runs) rather than running a kernel it forbids.
  REQUIRE(SetIsaLimit(Isa::kAvx2).ok());
  CHECK(*ParseGemmPrecision("auto") == GemmPrecision::kFp32);  // auto means what can run
  const absl::Status refused = SetGemmPrecision(GemmPrecision::kBf16);
  CHECK(absl::IsFailedPrecondition(refused));
  CHECK_THAT(std::string(refused.message()), Catch::Contains("--isa"));
  ClearIsaLimit();
  REQUIRE(SetGemmPrecision(GemmPrecision::kBf16).ok());
  REQUIRE(SetIsaLimit(Isa::kAvx2).ok());
  CHECK(ActiveGemmPrecision() == GemmPrecision::kFp32);
  CHECK(std::string(ActiveGemmKernelName()) == GemmKernelName(Isa::kAvx2));
}

TEST_CASE("Sgemm with K = 0 clears or keeps C", "[transformer][gemm]") {
  std::vector<float> C = {1, 2, 3, 4};
  Sgemm(false, false, 2, 2, 0, nullptr, 1, nullptr, 2, C.data(), 2, true, 1);
  CHECK(C == std::vector<float>{1, 2, 3, 4});
  Sgemm(false, false, 2, 2, 0, nullptr, 1, nullptr, 2, C.data(), 2, false, 1);
  CHECK(C == std::vector<float>{0, 0, 0, 0});
}

}  // namespace
}  // namespace wordspace::transformer
