#include "embeddings/huffman_tree.h"

#include <algorithm>
#include <numeric>

namespace wordspace::embeddings {

HuffmanTree HuffmanTree::Build(std::span<const int64_t> counts) {
  const size_t V = counts.size();
  HuffmanTree tree;
  tree.offsets_.assign(V + 1, 0);
  if (V < 2) return tree;

  // Leaves 0..V-1 are the words most frequent first; inner nodes V..2V-2 are made in order of
  // increasing count, so both lists stay sorted and the two smallest are always at their ends
  // (word2vec.c's linear-time construction: pos1 walks the leaves down, pos2 the inner nodes up).
  std::vector<uint32_t> order(V);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return counts[a] > counts[b]; });
  std::vector<int64_t> count(2 * V - 1);
  for (size_t a = 0; a < V; ++a) count[a] = counts[order[a]];
  std::vector<size_t> parent(2 * V - 1);
  std::vector<uint8_t> branch(2 * V - 1, 0);
  int64_t pos1 = static_cast<int64_t>(V) - 1;
  size_t pos2 = V;
  for (size_t a = 0; a + 1 < V; ++a) {
    size_t smallest[2];
    for (size_t& m : smallest) {
      // An inner node not made yet counts as infinite; on a tie the inner node is taken.
      const bool inner_ready = pos2 < V + a;
      if (pos1 >= 0 && (!inner_ready || count[pos1] < count[pos2])) {
        m = static_cast<size_t>(pos1--);
      } else {
        m = pos2++;
      }
    }
    count[V + a] = count[smallest[0]] + count[smallest[1]];
    parent[smallest[0]] = V + a;
    parent[smallest[1]] = V + a;
    branch[smallest[1]] = 1;
  }

  const size_t root = 2 * V - 2;
  std::vector<uint32_t> length(V, 0);
  for (size_t a = 0; a < V; ++a) {
    uint32_t n = 0;
    for (size_t b = a; b != root; b = parent[b]) ++n;
    length[order[a]] = n;
  }
  for (size_t w = 0; w < V; ++w) tree.offsets_[w + 1] = tree.offsets_[w] + length[w];
  tree.codes_.resize(tree.offsets_[V]);
  tree.points_.resize(tree.offsets_[V]);
  for (size_t a = 0; a < V; ++a) {
    const uint32_t w = order[a];
    const uint32_t n = length[w];
    tree.max_length_ = std::max(tree.max_length_, static_cast<int>(n));
    uint8_t* code = tree.codes_.data() + tree.offsets_[w];
    uint32_t* point = tree.points_.data() + tree.offsets_[w];
    // Walking up from the leaf gives the path backwards: the branch taken into each node, and
    // the node above it (numbered from 0 for the first inner node, so the root is V-2).
    uint32_t d = n;
    for (size_t b = a; b != root; b = parent[b]) {
      --d;
      code[d] = branch[b];
      point[d] = static_cast<uint32_t>(parent[b] - V);
    }
  }
  return tree;
}

}  // namespace wordspace::embeddings
