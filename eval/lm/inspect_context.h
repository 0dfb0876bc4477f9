// `inspect context`: one word's contextual vectors, the residual stream at its
// position, at each layer for each of several sentences; their pairwise cosines
// and each vector's nearest vocabulary words (cosine with the input embeddings,
// wte). The "static" row is the word's input embedding, one vector whatever the
// sentence; layer 0 adds the position's embedding; layers 1..L add what the
// blocks computed from the context.
//
//   ASSIGN_OR_RETURN(ContextReport r, InspectContext(lm, "bank", {"the river
//   bank", "the bank loan"}, 5)); r.layers[i].cosines[a * S + b]    // S
//   sentences
#ifndef WORDSPACE_EVAL_LM_INSPECT_CONTEXT_H_
#define WORDSPACE_EVAL_LM_INSPECT_CONTEXT_H_

#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/lm/inspect_window.h"
#include "transformer/language_model.h"

namespace wordspace::eval {

struct ContextSentence {
  std::string text;
  std::vector<std::string> tokens;  // the window (</s> first)
  int position = 0;                 // of the word's first occurrence in the window
};

struct ContextLayer {
  std::string name;  // "static", "0" (embeddings), "1" .. "L" (after each block)
  int layer = -1;    // -1 for static
  std::vector<std::vector<float>> vectors;     // per sentence, C floats
  std::vector<double> cosines;                 // S × S
  std::vector<std::vector<WordProb>> nearest;  // per sentence; prob holds the cosine
};

struct ContextReport {
  std::string word;
  std::vector<ContextSentence> sentences;
  std::vector<ContextLayer> layers;  // static, 0 .. L
};

// Cosine of two vectors (0 when either is zero).
double Cosine(std::span<const float> a, std::span<const float> b);
// The k vocabulary ids whose input embeddings have the highest cosine with v
// (as WordProb with the cosine in prob).
std::vector<WordProb> NearestEmbeddings(const transformer::LanguageModel& lm,
                                        std::span<const float> v, int k);

// InvalidArgument when the word is outside the vocabulary or missing from a
// sentence (naming the sentence), or no sentence is given.
[[nodiscard]] absl::StatusOr<ContextReport> InspectContext(transformer::LanguageModel& lm,
                                                           const std::string& word,
                                                           const std::vector<std::string>& texts,
                                                           int k);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_INSPECT_CONTEXT_H_
