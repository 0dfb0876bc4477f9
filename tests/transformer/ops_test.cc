// Every op's backward against central finite differences of its forward, plus the fast math
// functions against libm.
#include "transformer/ops.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <vector>

#include "grad_check.h"

namespace wordspace::transformer {
namespace {

using testing::CheckGradient;
using testing::FillUniform;
using testing::GradCheckResult;
using testing::SampleIndices;

constexpr float kH = 1e-2f;
constexpr double kRtol = 2e-3;

// Checks `analytic` against finite differences on `indices` of x, then checks that the same
// comparison rejects the analytic gradient with its largest checked element 3% off.
void ExpectGradient(const char* what, const std::function<double()>& loss, float* x,
                    const float* analytic, const std::vector<size_t>& indices, double atol) {
  GradCheckResult r = CheckGradient(loss, x, analytic, indices, kH, kRtol, atol);
  INFO(what << ": " << r.checked << " checked, max abs error " << r.max_abs_error
            << ", max rel error " << r.max_rel_error << "; " << r.first_failure);
  CHECK(r.checked == static_cast<int>(indices.size()));
  CHECK(r.failed == 0);

  size_t worst = indices[0];
  for (size_t i : indices) {
    if (std::fabs(analytic[i]) > std::fabs(analytic[worst])) worst = i;
  }
  std::vector<float> wrong(analytic,
                           analytic + (*std::max_element(indices.begin(), indices.end()) + 1));
  wrong[worst] *= 1.03f;
  GradCheckResult bad = CheckGradient(loss, x, wrong.data(), {worst}, kH, kRtol, atol);
  INFO(what << ": a 3% error at index " << worst << " (analytic " << analytic[worst]
            << ") must be caught");
  CHECK(bad.failed == 1);
}

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

std::vector<size_t> AllIndices(size_t n) {
  std::vector<size_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

TEST_CASE("LayerNorm backward matches finite differences", "[transformer][ops]") {
  const int N = 5, C = 7;
  std::vector<float> x(N * C), w(C), b(C), wout(N * C);
  FillUniform(x, -2, 2, 1);
  FillUniform(w, 0.5, 1.5, 2);
  FillUniform(b, -0.5, 0.5, 3);
  FillUniform(wout, -1, 1, 4);
  std::vector<float> out(N * C), mean(N), rstd(N);
  auto loss = [&] {
    LayerNormForward(out.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), N, C, 1);
    return Dot(out, wout);
  };
  loss();
  std::vector<float> dx(N * C, 0.0f), dw(C, 0.0f), db(C, 0.0f);
  LayerNormBackward(dx.data(), dw.data(), db.data(), wout.data(), x.data(), w.data(), mean.data(),
                    rstd.data(), N, C, 1);
  ExpectGradient("layernorm dinp", loss, x.data(), dx.data(), AllIndices(N * C), 1e-4);
  ExpectGradient("layernorm dweight", loss, w.data(), dw.data(), AllIndices(C), 1e-4);
  ExpectGradient("layernorm dbias", loss, b.data(), db.data(), AllIndices(C), 1e-4);
}

TEST_CASE("LayerNorm backward accumulates into dinp", "[transformer][ops]") {
  const int N = 3, C = 4;
  std::vector<float> x(N * C), w(C, 1.0f), b(C, 0.0f), dout(N * C);
  FillUniform(x, -1, 1, 5);
  FillUniform(dout, -1, 1, 6);
  std::vector<float> out(N * C), mean(N), rstd(N);
  LayerNormForward(out.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), N, C, 1);
  std::vector<float> d1(N * C, 0.0f), d2(N * C, 1.0f), dw(C), db(C);
  LayerNormBackward(d1.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), mean.data(),
                    rstd.data(), N, C, 1);
  LayerNormBackward(d2.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), mean.data(),
                    rstd.data(), N, C, 1);
  for (int i = 0; i < N * C; ++i) CHECK(d2[i] == Approx(d1[i] + 1.0f).margin(1e-6));
}

TEST_CASE("LayerNorm without a bias is LayerNorm with a zero bias", "[transformer][ops]") {
  const int N = 4, C = 6;
  std::vector<float> x(N * C), w(C), zero(C, 0.0f), dout(N * C);
  FillUniform(x, -2, 2, 40);
  FillUniform(w, 0.5, 1.5, 41);
  FillUniform(dout, -1, 1, 42);
  std::vector<float> a(N * C), b(N * C), mean(N), rstd(N);
  LayerNormForward(a.data(), mean.data(), rstd.data(), x.data(), w.data(), zero.data(), N, C, 1);
  LayerNormForward(b.data(), mean.data(), rstd.data(), x.data(), w.data(), nullptr, N, C, 1);
  CHECK(a == b);
  std::vector<float> dx1(N * C, 0.0f), dx2(N * C, 0.0f), dw1(C, 0.0f), dw2(C, 0.0f), db(C, 0.0f);
  LayerNormBackward(dx1.data(), dw1.data(), db.data(), dout.data(), x.data(), w.data(),
                    mean.data(), rstd.data(), N, C, 1);
  LayerNormBackward(dx2.data(), dw2.data(), nullptr, dout.data(), x.data(), w.data(), mean.data(),
                    rstd.data(), N, C, 1);
  CHECK(dx1 == dx2);
  CHECK(dw1 == dw2);
}

TEST_CASE("RMSNorm matches its definition and finite differences", "[transformer][ops]") {
  const int N = 5, C = 7;
  std::vector<float> x(N * C), w(C), wout(N * C);
  FillUniform(x, -2, 2, 43);
  FillUniform(w, 0.5, 1.5, 44);
  FillUniform(wout, -1, 1, 45);
  std::vector<float> out(N * C), rstd(N);
  auto loss = [&] {
    RmsNormForward(out.data(), rstd.data(), x.data(), w.data(), N, C, 1);
    return Dot(out, wout);
  };
  loss();
  for (int n = 0; n < N; ++n) {
    double sq = 0;
    for (int c = 0; c < C; ++c) sq += static_cast<double>(x[n * C + c]) * x[n * C + c];
    const double s = 1.0 / std::sqrt(sq / C + 1e-5);
    for (int c = 0; c < C; ++c) CHECK(out[n * C + c] == Approx(x[n * C + c] * s * w[c]).margin(1e-6));
  }
  std::vector<float> dx(N * C, 0.0f), dw(C, 0.0f);
  RmsNormBackward(dx.data(), dw.data(), wout.data(), x.data(), w.data(), rstd.data(), N, C, 1);
  ExpectGradient("rmsnorm dinp", loss, x.data(), dx.data(), AllIndices(N * C), 1e-4);
  ExpectGradient("rmsnorm dweight", loss, w.data(), dw.data(), AllIndices(C), 1e-4);
}

TEST_CASE("Rotary positions make scores depend on the offset only", "[transformer][ops]") {
  const int T = 9, C = 8, NH = 2, hs = C / NH;
  const std::vector<float> table = RopeTable(T, hs);
  // The same q at every position and the same k at every position: after the rotation, q_t·k_s
  // depends on t - s alone, and rotations keep every head's norm.
  std::vector<float> one(3 * C);
  FillUniform(one, -1, 1, 46);
  std::vector<float> qkv(T * 3 * C);
  for (int t = 0; t < T; ++t) std::copy(one.begin(), one.end(), qkv.begin() + t * 3 * C);
  RopeForward(qkv.data(), table.data(), T, 1, T, C, NH, 1);
  auto head_dot = [&](int t, int s, int h) {
    double d = 0;
    for (int i = 0; i < hs; ++i) {
      d += static_cast<double>(qkv[t * 3 * C + h * hs + i]) * qkv[s * 3 * C + C + h * hs + i];
    }
    return d;
  };
  for (int h = 0; h < NH; ++h) {
    for (int t = 0; t + 3 < T; ++t) CHECK(head_dot(t + 3, t, h) == Approx(head_dot(3, 0, h)).margin(1e-5));
    CHECK(std::fabs(head_dot(3, 0, h) - head_dot(0, 0, h)) > 1e-3);  // the offset does matter
    double n0 = 0, n5 = 0;
    for (int i = 0; i < hs; ++i) {
      n0 += one[h * hs + i] * one[h * hs + i];
      n5 += qkv[5 * 3 * C + h * hs + i] * qkv[5 * 3 * C + h * hs + i];
    }
    CHECK(n5 == Approx(n0).epsilon(1e-5));
  }
  // Position 0 is not rotated, and v is never touched.
  for (int i = 0; i < 3 * C; ++i) CHECK(qkv[i] == one[i]);
  for (int t = 0; t < T; ++t) {
    for (int i = 2 * C; i < 3 * C; ++i) CHECK(qkv[t * 3 * C + i] == one[i]);
  }
}

TEST_CASE("Rotary positions' backward matches finite differences", "[transformer][ops]") {
  const int B = 2, T = 5, C = 8, NH = 2;
  const std::vector<float> table = RopeTable(7, C / NH);  // a longer table than the windows
  std::vector<float> qkv(B * T * 3 * C), wout(B * T * 3 * C), rotated;
  FillUniform(qkv, -1.5, 1.5, 47);
  FillUniform(wout, -1, 1, 48);
  auto loss = [&] {
    rotated = qkv;
    RopeForward(rotated.data(), table.data(), 7, B, T, C, NH, 1);
    return Dot(rotated, wout);
  };
  loss();
  std::vector<float> d = wout;
  RopeBackward(d.data(), table.data(), 7, B, T, C, NH, 1);
  ExpectGradient("rope dqkv", loss, qkv.data(), d.data(), AllIndices(qkv.size()), 1e-4);
}

TEST_CASE("SwiGLU matches its definition and finite differences", "[transformer][ops]") {
  const int N = 3, H = 10;
  std::vector<float> x(N * 2 * H), wout(N * H), out(N * H);
  FillUniform(x, -5, 5, 49);
  FillUniform(wout, -1, 1, 50);
  auto loss = [&] {
    SwiGluForward(out.data(), x.data(), N, H, 1);
    return Dot(out, wout);
  };
  loss();
  for (int n = 0; n < N; ++n) {
    for (int i = 0; i < H; ++i) {
      const double a = x[n * 2 * H + i], b = x[n * 2 * H + H + i];
      CHECK(out[n * H + i] == Approx(a / (1 + std::exp(-a)) * b).margin(1e-5));
    }
  }
  std::vector<float> dx(N * 2 * H, 9.0f);  // overwritten
  SwiGluBackward(dx.data(), x.data(), wout.data(), N, H, 1);
  ExpectGradient("swiglu dinp", loss, x.data(), dx.data(), AllIndices(dx.size()), 1e-4);
}

TEST_CASE("Matmul backward matches finite differences", "[transformer][ops]") {
  const int N = 5, C = 6, OC = 7;
  std::vector<float> x(N * C), w(OC * C), bias(OC), wout(N * OC);
  FillUniform(x, -1, 1, 7);
  FillUniform(w, -1, 1, 8);
  FillUniform(bias, -1, 1, 9);
  FillUniform(wout, -1, 1, 10);
  std::vector<float> out(N * OC);
  auto loss = [&] {
    MatmulForward(out.data(), x.data(), w.data(), bias.data(), N, C, OC, 1);
    return Dot(out, wout);
  };
  loss();
  // A reference product in double.
  for (int n = 0; n < N; ++n) {
    for (int o = 0; o < OC; ++o) {
      double s = bias[o];
      for (int c = 0; c < C; ++c) s += static_cast<double>(x[n * C + c]) * w[o * C + c];
      CHECK(out[n * OC + o] == Approx(s).margin(1e-5));
    }
  }
  std::vector<float> dx(N * C, 123.0f), dw(OC * C, 0.0f), db(OC, 0.0f);  // dinp is overwritten
  MatmulBackward(dx.data(), dw.data(), db.data(), wout.data(), x.data(), w.data(), N, C, OC, 1);
  ExpectGradient("matmul dinp", loss, x.data(), dx.data(), AllIndices(N * C), 1e-4);
  ExpectGradient("matmul dweight", loss, w.data(), dw.data(), AllIndices(OC * C), 1e-4);
  ExpectGradient("matmul dbias", loss, bias.data(), db.data(), AllIndices(OC), 1e-4);
}

TEST_CASE("Attention backward matches finite differences", "[transformer][ops]") {
  const int B = 2, T = 5, C = 8, NH = 2;
  std::vector<float> qkv(B * T * 3 * C), wout(B * T * C);
  FillUniform(qkv, -1.5, 1.5, 11);
  FillUniform(wout, -1, 1, 12);
  std::vector<float> out(B * T * C), att(B * NH * T * T);
  auto loss = [&] {
    AttentionForward(out.data(), att.data(), qkv.data(), B, T, C, NH, 1);
    return Dot(out, wout);
  };
  loss();
  // Causality: attention rows sum to one and never look ahead.
  for (int bh = 0; bh < B * NH; ++bh) {
    for (int t = 0; t < T; ++t) {
      double s = 0;
      for (int u = 0; u < T; ++u) {
        const float a = att[(bh * T + t) * T + u];
        if (u > t) CHECK(a == 0.0f);
        s += a;
      }
      CHECK(s == Approx(1.0).margin(1e-6));
    }
  }
  std::vector<float> dqkv(B * T * 3 * C, 7.0f), scratch(B * NH * T * T);
  AttentionBackward(dqkv.data(), scratch.data(), wout.data(), qkv.data(), att.data(), B, T, C, NH,
                    1);
  ExpectGradient("attention dqkv", loss, qkv.data(), dqkv.data(), AllIndices(qkv.size()), 1e-4);
}

TEST_CASE("Attention output does not depend on later tokens", "[transformer][ops]") {
  const int B = 1, T = 6, C = 4, NH = 1;
  std::vector<float> qkv(B * T * 3 * C);
  FillUniform(qkv, -1, 1, 13);
  std::vector<float> out1(B * T * C), out2(B * T * C), att(B * NH * T * T);
  AttentionForward(out1.data(), att.data(), qkv.data(), B, T, C, NH, 1);
  for (int i = 4 * 3 * C; i < T * 3 * C; ++i) qkv[i] += 0.5f;  // change tokens 4 and 5
  AttentionForward(out2.data(), att.data(), qkv.data(), B, T, C, NH, 1);
  for (int i = 0; i < 4 * C; ++i) CHECK(out1[i] == out2[i]);
  bool changed = false;
  for (int i = 4 * C; i < T * C; ++i) changed |= out1[i] != out2[i];
  CHECK(changed);
}

TEST_CASE("GELU backward matches finite differences", "[transformer][ops]") {
  const int n = 64;
  std::vector<float> x(n), wout(n), out(n);
  FillUniform(x, -4, 4, 14);
  FillUniform(wout, -1, 1, 15);
  auto loss = [&] {
    GeluForward(out.data(), x.data(), n, 1);
    return Dot(out, wout);
  };
  loss();
  for (int i = 0; i < n; ++i) {
    const double xi = x[i];
    const double ref =
        0.5 * xi * (1 + std::tanh(std::sqrt(2 / M_PI) * (xi + 0.044715 * xi * xi * xi)));
    CHECK(out[i] == Approx(ref).margin(1e-6));
  }
  std::vector<float> dx(n);
  GeluBackward(dx.data(), x.data(), wout.data(), n, 1);
  ExpectGradient("gelu dinp", loss, x.data(), dx.data(), AllIndices(n), 1e-4);
}

TEST_CASE("Encoder backward matches finite differences", "[transformer][ops]") {
  const int B = 2, T = 4, C = 3, V = 6;
  std::vector<int32_t> ids = {0, 5, 2, 5, 1, 1, 3, 0};
  std::vector<float> wte(V * C), wpe(T * C), wout(B * T * C), out(B * T * C);
  FillUniform(wte, -1, 1, 16);
  FillUniform(wpe, -1, 1, 17);
  FillUniform(wout, -1, 1, 18);
  auto loss = [&] {
    EncoderForward(out.data(), ids.data(), wte.data(), wpe.data(), B, T, C, 1);
    return Dot(out, wout);
  };
  loss();
  std::vector<float> dwte(V * C, 0.0f), dwpe(T * C, 0.0f);
  EncoderBackward(dwte.data(), dwpe.data(), wout.data(), ids.data(), B, T, C);
  ExpectGradient("encoder dwte", loss, wte.data(), dwte.data(), AllIndices(V * C), 1e-4);
  ExpectGradient("encoder dwpe", loss, wpe.data(), dwpe.data(), AllIndices(T * C), 1e-4);
  // Token 4 never occurs: its gradient row is exactly zero.
  for (int c = 0; c < C; ++c) CHECK(dwte[4 * C + c] == 0.0f);
}

TEST_CASE("Fused classifier matches a naive softmax cross-entropy and its gradient",
          "[transformer][ops]") {
  const int N = 7, C = 5, V = 11, chunk = 3;  // chunks of 3, 3 and 1 rows
  std::vector<float> x(N * C), w(V * C);
  FillUniform(x, -1.5, 1.5, 19);
  FillUniform(w, -1.5, 1.5, 20);
  std::vector<int32_t> targets = {0, 10, 3, 3, 7, 1, 9};
  std::vector<float> losses(N), scratch(chunk * V);
  const float dloss = 1.0f / N;
  auto loss = [&] {
    ClassifierForwardBackward(losses.data(), nullptr, nullptr, x.data(), w.data(), targets.data(),
                              N, C, V, dloss, chunk, scratch.data(), 1);
    double s = 0;
    for (float l : losses) s += l;
    return s / N;
  };
  loss();
  for (int n = 0; n < N; ++n) {
    std::vector<double> logits(V);
    double m = -1e300;
    for (int v = 0; v < V; ++v) {
      double s = 0;
      for (int c = 0; c < C; ++c) s += static_cast<double>(x[n * C + c]) * w[v * C + c];
      logits[v] = s;
      m = std::max(m, s);
    }
    double z = 0;
    for (double l : logits) z += std::exp(l - m);
    CHECK(losses[n] == Approx(std::log(z) + m - logits[targets[n]]).margin(2e-6));
  }
  std::vector<float> dx(N * C, 5.0f), dw_t(C * V, 0.0f), dw(V * C, 0.0f);
  ClassifierForwardBackward(losses.data(), dx.data(), dw_t.data(), x.data(), w.data(),
                            targets.data(), N, C, V, dloss, chunk, scratch.data(), 1);
  AddTransposed(dw.data(), dw_t.data(), V, C, 1);
  ExpectGradient("classifier dinp", loss, x.data(), dx.data(), AllIndices(N * C), 1e-5);
  ExpectGradient("classifier dweight", loss, w.data(), dw.data(), AllIndices(V * C), 1e-5);
}

TEST_CASE("Classifier log-probabilities are normalised", "[transformer][ops]") {
  const int N = 5, C = 4, V = 9;
  std::vector<float> x(N * C), w(V * C), scratch(2 * V);
  FillUniform(x, -3, 3, 21);
  FillUniform(w, -3, 3, 22);
  int rows_seen = 0;
  ClassifierLogProbs(x.data(), w.data(), N, C, V, 2, scratch.data(), 1,
                     [&](int first, int rows, const float* logp) {
                       CHECK(first == rows_seen);
                       for (int r = 0; r < rows; ++r) {
                         double s = 0;
                         for (int v = 0; v < V; ++v) s += std::exp(logp[r * V + v]);
                         CHECK(s == Approx(1.0).margin(1e-5));
                       }
                       rows_seen += rows;
                     });
  CHECK(rows_seen == N);
}

TEST_CASE("Ops give identical bits for any thread count", "[transformer][ops]") {
  const int B = 3, T = 17, C = 32, NH = 4, OC = 96;
  const int N = B * T;
  std::vector<float> x(N * C), w(OC * C), bias(OC), dout(N * OC), qkv(N * 3 * C), dy(N * C);
  FillUniform(x, -1, 1, 23);
  FillUniform(w, -1, 1, 24);
  FillUniform(bias, -1, 1, 25);
  FillUniform(dout, -1, 1, 26);
  FillUniform(qkv, -1, 1, 27);
  FillUniform(dy, -1, 1, 28);
  auto run = [&](int threads) {
    std::vector<float> all;
    std::vector<float> out(N * OC), dx(N * C), dw(OC * C, 0.0f), db(OC, 0.0f);
    MatmulForward(out.data(), x.data(), w.data(), bias.data(), N, C, OC, threads);
    MatmulBackward(dx.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), N, C, OC,
                   threads);
    std::vector<float> y(N * C), att(B * NH * T * T), dqkv(N * 3 * C), scratch(B * NH * T * T);
    AttentionForward(y.data(), att.data(), qkv.data(), B, T, C, NH, threads);
    AttentionBackward(dqkv.data(), scratch.data(), dy.data(), qkv.data(), att.data(), B, T, C, NH,
                      threads);
    std::vector<float> ln(N * C), mean(N), rstd(N), dln(N * C, 0.0f), lw(C, 0.0f), lb(C, 0.0f);
    LayerNormForward(ln.data(), mean.data(), rstd.data(), x.data(), bias.data(), bias.data() + C, N,
                     C, threads);
    LayerNormBackward(dln.data(), lw.data(), lb.data(), dy.data(), x.data(), bias.data(),
                      mean.data(), rstd.data(), N, C, threads);
    std::vector<float> rms(N * C), rms_rstd(N), drms(N * C, 0.0f), rw(C, 0.0f);
    RmsNormForward(rms.data(), rms_rstd.data(), x.data(), bias.data(), N, C, threads);
    RmsNormBackward(drms.data(), rw.data(), dy.data(), x.data(), bias.data(), rms_rstd.data(), N, C,
                    threads);
    const std::vector<float> table = RopeTable(T, C / NH);
    std::vector<float> roped = qkv;
    RopeForward(roped.data(), table.data(), T, B, T, C, NH, threads);
    RopeBackward(roped.data(), table.data(), T, B, T, C, NH, threads);
    std::vector<float> swi(N * OC / 2), dswi(N * OC);
    SwiGluForward(swi.data(), out.data(), N, OC / 2, threads);
    SwiGluBackward(dswi.data(), out.data(), dout.data(), N, OC / 2, threads);
    for (auto* v : {&out, &dx, &dw, &db, &y, &att, &dqkv, &ln, &dln, &lw, &lb, &rms, &drms, &rw,
                    &roped, &swi, &dswi}) {
      all.insert(all.end(), v->begin(), v->end());
    }
    return all;
  };
  const std::vector<float> one = run(1);
  const std::vector<float> three = run(3);
  REQUIRE(one.size() == three.size());
  CHECK(std::memcmp(one.data(), three.data(), one.size() * sizeof(float)) == 0);
}

TEST_CASE("FastExp and FastTanh are accurate to a few ulp", "[transformer][ops]") {
  double max_exp = 0, max_tanh = 0;
  for (double x = -87.0; x <= 88.0; x += 0.0137) {
    const float xf = static_cast<float>(x);
    const double ref = std::exp(static_cast<double>(xf));
    max_exp = std::max(max_exp, std::fabs(FastExp(xf) - ref) / ref);
  }
  for (double x = -12.0; x <= 12.0; x += 0.00093) {
    const float xf = static_cast<float>(x);
    const double ref = std::tanh(static_cast<double>(xf));
    const double err = std::fabs(FastTanh(xf) - ref);
    max_tanh = std::max(max_tanh, std::fabs(ref) > 1e-30 ? err / std::fabs(ref) : err);
  }
  INFO("max relative error: exp " << max_exp << ", tanh " << max_tanh);
  CHECK(max_exp < 3.6e-7);  // 3 ulp at 2^-23
  CHECK(max_tanh < 6e-7);   // 5 ulp
  CHECK(FastExp(-1000.0f) >= 0.0f);
  CHECK(FastExp(-1000.0f) < 1e-37f);
  CHECK(std::isfinite(FastExp(1000.0f)));
  CHECK(FastTanh(50.0f) == 1.0f);
  CHECK(FastTanh(-50.0f) == -1.0f);
  CHECK(FastTanh(0.0f) == 0.0f);
}

}  // namespace
}  // namespace wordspace::transformer
