#include "transformer/model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/random.h"

namespace wordspace::transformer {
namespace {

size_t AlignUp(size_t floats) { return (floats + 15) / 16 * 16; }

}  // namespace

int ModelConfig::FfHidden() const {
  if (ff_hidden > 0) return ff_hidden;
  if (feed_forward == FeedForwardKind::kGelu) return 4 * d_model;
  // 3 H C = 8 C^2 at H = 8C/3; rounded to a multiple of 16 so rows stay whole vectors.
  return std::max(16, static_cast<int>(std::lround(8.0 * d_model / 3.0 / 16.0)) * 16);
}

absl::Status ModelConfig::SetBlock(std::string_view name) {
  const bool modern = name == "modern";
  if (!modern && name != "classic") {
    return absl::InvalidArgumentError(
        absl::StrCat("--block must be classic or modern, not '", std::string(name), "'"));
  }
  norm = modern ? NormKind::kRmsNorm : NormKind::kLayerNorm;
  positions = modern ? PositionKind::kRotary : PositionKind::kLearned;
  feed_forward = modern ? FeedForwardKind::kSwiGlu : FeedForwardKind::kGelu;
  biases = !modern;
  return absl::OkStatus();
}

bool ModelConfig::IsClassic() const {
  return norm == NormKind::kLayerNorm && positions == PositionKind::kLearned &&
         feed_forward == FeedForwardKind::kGelu && biases && FfHidden() == 4 * d_model;
}

std::string ModelConfig::ArchitectureName() const {
  return absl::StrCat(NormKindName(norm), ", ",
                      positions == PositionKind::kRotary ? "rotary" : "learned", " positions, ",
                      FeedForwardKindName(feed_forward), " ", FfHidden(),
                      biases ? ", biases" : ", no biases");
}

namespace {

// One table for each part's names, so that parsing and printing agree.
template <typename Kind, size_t N>
absl::StatusOr<Kind> ParseKind(std::string_view name, const char* const (&names)[N],
                               const char* option) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<Kind>(i);
  }
  std::string choices;
  for (size_t i = 0; i < N; ++i) absl::StrAppend(&choices, i ? " or " : "", names[i]);
  return absl::InvalidArgumentError(
      absl::StrCat(option, " must be ", choices, ", not '", std::string(name), "'"));
}
constexpr const char* kNormNames[] = {"layernorm", "rmsnorm"};
constexpr const char* kPositionNames[] = {"learned", "rope"};
constexpr const char* kFeedForwardNames[] = {"gelu", "swiglu"};

}  // namespace

absl::StatusOr<NormKind> ParseNormKind(std::string_view name) {
  return ParseKind<NormKind>(name, kNormNames, "--norm");
}
absl::StatusOr<PositionKind> ParsePositionKind(std::string_view name) {
  return ParseKind<PositionKind>(name, kPositionNames, "--positions");
}
absl::StatusOr<FeedForwardKind> ParseFeedForwardKind(std::string_view name) {
  return ParseKind<FeedForwardKind>(name, kFeedForwardNames, "--ffn");
}
const char* NormKindName(NormKind kind) { return kNormNames[static_cast<int>(kind)]; }
const char* PositionKindName(PositionKind kind) { return kPositionNames[static_cast<int>(kind)]; }
const char* FeedForwardKindName(FeedForwardKind kind) {
  return kFeedForwardNames[static_cast<int>(kind)];
}

absl::Status ModelConfig::Validate() const {
  auto bad = [](const std::string& what) { return absl::InvalidArgumentError(what); };
  if (vocab_size < 3) return bad(absl::StrCat("vocabulary size ", vocab_size, " is below 3"));
  if (context < 1) return bad(absl::StrCat("--context ", context, " must be at least 1"));
  if (d_model < 1) return bad(absl::StrCat("--d-model ", d_model, " must be at least 1"));
  if (layers < 1) return bad(absl::StrCat("--layers ", layers, " must be at least 1"));
  if (heads < 1 || d_model % heads != 0) {
    return bad(absl::StrCat("--heads ", heads, " must divide --d-model ", d_model));
  }
  if (static_cast<int>(norm) > 1 || static_cast<int>(positions) > 1 ||
      static_cast<int>(feed_forward) > 1) {
    return bad("unknown norm, position or feed-forward kind");
  }
  if (positions == PositionKind::kRotary && (d_model / heads) % 2 != 0) {
    return bad(absl::StrCat("--positions rope turns pairs of a head's dimensions: the head size ",
                            d_model / heads, " (--d-model / --heads) must be even"));
  }
  if (ff_hidden < 0 || ff_hidden > 65536) {
    return bad(absl::StrCat("--ff-hidden ", ff_hidden, " must be between 1 and 65536 (0: default)"));
  }
  // Sizes must fit the int arithmetic of the kernels.
  if (static_cast<int64_t>(vocab_size) * d_model > (int64_t{1} << 31) - 1 ||
      static_cast<int64_t>(d_model) > 16384 || context > 16384) {
    return bad("model too large for this implementation (V*d_model must be below 2^31)");
  }
  return absl::OkStatus();
}

double ModelConfig::TrainFlopsPerToken() const {
  const double C = d_model, L = layers, V = vocab_size, T = context;
  const double ff_weights = (static_cast<double>(FcWidth()) + FfHidden()) * C;
  return 6.0 * (L * (4.0 * C * C + ff_weights) + V * C) + 6.0 * L * 2.0 * T * C;
}

ParameterLayout::ParameterLayout(const ModelConfig& c) {
  const int V = c.vocab_size, C = c.d_model, L = c.layers;
  const int T = c.positions == PositionKind::kLearned ? c.context : 0;
  const int F = c.FcWidth(), H = c.FfHidden();
  const int has_bias = c.biases ? 1 : 0;
  const int has_norm_bias = c.biases && c.norm == NormKind::kLayerNorm ? 1 : 0;
  auto add = [&](const char* name, std::vector<int> shape, bool decay) {
    TensorInfo info;
    info.name = name;
    info.size = 1;
    for (int d : shape) info.size *= static_cast<size_t>(d);
    info.shape = std::move(shape);
    info.offset = buffer_size_;
    info.weight_decay = decay;
    buffer_size_ += AlignUp(info.size);
    num_parameters_ += info.size;
    tensors_.push_back(std::move(info));
  };
  add("wte", {V, C}, true);
  add("wpe", {T, C}, true);
  add("ln1w", {L, C}, false);
  add("ln1b", {L, C * has_norm_bias}, false);
  add("qkvw", {L, 3 * C, C}, true);
  add("qkvb", {L, 3 * C * has_bias}, false);
  add("attprojw", {L, C, C}, true);
  add("attprojb", {L, C * has_bias}, false);
  add("ln2w", {L, C}, false);
  add("ln2b", {L, C * has_norm_bias}, false);
  add("fcw", {L, F, C}, true);
  add("fcb", {L, F * has_bias}, false);
  add("fcprojw", {L, C, H}, true);
  add("fcprojb", {L, C * has_bias}, false);
  add("lnfw", {C}, false);
  add("lnfb", {C * has_norm_bias}, false);
  add("head", c.tied ? std::vector<int>{0, C} : std::vector<int>{V, C}, true);
  CHECK(static_cast<int>(tensors_.size()) == kNumParamTensors);
}

ParameterViews ParameterViews::Of(const ParameterLayout& layout, float* buffer, bool tied) {
  auto at = [&](int i) {
    return layout.tensor(i).size == 0 ? nullptr : buffer + layout.tensor(i).offset;
  };
  ParameterViews v;
  v.wte = at(kWte);
  v.wpe = at(kWpe);
  v.ln1w = at(kLn1W);
  v.ln1b = at(kLn1B);
  v.qkvw = at(kQkvW);
  v.qkvb = at(kQkvB);
  v.attprojw = at(kAttProjW);
  v.attprojb = at(kAttProjB);
  v.ln2w = at(kLn2W);
  v.ln2b = at(kLn2B);
  v.fcw = at(kFcW);
  v.fcb = at(kFcB);
  v.fcprojw = at(kFcProjW);
  v.fcprojb = at(kFcProjB);
  v.lnfw = at(kLnfW);
  v.lnfb = at(kLnfB);
  v.head = tied ? v.wte : at(kHead);
  return v;
}

Model::Model(const ModelConfig& config)
    : config_(config),
      layout_(config),
      params_(layout_.buffer_size()),
      grads_(layout_.buffer_size()) {
  CHECK(config_.Validate().ok());
  if (config_.positions == PositionKind::kRotary) {
    rope_table_ = RopeTable(config_.context, config_.d_model / config_.heads);
  }
}

std::span<float> Model::param(int i) {
  const TensorInfo& t = layout_.tensor(i);
  return {params_.data() + t.offset, t.size};
}
std::span<float> Model::grad(int i) {
  const TensorInfo& t = layout_.tensor(i);
  return {grads_.data() + t.offset, t.size};
}

void Model::InitRandom(uint64_t seed) {
  Rng rng(seed);
  const double std_weight = 0.02;
  const double std_residual = 0.02 / std::sqrt(2.0 * config_.layers);
  for (int i = 0; i < kNumParamTensors; ++i) {
    std::span<float> p = param(i);
    if (i == kLn1W || i == kLn2W || i == kLnfW) {
      for (float& x : p) x = 1.0f;
    } else if (i == kLn1B || i == kLn2B || i == kLnfB || i == kQkvB || i == kAttProjB ||
               i == kFcB || i == kFcProjB) {
      for (float& x : p) x = 0.0f;
    } else if (i == kFcW && config_.feed_forward == FeedForwardKind::kSwiGlu) {
      // At std 0.02 and a width of 128, gate and up start near std 0.23, where silu(gate) * up
      // is quadratic (about gate * up / 2): the block then passes almost no signal, and each
      // half's gradient is scaled by the other half. At std 1/sqrt(C) both start near 1.
      const double sd = 1.0 / std::sqrt(static_cast<double>(config_.d_model));
      for (float& x : p) x = static_cast<float>(sd * rng.Normal());
    } else {
      const double sd = (i == kAttProjW || i == kFcProjW) ? std_residual : std_weight;
      for (float& x : p) x = static_cast<float>(sd * rng.Normal());
    }
  }
}

void Model::EnsureActivations(int B, int T) {
  if (B == act_B_ && T == act_T_) return;
  const size_t L = config_.layers, C = config_.d_model, NH = config_.heads;
  const size_t F = config_.FcWidth(), H = config_.FfHidden();
  const size_t BT = static_cast<size_t>(B) * T;
  const bool swiglu = config_.feed_forward == FeedForwardKind::kSwiGlu;
  const size_t sizes[] = {
      BT * C,              // encoded
      L * BT * C,          // ln1
      L * BT,              // ln1_mean
      L * BT,              // ln1_rstd
      L * BT * 3 * C,      // qkv
      L * BT * C,          // atty
      L * B * NH * T * T,  // att
      L * BT * C,          // attproj
      L * BT * C,          // residual2
      L * BT * C,          // ln2
      L * BT,              // ln2_mean
      L * BT,              // ln2_rstd
      L * BT * F,          // fch
      L * BT * H,          // fch_gelu
      L * BT * C,          // fcproj
      L * BT * C,          // residual3
      BT * C,              // lnf
      BT,                  // lnf_mean
      BT,                  // lnf_rstd
      BT * C,              // dres
      BT * C,              // dbuf
      BT * 3 * C,          // dqkv
      B * NH * T * T,      // datt
      BT * F,              // dfch
      swiglu ? BT * H : 0,  // dact
  };
  constexpr int kCount = sizeof(sizes) / sizeof(sizes[0]);
  static_assert(kCount * sizeof(float*) == sizeof(Acts));
  size_t total = 0;
  for (size_t s : sizes) total += AlignUp(s);
  if (total > acts_buffer_.size()) acts_buffer_ = AlignedBuffer(total);
  float** slots = reinterpret_cast<float**>(&acts_);
  size_t offset = 0;
  for (int i = 0; i < kCount; ++i) {
    slots[i] = acts_buffer_.data() + offset;
    offset += AlignUp(sizes[i]);
  }
  const size_t scratch = static_cast<size_t>(chunk_rows_) * config_.vocab_size;
  if (logits_scratch_.size() < scratch) logits_scratch_ = AlignedBuffer(scratch);
  if (losses_.size() < BT) losses_.resize(BT);
  act_B_ = B;
  act_T_ = T;
}

void Model::NormForward(float* out, float* mean, float* rstd, const float* x, const float* w,
                        const float* b, int N, int threads) const {
  if (config_.norm == NormKind::kRmsNorm) {
    RmsNormForward(out, rstd, x, w, N, config_.d_model, threads);
  } else {
    LayerNormForward(out, mean, rstd, x, w, b, N, config_.d_model, threads);
  }
}

void Model::NormBackward(float* dx, float* dw, float* db, const float* dout, const float* x,
                         const float* w, const float* mean, const float* rstd, int N,
                         int threads) const {
  if (config_.norm == NormKind::kRmsNorm) {
    RmsNormBackward(dx, dw, dout, x, w, rstd, N, config_.d_model, threads);
  } else {
    LayerNormBackward(dx, dw, db, dout, x, w, mean, rstd, N, config_.d_model, threads);
  }
}

namespace {

// The l-th layer's slice of a stacked (L, ...) tensor; null stays null (an absent tensor).
inline const float* Layer(const float* p, int64_t l, int64_t per_layer) {
  return p == nullptr ? nullptr : p + l * per_layer;
}
inline float* Layer(float* p, int64_t l, int64_t per_layer) {
  return p == nullptr ? nullptr : p + l * per_layer;
}

}  // namespace

void Model::ForwardBody(const int32_t* inputs, int B, int T, int threads) {
  CHECK(B >= 1 && T >= 1 && T <= config_.context);
  const int V = config_.vocab_size;
  for (int64_t i = 0; i < static_cast<int64_t>(B) * T; ++i) CHECK(inputs[i] >= 0 && inputs[i] < V);
  EnsureActivations(B, T);
  if (logits_scratch_.size() < static_cast<size_t>(chunk_rows_) * V) {
    logits_scratch_ = AlignedBuffer(static_cast<size_t>(chunk_rows_) * V);
  }
  const int L = config_.layers, C = config_.d_model, NH = config_.heads;
  const int F = config_.FcWidth(), H = config_.FfHidden();
  const bool swiglu = config_.feed_forward == FeedForwardKind::kSwiGlu;
  const int BT = B * T;
  const int64_t BTC = static_cast<int64_t>(BT) * C;
  const ParameterViews p = param_views();
  Acts& a = acts_;

  EncoderForward(a.encoded, inputs, p.wte, p.wpe, B, T, C, threads);
  const float* residual = a.encoded;
  for (int l = 0; l < L; ++l) {
    float* ln1 = a.ln1 + l * BTC;
    float* ln1_mean = a.ln1_mean + static_cast<int64_t>(l) * BT;
    float* ln1_rstd = a.ln1_rstd + static_cast<int64_t>(l) * BT;
    float* qkv = a.qkv + l * BTC * 3;
    float* atty = a.atty + l * BTC;
    float* att = a.att + static_cast<int64_t>(l) * B * NH * T * T;
    float* attproj = a.attproj + l * BTC;
    float* residual2 = a.residual2 + l * BTC;
    float* ln2 = a.ln2 + l * BTC;
    float* ln2_mean = a.ln2_mean + static_cast<int64_t>(l) * BT;
    float* ln2_rstd = a.ln2_rstd + static_cast<int64_t>(l) * BT;
    float* fch = a.fch + static_cast<int64_t>(l) * BT * F;
    float* fch_gelu = a.fch_gelu + static_cast<int64_t>(l) * BT * H;
    float* fcproj = a.fcproj + l * BTC;
    float* residual3 = a.residual3 + l * BTC;

    NormForward(ln1, ln1_mean, ln1_rstd, residual, Layer(p.ln1w, l, C), Layer(p.ln1b, l, C), BT,
                threads);
    MatmulForward(qkv, ln1, Layer(p.qkvw, l, 3 * C * C), Layer(p.qkvb, l, 3 * C), BT, C, 3 * C,
                  threads);
    // Rotated in place: attention's backward needs only the rotated q and k.
    if (!rope_table_.empty()) RopeForward(qkv, rope_table_.data(), config_.context, B, T, C, NH, threads);
    AttentionForward(atty, att, qkv, B, T, C, NH, threads);
    MatmulForward(attproj, atty, Layer(p.attprojw, l, C * C), Layer(p.attprojb, l, C), BT, C, C,
                  threads);
    ResidualForward(residual2, residual, attproj, BTC, threads);
    NormForward(ln2, ln2_mean, ln2_rstd, residual2, Layer(p.ln2w, l, C), Layer(p.ln2b, l, C), BT,
                threads);
    MatmulForward(fch, ln2, Layer(p.fcw, l, static_cast<int64_t>(F) * C), Layer(p.fcb, l, F), BT,
                  C, F, threads);
    if (swiglu) {
      SwiGluForward(fch_gelu, fch, BT, H, threads);
    } else {
      GeluForward(fch_gelu, fch, static_cast<int64_t>(BT) * H, threads);
    }
    MatmulForward(fcproj, fch_gelu, Layer(p.fcprojw, l, static_cast<int64_t>(C) * H),
                  Layer(p.fcprojb, l, C), BT, H, C, threads);
    ResidualForward(residual3, residual2, fcproj, BTC, threads);
    residual = residual3;
  }
  NormForward(a.lnf, a.lnf_mean, a.lnf_rstd, residual, p.lnfw, p.lnfb, BT, threads);
}

void Model::Trace(const int32_t* inputs, int T, int threads, ForwardTrace* trace) {
  ForwardBody(inputs, 1, T, threads);
  const int L = config_.layers, C = config_.d_model, NH = config_.heads, H = config_.FfHidden();
  const size_t TC = static_cast<size_t>(T) * C;
  ForwardTrace& r = *trace;
  r.T = T;
  r.C = C;
  r.L = L;
  r.NH = NH;
  r.H = H;
  // With B = 1 every (L,B,T,...) activation is (L,T,...) already: plain copies.
  r.residual.resize((L + 1) * TC);
  std::memcpy(r.residual.data(), acts_.encoded, TC * sizeof(float));
  std::memcpy(r.residual.data() + TC, acts_.residual3, L * TC * sizeof(float));
  r.attn_update.assign(acts_.attproj, acts_.attproj + L * TC);
  r.ff_update.assign(acts_.fcproj, acts_.fcproj + L * TC);
  r.attention.assign(acts_.att, acts_.att + static_cast<size_t>(L) * NH * T * T);
  r.ff_hidden.assign(acts_.fch_gelu, acts_.fch_gelu + static_cast<size_t>(L) * T * H);
}

void Model::ReadOut(const float* x, int rows, float* logprobs, int threads) {
  const int C = config_.d_model, V = config_.vocab_size;
  const ParameterViews p = param_views();
  std::vector<float> ln(static_cast<size_t>(rows) * C), mean(rows), rstd(rows);
  NormForward(ln.data(), mean.data(), rstd.data(), x, p.lnfw, p.lnfb, rows, threads);
  MatmulForward(logprobs, ln.data(), p.head, nullptr, rows, C, V, threads);
  LogSoftmaxRows(logprobs, rows, V, threads);
}

float Model::Loss(const int32_t* inputs, const int32_t* targets, int B, int T, int threads) {
  ForwardBody(inputs, B, T, threads);
  const int BT = B * T, C = config_.d_model, V = config_.vocab_size;
  for (int i = 0; i < BT; ++i) CHECK(targets[i] >= 0 && targets[i] < V);
  const float* head = param_views().head;
  packed_head_.Pack(head, V, C, /*for_backward=*/false, threads);
  ClassifierForwardBackward(losses_.data(), nullptr, nullptr, acts_.lnf, head, targets, BT, C, V,
                            0.0f, chunk_rows_, logits_scratch_.data(), threads, &packed_head_);
  last_bt_ = BT;
  double sum = 0;
  for (int i = 0; i < BT; ++i) sum += losses_[i];
  return static_cast<float>(sum / BT);
}

float Model::ForwardBackward(const int32_t* inputs, const int32_t* targets, int B, int T,
                             int threads) {
  ForwardBody(inputs, B, T, threads);
  const int L = config_.layers, C = config_.d_model, NH = config_.heads, V = config_.vocab_size;
  const int BT = B * T;
  const int64_t BTC = static_cast<int64_t>(BT) * C;
  for (int i = 0; i < BT; ++i) CHECK(targets[i] >= 0 && targets[i] < V);
  std::memset(grads_.data(), 0, grads_.size() * sizeof(float));
  const ParameterViews p = param_views();
  const ParameterViews g = grad_views();
  Acts& a = acts_;

  // Output layer, softmax and loss, fused; its weight gradient comes back transposed.
  const bool head_trainable = !(config_.tied && freeze_wte_);
  float* head_grad_t = nullptr;
  if (head_trainable) {
    const size_t n = static_cast<size_t>(C) * V;
    if (head_grad_t_.size() < n) head_grad_t_ = AlignedBuffer(n);
    std::memset(head_grad_t_.data(), 0, n * sizeof(float));
    head_grad_t = head_grad_t_.data();
  }
  packed_head_.Pack(p.head, V, C, /*for_backward=*/true, threads);
  ClassifierForwardBackward(losses_.data(), a.dbuf, head_grad_t, a.lnf, p.head, targets, BT, C, V,
                            1.0f / BT, chunk_rows_, logits_scratch_.data(), threads, &packed_head_);
  if (head_trainable) AddTransposed(g.head, head_grad_t, V, C, threads);
  last_bt_ = BT;
  double sum = 0;
  for (int i = 0; i < BT; ++i) sum += losses_[i];

  // Final norm, then the blocks in reverse. dres is the residual stream's gradient.
  const int F = config_.FcWidth(), H = config_.FfHidden();
  const bool swiglu = config_.feed_forward == FeedForwardKind::kSwiGlu;
  std::memset(a.dres, 0, BTC * sizeof(float));
  const float* last_residual = a.residual3 + (L - 1) * BTC;
  NormBackward(a.dres, g.lnfw, g.lnfb, a.dbuf, last_residual, p.lnfw, a.lnf_mean, a.lnf_rstd, BT,
               threads);
  for (int l = L - 1; l >= 0; --l) {
    const float* residual = l == 0 ? a.encoded : a.residual3 + (l - 1) * BTC;
    const float* ln1 = a.ln1 + l * BTC;
    const float* ln1_mean = a.ln1_mean + static_cast<int64_t>(l) * BT;
    const float* ln1_rstd = a.ln1_rstd + static_cast<int64_t>(l) * BT;
    const float* qkv = a.qkv + l * BTC * 3;
    const float* atty = a.atty + l * BTC;
    const float* att = a.att + static_cast<int64_t>(l) * B * NH * T * T;
    const float* residual2 = a.residual2 + l * BTC;
    const float* ln2 = a.ln2 + l * BTC;
    const float* ln2_mean = a.ln2_mean + static_cast<int64_t>(l) * BT;
    const float* ln2_rstd = a.ln2_rstd + static_cast<int64_t>(l) * BT;
    const float* fch = a.fch + static_cast<int64_t>(l) * BT * F;
    const float* fch_gelu = a.fch_gelu + static_cast<int64_t>(l) * BT * H;
    const int64_t FC = static_cast<int64_t>(F) * C, CH = static_cast<int64_t>(C) * H;

    // x = residual2 + fcproj(act(fc(ln2(residual2))))
    float* dact = swiglu ? a.dact : a.dfch;  // GELU's backward runs in place
    MatmulBackward(dact, Layer(g.fcprojw, l, CH), Layer(g.fcprojb, l, C), a.dres, fch_gelu,
                   Layer(p.fcprojw, l, CH), BT, H, C, threads);
    if (swiglu) {
      SwiGluBackward(a.dfch, fch, dact, BT, H, threads);
    } else {
      GeluBackward(a.dfch, fch, a.dfch, static_cast<int64_t>(BT) * H, threads);
    }
    MatmulBackward(a.dbuf, Layer(g.fcw, l, FC), Layer(g.fcb, l, F), a.dfch, ln2,
                   Layer(p.fcw, l, FC), BT, C, F, threads);
    NormBackward(a.dres, Layer(g.ln2w, l, C), Layer(g.ln2b, l, C), a.dbuf, residual2,
                 Layer(p.ln2w, l, C), ln2_mean, ln2_rstd, BT, threads);
    // residual2 = residual + proj(attention(rope(qkv(ln1(residual)))))
    MatmulBackward(a.dbuf, Layer(g.attprojw, l, C * C), Layer(g.attprojb, l, C), a.dres, atty,
                   Layer(p.attprojw, l, C * C), BT, C, C, threads);
    AttentionBackward(a.dqkv, a.datt, a.dbuf, qkv, att, B, T, C, NH, threads);
    if (!rope_table_.empty()) {
      RopeBackward(a.dqkv, rope_table_.data(), config_.context, B, T, C, NH, threads);
    }
    MatmulBackward(a.dbuf, Layer(g.qkvw, l, 3 * C * C), Layer(g.qkvb, l, 3 * C), a.dqkv, ln1,
                   Layer(p.qkvw, l, 3 * C * C), BT, C, 3 * C, threads);
    NormBackward(a.dres, Layer(g.ln1w, l, C), Layer(g.ln1b, l, C), a.dbuf, residual,
                 Layer(p.ln1w, l, C), ln1_mean, ln1_rstd, BT, threads);
  }
  EncoderBackward(freeze_wte_ ? nullptr : g.wte, g.wpe, a.dres, inputs, B, T, C);
  return static_cast<float>(sum / BT);
}

}  // namespace wordspace::transformer
