#include "transformer/ops.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "base/isa_dispatch.h"
#include "base/parallel_for.h"
#include "transformer/gemm.h"

// The hot element-wise loops are compiled once per instruction-set level (base/isa_dispatch.h)
// and picked at run time from ActiveIsa(), so a portable binary still runs them 16 lanes wide
// on AVX-512 machines, and --isa can pin them to a narrower level.

namespace wordspace::transformer {
namespace {

constexpr float kLayerNormEps = 1e-5f;
// Rows per block for column reductions (bias and LayerNorm weight gradients): partial sums of
// fixed blocks, added in block order, keep the result independent of the thread count.
constexpr int kRowBlock = 64;

// exp(x) after Cephes' expf: x = n ln2 + r with |r| <= ln2/2, a degree-6 polynomial for e^r
// and the exponent bits for 2^n. Rounding uses the 1.5*2^23 trick so that it vectorises without
// SSE4.1. Inputs are clamped to [-87.3, 88] (results stay normal and finite).
WORDSPACE_ALWAYS_INLINE float ExpInline(float x) {
  x = std::min(std::max(x, -87.3365f), 88.0f);
  const float fx = x * 1.44269504088896341f;
  const float magic = 12582912.0f;  // 1.5 * 2^23
  const float n = (fx + magic) - magic;
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  const float r2 = r * r;
  float y = 1.9875691500e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * r2 + r + 1.0f;
  // NaN passes the clamp above and stays NaN in y, but converting it to int is undefined
  // behaviour (a NaN weight in a damaged checkpoint reached it): it converts 0 instead.
  const int32_t bits = (static_cast<int32_t>(n == n ? n : 0.0f) + 127) << 23;
  return y * std::bit_cast<float>(bits);
}

// tanh after Cephes' tanhf: an odd polynomial for |x| < 0.625, 1 - 2/(e^{2|x|} + 1) above;
// both are computed and one selected so that the loop vectorises.
WORDSPACE_ALWAYS_INLINE float TanhInline(float x) {
  const float ax = std::fabs(x);
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = x + x * z * p;
  const float e = ExpInline(2.0f * std::min(ax, 10.0f));
  float big = 1.0f - 2.0f / (e + 1.0f);
  big = x < 0 ? -big : big;
  return ax < 0.625f ? small : big;
}

// Softmax cross-entropy of one row of logits; with `grad`, the row becomes
// (softmax - onehot(target)) * dloss. Returns the loss.
WORDSPACE_ALWAYS_INLINE float SoftmaxXentRowBody(float* row, int V, int target, float dloss,
                                                 bool grad) {
  float maxv = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : maxv)
  for (int j = 0; j < V; ++j) maxv = std::max(maxv, row[j]);
  const float target_logit = row[target];
  float sum = 0.0f;
  if (grad) {
#pragma omp simd reduction(+ : sum)
    for (int j = 0; j < V; ++j) {
      const float e = ExpInline(row[j] - maxv);
      row[j] = e;
      sum += e;
    }
    const float scale = dloss / sum;
#pragma omp simd
    for (int j = 0; j < V; ++j) row[j] *= scale;
    row[target] -= dloss;
  } else {
#pragma omp simd reduction(+ : sum)
    for (int j = 0; j < V; ++j) sum += ExpInline(row[j] - maxv);
  }
  return std::log(sum) + maxv - target_logit;
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", float, SoftmaxXentRow,
                       (float* row, int V, int target, float dloss, bool grad),
                       (row, V, target, dloss, grad))

WORDSPACE_ALWAYS_INLINE void LogSoftmaxRowBody(float* row, int V) {
  float maxv = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : maxv)
  for (int j = 0; j < V; ++j) maxv = std::max(maxv, row[j]);
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int j = 0; j < V; ++j) sum += ExpInline(row[j] - maxv);
  const float lse = maxv + std::log(sum);
#pragma omp simd
  for (int j = 0; j < V; ++j) row[j] -= lse;
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, LogSoftmaxRow,
                       (float* row, int V),
                       (row, V))

// Causal softmax of one attention row in place: positions 0..t get softmax(scale * x), the rest
// zero.
WORDSPACE_ALWAYS_INLINE void CausalSoftmaxRowBody(float* row, int t, int T, float scale) {
  float maxv = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : maxv)
  for (int j = 0; j <= t; ++j) {
    row[j] *= scale;
    maxv = std::max(maxv, row[j]);
  }
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int j = 0; j <= t; ++j) {
    const float e = ExpInline(row[j] - maxv);
    row[j] = e;
    sum += e;
  }
  const float inv = 1.0f / sum;
#pragma omp simd
  for (int j = 0; j <= t; ++j) row[j] *= inv;
  for (int j = t + 1; j < T; ++j) row[j] = 0.0f;
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, CausalSoftmaxRow,
                       (float* row, int t, int T, float scale),
                       (row, t, T, scale))

// Softmax backward of one causal row, scaled: d[j] = att[j] * (d[j] - sum_k att[k] d[k]) * scale.
WORDSPACE_ALWAYS_INLINE void CausalSoftmaxBackwardRowBody(float* d, const float* att, int t, int T,
                                                          float scale) {
  float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
  for (int j = 0; j <= t; ++j) dot += att[j] * d[j];
#pragma omp simd
  for (int j = 0; j <= t; ++j) d[j] = att[j] * (d[j] - dot) * scale;
  for (int j = t + 1; j < T; ++j) d[j] = 0.0f;
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, CausalSoftmaxBackwardRow,
                       (float* d, const float* att, int t, int T, float scale),
                       (d, att, t, T, scale))

constexpr float kGeluScale = 0.7978845608028654f;  // sqrt(2/pi)
constexpr float kGeluCube = 0.044715f;

WORDSPACE_ALWAYS_INLINE void GeluForwardRangeBody(float* out, const float* inp, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) {
    const float x = inp[i];
    const float cube = kGeluCube * x * x * x;
    out[i] = 0.5f * x * (1.0f + TanhInline(kGeluScale * (x + cube)));
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, GeluForwardRange,
                       (float* out, const float* inp, int64_t n),
                       (out, inp, n))

WORDSPACE_ALWAYS_INLINE void GeluBackwardRangeBody(float* dinp, const float* inp, const float* dout,
                                                   int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) {
    const float x = inp[i];
    const float cube = kGeluCube * x * x * x;
    const float th = TanhInline(kGeluScale * (x + cube));
    const float sech2 = 1.0f - th * th;
    const float local =
        0.5f * (1.0f + th) + x * 0.5f * sech2 * kGeluScale * (1.0f + 3.0f * kGeluCube * x * x);
    dinp[i] = local * dout[i];
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, GeluBackwardRange,
                       (float* dinp, const float* inp, const float* dout, int64_t n),
                       (dinp, inp, dout, n))

WORDSPACE_ALWAYS_INLINE void LayerNormRowBody(float* out, float* mean_out, float* rstd_out,
                                              const float* x, const float* w, const float* b,
                                              int C) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int i = 0; i < C; ++i) sum += x[i];
  const float m = sum / C;
  float var = 0.0f;
#pragma omp simd reduction(+ : var)
  for (int i = 0; i < C; ++i) var += (x[i] - m) * (x[i] - m);
  const float s = 1.0f / std::sqrt(var / C + kLayerNormEps);
  if (b != nullptr) {
#pragma omp simd
    for (int i = 0; i < C; ++i) out[i] = (x[i] - m) * s * w[i] + b[i];
  } else {
#pragma omp simd
    for (int i = 0; i < C; ++i) out[i] = (x[i] - m) * s * w[i];
  }
  *mean_out = m;
  *rstd_out = s;
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, LayerNormRow,
                       (float* out, float* mean_out, float* rstd_out, const float* x,
                        const float* w, const float* b, int C),
                       (out, mean_out, rstd_out, x, w, b, C))

// One row of LayerNorm backward: dinp += ...; dw, db (partial sums of this row block) += ...
WORDSPACE_ALWAYS_INLINE void LayerNormBackwardRowBody(float* dinp, float* dw, float* db,
                                                      const float* dout, const float* x,
                                                      const float* w, float m, float s, int C) {
  float dnorm_mean = 0.0f, dnorm_norm_mean = 0.0f;
#pragma omp simd reduction(+ : dnorm_mean, dnorm_norm_mean)
  for (int i = 0; i < C; ++i) {
    const float norm = (x[i] - m) * s;
    const float dnorm = w[i] * dout[i];
    dnorm_mean += dnorm;
    dnorm_norm_mean += dnorm * norm;
  }
  dnorm_mean /= C;
  dnorm_norm_mean /= C;
#pragma omp simd
  for (int i = 0; i < C; ++i) {
    const float norm = (x[i] - m) * s;
    const float dnorm = w[i] * dout[i];
    db[i] += dout[i];
    dw[i] += norm * dout[i];
    dinp[i] += (dnorm - dnorm_mean - norm * dnorm_norm_mean) * s;
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, LayerNormBackwardRow,
                       (float* dinp, float* dw, float* db, const float* dout, const float* x,
                        const float* w, float m, float s, int C),
                       (dinp, dw, db, dout, x, w, m, s, C))

WORDSPACE_ALWAYS_INLINE void RmsNormRowBody(float* out, float* rstd_out, const float* x,
                                            const float* w, int C) {
  float sq = 0.0f;
#pragma omp simd reduction(+ : sq)
  for (int i = 0; i < C; ++i) sq += x[i] * x[i];
  const float s = 1.0f / std::sqrt(sq / C + kLayerNormEps);
#pragma omp simd
  for (int i = 0; i < C; ++i) out[i] = x[i] * s * w[i];
  *rstd_out = s;
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, RmsNormRow,
                       (float* out, float* rstd_out, const float* x, const float* w, int C),
                       (out, rstd_out, x, w, C))

// One row of RMSNorm backward. With y = x s w and s = (mean(x^2) + eps)^(-1/2),
// dx = s (w dy) - s^3 x mean(w dy x); dw (this row block's partial sums) += x s dy.
WORDSPACE_ALWAYS_INLINE void RmsNormBackwardRowBody(float* dinp, float* dw, const float* dout,
                                                    const float* x, const float* w, float s,
                                                    int C) {
  float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
  for (int i = 0; i < C; ++i) dot += w[i] * dout[i] * x[i];
  const float k = s * s * s * dot / C;
#pragma omp simd
  for (int i = 0; i < C; ++i) {
    dw[i] += x[i] * s * dout[i];
    dinp[i] += s * w[i] * dout[i] - k * x[i];
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, RmsNormBackwardRow,
                       (float* dinp, float* dw, const float* dout, const float* x, const float* w,
                        float s, int C),
                       (dinp, dw, dout, x, w, s, C))

// silu(a) * b and its two partial derivatives, row by row over gate | up halves.
WORDSPACE_ALWAYS_INLINE void SwiGluRowBody(float* out, const float* gate, const float* up, int H) {
#pragma omp simd
  for (int i = 0; i < H; ++i) {
    const float a = gate[i];
    out[i] = a / (1.0f + ExpInline(-a)) * up[i];
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, SwiGluRow,
                       (float* out, const float* gate, const float* up, int H),
                       (out, gate, up, H))

WORDSPACE_ALWAYS_INLINE void SwiGluBackwardRowBody(float* dgate, float* dup, const float* gate,
                                                   const float* up, const float* dout, int H) {
#pragma omp simd
  for (int i = 0; i < H; ++i) {
    const float a = gate[i];
    const float sig = 1.0f / (1.0f + ExpInline(-a));
    const float d = dout[i];
    dgate[i] = d * up[i] * sig * (1.0f + a * (1.0f - sig));
    dup[i] = d * a * sig;
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, SwiGluBackwardRow,
                       (float* dgate, float* dup, const float* gate, const float* up,
                        const float* dout, int H),
                       (dgate, dup, gate, up, dout, H))

// Column reductions over N rows (a bias's or a norm weight's gradient) in fixed blocks of
// kRowBlock rows: row(n, partial) accumulates row n into its block's `width` partial sums, and
// add(partial) then takes the blocks in order, so the sums do not depend on the thread count.
template <typename RowFn, typename AddFn>
void ReduceInRowBlocks(int N, int width, int threads, RowFn&& row, AddFn&& add) {
  const int blocks = (N + kRowBlock - 1) / kRowBlock;
  std::vector<float> partial(static_cast<size_t>(blocks) * width, 0.0f);
  ForEachIndex(blocks, (blocks > 1 && threads > 1) ? threads : 1, [&](int64_t blk) {
    float* p = partial.data() + static_cast<size_t>(blk) * width;
    const int64_t end = std::min<int64_t>(N, (blk + 1) * kRowBlock);
    for (int n = blk * kRowBlock; n < end; ++n) row(n, p);
  });
  for (int blk = 0; blk < blocks; ++blk) add(partial.data() + static_cast<size_t>(blk) * width);
}

// out[c] += sum over rows of x[n*C + c], in fixed row blocks.
void AddColumnSums(float* out, const float* x, int N, int C, int threads) {
  ReduceInRowBlocks(
      N, C, threads,
      [&](int n, float* p) {
        const float* row = x + static_cast<int64_t>(n) * C;
#pragma omp simd
        for (int c = 0; c < C; ++c) p[c] += row[c];
      },
      [&](const float* p) {
        for (int c = 0; c < C; ++c) out[c] += p[c];
      });
}

// Rotates every head's (x[2i], x[2i+1]) pairs of q and k by +angle (sign 1) or -angle (-1).
void RotatePairs(float* qkv, const float* table, int max_positions, int B, int T, int C, int NH,
                 float sign, int threads) {
  const int hs = C / NH, half = hs / 2;
  const float* cos_table = table;
  const float* sin_table = table + static_cast<size_t>(max_positions) * half;
  ForEachIndex(static_cast<int64_t>(B) * T, threads, [&](int64_t bt) {
    const int t = static_cast<int>(bt % T);
    const float* cs = cos_table + static_cast<size_t>(t) * half;
    const float* sn = sin_table + static_cast<size_t>(t) * half;
    float* row = qkv + bt * 3 * C;
    for (int part = 0; part < 2; ++part) {  // q, then k; v keeps its values
      for (int h = 0; h < NH; ++h) {
        float* x = row + part * C + h * hs;
        for (int i = 0; i < half; ++i) {
          const float a = x[2 * i], b = x[2 * i + 1];
          const float c = cs[i], s = sign * sn[i];
          x[2 * i] = a * c - b * s;
          x[2 * i + 1] = a * s + b * c;
        }
      }
    }
  });
}

}  // namespace

float FastExp(float x) { return ExpInline(x); }
float FastTanh(float x) { return TanhInline(x); }

void EncoderForward(float* out, const int32_t* inp, const float* wte, const float* wpe, int B,
                    int T, int C, int threads) {
  ForEachIndex(B * T, threads, [&](int64_t bt) {
    const int t = bt % T;
    float* o = out + static_cast<int64_t>(bt) * C;
    const float* e = wte + static_cast<int64_t>(inp[bt]) * C;
    if (wpe == nullptr) {
      std::memcpy(o, e, sizeof(float) * C);
      return;
    }
    const float* p = wpe + static_cast<int64_t>(t) * C;
    for (int c = 0; c < C; ++c) o[c] = e[c] + p[c];
  });
}

void EncoderBackward(float* dwte, float* dwpe, const float* dout, const int32_t* inp, int B, int T,
                     int C) {
  for (int bt = 0; bt < B * T; ++bt) {
    const float* d = dout + static_cast<int64_t>(bt) * C;
    if (dwte != nullptr) {
      float* g = dwte + static_cast<int64_t>(inp[bt]) * C;
      for (int c = 0; c < C; ++c) g[c] += d[c];
    }
    if (dwpe != nullptr) {
      float* g = dwpe + static_cast<int64_t>(bt % T) * C;
      for (int c = 0; c < C; ++c) g[c] += d[c];
    }
  }
}

void LayerNormForward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                      const float* bias, int N, int C, int threads) {
  ForEachIndex(N, threads, [&](int64_t n) {
    LayerNormRow(out + static_cast<int64_t>(n) * C, mean + n, rstd + n,
                 inp + static_cast<int64_t>(n) * C, weight, bias, C);
  });
}

void LayerNormBackward(float* dinp, float* dweight, float* dbias, const float* dout,
                       const float* inp, const float* weight, const float* mean, const float* rstd,
                       int N, int C, int threads) {
  ReduceInRowBlocks(
      N, 2 * C, threads,
      [&](int n, float* dw) {
        const int64_t off = static_cast<int64_t>(n) * C;
        LayerNormBackwardRow(dinp + off, dw, dw + C, dout + off, inp + off, weight, mean[n],
                             rstd[n], C);
      },
      [&](const float* dw) {
        for (int c = 0; c < C; ++c) dweight[c] += dw[c];
        if (dbias != nullptr) {
          for (int c = 0; c < C; ++c) dbias[c] += dw[C + c];
        }
      });
}

void RmsNormForward(float* out, float* rstd, const float* inp, const float* weight, int N, int C,
                    int threads) {
  ForEachIndex(N, threads, [&](int64_t n) {
    RmsNormRow(out + n * C, rstd + n, inp + n * C, weight, C);
  });
}

void RmsNormBackward(float* dinp, float* dweight, const float* dout, const float* inp,
                     const float* weight, const float* rstd, int N, int C, int threads) {
  ReduceInRowBlocks(
      N, C, threads,
      [&](int n, float* dw) {
        const int64_t off = static_cast<int64_t>(n) * C;
        RmsNormBackwardRow(dinp + off, dw, dout + off, inp + off, weight, rstd[n], C);
      },
      [&](const float* dw) {
        for (int c = 0; c < C; ++c) dweight[c] += dw[c];
      });
}

std::vector<float> RopeTable(int max_positions, int head_size) {
  const int half = head_size / 2;
  std::vector<float> table(static_cast<size_t>(2) * max_positions * half);
  for (int t = 0; t < max_positions; ++t) {
    for (int i = 0; i < half; ++i) {
      // In double: the angles reach T radians, where float's rounding would show in sin/cos.
      const double angle = t * std::pow(10000.0, -2.0 * i / head_size);
      table[static_cast<size_t>(t) * half + i] = static_cast<float>(std::cos(angle));
      table[(static_cast<size_t>(max_positions) + t) * half + i] =
          static_cast<float>(std::sin(angle));
    }
  }
  return table;
}

void RopeForward(float* qkv, const float* table, int max_positions, int B, int T, int C, int NH,
                 int threads) {
  RotatePairs(qkv, table, max_positions, B, T, C, NH, 1.0f, threads);
}

void RopeBackward(float* dqkv, const float* table, int max_positions, int B, int T, int C, int NH,
                  int threads) {
  RotatePairs(dqkv, table, max_positions, B, T, C, NH, -1.0f, threads);
}

void SwiGluForward(float* out, const float* inp, int N, int H, int threads) {
  ForEachIndex(N, threads, [&](int64_t n) {
    const float* row = inp + n * 2 * H;
    SwiGluRow(out + n * H, row, row + H, H);
  });
}

void SwiGluBackward(float* dinp, const float* inp, const float* dout, int N, int H, int threads) {
  ForEachIndex(N, threads, [&](int64_t n) {
    const float* row = inp + n * 2 * H;
    float* drow = dinp + n * 2 * H;
    SwiGluBackwardRow(drow, drow + H, row, row + H, dout + n * H, H);
  });
}

void MatmulForward(float* out, const float* inp, const float* weight, const float* bias, int N,
                   int C, int OC, int threads) {
  if (bias != nullptr) {
    // out = bias + inp·W^T: the kernel adds its finished dot products to the preset bias,
    // one rounding, as addmm does.
    ForEachIndex(N, threads, [&](int64_t n) {
      std::memcpy(out + static_cast<int64_t>(n) * OC, bias, sizeof(float) * OC);
    });
  }
  Sgemm(false, true, N, OC, C, inp, C, weight, C, out, OC, bias != nullptr, threads);
}

void MatmulBackward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                    const float* weight, int N, int C, int OC, int threads) {
  if (dinp != nullptr) Sgemm(false, false, N, C, OC, dout, OC, weight, C, dinp, C, false, threads);
  if (dweight != nullptr) {
    Sgemm(true, false, OC, C, N, dout, OC, inp, C, dweight, C, true, threads);
  }
  if (dbias != nullptr) AddColumnSums(dbias, dout, N, OC, threads);
}

void AttentionForward(float* out, float* att, const float* qkv, int B, int T, int C, int NH,
                      int threads) {
  const int hs = C / NH;
  const int C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  ForEachIndex(B * NH, threads, [&](int64_t bh) {
    const int b = bh / NH, h = bh % NH;
    const float* q = qkv + static_cast<int64_t>(b) * T * C3 + h * hs;
    const float* k = q + C;
    const float* v = q + 2 * C;
    float* a = att + static_cast<int64_t>(bh) * T * T;
    // preatt (T,T) = q · k^T, then the scaled causal softmax row by row.
    Sgemm(false, true, T, T, hs, q, C3, k, C3, a, T, false, 1);
    for (int t = 0; t < T; ++t) CausalSoftmaxRow(a + static_cast<int64_t>(t) * T, t, T, scale);
    // out (T,hs) = att · v
    Sgemm(false, false, T, hs, T, a, T, v, C3, out + static_cast<int64_t>(b) * T * C + h * hs, C,
          false, 1);
  });
}

void AttentionBackward(float* dqkv, float* scratch, const float* dout, const float* qkv,
                       const float* att, int B, int T, int C, int NH, int threads) {
  const int hs = C / NH;
  const int C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  ForEachIndex(B * NH, threads, [&](int64_t bh) {
    const int b = bh / NH, h = bh % NH;
    const int64_t qoff = static_cast<int64_t>(b) * T * C3 + h * hs;
    const float* q = qkv + qoff;
    const float* k = q + C;
    const float* v = q + 2 * C;
    float* dq = dqkv + qoff;
    float* dk = dq + C;
    float* dv = dq + 2 * C;
    const float* a = att + static_cast<int64_t>(bh) * T * T;
    const float* dy = dout + static_cast<int64_t>(b) * T * C + h * hs;
    float* d = scratch + static_cast<int64_t>(bh) * T * T;
    // datt (T,T) = dy · v^T;  dv (T,hs) = att^T · dy
    Sgemm(false, true, T, T, hs, dy, C, v, C3, d, T, false, 1);
    Sgemm(true, false, T, hs, T, a, T, dy, C, dv, C3, false, 1);
    // dpreatt, including the 1/sqrt(hs) of the scores
    for (int t = 0; t < T; ++t) {
      CausalSoftmaxBackwardRow(d + static_cast<int64_t>(t) * T, a + static_cast<int64_t>(t) * T, t,
                               T, scale);
    }
    // dq = dpreatt · k;  dk = dpreatt^T · q
    Sgemm(false, false, T, hs, T, d, T, k, C3, dq, C3, false, 1);
    Sgemm(true, false, T, hs, T, d, T, q, C3, dk, C3, false, 1);
  });
}

void GeluForward(float* out, const float* inp, int64_t n, int threads) {
  constexpr int64_t kChunk = 1 << 14;
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  ForEachIndex(chunks, (chunks > 1 && threads > 1) ? threads : 1, [&](int64_t i) {
    const int64_t b = i * kChunk;
    GeluForwardRange(out + b, inp + b, std::min(kChunk, n - b));
  });
}

void GeluBackward(float* dinp, const float* inp, const float* dout, int64_t n, int threads) {
  constexpr int64_t kChunk = 1 << 14;
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  ForEachIndex(chunks, (chunks > 1 && threads > 1) ? threads : 1, [&](int64_t i) {
    const int64_t b = i * kChunk;
    GeluBackwardRange(dinp + b, inp + b, dout + b, std::min(kChunk, n - b));
  });
}

void ResidualForward(float* out, const float* a, const float* b, int64_t n, int threads) {
  ForEachIndex(n, (n > (1 << 16) && threads > 1) ? threads : 1,
               [&](int64_t i) { out[i] = a[i] + b[i]; });
}

void ClassifierWeights::Pack(const float* weight, int V, int C, bool for_backward, int threads) {
  transposed.Pack(true, C, V, weight, C, threads);
  if (for_backward) plain.Pack(false, V, C, weight, C, threads);
}

void ClassifierForwardBackward(float* losses, float* dinp, float* dweight_t, const float* inp,
                               const float* weight, const int32_t* targets, int N, int C, int V,
                               float dloss, int chunk_rows, float* scratch, int threads,
                               const ClassifierWeights* packed) {
  const bool grad = dinp != nullptr;
  for (int r0 = 0; r0 < N; r0 += chunk_rows) {
    const int rows = std::min(chunk_rows, N - r0);
    const float* x = inp + static_cast<int64_t>(r0) * C;
    // logits (rows,V) = x · weight^T
    if (packed != nullptr) {
      SgemmPackedB(false, rows, x, C, packed->transposed, scratch, V, false, threads);
    } else {
      Sgemm(false, true, rows, V, C, x, C, weight, C, scratch, V, false, threads);
    }
    ForEachIndex(rows, threads, [&](int64_t i) {
      losses[r0 + i] =
          SoftmaxXentRow(scratch + static_cast<int64_t>(i) * V, V, targets[r0 + i], dloss, grad);
    });
    if (!grad) continue;
    // dx (rows,C) = dlogits · weight
    if (packed != nullptr) {
      SgemmPackedB(false, rows, scratch, V, packed->plain, dinp + static_cast<int64_t>(r0) * C, C,
                   false, threads);
    } else {
      Sgemm(false, false, rows, C, V, scratch, V, weight, C, dinp + static_cast<int64_t>(r0) * C, C,
            false, threads);
    }
    // dweight^T (C,V) += x^T · dlogits. In this orientation the packed operand B is dlogits in
    // its natural row-major layout (contiguous copies), where dweight (V,C) += dlogits^T · x
    // would have to pack dlogits transposed, one cache line per row of 20k floats.
    if (dweight_t != nullptr) {
      Sgemm(true, false, C, V, rows, x, C, scratch, V, dweight_t, V, true, threads);
    }
  }
}

void AddTransposed(float* dst, const float* src_t, int V, int C, int threads) {
  constexpr int kBlock = 64;
  const int blocks = (V + kBlock - 1) / kBlock;
  ForEachIndex(blocks, threads, [&](int64_t blk) {
    const int v0 = blk * kBlock, v1 = std::min(V, v0 + kBlock);
    for (int c = 0; c < C; ++c) {
      const float* s = src_t + static_cast<int64_t>(c) * V;
      for (int v = v0; v < v1; ++v) dst[static_cast<int64_t>(v) * C + c] += s[v];
    }
  });
}

void LogSoftmaxRows(float* x, int rows, int V, int threads) {
  ForEachIndex(rows, threads,
               [&](int64_t i) { LogSoftmaxRow(x + static_cast<int64_t>(i) * V, V); });
}

}  // namespace wordspace::transformer
