// LmState: everything a language-model checkpoint holds: the model (config and parameters), its
// vocabulary and tokenizer settings, and, for resuming training, the training configuration,
// progress and AdamW moments.
//
//   LmState state;
//   state.words = {"<unk>", "</s>", "the", ...};
//   state.model = std::make_unique<Model>(config);
//   RETURN_IF_ERROR(WriteCheckpoint(state, "model.lm"));
#ifndef WORDSPACE_TRANSFORMER_LM_STATE_H_
#define WORDSPACE_TRANSFORMER_LM_STATE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "corpus/tokenizer.h"
#include "transformer/model.h"
#include "transformer/optimizer.h"

namespace wordspace::transformer {

// Tokens per step (batch * context) above this are refused: the activations grow with them, and
// a corrupt checkpoint must not ask for terabytes. 2^24 is far beyond what a CPU step can use.
inline constexpr int64_t kMaxBatchTokens = int64_t{1} << 24;

// What defines a training run. Stored in checkpoints; a resumed run continues with it.
struct TrainConfig {
  int batch = 32;        // windows per step
  int64_t steps = 0;     // budget and schedule length in steps (0: use minutes)
  double minutes = 0;    // budget and schedule length in training minutes (steps == 0)
  uint64_t seed = 1337;  // initialisation and window sampling
  bool freeze_embeddings = false;
  // Ways of letting pretrained embeddings count for more (issue 17's study): wte frozen for the
  // first N steps only, while the rest of the model learns to read it, and wte's learning rate
  // scaled (AdamW's step size and its weight decay both). Stored in version 2 checkpoints.
  int64_t freeze_embeddings_steps = 0;
  double embedding_lr_scale = 1.0;
  OptimizerConfig optimizer;

  // True when the run uses a setting that version 1 checkpoints cannot hold.
  bool HasVersion2Settings() const {
    return freeze_embeddings_steps != 0 || embedding_lr_scale != 1.0;
  }
};

struct LmState {
  // Model vocabulary: words[0] = "<unk>", words[1] = "</s>", then the words by frequency.
  std::vector<std::string> words;
  // How text was split into words (prompts and evaluation text must be split the same way).
  corpus::TokenizerOptions tokenizer;
  std::unique_ptr<Model> model;

  // Training; has_optimizer is false in an inference-only checkpoint.
  bool has_optimizer = false;
  TrainConfig train;
  int64_t step = 0;          // steps completed
  double train_seconds = 0;  // training time used (only kept for --minutes budgets)
  uint64_t data_tokens = 0;  // fingerprint of the training ids: their count and CRC-32
  uint32_t data_crc = 0;
  AlignedBuffer adam_m, adam_v;  // parameter-shaped, when has_optimizer
};

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_LM_STATE_H_
