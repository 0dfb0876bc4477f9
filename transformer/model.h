// The tiny GPT: a decoder-only, pre-norm transformer over a word vocabulary. By default it has
// the architecture of ../shared/bench/torch_tiny_lm.py (its GPT class), the "classic" block:
//
//   x = wte[tokens] + wpe[positions]
//   for each of L blocks:  x = x + proj(attention(ln1(x)));  x = x + fcproj(gelu(fc(ln2(x))))
//   logits = lnf(x) · W^T,   W = wte (tied, default) or a separate head (untied)
//
// ModelConfig switches each part of it to the choice of current models (LLaMA's, for one):
// RMSNorm for LayerNorm, rotary positions (RoPE, applied to q and k; no wpe) for learned ones, a
// SwiGLU feed-forward fcproj(silu(gate) * up) with [gate | up] = fc(x) at about the same
// parameter count, and no biases. Absent parts are empty tensors (null views).
//
// Parameters, their gradients and AdamW's two moments each live in ONE contiguous float buffer;
// ParameterLayout names the tensors inside it (offsets aligned to 64 bytes) and
// ParameterViews gives typed pointers to them. Token ids: 0 is <unk>, 1 is </s> (end of line).
//
//   Model model(config);
//   model.InitRandom(seed);                        // PyTorch's init, see InitRandom
//   float loss = model.ForwardBackward(inputs, targets, B, T, threads);   // grads filled
//   model.Forward(inputs, B, T, threads);          // activations only
//   ForwardTrace trace; model.Trace(window, T, threads, &trace);   // one window laid open
#ifndef WORDSPACE_TRANSFORMER_MODEL_H_
#define WORDSPACE_TRANSFORMER_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/aligned_buffer.h"
#include "corpus/lm_vocabulary.h"
#include "transformer/ops.h"

namespace wordspace::transformer {

// The model's vocabulary puts <unk> (any word outside the vocabulary) and </s> (the end of a
// line) first: corpus/lm_vocabulary.h's kFront layout, so <unk> = 0 and </s> = 1.
inline constexpr corpus::SpecialWordsAt kSpecialWordsAt = corpus::SpecialWordsAt::kFront;
inline constexpr int32_t kUnkId = corpus::LmLayout(kSpecialWordsAt, 0).unk_id();
inline constexpr int32_t kEosId = corpus::LmLayout(kSpecialWordsAt, 0).eos_id();

// The block's parts. The values are stored in checkpoints: append, never renumber.
enum class NormKind : uint8_t { kLayerNorm = 0, kRmsNorm = 1 };
enum class PositionKind : uint8_t { kLearned = 0, kRotary = 1 };
enum class FeedForwardKind : uint8_t { kGelu = 0, kSwiGlu = 1 };

struct ModelConfig {
  int vocab_size = 0;  // V, including <unk> and </s>
  int context = 64;    // T: the longest window the model sees
  int d_model = 128;   // C
  int layers = 4;      // L
  int heads = 4;       // NH; must divide d_model
  bool tied = true;    // output layer shares wte
  NormKind norm = NormKind::kLayerNorm;
  PositionKind positions = PositionKind::kLearned;
  FeedForwardKind feed_forward = FeedForwardKind::kGelu;
  bool biases = true;  // the linear layers' and LayerNorm's biases
  int ff_hidden = 0;   // the feed-forward's hidden width H; 0: FfHidden()'s default

  // H: ff_hidden, or by default 4C for GELU and 8C/3 rounded to a multiple of 16 for SwiGLU,
  // whose three matrices (gate, up, down) then hold about the 8C^2 weights of GELU's two.
  int FfHidden() const;
  // Columns of the fc product: H for GELU, 2H ([gate | up]) for SwiGLU.
  int FcWidth() const { return feed_forward == FeedForwardKind::kSwiGlu ? 2 * FfHidden() : FfHidden(); }
  // All four parts at once: "classic" (LayerNorm, learned positions, GELU, biases: GPT-2's and
  // torch_tiny_lm.py's) or "modern" (RMSNorm, rotary positions, SwiGLU, no biases: LLaMA's).
  // InvalidArgument names the choices (as lm-train's --block).
  [[nodiscard]] absl::Status SetBlock(std::string_view name);
  // The block of torch_tiny_lm.py: LayerNorm, learned positions, GELU at 4C, biases.
  bool IsClassic() const;
  // "layernorm, learned positions, gelu 512, biases"
  std::string ArchitectureName() const;

  // InvalidArgument naming the bad field.
  [[nodiscard]] absl::Status Validate() const;
  // Training FLOPs per token as ../shared/bench/torch_tiny_lm.py counts them:
  // 6 * (L (4 C^2 + feed-forward weights) + V C) + 12 L T C (matrix products forward and
  // backward, attention as the full masked T×T it is computed as); 6 * (12 L C^2 + V C) + 12 L T C
  // for the classic block.
  double TrainFlopsPerToken() const;
};

// Command-line names of the parts: "layernorm"/"rmsnorm", "learned"/"rope", "gelu"/"swiglu".
absl::StatusOr<NormKind> ParseNormKind(std::string_view name);
absl::StatusOr<PositionKind> ParsePositionKind(std::string_view name);
absl::StatusOr<FeedForwardKind> ParseFeedForwardKind(std::string_view name);
const char* NormKindName(NormKind kind);
const char* PositionKindName(PositionKind kind);
const char* FeedForwardKindName(FeedForwardKind kind);

// F = FcWidth(), H = FfHidden() (both 4C in the classic block). Tensors a configuration does
// without are empty: wpe with rotary positions, the norms' biases with RMSNorm or without
// biases, the linear layers' biases without biases.
enum ParamTensor {
  kWte,       // (V, C)
  kWpe,       // (T, C)
  kLn1W,      // (L, C)
  kLn1B,      // (L, C)
  kQkvW,      // (L, 3C, C)
  kQkvB,      // (L, 3C)
  kAttProjW,  // (L, C, C)
  kAttProjB,  // (L, C)
  kLn2W,      // (L, C)
  kLn2B,      // (L, C)
  kFcW,       // (L, F, C)
  kFcB,       // (L, F)
  kFcProjW,   // (L, C, H)
  kFcProjB,   // (L, C)
  kLnfW,      // (C)
  kLnfB,      // (C)
  kHead,      // (V, C) when untied; empty when tied
  kNumParamTensors
};

struct TensorInfo {
  std::string name;           // e.g. "qkvw"
  std::vector<int> shape;     // e.g. {L, 3C, C}
  size_t offset = 0;          // in floats from the buffer start, a multiple of 16
  size_t size = 0;            // floats
  bool weight_decay = false;  // 2-D weights (and embeddings) decay; LayerNorm and biases don't
};

class ParameterLayout {
 public:
  explicit ParameterLayout(const ModelConfig& config);
  const TensorInfo& tensor(int i) const { return tensors_[i]; }
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  // Floats in the buffer, alignment padding included (padding stays zero).
  size_t buffer_size() const { return buffer_size_; }
  // Floats of real parameters, padding excluded.
  size_t num_parameters() const { return num_parameters_; }

 private:
  std::vector<TensorInfo> tensors_;
  size_t buffer_size_ = 0;
  size_t num_parameters_ = 0;
};

// Typed pointers into a parameter-shaped buffer (parameters, gradients or moments); null for the
// empty tensors (the ops read null as "no such term").
struct ParameterViews {
  float* wte;
  float* wpe;
  float* ln1w;
  float* ln1b;
  float* qkvw;
  float* qkvb;
  float* attprojw;
  float* attprojb;
  float* ln2w;
  float* ln2b;
  float* fcw;
  float* fcb;
  float* fcprojw;
  float* fcprojb;
  float* lnfw;
  float* lnfb;
  float* head;  // == wte when tied

  static ParameterViews Of(const ParameterLayout& layout, float* buffer, bool tied);
};

// One window's forward pass laid open, for inspection (eval/'s inspect studies): copies of the
// activations the forward pass keeps anyway, so training and inference pay nothing for it.
// Row-major float; l indexes blocks (0..L-1), h heads, t and s positions (query, key).
// The residual stream decomposes exactly (up to float rounding):
//   residual[L] = residual[0] + sum over l of (attn_update[l] + ff_update[l]).
struct ForwardTrace {
  int T = 0, C = 0, L = 0, NH = 0;
  int H = 0;                       // the feed-forward's hidden width (4C in the classic block)
  std::vector<float> residual;     // (L+1, T, C): [0] wte (+wpe), [l+1] after block l
  std::vector<float> attn_update;  // (L, T, C): block l's attention output (proj included)
  std::vector<float> ff_update;    // (L, T, C): block l's feed-forward output
  std::vector<float> attention;    // (L, NH, T, T): softmax weights, zero above the diagonal
  std::vector<float> ff_hidden;    // (L, T, H): GELU (or silu(gate)*up) outputs, the neurons fired

  // The residual after `layer` blocks (0: the embeddings) at position t, C floats.
  std::span<const float> Residual(int layer, int t) const {
    return {residual.data() + (static_cast<size_t>(layer) * T + t) * C, static_cast<size_t>(C)};
  }
  std::span<const float> AttnUpdate(int l, int t) const {
    return {attn_update.data() + (static_cast<size_t>(l) * T + t) * C, static_cast<size_t>(C)};
  }
  std::span<const float> FfUpdate(int l, int t) const {
    return {ff_update.data() + (static_cast<size_t>(l) * T + t) * C, static_cast<size_t>(C)};
  }
  // Attention of query t over keys 0..T-1 in block l, head h (T floats, summing to 1).
  std::span<const float> AttentionRow(int l, int h, int t) const {
    return {attention.data() + ((static_cast<size_t>(l) * NH + h) * T + t) * T,
            static_cast<size_t>(T)};
  }
  std::span<const float> FfHidden(int l, int t) const {
    return {ff_hidden.data() + (static_cast<size_t>(l) * T + t) * H, static_cast<size_t>(H)};
  }
};

class Model {
 public:
  // Parameters start at zero; call InitRandom or fill params().
  explicit Model(const ModelConfig& config);
  Model(Model&&) noexcept = default;
  Model& operator=(Model&&) noexcept = default;

  const ModelConfig& config() const { return config_; }
  const ParameterLayout& layout() const { return layout_; }
  std::span<float> params() { return params_.span(); }
  std::span<const float> params() const { return params_.span(); }
  std::span<float> grads() { return grads_.span(); }
  std::span<const float> grads() const { return grads_.span(); }
  ParameterViews param_views() { return ParameterViews::Of(layout_, params_.data(), config_.tied); }
  ParameterViews grad_views() { return ParameterViews::Of(layout_, grads_.data(), config_.tied); }
  // The tensor `i` of the parameters / gradients.
  std::span<float> param(int i);
  std::span<float> grad(int i);

  // PyTorch's init as torch_tiny_lm.py does it: 2-D weights N(0, 0.02), the two residual
  // projections (proj, fcproj) N(0, 0.02/sqrt(2L)), biases 0, norm weights 1. Uses our own
  // Gaussian generator, so the numbers differ from PyTorch's but the distributions match.
  void InitRandom(uint64_t seed);

  // Rows of the output layer's logits computed at once (bounds the (rows × V) scratch).
  void set_chunk_rows(int rows) { chunk_rows_ = rows; }

  // Training step: forward over inputs (B,T), mean cross-entropy against targets (B,T), and
  // the gradient of that mean loss in grads() (overwritten). Ids must be in [0, V) and
  // T <= context (CHECKed). Gradients of frozen wte (set_freeze_wte) stay zero.
  float ForwardBackward(const int32_t* inputs, const int32_t* targets, int B, int T, int threads);
  // Mean cross-entropy only (no gradients).
  float Loss(const int32_t* inputs, const int32_t* targets, int B, int T, int threads);
  // Per-position losses (B*T) of the last Loss/ForwardBackward call.
  std::span<const float> losses() const { return {losses_.data(), static_cast<size_t>(last_bt_)}; }

  // Inference: log-probabilities of the next token at every position of inputs (B,T), chunk
  // by chunk: sink(first_row, rows, logprobs) with logprobs (rows, V) for rows
  // first_row .. first_row+rows-1 of the flattened (B*T) positions, valid during the call.
  template <typename Sink>
  void LogProbs(const int32_t* inputs, int B, int T, int threads, Sink&& sink);

  // Inspection: the forward pass over one window inputs (T) with its activations copied into
  // *trace (resized). The same ops as every other forward pass; ids as for Loss (CHECKed).
  void Trace(const int32_t* inputs, int T, int threads, ForwardTrace* trace);
  // The output layer read from arbitrary residual vectors x (rows, C): the final norm, the
  // output layer and log-softmax into logprobs (rows, V). At the last layer's residual this is
  // the model's own next-token distribution; at earlier layers it is the logit lens.
  void ReadOut(const float* x, int rows, float* logprobs, int threads);

  // When set, wte gets no gradient (its AdamW update is then zero too): frozen embeddings.
  // With a tied output layer that freezes the output layer as well.
  void set_freeze_wte(bool freeze) { freeze_wte_ = freeze; }
  bool freeze_wte() const { return freeze_wte_; }

 private:
  // Runs the blocks and the final norm over inputs (B,T); leaves lnf in acts.
  void ForwardBody(const int32_t* inputs, int B, int T, int threads);
  void EnsureActivations(int B, int T);
  // The configured norm (LayerNorm or RMSNorm; mean unused by RMSNorm) and its backward.
  void NormForward(float* out, float* mean, float* rstd, const float* x, const float* w,
                   const float* b, int N, int threads) const;
  void NormBackward(float* dx, float* dw, float* db, const float* dout, const float* x,
                    const float* w, const float* mean, const float* rstd, int N,
                    int threads) const;

  ModelConfig config_;
  ParameterLayout layout_;
  AlignedBuffer params_;
  AlignedBuffer grads_;
  int chunk_rows_ = 256;
  bool freeze_wte_ = false;
  std::vector<float> rope_table_;  // RopeTable(context, C/NH) with rotary positions

  // Activations for the current (B,T), in one buffer, sized by EnsureActivations.
  struct Acts {
    float* encoded;    // (B,T,C)
    float* ln1;        // (L,B,T,C)
    float* ln1_mean;   // (L,B,T)
    float* ln1_rstd;   // (L,B,T)
    float* qkv;        // (L,B,T,3C)
    float* atty;       // (L,B,T,C)
    float* att;        // (L,B,NH,T,T)
    float* attproj;    // (L,B,T,C)
    float* residual2;  // (L,B,T,C)
    float* ln2;        // (L,B,T,C)
    float* ln2_mean;   // (L,B,T)
    float* ln2_rstd;   // (L,B,T)
    float* fch;        // (L,B,T,F): fc's output
    float* fch_gelu;   // (L,B,T,H): the activation (GELU, or silu(gate) * up)
    float* fcproj;     // (L,B,T,C)
    float* residual3;  // (L,B,T,C)
    float* lnf;        // (B,T,C)
    float* lnf_mean;   // (B,T)
    float* lnf_rstd;   // (B,T)
    // backward scratch, one layer at a time
    float* dres;  // (B,T,C) gradient of the residual stream
    float* dbuf;  // (B,T,C)
    float* dqkv;  // (B,T,3C)
    float* datt;  // (B,NH,T,T)
    float* dfch;  // (B,T,F)
    float* dact;  // (B,T,H) with SwiGLU (GELU's backward works in place in dfch)
  };
  AlignedBuffer acts_buffer_;
  Acts acts_{};
  AlignedBuffer logits_scratch_;   // (chunk_rows, V)
  ClassifierWeights packed_head_;  // the output layer's weight, packed once per pass
  AlignedBuffer head_grad_t_;      // (C, V): transposed output-layer gradient
  std::vector<float> losses_;
  int act_B_ = 0, act_T_ = 0, last_bt_ = 0;
};

// ---- template definition
template <typename Sink>
void Model::LogProbs(const int32_t* inputs, int B, int T, int threads, Sink&& sink) {
  ForwardBody(inputs, B, T, threads);
  const ParameterViews p = param_views();
  const int C = config_.d_model, V = config_.vocab_size;
  packed_head_.Pack(p.head, V, C, /*for_backward=*/false, threads);
  ClassifierLogProbs(acts_.lnf, p.head, B * T, C, V, chunk_rows_, logits_scratch_.data(), threads,
                     sink, &packed_head_);
}

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_MODEL_H_
