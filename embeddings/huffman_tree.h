// HuffmanTree: the binary tree of hierarchical softmax (Morin & Bengio, 2005; Mikolov et al.,
// 2013), built from word counts as word2vec.c's CreateBinaryTree builds it, so that frequent
// words get short paths. A word's probability is the product, along the path from the root to
// its leaf, of σ(±in·node) at each inner node; the sign is the branch taken (its code bit).
//
// Inner nodes are numbered 0..V-2 with the root V-2, as word2vec.c numbers its syn1 rows, so the
// output matrix has V-1 rows. For word w, Points(w)[d] is the d-th inner node from the root and
// Code(w)[d] the branch taken there (1: the node's second child, which word2vec.c trains towards
// label 1 - code = 0).
//
//   HuffmanTree tree = HuffmanTree::Build(vocab.counts());
//   for (size_t d = 0; d < tree.Code(w).size(); ++d) Train(tree.Points(w)[d], 1 - tree.Code(w)[d]);
#ifndef WORDSPACE_EMBEDDINGS_HUFFMAN_TREE_H_
#define WORDSPACE_EMBEDDINGS_HUFFMAN_TREE_H_

#include <cstdint>
#include <span>
#include <vector>

namespace wordspace::embeddings {

class HuffmanTree {
 public:
  // The tree of `counts` (one per word id, any order; ties are broken by word id, which gives
  // word2vec.c's tree when the counts are sorted most frequent first, as our vocabularies are).
  // With fewer than two words every path is empty.
  static HuffmanTree Build(std::span<const int64_t> counts);

  int words() const { return static_cast<int>(offsets_.size()) - 1; }
  // Inner nodes: words() - 1 (0 for fewer than two words): the rows of the output matrix.
  int inner_nodes() const { return words() > 1 ? words() - 1 : 0; }
  // The longest path.
  int max_length() const { return max_length_; }

  std::span<const uint8_t> Code(uint32_t word) const {
    return {codes_.data() + offsets_[word], offsets_[word + 1] - offsets_[word]};
  }
  std::span<const uint32_t> Points(uint32_t word) const {
    return {points_.data() + offsets_[word], offsets_[word + 1] - offsets_[word]};
  }

 private:
  std::vector<uint32_t> offsets_ = {
      0};  // words() + 1: word w's path is [offsets_[w], offsets_[w+1])
  std::vector<uint8_t> codes_;
  std::vector<uint32_t> points_;
  int max_length_ = 0;
};

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_HUFFMAN_TREE_H_
