// The transformer's operations, each a forward/backward pair in the style of karpathy's llm.c:
// plain functions over float arrays with the shapes spelled out, no autograd and no tensor
// class. Backward functions ACCUMULATE (+=) into parameter gradients (dweight, dbias, dwte...),
// which the caller zeroes once per step; what they do to activation gradients is stated per op.
//
// Shapes use B (batch), T (time), C (channels = d_model), OC (output channels), NH (heads),
// V (vocabulary) and N = B*T rows. All arrays are row-major float.
//
// Determinism: every op computes each output with a fixed order of operations that does not
// depend on `threads` (reductions over rows use fixed-size row blocks summed in order), so one
// thread and many threads give bit-identical results on a given machine.
//
//   LayerNormForward(ln, mean, rstd, x, w, b, N, C, threads);
//   MatmulForward(out, ln, weight, bias, N, C, OC, threads);
#ifndef WORDSPACE_TRANSFORMER_OPS_H_
#define WORDSPACE_TRANSFORMER_OPS_H_

#include <cstdint>
#include <vector>

#include "transformer/gemm.h"

namespace wordspace::transformer {

// out (B,T,C) = wte[inp[b,t]] + wpe[t] (wpe null: no position table, as with rotary positions).
// inp ids must be in [0, V).
void EncoderForward(float* out, const int32_t* inp, const float* wte, const float* wpe, int B,
                    int T, int C, int threads);
// dwte (V,C) += scatter of dout by id; dwpe (T,C) += sum over b. Either may be null (frozen).
void EncoderBackward(float* dwte, float* dwpe, const float* dout, const int32_t* inp, int B, int T,
                     int C);

// out (N,C) = (inp - mean) * rstd * weight + bias, per row, with eps = 1e-5 (PyTorch's); bias
// may be null (no bias). mean, rstd (N) are saved for the backward pass.
void LayerNormForward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                      const float* bias, int N, int C, int threads);
// dinp (N,C) += ...; dweight, dbias (C) += ... (dbias skipped when null)
void LayerNormBackward(float* dinp, float* dweight, float* dbias, const float* dout,
                       const float* inp, const float* weight, const float* mean, const float* rstd,
                       int N, int C, int threads);

// RMSNorm (Zhang & Sennrich 2019): LayerNorm without the centring and the bias,
// out (N,C) = inp * rstd * weight with rstd = 1 / sqrt(mean(inp^2) + 1e-5), per row; rstd (N)
// is saved for the backward pass. One reduction per row instead of two.
void RmsNormForward(float* out, float* rstd, const float* inp, const float* weight, int N, int C,
                    int threads);
// dinp (N,C) += ...; dweight (C) += ...
void RmsNormBackward(float* dinp, float* dweight, const float* dout, const float* inp,
                     const float* weight, const float* rstd, int N, int C, int threads);

// out (N,OC) = inp (N,C) · weight(OC,C)^T + bias(OC) (bias may be null): nn.Linear.
void MatmulForward(float* out, const float* inp, const float* weight, const float* bias, int N,
                   int C, int OC, int threads);
// dinp (N,C) = dout · weight (OVERWRITES; skipped when null); dweight (OC,C) += dout^T · inp;
// dbias (OC) += column sums of dout (skipped when null).
void MatmulBackward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                    const float* weight, int N, int C, int OC, int threads);

// Causal multi-head self-attention. qkv (B,T,3C) holds q, k, v side by side per row (heads of
// size C/NH within each); out (B,T,C); att (B,NH,T,T) keeps the softmax probabilities (zero
// above the diagonal) for the backward pass. Scores are scaled by 1/sqrt(C/NH).
void AttentionForward(float* out, float* att, const float* qkv, int B, int T, int C, int NH,
                      int threads);
// dqkv (B,T,3C) = gradient (OVERWRITES); scratch holds B*NH*T*T floats.
void AttentionBackward(float* dqkv, float* scratch, const float* dout, const float* qkv,
                       const float* att, int B, int T, int C, int NH, int threads);

// Rotary position embeddings (RoPE; Su et al. 2021, "RoFormer"), in place on the q and k parts
// of qkv (B,T,3C) laid out as AttentionForward reads them: in every head of size hs = C/NH (even),
// the pair (x[2i], x[2i+1]) at position t turns by the angle t * 10000^(-2i/hs). Scores q·k then
// depend on positions only through their difference, and no parameter is tied to a position.
// `table` holds cos then sin of those angles, (T_max, hs/2) each, from RopeTable(T_max, hs).
std::vector<float> RopeTable(int max_positions, int head_size);
void RopeForward(float* qkv, const float* table, int max_positions, int B, int T, int C, int NH,
                 int threads);
// The backward of a rotation is the opposite rotation: turns the gradient of the rotated q and k
// in dqkv into the gradient of the unrotated ones, in place (v's part is left alone).
void RopeBackward(float* dqkv, const float* table, int max_positions, int B, int T, int C, int NH,
                  int threads);

// SwiGLU (Shazeer 2020, "GLU variants improve transformer"): out (N,H) = silu(gate) * up, where
// each row of inp (N,2H) holds gate in its first H values and up in the next H, and
// silu(a) = a * sigmoid(a).
void SwiGluForward(float* out, const float* inp, int N, int H, int threads);
// dinp (N,2H) = gradient (OVERWRITES).
void SwiGluBackward(float* dinp, const float* inp, const float* dout, int N, int H, int threads);

// GELU, tanh approximation (PyTorch's approximate="tanh"), elementwise over n values.
void GeluForward(float* out, const float* inp, int64_t n, int threads);
// dinp = gelu'(inp) * dout (OVERWRITES; dinp may alias dout).
void GeluBackward(float* dinp, const float* inp, const float* dout, int64_t n, int threads);

// out = a + b, elementwise (the residual connection). Its backward is an addition that the
// model does in place.
void ResidualForward(float* out, const float* a, const float* b, int64_t n, int threads);

// The output layer fused with softmax and cross-entropy, over chunks of `chunk_rows` rows so
// that the (N,V) logits never exist whole: for each chunk, logits = inp · weight^T, then per
// row the loss -log softmax(logits)[target] goes to losses (N), and when dinp is not null the
// chunk's logits are turned in place into dlogits = (softmax - onehot) * dloss and
//   dinp (N,C) = dlogits · weight           (OVERWRITES),
//   dweight_t (C,V) += inp^T · dlogits      (the TRANSPOSE of weight's gradient; accumulated
//                                            that way because it packs faster — see the .cc).
// inp (N,C), weight (V,C), targets (N) in [0,V). `scratch` holds chunk_rows*V floats.
// `packed`, when not null, holds weight packed both ways (ClassifierWeights::Pack), which
// saves re-packing it for every chunk; the results are the same bits.
struct ClassifierWeights {
  PackedMatrix transposed;  // weight^T (C,V): the B of the logits product
  PackedMatrix plain;       // weight (V,C): the B of the input-gradient product
  // Packs both (plain only when `for_backward`).
  void Pack(const float* weight, int V, int C, bool for_backward, int threads);
};
void ClassifierForwardBackward(float* losses, float* dinp, float* dweight_t, const float* inp,
                               const float* weight, const int32_t* targets, int N, int C, int V,
                               float dloss, int chunk_rows, float* scratch, int threads,
                               const ClassifierWeights* packed = nullptr);

// Inference: log-softmax of the logits of rows [0, N), chunk by chunk; calls
// sink(first_row, rows, logprobs) with logprobs (rows, V) valid only during the call.
template <typename Sink>
void ClassifierLogProbs(const float* inp, const float* weight, int N, int C, int V, int chunk_rows,
                        float* scratch, int threads, Sink&& sink,
                        const ClassifierWeights* packed = nullptr);

// dst (V,C) += src_t (C,V)^T.
void AddTransposed(float* dst, const float* src_t, int V, int C, int threads);

// In place: each of `rows` rows of length V becomes its log-softmax.
void LogSoftmaxRows(float* x, int rows, int V, int threads);

// Vectorisable exp and tanh with about 2 ulp error (Cephes' polynomials), exposed for tests.
float FastExp(float x);
float FastTanh(float x);

}  // namespace wordspace::transformer

// ---- template definition
namespace wordspace::transformer {

template <typename Sink>
void ClassifierLogProbs(const float* inp, const float* weight, int N, int C, int V, int chunk_rows,
                        float* scratch, int threads, Sink&& sink, const ClassifierWeights* packed) {
  for (int r0 = 0; r0 < N; r0 += chunk_rows) {
    const int rows = N - r0 < chunk_rows ? N - r0 : chunk_rows;
    if (packed != nullptr) {
      SgemmPackedB(false, rows, inp + static_cast<int64_t>(r0) * C, C, packed->transposed, scratch,
                   V, false, threads);
    } else {
      Sgemm(false, true, rows, V, C, inp + static_cast<int64_t>(r0) * C, C, weight, C, scratch, V,
            false, threads);
    }
    LogSoftmaxRows(scratch, rows, V, threads);
    sink(r0, rows, static_cast<const float*>(scratch));
  }
}

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_OPS_H_
