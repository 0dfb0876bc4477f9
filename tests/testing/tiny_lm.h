// Test helpers: a tiny language-model state built in the test (no corpus, no checkpoint), for
// the transformer and eval tests that need a model with known words and shape.
//
//   LmState state = TinyLmState({.vocab_size = 12, .context = 8, .d_model = 16, .layers = 1,
//                                .heads = 2}, /*seed=*/5);
//   WidenWeights(state.model.get(), 5);  // far from the 0.02 init, so every path matters
//   LanguageModel lm = TinyLmWithWords({"<unk>", "</s>", "the", "cat"});
#ifndef WORDSPACE_TESTS_TESTING_TINY_LM_H_
#define WORDSPACE_TESTS_TESTING_TINY_LM_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "transformer/language_model.h"
#include "transformer/lm_state.h"
#include "transformer/model.h"

namespace wordspace::testing {

// "<unk>", "</s>", then "w<first>", "w<first+1>", ...: `size` words in all. With first = 2 a
// word's number is its id.
inline std::vector<std::string> NumberedWords(int size, int first = 2) {
  std::vector<std::string> words = {"<unk>", "</s>"};
  for (int i = 0; i + 2 < size; ++i) words.push_back(absl::StrCat("w", first + i));
  return words;
}

// A state with NumberedWords(config.vocab_size, first_word) and a model of `config`
// initialised with InitRandom(seed); no optimizer, default training config.
inline transformer::LmState TinyLmState(const transformer::ModelConfig& config, uint64_t seed,
                                        int first_word = 2) {
  transformer::LmState state;
  state.words = NumberedWords(config.vocab_size, first_word);
  state.model = std::make_unique<transformer::Model>(config);
  state.model->InitRandom(seed);
  return state;
}

// Matrices and embeddings (the weight-decayed tensors) times 15, LayerNorm and biases plus
// N(0, 0.1) noise: every update and attention pattern is then far from zero and uniform.
inline void WidenWeights(transformer::Model* model, uint64_t seed) {
  std::mt19937 rng(static_cast<uint32_t>(seed));
  std::normal_distribution<float> n(0.0f, 0.1f);
  for (int i = 0; i < transformer::kNumParamTensors; ++i) {
    const transformer::TensorInfo& t = model->layout().tensor(i);
    for (float& x : model->param(i)) x = t.weight_decay ? 15 * x : x + n(rng);
  }
}

// A LanguageModel over `words` ("<unk>", "</s>" first) with widened random weights (seed 11):
// for tests of what a model makes of typed text. `lowercases`: its tokenizer lowercases.
inline transformer::LanguageModel TinyLmWithWords(std::vector<std::string> words, int context = 8,
                                                  bool lowercases = false) {
  transformer::LmState state = TinyLmState({.vocab_size = static_cast<int>(words.size()),
                                            .context = context,
                                            .d_model = 16,
                                            .layers = 1,
                                            .heads = 2},
                                           11);
  WidenWeights(state.model.get(), 11);
  state.words = std::move(words);
  state.tokenizer.lowercase = lowercases;
  return transformer::LanguageModel::FromState(std::move(state));
}

}  // namespace wordspace::testing

#endif  // WORDSPACE_TESTS_TESTING_TINY_LM_H_
