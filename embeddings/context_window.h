// The window code every word-vector model shares (skip-gram's two kernels and CBOW):
// frequent-word subsampling, and per centre word a context window shrunk at random, from which
// the (context, centre) pairs come. Both follow word2vec.c (Mikolov et al., 2013), and both
// draw from the worker's FastRng in a fixed order, so one thread with a fixed seed gives the
// same sentences, windows and pairs in every model and kernel.
//
//   const Subsampler subsampler(vocab, 1e-3);
//   if (subsampler.Keep(id, rng)) sentence.push_back(id);
//   ForEachWindow(sentence, length, window, rng, [&](const ContextWindow& w) {
//     ForEachContext(w, [&](int c) { Train(sentence[c], sentence[w.centre]); });
//   });
#ifndef WORDSPACE_EMBEDDINGS_CONTEXT_WINDOW_H_
#define WORDSPACE_EMBEDDINGS_CONTEXT_WINDOW_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "base/random.h"

// Declared, not included: the per-instruction-set units that compile this header for a wide
// level must not include absl's containers, whose <iostream> brings a static initialiser
// (embeddings/skip_gram_classic.h).
namespace wordspace::corpus {
class Vocabulary;
}  // namespace wordspace::corpus

namespace wordspace::embeddings {

// word2vec.c's subsampling of frequent words: a word of count c survives with probability
// (sqrt(c / (sample·N)) + 1) · sample·N / c, where N is the corpus' vocabulary words.
class Subsampler {
 public:
  // sample 0 keeps every word.
  Subsampler(const corpus::Vocabulary& vocab, double sample);

  // Whether this occurrence of word `id` is trained. Draws from `rng` only for words that may
  // be dropped, as word2vec.c does.
  bool Keep(uint32_t id, FastRng& rng) const {
    return keep_[id] >= 1.0f || keep_[id] >= rng.Uniform();
  }
  // The probability that an occurrence of `id` survives (for tests).
  float KeepProbability(uint32_t id) const { return keep_[id]; }

 private:
  std::vector<float> keep_;  // per word id
};

// One centre position of a sentence and its shrunk window [begin, end), which includes the
// centre itself (ForEachContext skips it).
struct ContextWindow {
  int centre;
  int begin;
  int end;
};

// Calls fn(window) for every position of sentence[0, length), each with its own reach drawn
// uniformly from [1, window] (word2vec.c's random shrink: near words weigh more), clipped to
// the sentence. One rng.Below(window) per position, drawn before fn runs.
template <typename Fn>
inline void ForEachWindow(int length, int window, FastRng& rng, Fn&& fn) {
  for (int i = 0; i < length; ++i) {
    const int reach = 1 + static_cast<int>(rng.Below(static_cast<uint32_t>(window)));
    fn(ContextWindow{i, std::max(0, i - reach), std::min(length, i + reach + 1)});
  }
}

// Calls fn(position) for each context position of `w`, in order, skipping the centre.
template <typename Fn>
inline void ForEachContext(const ContextWindow& w, Fn&& fn) {
  for (int c = w.begin; c < w.end; ++c) {
    if (c != w.centre) fn(c);
  }
}

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_CONTEXT_WINDOW_H_
