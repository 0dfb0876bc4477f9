// NgramModel: an interpolated modified Kneser-Ney language model (Chen and Goodman, 1998,
// "An Empirical Study of Smoothing Techniques for Language Modeling", section 3 and eq. 17),
// of order 1 to kMaxNgramOrder, over a fixed vocabulary of V ids. The vocabulary holds the N
// most frequent words plus `<unk>` (every other word) and `</s>` (the end of a line), the
// convention the transformer uses too.
//
// Training text is one continuous stream of ids: `</s>` is an ordinary token and n-grams run
// across line ends, as the transformer's context windows do. For an n-gram g of length n:
// - at the highest order, c(g) is its raw count;
// - at lower orders, c(g) is the continuation count N1+(. g), the number of distinct words seen
//   right before g (the stream's first position counts as one more distinct left context, so
//   every n-gram that occurs has c(g) >= 1).
// Each order n has three discounts D1, D2, D3+ from its count-of-counts n1..n4 (Chen and
// Goodman eq. 26): Y = n1/(n1+2 n2), D1 = 1-2Y n2/n1, D2 = 2-3Y n3/n2, D3+ = 3-4Y n4/n3, each
// clamped to [0, k]; when n1, n2 or n3 is 0 (tiny corpora) the discounts fall back to 0.5, 1,
// 1.5 (KenLM's --discount_fallback). Then, for a context h with at least one continuation:
//   p(w|h) = max(c(hw) - D(c(hw)), 0) / S(h) + gamma(h) p(w|h')
//   gamma(h) = (D1 N1(h.) + D2 N2(h.) + D3+ N3+(h.)) / S(h),   S(h) = sum_w c(hw)
// where h' drops the oldest word of h and N_k(h.) counts the words w with c(hw) = k (3 or more
// for N3+). A context never seen (or seen with no continuation) backs off with weight 1. The
// recursion ends at the uniform distribution 1/V below the unigrams, so every history, seen or
// not, gives a distribution that sums to 1 over the V ids.
//
// Storage is a trie of sorted arrays (as KenLM's "trie" and SRILM's): level n holds the
// distinct n-grams sorted by (prefix node, last word); a node's children are a contiguous range
// of the next level, found by binary search. Per n-gram: the word (uint32), its discounted
// weight (float), and for contexts the child offset (uint32) and gamma (float); about 16 bytes,
// so order 5 on 20M tokens (about 45M n-grams) takes under 1 GB.
//
//   NgramVocabulary vocab = ...;                        // words, unk and eos ids
//   ASSIGN_OR_RETURN(NgramModel lm, NgramModel::Train(ids, vocab, {.order = 3}));
//   double p = lm.Prob(history, word);                  // history: oldest first
#ifndef WORDSPACE_EVAL_LM_NGRAM_MODEL_H_
#define WORDSPACE_EVAL_LM_NGRAM_MODEL_H_

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/sentence_reader.h"

namespace wordspace::eval {

inline constexpr int kMaxNgramOrder = 9;

// The id space a model predicts over: words[id] for id in [0, V), two of them special (the
// `<unk>` and `</s>` of corpus/lm_vocabulary.h). The ids are stored, so a model reads whatever
// layout it was trained with; MakeNgramVocabulary (ngram_trainer.h) builds the kBack layout.
struct NgramVocabulary {
  std::vector<std::string> words;
  int32_t unk_id = -1;
  int32_t eos_id = -1;
  // How text was split into words at training time; held-out text must be read the same way.
  corpus::TokenizerOptions tokenizer;
};

struct KneserNeyOptions {
  int order = 3;  // 1 (unigram, smoothed with the uniform distribution) to kMaxNgramOrder
  // When set, these D1, D2, D3+ are used at every order instead of the count-of-counts estimate
  // (for hand-checked tests and ablations).
  std::optional<std::array<double, 3>> fixed_discounts;
};

// What training saw at one order, for the report and the model file.
struct NgramOrderStats {
  uint64_t ngrams = 0;                        // distinct n-grams of this length
  std::array<uint64_t, 4> count_of_counts{};  // n1..n4 of the counts this order uses
  std::array<double, 3> discounts{};          // D1, D2, D3+
  bool fallback = false;                      // discounts are the fallback, not the estimate
};

// Called with a short description of the phase ("order 3: sorting 20.1M n-grams").
using NgramProgress = std::function<void(const std::string& phase)>;

// Chen and Goodman's discounts from n1..n4; nullopt when n1, n2 or n3 is 0.
std::optional<std::array<double, 3>> EstimateDiscounts(const std::array<uint64_t, 4>& n);

class NgramModel {
 public:
  NgramModel() = default;

  // Trains on `tokens`, ids in [0, vocab.words.size()). InvalidArgument for a bad order, an id
  // out of range, a vocabulary without distinct unk/eos ids, or more than 2^32 - 2 tokens.
  [[nodiscard]] static absl::StatusOr<NgramModel> Train(std::span<const uint32_t> tokens,
                                                        NgramVocabulary vocab,
                                                        const KneserNeyOptions& options,
                                                        const NgramProgress& progress = {});

  int order() const { return order_; }
  int32_t vocab_size() const { return static_cast<int32_t>(vocab_.words.size()); }
  const NgramVocabulary& vocabulary() const { return vocab_; }
  uint64_t training_tokens() const { return training_tokens_; }
  // Per order n = 1..order(): stats(n).
  const NgramOrderStats& stats(int n) const { return stats_[n]; }

  // The contexts of a history that the model knows: node[k] is the trie node of the last k
  // words (k = 0 is the root), for k = 0..depth. Deeper contexts were never seen.
  struct Context {
    int depth = 0;
    std::array<uint32_t, kMaxNgramOrder> node{};
  };
  // `history` is oldest first; only its last order()-1 ids matter.
  Context FindContext(std::span<const int32_t> history) const;

  // p(word | context), in (0, 1].
  double Prob(const Context& context, int32_t word) const;
  double Prob(std::span<const int32_t> history, int32_t word) const {
    return Prob(FindContext(history), word);
  }
  // The whole distribution over the V ids (sums to 1 up to rounding), into `out`.
  void Distribution(const Context& context, std::vector<double>* out) const;

  // Scratch space for TopWords; one per thread.
  struct Scratch {
    std::vector<double> mass;  // V entries, 0 except at `touched`
    std::vector<uint8_t> is_touched;
    std::vector<int32_t> touched;
  };
  // The k most probable ids under `context`, best first (ties: lower id first), with their
  // probabilities. Costs the number of continuations of the context's nodes, not V.
  void TopWords(const Context& context, int k, Scratch* scratch, std::vector<int32_t>* ids,
                std::vector<double>* probs) const;

 private:
  friend class NgramModelIo;

  // Level n (0..order) holds the distinct n-grams; level 0 is the root alone and level 1 is
  // dense (entry w is word w).
  struct Level {
    std::vector<uint32_t> word;         // last word (levels >= 1)
    std::vector<float> alpha;           // max(c - D(c), 0) / S(prefix) (levels >= 1)
    std::vector<uint32_t> child_begin;  // size()+1 offsets into level n+1 (levels < order)
    std::vector<float> gamma;           // backoff weight as a context (levels < order)
    size_t size() const { return gamma.empty() ? word.size() : gamma.size(); }
  };

  // Index in level n+1 of the child of `node` (level n) for `word`, or -1.
  int64_t Child(int n, uint32_t node, uint32_t word) const;
  // Fills unigram_ (p(w) with the empty context) and unigram_order_ from the levels.
  void Finish();

  NgramVocabulary vocab_;
  int order_ = 0;
  uint64_t training_tokens_ = 0;
  std::vector<NgramOrderStats> stats_;  // index 1..order
  std::vector<Level> levels_;           // index 0..order
  std::vector<double> unigram_;         // V entries
  std::vector<int32_t> unigram_order_;  // ids by descending unigram_, ties by id
};

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NGRAM_MODEL_H_
