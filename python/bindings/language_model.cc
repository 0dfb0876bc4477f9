// wordspace.LanguageModel: a checkpoint written by `wordspace lm-train`, for next-word
// predictions, log-probabilities, sampling, and the look inside the model that `wordspace
// inspect` gives (attention, the residual stream after each layer, the logit lens, each block's
// contributions) as numpy arrays. Text is split as training split it and read after a </s> (a
// line start), as lm-generate and inspect read a prompt (eval/lm/inspect_window.h).
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "eval/lm/inspect_window.h"
#include "python/bindings/bindings.h"
#include "transformer/gemm.h"
#include "transformer/language_model.h"
#include "transformer/model.h"

namespace wordspace::python {
namespace {

using transformer::LanguageModel;

// A LanguageModel owns activation buffers, so calls from several Python threads take turns.
struct LanguageModelCore {
  explicit LanguageModelCore(LanguageModel lm) : model(std::move(lm)) {}
  LanguageModel model;
  std::mutex mutex;
};
using LanguageModelPtr = std::shared_ptr<LanguageModelCore>;

std::vector<int32_t> PromptIds(LanguageModelCore& core, const std::string& text) {
  return eval::PromptWindow(core.model, text).ids;
}

// The words of `ids` joined by spaces; ValueError for an id outside the vocabulary.
std::string JoinWords(const LanguageModel& lm, const std::vector<int32_t>& ids) {
  std::string text;
  for (int32_t id : ids) {
    if (id < 0 || id >= lm.vocab_size()) {
      throw py::value_error("id " + std::to_string(id) + " is outside the vocabulary (0.." +
                            std::to_string(lm.vocab_size() - 1) + ")");
    }
    if (!text.empty()) text += ' ';
    text += lm.word(id);
  }
  return text;
}

py::array_t<float> Array(const std::vector<float>& values, std::vector<py::ssize_t> shape) {
  py::array_t<float> out(shape);
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

transformer::ForwardTrace TraceOf(LanguageModelCore& core, const std::string& text,
                                  std::vector<std::string>* tokens) {
  eval::InspectWindow window = eval::PromptWindow(core.model, text);
  if (tokens != nullptr) *tokens = window.tokens;
  absl::StatusOr<transformer::ForwardTrace> trace;
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(core.mutex);
    trace = core.model.Trace(window.ids);
  }
  return ValueOrThrow(std::move(trace));
}

}  // namespace

void RegisterLanguageModel(py::module_& m) {
  m.def(
      "set_precision",
      [](const std::string& name) {
        transformer::GemmPrecision precision =
            ValueOrThrow(transformer::ParseGemmPrecision(name));
        OkOrThrow(transformer::SetGemmPrecision(precision));
      },
      py::arg("name"),
      "The transformer's matrix products from now on: 'fp32' (the default, the same numbers on "
      "every CPU), 'bf16' (bf16 operands, fp32 sums: faster on CPUs with AVX512_BF16; "
      "wordspace.Error elsewhere) or 'auto' (bf16 where the CPU has it).");
  m.def(
      "precision",
      [] { return transformer::GemmPrecisionName(transformer::ActiveGemmPrecision()); },
      "The precision of the transformer's matrix products: 'fp32' or 'bf16'.");
  py::class_<LanguageModelCore, LanguageModelPtr> c(m, "LanguageModel", R"doc(
A tiny transformer trained by `wordspace lm-train`, loaded for inference and inspection.

    lm = wordspace.LanguageModel.load("model.lm")
    lm.next_words("the capital of poland is", k=5)    # [(word, probability), ...]
    lm.generate("the river", tokens=10, seed=1)
    lm.attention("the river bank was muddy")           # (layers, heads, T, T) numpy array
    lm.lens("the capital of poland is")                # (layers + 1, T, V) log-probabilities

Text is split as training split it and read after a </s> (a line start), so position 0 of every
per-position array is </s>; tokens(text) gives the words. Id 0 is <unk>, 1 is </s>.)doc");
  c.def_static(
      "load",
      [](const std::filesystem::path& file, int threads) {
        const std::string path = file.string();
        absl::StatusOr<LanguageModel> lm;
        {
          py::gil_scoped_release release;
          lm = LanguageModel::Load(path);
        }
        auto core = std::make_shared<LanguageModelCore>(ValueOrThrow(std::move(lm)));
        core->model.set_threads(threads);
        return core;
      },
      py::arg("path"), py::arg("threads") = 1,
      "Reads a checkpoint (FileNotFoundError, ValueError for a file that is not one, "
      "wordspace.DataLossError for a corrupt one). threads: cores used inside each call.");
  c.def_property_readonly("vocab_size", [](const LanguageModelPtr& s) { return s->model.vocab_size(); });
  c.def_property_readonly("context", [](const LanguageModelPtr& s) { return s->model.context(); },
                          "The longest window the model reads.");
  c.def_property_readonly("d_model", [](const LanguageModelPtr& s) { return s->model.config().d_model; });
  c.def_property_readonly("layers", [](const LanguageModelPtr& s) { return s->model.config().layers; });
  c.def_property_readonly("heads", [](const LanguageModelPtr& s) { return s->model.config().heads; });
  c.def_property_readonly(
      "architecture", [](const LanguageModelPtr& s) { return s->model.config().ArchitectureName(); },
      "The block: norm, positions, feed-forward and its width, biases.");
  c.def_property_readonly("trained_steps", [](const LanguageModelPtr& s) { return s->model.trained_steps(); });
  c.def_property_readonly("words", [](const LanguageModelPtr& s) { return s->model.words(); },
                          "The vocabulary by id (0 <unk>, 1 </s>).");
  c.def_property(
      "threads", [](const LanguageModelPtr& s) { return s->model.threads(); },
      [](const LanguageModelPtr& s, int threads) { s->model.set_threads(threads); });
  c.def("encode",
        [](const LanguageModelPtr& s, const std::string& text) { return s->model.EncodeLine(text); },
        py::arg("text"), "The ids of the text's words (0 for words outside the vocabulary; no </s>).");
  c.def("decode",
        [](const LanguageModelPtr& s, const std::vector<int32_t>& ids) {
          return JoinWords(s->model, ids);
        },
        py::arg("ids"), "The words of the ids, joined by spaces.");
  c.def("tokens",
        [](const LanguageModelPtr& s, const std::string& text) {
          return eval::PromptWindow(s->model, text).tokens;
        },
        py::arg("text"),
        "The window the model reads for `text`: </s>, then its words (<unk> for unknown ones), "
        "the last `context` of them.");
  c.def("next_words",
        [](const LanguageModelPtr& s, const std::string& prompt, int k, bool skip_unk) {
          if (k <= 0) throw py::value_error("k must be positive");
          const std::vector<int32_t> ids = PromptIds(*s, prompt);
          std::vector<std::pair<int32_t, float>> top;
          {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> lock(s->mutex);
            top = s->model.TopK(ids, k, skip_unk);
          }
          py::list out;
          for (auto [id, p] : top) out.append(py::make_tuple(s->model.word(id), p));
          return out;
        },
        py::arg("prompt"), py::arg("k") = 10, py::arg("skip_unk") = false,
        "The k most probable next words after the prompt: [(word, probability)], best first.");
  c.def("log_probs",
        [](const LanguageModelPtr& s,
           const py::array_t<int32_t, py::array::c_style | py::array::forcecast>& ids) {
          if (ids.ndim() != 1 && ids.ndim() != 2) {
            throw py::value_error("ids must be a sequence (T,) or a batch (B, T) of token ids");
          }
          const int batch = ids.ndim() == 2 ? static_cast<int>(ids.shape(0)) : 1;
          const int length = static_cast<int>(ids.shape(ids.ndim() - 1));
          const int V = s->model.vocab_size();
          std::vector<py::ssize_t> shape;
          if (ids.ndim() == 2) shape.push_back(batch);
          shape.push_back(length);
          shape.push_back(V);
          py::array_t<float> out(shape);
          std::span<const int32_t> windows(ids.data(), static_cast<size_t>(ids.size()));
          std::span<float> values(out.mutable_data(), static_cast<size_t>(out.size()));
          absl::Status status;
          {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> lock(s->mutex);
            status = s->model.NextTokenLogProbs(windows, batch, length, values);
          }
          OkOrThrow(status);
          return out;
        },
        py::arg("ids"),
        "Next-token log-probabilities at every position: for ids of shape (T,) an array (T, V), "
        "for (B, T) an array (B, T, V); row t is log P(token t+1 | tokens 0..t). T <= context.");
  c.def("generate",
        [](const LanguageModelPtr& s, const std::string& prompt, int tokens, double temperature,
           int top_k, uint64_t seed, bool stop_at_eos, bool no_unk) {
          if (tokens <= 0) throw py::value_error("tokens must be positive");
          if (!(temperature > 0)) throw py::value_error("temperature must be above 0");
          LanguageModel::SampleOptions options;
          options.tokens = tokens;
          options.temperature = temperature;
          options.top_k = top_k;
          options.seed = seed;
          options.stop_at_eos = stop_at_eos;
          options.no_unk = no_unk;
          const std::vector<int32_t> ids = PromptIds(*s, prompt);
          std::vector<int32_t> drawn;
          {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> lock(s->mutex);
            drawn = s->model.Sample(ids, options);
          }
          return JoinWords(s->model, drawn);
        },
        py::arg("prompt") = "", py::kw_only(), py::arg("tokens") = 20,
        py::arg("temperature") = 1.0, py::arg("top_k") = 0, py::arg("seed") = 1,
        py::arg("stop_at_eos") = false, py::arg("no_unk") = false,
        "Continues the prompt by sampling `tokens` words (the same words for the same seed); "
        "returns them joined by spaces.");
  c.def("trace",
        [](const LanguageModelPtr& s, const std::string& text) {
          std::vector<std::string> tokens;
          transformer::ForwardTrace t = TraceOf(*s, text, &tokens);
          py::dict d;
          d["tokens"] = tokens;
          d["residual"] = Array(t.residual, {t.L + 1, t.T, t.C});
          d["attn_update"] = Array(t.attn_update, {t.L, t.T, t.C});
          d["ff_update"] = Array(t.ff_update, {t.L, t.T, t.C});
          d["attention"] = Array(t.attention, {t.L, t.NH, t.T, t.T});
          d["ff_hidden"] = Array(t.ff_hidden, {t.L, t.T, t.H});
          return d;
        },
        py::arg("text"),
        "One forward pass laid open: tokens, residual (L+1, T, C: after the embeddings and after "
        "each block), attn_update and ff_update (L, T, C: each block's two additions to the "
        "stream), attention (L, heads, T, T) and ff_hidden (L, T, H: the feed-forward activations, H = 4C for the classic block).");
  c.def("attention",
        [](const LanguageModelPtr& s, const std::string& text) {
          transformer::ForwardTrace t = TraceOf(*s, text, nullptr);
          return Array(t.attention, {t.L, t.NH, t.T, t.T});
        },
        py::arg("text"),
        "Attention weights (layers, heads, T, T): [l, h, query, key], each row summing to 1 over "
        "keys 0..query.");
  c.def("hidden_states",
        [](const LanguageModelPtr& s, const std::string& text) {
          transformer::ForwardTrace t = TraceOf(*s, text, nullptr);
          return Array(t.residual, {t.L + 1, t.T, t.C});
        },
        py::arg("text"),
        "The residual stream (layers + 1, T, d_model): [0] the embeddings, [l] after block l; "
        "a word's contextual vector at each depth.");
  c.def("lens",
        [](const LanguageModelPtr& s, const std::string& text) {
          transformer::ForwardTrace t = TraceOf(*s, text, nullptr);
          const int V = s->model.vocab_size();
          py::array_t<float> out({t.L + 1, t.T, V});
          float* o = out.mutable_data();
          {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> lock(s->mutex);
            for (int l = 0; l <= t.L; ++l) {
              for (int p = 0; p < t.T; ++p) {
                const std::vector<float> logp = s->model.ReadOut(t.Residual(l, p));
                std::copy(logp.begin(), logp.end(), o + (static_cast<size_t>(l) * t.T + p) * V);
              }
            }
          }
          return out;
        },
        py::arg("text"),
        "The logit lens (layers + 1, T, V): next-token log-probabilities read from the residual "
        "after each depth through the final LayerNorm and output layer; the last is the model's.");
  c.def("contributions",
        [](const LanguageModelPtr& s, const std::string& text) {
          transformer::ForwardTrace t = TraceOf(*s, text, nullptr);
          py::dict d;
          std::vector<float> embeddings(t.residual.begin(),
                                        t.residual.begin() + static_cast<size_t>(t.T) * t.C);
          d["embeddings"] = Array(embeddings, {t.T, t.C});
          d["attention"] = Array(t.attn_update, {t.L, t.T, t.C});
          d["feed_forward"] = Array(t.ff_update, {t.L, t.T, t.C});
          return d;
        },
        py::arg("text"),
        "What each part adds to the residual stream: embeddings (T, C), attention and "
        "feed_forward (L, T, C); their sum over parts is hidden_states(text)[-1].");
  c.def("embedding",
        [](const LanguageModelPtr& s, const std::string& word) {
          const int32_t id = s->model.Id(word);
          std::span<const float> row = s->model.TokenEmbedding(id);
          return CopyArray(row.data(), {static_cast<int64_t>(row.size())});
        },
        py::arg("word"), "The word's input embedding (its one static vector; <unk>'s if unknown).");
  c.def("__repr__", [](const LanguageModelPtr& s) {
    const transformer::ModelConfig& c = s->model.config();
    return "<wordspace.LanguageModel: vocab " + std::to_string(c.vocab_size) + ", d_model " +
           std::to_string(c.d_model) + ", " + std::to_string(c.layers) + " layers, " +
           std::to_string(c.heads) + " heads, context " + std::to_string(c.context) + "; " +
           c.ArchitectureName() + ">";
  });
}

}  // namespace wordspace::python
