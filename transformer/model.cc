#include "transformer/model.h"

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

absl::Status ModelConfig::Validate() const {
  auto bad = [](const std::string& what) { return absl::InvalidArgumentError(what); };
  if (vocab_size < 3) return bad(absl::StrCat("vocabulary size ", vocab_size, " is below 3"));
  if (context < 1) return bad(absl::StrCat("--context ", context, " must be at least 1"));
  if (d_model < 1) return bad(absl::StrCat("--d-model ", d_model, " must be at least 1"));
  if (layers < 1) return bad(absl::StrCat("--layers ", layers, " must be at least 1"));
  if (heads < 1 || d_model % heads != 0) {
    return bad(absl::StrCat("--heads ", heads, " must divide --d-model ", d_model));
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
  return 6.0 * (12.0 * L * C * C + V * C) + 6.0 * L * 2.0 * T * C;
}

ParameterLayout::ParameterLayout(const ModelConfig& c) {
  const int V = c.vocab_size, T = c.context, C = c.d_model, L = c.layers;
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
  add("ln1b", {L, C}, false);
  add("qkvw", {L, 3 * C, C}, true);
  add("qkvb", {L, 3 * C}, false);
  add("attprojw", {L, C, C}, true);
  add("attprojb", {L, C}, false);
  add("ln2w", {L, C}, false);
  add("ln2b", {L, C}, false);
  add("fcw", {L, 4 * C, C}, true);
  add("fcb", {L, 4 * C}, false);
  add("fcprojw", {L, C, 4 * C}, true);
  add("fcprojb", {L, C}, false);
  add("lnfw", {C}, false);
  add("lnfb", {C}, false);
  add("head", c.tied ? std::vector<int>{0, C} : std::vector<int>{V, C}, true);
  CHECK(static_cast<int>(tensors_.size()) == kNumParamTensors);
}

ParameterViews ParameterViews::Of(const ParameterLayout& layout, float* buffer, bool tied) {
  auto at = [&](int i) { return buffer + layout.tensor(i).offset; };
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
    } else {
      const double sd = (i == kAttProjW || i == kFcProjW) ? std_residual : std_weight;
      for (float& x : p) x = static_cast<float>(sd * rng.Normal());
    }
  }
}

void Model::EnsureActivations(int B, int T) {
  if (B == act_B_ && T == act_T_) return;
  const size_t L = config_.layers, C = config_.d_model, NH = config_.heads;
  const size_t BT = static_cast<size_t>(B) * T;
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
      L * BT * 4 * C,      // fch
      L * BT * 4 * C,      // fch_gelu
      L * BT * C,          // fcproj
      L * BT * C,          // residual3
      BT * C,              // lnf
      BT,                  // lnf_mean
      BT,                  // lnf_rstd
      BT * C,              // dres
      BT * C,              // dbuf
      BT * 3 * C,          // dqkv
      B * NH * T * T,      // datt
      BT * 4 * C,          // dfch
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

void Model::ForwardBody(const int32_t* inputs, int B, int T, int threads) {
  CHECK(B >= 1 && T >= 1 && T <= config_.context);
  const int V = config_.vocab_size;
  for (int64_t i = 0; i < static_cast<int64_t>(B) * T; ++i) CHECK(inputs[i] >= 0 && inputs[i] < V);
  EnsureActivations(B, T);
  if (logits_scratch_.size() < static_cast<size_t>(chunk_rows_) * V) {
    logits_scratch_ = AlignedBuffer(static_cast<size_t>(chunk_rows_) * V);
  }
  const int L = config_.layers, C = config_.d_model, NH = config_.heads;
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
    float* fch = a.fch + l * BTC * 4;
    float* fch_gelu = a.fch_gelu + l * BTC * 4;
    float* fcproj = a.fcproj + l * BTC;
    float* residual3 = a.residual3 + l * BTC;
    const int64_t lc = static_cast<int64_t>(l) * C;

    LayerNormForward(ln1, ln1_mean, ln1_rstd, residual, p.ln1w + lc, p.ln1b + lc, BT, C, threads);
    MatmulForward(qkv, ln1, p.qkvw + lc * 3 * C, p.qkvb + lc * 3, BT, C, 3 * C, threads);
    AttentionForward(atty, att, qkv, B, T, C, NH, threads);
    MatmulForward(attproj, atty, p.attprojw + lc * C, p.attprojb + lc, BT, C, C, threads);
    ResidualForward(residual2, residual, attproj, BTC, threads);
    LayerNormForward(ln2, ln2_mean, ln2_rstd, residual2, p.ln2w + lc, p.ln2b + lc, BT, C, threads);
    MatmulForward(fch, ln2, p.fcw + lc * 4 * C, p.fcb + lc * 4, BT, C, 4 * C, threads);
    GeluForward(fch_gelu, fch, BTC * 4, threads);
    MatmulForward(fcproj, fch_gelu, p.fcprojw + lc * 4 * C, p.fcprojb + lc, BT, 4 * C, C, threads);
    ResidualForward(residual3, residual2, fcproj, BTC, threads);
    residual = residual3;
  }
  LayerNormForward(a.lnf, a.lnf_mean, a.lnf_rstd, residual, p.lnfw, p.lnfb, BT, C, threads);
}

void Model::Trace(const int32_t* inputs, int T, int threads, ForwardTrace* trace) {
  ForwardBody(inputs, 1, T, threads);
  const int L = config_.layers, C = config_.d_model, NH = config_.heads;
  const size_t TC = static_cast<size_t>(T) * C;
  ForwardTrace& r = *trace;
  r.T = T;
  r.C = C;
  r.L = L;
  r.NH = NH;
  // With B = 1 every (L,B,T,...) activation is (L,T,...) already: plain copies.
  r.residual.resize((L + 1) * TC);
  std::memcpy(r.residual.data(), acts_.encoded, TC * sizeof(float));
  std::memcpy(r.residual.data() + TC, acts_.residual3, L * TC * sizeof(float));
  r.attn_update.assign(acts_.attproj, acts_.attproj + L * TC);
  r.ff_update.assign(acts_.fcproj, acts_.fcproj + L * TC);
  r.attention.assign(acts_.att, acts_.att + static_cast<size_t>(L) * NH * T * T);
  r.ff_hidden.assign(acts_.fch_gelu, acts_.fch_gelu + L * TC * 4);
}

void Model::ReadOut(const float* x, int rows, float* logprobs, int threads) {
  const int C = config_.d_model, V = config_.vocab_size;
  const ParameterViews p = param_views();
  std::vector<float> ln(static_cast<size_t>(rows) * C), mean(rows), rstd(rows);
  LayerNormForward(ln.data(), mean.data(), rstd.data(), x, p.lnfw, p.lnfb, rows, C, threads);
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

  // Final LayerNorm, then the blocks in reverse. dres is the residual stream's gradient.
  std::memset(a.dres, 0, BTC * sizeof(float));
  const float* last_residual = a.residual3 + (L - 1) * BTC;
  LayerNormBackward(a.dres, g.lnfw, g.lnfb, a.dbuf, last_residual, p.lnfw, a.lnf_mean, a.lnf_rstd,
                    BT, C, threads);
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
    const float* fch = a.fch + l * BTC * 4;
    const float* fch_gelu = a.fch_gelu + l * BTC * 4;
    const int64_t lc = static_cast<int64_t>(l) * C;

    // x = residual2 + fcproj(gelu(fc(ln2(residual2))))
    MatmulBackward(a.dfch, g.fcprojw + lc * 4 * C, g.fcprojb + lc, a.dres, fch_gelu,
                   p.fcprojw + lc * 4 * C, BT, 4 * C, C, threads);
    GeluBackward(a.dfch, fch, a.dfch, BTC * 4, threads);
    MatmulBackward(a.dbuf, g.fcw + lc * 4 * C, g.fcb + lc * 4, a.dfch, ln2, p.fcw + lc * 4 * C, BT,
                   C, 4 * C, threads);
    LayerNormBackward(a.dres, g.ln2w + lc, g.ln2b + lc, a.dbuf, residual2, p.ln2w + lc, ln2_mean,
                      ln2_rstd, BT, C, threads);
    // residual2 = residual + proj(attention(qkv(ln1(residual))))
    MatmulBackward(a.dbuf, g.attprojw + lc * C, g.attprojb + lc, a.dres, atty, p.attprojw + lc * C,
                   BT, C, C, threads);
    AttentionBackward(a.dqkv, a.datt, a.dbuf, qkv, att, B, T, C, NH, threads);
    MatmulBackward(a.dbuf, g.qkvw + lc * 3 * C, g.qkvb + lc * 3, a.dqkv, ln1, p.qkvw + lc * 3 * C,
                   BT, C, 3 * C, threads);
    LayerNormBackward(a.dres, g.ln1w + lc, g.ln1b + lc, a.dbuf, residual, p.ln1w + lc, ln1_mean,
                      ln1_rstd, BT, C, threads);
  }
  EncoderBackward(freeze_wte_ ? nullptr : g.wte, g.wpe, a.dres, inputs, B, T, C);
  return static_cast<float>(sum / BT);
}

}  // namespace wordspace::transformer
