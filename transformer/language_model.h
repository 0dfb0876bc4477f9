// LanguageModel: a trained checkpoint loaded for inference: next-word log-probabilities for
// batches of context windows, top-k next words, and seeded sampling. This is the API that
// evaluation code (eval/'s lm-bench) and `wordspace lm-generate` use.
//
// Inspection: Trace(window) returns one window's forward pass laid open (ForwardTrace in
// model.h): the residual stream after the embeddings and after every block, each block's
// attention and feed-forward updates (which sum to the stream), every head's attention weights
// and the feed-forward activations; ReadOut is the logit lens, TokenEmbedding a word's input
// row. Trace copies activations a separate forward pass computes, so training and
// ForEachLogProbs pay nothing for it.
//
// Ids: 0 is <unk> (any word outside the vocabulary), 1 is </s> (the end of a line); word(id)
// maps back. Text must be split into words the way training split it: EncodeLine/EncodeFile
// use the tokenizer settings stored in the checkpoint and the corpus reader of training.
//
//   ASSIGN_OR_RETURN(LanguageModel lm, LanguageModel::Load("model.lm"));
//   lm.set_threads(2);
//   ASSIGN_OR_RETURN(std::vector<int32_t> ids, lm.EncodeFile("heldout.txt.gz"));
//   // B windows of T <= lm.context() tokens, back to back in `windows` (B*T ids):
//   lm.ForEachLogProbs(windows, B, T, [&](int64_t row, std::span<const float> logp) {
//     // row = b*T + t; logp[v] = log P(token at t+1 = v | window b up to t), v in [0, V)
//   });
//
// A LanguageModel is not safe for concurrent calls (it owns activation buffers); it uses
// `threads` cores inside each call. Memory: about 80 MB of activations per 2048 positions at
// the default size, plus chunk_rows x V floats of logits.
#ifndef WORDSPACE_TRANSFORMER_LANGUAGE_MODEL_H_
#define WORDSPACE_TRANSFORMER_LANGUAGE_MODEL_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "corpus/sentence_reader.h"
#include "transformer/lm_state.h"

namespace wordspace::transformer {

class LanguageModel {
 public:
  // Reads a checkpoint written by lm-train (the AdamW state in it is skipped). Errors as
  // ReadCheckpoint: NotFound, InvalidArgument (not a checkpoint), DataLoss (corrupt).
  [[nodiscard]] static absl::StatusOr<LanguageModel> Load(const std::string& path);
  // Wraps an in-memory state (tests, or right after training); takes the model.
  static LanguageModel FromState(LmState state);

  LanguageModel(LanguageModel&&) noexcept = default;
  LanguageModel& operator=(LanguageModel&&) noexcept = default;

  int vocab_size() const { return model_->config().vocab_size; }
  // The longest window the model accepts (its learned positions).
  int context() const { return model_->config().context; }
  const ModelConfig& config() const { return model_->config(); }
  const std::vector<std::string>& words() const { return words_; }
  const std::string& word(int32_t id) const { return words_[id]; }
  // Id of `word`, kUnkId (0) when it is not in the vocabulary.
  int32_t Id(std::string_view word) const;
  // Training steps the checkpoint had done.
  int64_t trained_steps() const { return trained_steps_; }
  // The tokenizer settings training used.
  const corpus::CorpusOptions& corpus_options() const { return corpus_options_; }

  // Cores used inside each call (default 1).
  void set_threads(int threads) { threads_ = threads < 1 ? 1 : threads; }
  int threads() const { return threads_; }

  // Splits one line into words with the training tokenizer and maps them to ids (no </s>).
  std::vector<int32_t> EncodeLine(std::string_view line) const;
  // Reads a plain or gzip text as training did: ids with </s> (1) after every line.
  [[nodiscard]] absl::StatusOr<std::vector<int32_t>> EncodeFile(const std::string& path) const;

  // Next-token log-probabilities at every position of `batch` windows of `length` tokens each
  // (windows holds batch*length ids in [0, V), window b at [b*length, (b+1)*length);
  // 1 <= length <= context()). Calls sink(row, logp) once per position, in order, with
  // row = b*length + t and logp (V floats, natural log, summing to 1 in probability) valid
  // only during the call. InvalidArgument for bad shapes or ids.
  template <typename Sink>
  absl::Status ForEachLogProbs(std::span<const int32_t> windows, int batch, int length,
                               Sink&& sink);

  // The same into an array: out holds batch*length*V floats, (B, T, V) row-major.
  [[nodiscard]] absl::Status NextTokenLogProbs(std::span<const int32_t> windows, int batch,
                                               int length, std::span<float> out);

  // Log-probabilities of the token following `context_ids` (its last context() ids are used;
  // an empty context is treated as a line start, "</s>").
  std::vector<float> NextLogProbs(std::span<const int32_t> context_ids);

  // The k most probable next tokens after `context_ids`, as (id, probability), best first.
  // With `skip_unk`, the k most probable other than <unk>; the probabilities stay the model's
  // (not renormalised), so they still read as P(next = word).
  std::vector<std::pair<int32_t, float>> TopK(std::span<const int32_t> context_ids, int k,
                                              bool skip_unk = false);

  struct SampleOptions {
    int tokens = 20;           // tokens to draw
    double temperature = 1.0;  // > 0; below 1 sharpens, above 1 flattens
    int top_k = 0;             // draw among the k most probable (0: all)
    uint64_t seed = 1;
    bool stop_at_eos = false;  // stop after drawing </s>
    bool no_unk = false;       // never draw <unk>: sample among the other words
  };
  // Continues `context_ids` by sampling; returns the drawn ids. Deterministic for a seed.
  std::vector<int32_t> Sample(std::span<const int32_t> context_ids, const SampleOptions& options);

  // Inspection (the `inspect` studies in eval/): one window's forward pass laid open, with the
  // residual stream after the embeddings and after every block, each block's two updates,
  // every head's attention weights and the feed-forward activations (ForwardTrace in model.h).
  // window: 1..context() ids in [0, V); InvalidArgument otherwise.
  [[nodiscard]] absl::StatusOr<ForwardTrace> Trace(std::span<const int32_t> window);
  // The logit lens: next-token log-probabilities (V) read from residual vector x (C floats)
  // through the final LayerNorm and the output layer; at the last layer, the model's own.
  std::vector<float> ReadOut(std::span<const float> x);
  // The word's input embedding (row `id` of wte, C floats): its one static vector.
  std::span<const float> TokenEmbedding(int32_t id) const;

  Model& model() { return *model_; }

 private:
  LanguageModel() = default;
  absl::Status CheckWindows(std::span<const int32_t> windows, int batch, int length) const;

  std::unique_ptr<Model> model_;
  std::vector<std::string> words_;
  absl::flat_hash_map<std::string, int32_t> ids_;
  corpus::CorpusOptions corpus_options_;
  int64_t trained_steps_ = 0;
  int threads_ = 1;
};

// ---- template definition
template <typename Sink>
absl::Status LanguageModel::ForEachLogProbs(std::span<const int32_t> windows, int batch, int length,
                                            Sink&& sink) {
  if (absl::Status s = CheckWindows(windows, batch, length); !s.ok()) return s;
  const int V = vocab_size();
  model_->LogProbs(windows.data(), batch, length, threads_,
                   [&](int first_row, int rows, const float* logp) {
                     for (int r = 0; r < rows; ++r) {
                       sink(static_cast<int64_t>(first_row) + r,
                            std::span<const float>(logp + static_cast<int64_t>(r) * V, V));
                     }
                   });
  return absl::OkStatus();
}

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_LANGUAGE_MODEL_H_
