// Against PyTorch: fixtures written by bench/transformer_golden.py from the GPT class of
// ../shared/bench/torch_tiny_lm.py hold, for a tiny model with fixed weights and batches, the
// reference's logits, loss, every gradient, and the loss, gradient norm and final parameters of
// its first 10 AdamW steps (clipping, two weight-decay groups, warmup + cosine). PyTorch is not
// needed to run this test.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "transformer/lm_state.h"
#include "transformer/model.h"
#include "transformer/optimizer.h"
#include "transformer/trainer.h"

namespace wordspace::transformer {
namespace {

class FixtureReader {
 public:
  explicit FixtureReader(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    data_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  template <typename T>
  T Get() {
    REQUIRE(pos_ + sizeof(T) <= data_.size());
    T v;
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  template <typename T>
  std::vector<T> GetVector(size_t n) {
    REQUIRE(pos_ + n * sizeof(T) <= data_.size());
    std::vector<T> v(n);
    // An empty vector's data() may be null, which memcpy must not get even for 0 bytes.
    if (n > 0) std::memcpy(v.data(), data_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return v;
  }
  bool at_end() const { return pos_ == data_.size(); }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Reads tensors stored compactly in layout order into a parameter-shaped buffer.
void ReadTensors(FixtureReader& r, const ParameterLayout& layout, float* buffer) {
  for (const TensorInfo& t : layout.tensors()) {
    std::vector<float> v = r.GetVector<float>(t.size);
    if (!v.empty()) std::memcpy(buffer + t.offset, v.data(), t.size * sizeof(float));
  }
}

// max |a - b| / max |b| over one tensor.
double RelativeMaxError(const float* a, const float* b, size_t n) {
  double err = 0, scale = 0;
  for (size_t i = 0; i < n; ++i) {
    err = std::max(err, std::fabs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::fabs(static_cast<double>(b[i])));
  }
  return scale > 0 ? err / scale : err;
}

void RunGolden(const std::string& name) {
  FixtureReader r(std::string(WORDSPACE_TEST_DATA) + "/" + name);
  REQUIRE(r.Get<uint64_t>() == 0x4e45444c4f475357ull);  // "WSGOLDEN"
  REQUIRE(r.Get<uint32_t>() == 1);
  ModelConfig c;
  c.vocab_size = r.Get<int32_t>();
  c.context = r.Get<int32_t>();
  c.d_model = r.Get<int32_t>();
  c.layers = r.Get<int32_t>();
  c.heads = r.Get<int32_t>();
  c.tied = r.Get<int32_t>() != 0;
  const int B = r.Get<int32_t>();
  const int steps = r.Get<int32_t>();
  const int T = c.context, V = c.vocab_size;
  OptimizerConfig opt;
  opt.lr = r.Get<double>();
  opt.min_lr_frac = r.Get<double>();
  opt.warmup = static_cast<int64_t>(r.Get<double>());
  opt.weight_decay = r.Get<double>();
  opt.beta1 = r.Get<double>();
  opt.beta2 = r.Get<double>();
  opt.eps = r.Get<double>();
  opt.clip = r.Get<double>();
  const std::vector<int32_t> xs = r.GetVector<int32_t>(static_cast<size_t>(steps) * B * T);
  const std::vector<int32_t> ys = r.GetVector<int32_t>(static_cast<size_t>(steps) * B * T);

  LmState state;
  state.model = std::make_unique<Model>(c);
  Model& model = *state.model;
  const ParameterLayout& layout = model.layout();
  ReadTensors(r, layout, model.params().data());
  const std::vector<float> ref_logits = r.GetVector<float>(static_cast<size_t>(B) * T * V);
  const float ref_loss = r.Get<float>();
  std::vector<float> ref_grads(layout.buffer_size(), 0.0f);
  ReadTensors(r, layout, ref_grads.data());
  const std::vector<float> ref_step_loss = r.GetVector<float>(steps);
  const std::vector<float> ref_norm = r.GetVector<float>(steps);
  std::vector<float> ref_final(layout.buffer_size(), 0.0f);
  ReadTensors(r, layout, ref_final.data());
  REQUIRE(r.at_end());

  // Log-probabilities (the logits up to each row's constant) and the loss.
  double max_logp_err = 0;
  model.LogProbs(xs.data(), B, T, 1, [&](int first, int rows, const float* logp) {
    for (int i = 0; i < rows; ++i) {
      const float* ref = ref_logits.data() + static_cast<size_t>(first + i) * V;
      double m = -1e300, z = 0;
      for (int v = 0; v < V; ++v) m = std::max(m, static_cast<double>(ref[v]));
      for (int v = 0; v < V; ++v) z += std::exp(ref[v] - m);
      for (int v = 0; v < V; ++v) {
        max_logp_err =
            std::max(max_logp_err, std::fabs(logp[i * V + v] - (ref[v] - m - std::log(z))));
      }
    }
  });
  INFO(name << ": max log-probability error " << max_logp_err);
  CHECK(max_logp_err < 1e-5);

  const float loss = model.ForwardBackward(xs.data(), ys.data(), B, T, 1);
  CHECK(loss == Approx(ref_loss).epsilon(1e-6));
  for (const TensorInfo& t : layout.tensors()) {
    if (t.size == 0) continue;
    const double err =
        RelativeMaxError(model.grads().data() + t.offset, ref_grads.data() + t.offset, t.size);
    INFO(name << ": gradient of " << t.name << " relative max error " << err);
    CHECK(err < 2e-5);
  }

  // Ten training steps as torch_tiny_lm.py takes them.
  state.train.batch = B;
  state.train.steps = steps;
  state.train.optimizer = opt;
  state.has_optimizer = true;
  state.adam_m = AlignedBuffer(layout.buffer_size());
  state.adam_v = AlignedBuffer(layout.buffer_size());
  for (int s = 0; s < steps; ++s) {
    const double lr = LearningRate(opt, s, static_cast<double>(s) / steps);
    double norm = 0;
    const size_t off = static_cast<size_t>(s) * B * T;
    const float l = TrainStep(&state, xs.data() + off, ys.data() + off, B, T, lr, 1, &norm);
    INFO(name << ": step " << s << " loss " << l << " (PyTorch " << ref_step_loss[s]
              << "), gradient norm " << norm << " (PyTorch " << ref_norm[s] << ")");
    CHECK(l == Approx(ref_step_loss[s]).epsilon(2e-5));
    CHECK(norm == Approx(ref_norm[s]).epsilon(2e-5));
  }
  // Final parameters. One slice is special: the key bias. Adding a constant to every key of a
  // head shifts all of a query's scores equally, which softmax ignores, so its exact gradient is
  // zero and both implementations see only rounding noise there (checked below); AdamW
  // normalises that noise into steps of up to about lr each way. So the key bias is held to
  // that bound, and everything else to a tight relative tolerance.
  const int C = c.d_model;
  const size_t qkvb = layout.tensor(kQkvB).offset;
  std::vector<bool> key_bias(layout.buffer_size(), false);
  double max_grad = 0, max_key_bias_grad = 0;
  for (size_t i = 0; i < ref_grads.size(); ++i)
    max_grad = std::max(max_grad, std::fabs(double(ref_grads[i])));
  for (int l = 0; l < c.layers; ++l) {
    for (int j = C; j < 2 * C; ++j) {
      const size_t i = qkvb + static_cast<size_t>(l) * 3 * C + j;
      key_bias[i] = true;
      max_key_bias_grad = std::max(max_key_bias_grad, std::fabs(double(ref_grads[i])));
    }
  }
  CHECK(max_key_bias_grad < 1e-6 * max_grad);
  for (const TensorInfo& t : layout.tensors()) {
    if (t.size == 0) continue;
    double err = 0, scale = 0, key_err = 0;
    for (size_t i = t.offset; i < t.offset + t.size; ++i) {
      const double d = std::fabs(double(model.params()[i]) - ref_final[i]);
      if (key_bias[i]) {
        key_err = std::max(key_err, d);
      } else {
        err = std::max(err, d);
        scale = std::max(scale, std::fabs(double(ref_final[i])));
      }
    }
    INFO(name << ": " << t.name << " after " << steps << " steps, relative max error "
              << err / scale << (t.name == "qkvb" ? ", key bias max error " : "")
              << (t.name == "qkvb" ? std::to_string(key_err) : ""));
    CHECK(err / scale < 1e-4);
    CHECK(key_err <= 2.0 * opt.lr * steps);
  }
}

TEST_CASE("Matches PyTorch: tied model, gradients and 10 AdamW steps", "[transformer][golden]") {
  RunGolden("transformer_golden_tied.bin");
}

TEST_CASE("Matches PyTorch: untied model, gradients and 10 AdamW steps", "[transformer][golden]") {
  RunGolden("transformer_golden_untied.bin");
}

}  // namespace
}  // namespace wordspace::transformer
