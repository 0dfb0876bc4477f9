#include "eval/lm/ngram_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/check.h"

namespace wordspace::eval {
namespace {

constexpr std::array<double, 3> kFallbackDiscounts = {0.5, 1.0, 1.5};

// The discount for an n-gram seen `count` times (adjusted count at lower orders).
inline double Discount(const std::array<double, 3>& d, uint32_t count) {
  return count == 0 ? 0.0 : d[std::min<uint32_t>(count, 3) - 1];
}

std::string Millions(uint64_t n) { return absl::StrFormat("%.1fM", n / 1e6); }

}  // namespace

std::optional<std::array<double, 3>> EstimateDiscounts(const std::array<uint64_t, 4>& n) {
  if (n[0] == 0 || n[1] == 0 || n[2] == 0) return std::nullopt;
  const double n1 = n[0], n2 = n[1], n3 = n[2], n4 = n[3];
  const double y = n1 / (n1 + 2 * n2);
  std::array<double, 3> d = {1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3};
  // D_k within [0.01, k]: a zero discount would leave a context no mass to back off with.
  for (int k = 0; k < 3; ++k) d[k] = std::clamp(d[k], 0.01, k + 1.0);
  return d;
}

absl::StatusOr<NgramModel> NgramModel::Train(std::span<const uint32_t> tokens,
                                             NgramVocabulary vocab, const KneserNeyOptions& options,
                                             const NgramProgress& progress) {
  const int N = options.order;
  if (N < 1 || N > kMaxNgramOrder) {
    return absl::InvalidArgumentError(
        absl::StrCat("n-gram order ", N, " is out of range; use 1 to ", kMaxNgramOrder));
  }
  const uint64_t V = vocab.words.size();
  if (V == 0 || V >= 0xFFFFFFFFull) {
    return absl::InvalidArgumentError(absl::StrCat("vocabulary size ", V, " is out of range"));
  }
  if (vocab.unk_id < 0 || vocab.unk_id >= static_cast<int64_t>(V) || vocab.eos_id < 0 ||
      vocab.eos_id >= static_cast<int64_t>(V) || vocab.unk_id == vocab.eos_id) {
    return absl::InvalidArgumentError("the vocabulary needs distinct <unk> and </s> ids");
  }
  const uint64_t L = tokens.size();
  if (L >= 0xFFFFFFFEull) {
    return absl::InvalidArgumentError(
        absl::StrCat(L, " training tokens is more than this model's 32-bit counts hold"));
  }
  for (uint64_t i = 0; i < L; ++i) {
    if (tokens[i] >= V) {
      return absl::InvalidArgumentError(
          absl::StrCat("token ", i, " has id ", tokens[i], ", outside the vocabulary of ", V));
    }
  }
  if (options.fixed_discounts) {
    for (int k = 0; k < 3; ++k) {
      double d = (*options.fixed_discounts)[k];
      if (!(d > 0 && d <= k + 1)) {
        return absl::InvalidArgumentError(
            absl::StrCat("discount D", k + 1, " = ", d, " must be in (0, ", k + 1, "]"));
      }
    }
  }
  auto report = [&](const std::string& phase) {
    if (progress) progress(phase);
  };

  NgramModel m;
  m.vocab_ = std::move(vocab);
  m.order_ = N;
  m.training_tokens_ = L;
  m.levels_.resize(N + 1);
  m.stats_.resize(N + 1);
  // counts[n][j]: the count order n uses for level-n entry j (raw at the top, adjusted below).
  std::vector<std::vector<uint32_t>> counts(N + 1);

  counts[1].assign(V, 0);
  for (uint32_t t : tokens) ++counts[1][t];
  m.levels_[1].word.resize(V);
  std::iota(m.levels_[1].word.begin(), m.levels_[1].word.end(), 0u);
  m.levels_[0].child_begin = {0, static_cast<uint32_t>(V)};

  // node[i]: the level-(n-1) entry of the (n-1)-gram that starts at position i.
  std::vector<uint32_t> node(tokens.begin(), tokens.end());
  for (int n = 2; n <= N; ++n) {
    Level& prev = m.levels_[n - 1];
    Level& cur = m.levels_[n];
    const size_t prev_size = prev.word.size();
    const uint64_t M = L >= static_cast<uint64_t>(n) ? L - n + 1 : 0;
    report(absl::StrCat("order ", n, ": sorting ", Millions(M), " n-grams"));
    // Key = (prefix node, last word): sorting groups each prefix's continuations, in word
    // order, which is exactly the trie's layout.
    std::vector<uint64_t> keys(M);
    for (uint64_t i = 0; i < M; ++i) {
      keys[i] = (static_cast<uint64_t>(node[i]) << 32) | tokens[i + n - 1];
    }
    std::sort(keys.begin(), keys.end());
    prev.child_begin.assign(prev_size + 1, 0);
    std::vector<uint32_t>& cnt = counts[n];
    for (uint64_t i = 0; i < M; ++i) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        cur.word.push_back(static_cast<uint32_t>(keys[i]));
        cnt.push_back(1);
        ++prev.child_begin[(keys[i] >> 32) + 1];
      } else {
        ++cnt.back();
      }
    }
    std::vector<uint64_t>().swap(keys);
    for (size_t p = 0; p < prev_size; ++p) prev.child_begin[p + 1] += prev.child_begin[p];

    report(absl::StrCat("order ", n, ": ", Millions(cur.word.size()),
                        " distinct; continuation counts for order ", n - 1));
    // Each distinct n-gram x g adds one to the continuation count of its suffix g, the
    // (n-1)-gram starting one position later.
    std::vector<uint32_t> next(M);
    std::vector<uint8_t> seen(cur.word.size(), 0);
    std::vector<uint32_t> adjusted(prev_size, 0);
    for (uint64_t i = 0; i < M; ++i) {
      const uint32_t* b = cur.word.data() + prev.child_begin[node[i]];
      const uint32_t* e = cur.word.data() + prev.child_begin[node[i] + 1];
      const uint32_t* it = std::lower_bound(b, e, tokens[i + n - 1]);
      CHECK(it != e && *it == tokens[i + n - 1]);
      const uint32_t j = static_cast<uint32_t>(it - cur.word.data());
      next[i] = j;
      if (!seen[j]) {
        seen[j] = 1;
        ++adjusted[node[i + 1]];
      }
    }
    // The (n-1)-gram at the stream's start has no word before it: one more left context.
    if (!node.empty()) ++adjusted[node[0]];
    counts[n - 1] = std::move(adjusted);
    node.swap(next);
  }
  std::vector<uint32_t>().swap(node);

  report("discounts and interpolation weights");
  for (int n = 1; n <= N; ++n) {
    NgramOrderStats& s = m.stats_[n];
    const std::vector<uint32_t>& cnt = counts[n];
    for (uint32_t c : cnt) {
      if (c > 0) ++s.ngrams;
      if (c >= 1 && c <= 4) ++s.count_of_counts[c - 1];
    }
    if (options.fixed_discounts) {
      s.discounts = *options.fixed_discounts;
    } else if (auto d = EstimateDiscounts(s.count_of_counts)) {
      s.discounts = *d;
    } else {
      s.discounts = kFallbackDiscounts;
      s.fallback = true;
    }
    Level& prev = m.levels_[n - 1];
    Level& cur = m.levels_[n];
    const size_t prev_size = n == 1 ? 1 : prev.word.size();
    cur.alpha.assign(cur.word.size(), 0.0f);
    prev.gamma.assign(prev_size, 1.0f);
    for (size_t p = 0; p < prev_size; ++p) {
      const uint32_t b = prev.child_begin[p], e = prev.child_begin[p + 1];
      uint64_t total = 0;
      std::array<uint64_t, 3> nk{};
      for (uint32_t j = b; j < e; ++j) {
        total += cnt[j];
        if (cnt[j] > 0) ++nk[std::min<uint32_t>(cnt[j], 3) - 1];
      }
      if (total == 0) continue;  // never a context: back off with weight 1
      const double inv = 1.0 / static_cast<double>(total);
      for (uint32_t j = b; j < e; ++j) {
        cur.alpha[j] =
            static_cast<float>(std::max(cnt[j] - Discount(s.discounts, cnt[j]), 0.0) * inv);
      }
      prev.gamma[p] = static_cast<float>(
          (s.discounts[0] * nk[0] + s.discounts[1] * nk[1] + s.discounts[2] * nk[2]) * inv);
    }
    std::vector<uint32_t>().swap(counts[n]);
  }
  m.Finish();
  return m;
}

void NgramModel::Finish() {
  const int32_t V = vocab_size();
  unigram_.resize(V);
  const double base = levels_[0].gamma[0] / static_cast<double>(V);
  for (int32_t w = 0; w < V; ++w) unigram_[w] = levels_[1].alpha[w] + base;
  unigram_order_.resize(V);
  std::iota(unigram_order_.begin(), unigram_order_.end(), 0);
  std::sort(unigram_order_.begin(), unigram_order_.end(), [&](int32_t a, int32_t b) {
    return unigram_[a] != unigram_[b] ? unigram_[a] > unigram_[b] : a < b;
  });
}

int64_t NgramModel::Child(int n, uint32_t node, uint32_t word) const {
  const Level& parent = levels_[n];
  const std::vector<uint32_t>& words = levels_[n + 1].word;
  const uint32_t* b = words.data() + parent.child_begin[node];
  const uint32_t* e = words.data() + parent.child_begin[node + 1];
  const uint32_t* it = std::lower_bound(b, e, word);
  return it != e && *it == word ? it - words.data() : -1;
}

NgramModel::Context NgramModel::FindContext(std::span<const int32_t> history) const {
  Context c;
  const size_t h = history.size();
  const int max_k = static_cast<int>(std::min<size_t>(order_ - 1, h));
  for (int k = 1; k <= max_k; ++k) {
    // The last k words, walked down from the oldest; level 1 is dense, so it is the word id.
    int32_t first = history[h - k];
    CHECK(first >= 0 && first < vocab_size());
    int64_t node = first;
    for (int level = 1; level < k && node >= 0; ++level) {
      node =
          Child(level, static_cast<uint32_t>(node), static_cast<uint32_t>(history[h - k + level]));
    }
    if (node < 0) break;  // never seen, so no longer context was either
    c.node[k] = static_cast<uint32_t>(node);
    c.depth = k;
  }
  return c;
}

double NgramModel::Prob(const Context& context, int32_t word) const {
  CHECK(word >= 0 && word < vocab_size());
  double p = unigram_[word];
  for (int k = 1; k <= context.depth; ++k) {
    const uint32_t node = context.node[k];
    const int64_t j = Child(k, node, static_cast<uint32_t>(word));
    const double alpha = j >= 0 ? levels_[k + 1].alpha[j] : 0.0;
    p = alpha + levels_[k].gamma[node] * p;
  }
  return p;
}

void NgramModel::Distribution(const Context& context, std::vector<double>* out) const {
  *out = unigram_;
  for (int k = 1; k <= context.depth; ++k) {
    const uint32_t node = context.node[k];
    const double gamma = levels_[k].gamma[node];
    for (double& p : *out) p *= gamma;
    const Level& next = levels_[k + 1];
    for (uint32_t j = levels_[k].child_begin[node]; j < levels_[k].child_begin[node + 1]; ++j) {
      (*out)[next.word[j]] += next.alpha[j];
    }
  }
}

void NgramModel::TopWords(const Context& context, int k, Scratch* scratch,
                          std::vector<int32_t>* ids, std::vector<double>* probs) const {
  const int32_t V = vocab_size();
  k = std::min(k, V);
  if (scratch->mass.size() != static_cast<size_t>(V)) {
    scratch->mass.assign(V, 0.0);
    scratch->is_touched.assign(V, 0);
    scratch->touched.clear();
  }
  // p(w) = sum_k W_k alpha(node_k, w) + W_0 unigram(w), with W_depth = 1 and
  // W_{k-1} = W_k gamma(node_k): only the continuations of the context's nodes differ from
  // the scaled unigram distribution.
  std::array<double, kMaxNgramOrder + 1> weight{};
  weight[context.depth] = 1.0;
  for (int d = context.depth; d >= 1; --d) {
    weight[d - 1] = weight[d] * levels_[d].gamma[context.node[d]];
  }
  for (int d = 1; d <= context.depth; ++d) {
    const uint32_t node = context.node[d];
    const Level& next = levels_[d + 1];
    for (uint32_t j = levels_[d].child_begin[node]; j < levels_[d].child_begin[node + 1]; ++j) {
      const uint32_t w = next.word[j];
      if (!scratch->is_touched[w]) {
        scratch->is_touched[w] = 1;
        scratch->touched.push_back(static_cast<int32_t>(w));
      }
      scratch->mass[w] += weight[d] * next.alpha[j];
    }
  }
  // Best k, kept sorted by (probability desc, id asc).
  std::vector<std::pair<double, int32_t>> best;
  best.reserve(k + 1);
  auto better = [](const std::pair<double, int32_t>& a, const std::pair<double, int32_t>& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  auto offer = [&](double p, int32_t w) {
    std::pair<double, int32_t> item(p, w);
    if (static_cast<int>(best.size()) == k && !better(item, best.back())) return;
    best.insert(std::upper_bound(best.begin(), best.end(), item, better), item);
    if (static_cast<int>(best.size()) > k) best.pop_back();
  };
  for (int32_t w : scratch->touched) offer(scratch->mass[w] + weight[0] * unigram_[w], w);
  int taken = 0;
  for (int32_t w : unigram_order_) {
    if (taken == k) break;
    if (scratch->is_touched[w]) continue;
    offer(weight[0] * unigram_[w], w);
    ++taken;
  }
  for (int32_t w : scratch->touched) {
    scratch->mass[w] = 0.0;
    scratch->is_touched[w] = 0;
  }
  scratch->touched.clear();
  ids->clear();
  probs->clear();
  for (const auto& [p, w] : best) {
    ids->push_back(w);
    probs->push_back(p);
  }
}

}  // namespace wordspace::eval
