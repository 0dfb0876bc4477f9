#include "embeddings/huffman_tree.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace wordspace::embeddings {
namespace {

std::string CodeString(const HuffmanTree& tree, uint32_t word) {
  std::string s;
  for (uint8_t bit : tree.Code(word)) s += static_cast<char>('0' + bit);
  return s;
}

std::vector<uint32_t> PointList(const HuffmanTree& tree, uint32_t word) {
  const auto p = tree.Points(word);
  return {p.begin(), p.end()};
}

TEST_CASE("Huffman codes and inner nodes of a known count list, as word2vec.c builds them",
          "[embeddings][hs]") {
  // Worked by hand through word2vec.c's CreateBinaryTree: leaves 5, 3, 1, 1; inner nodes
  // 4 (1+1), 5 (2+3) and the root 6 (5+5), numbered from 0 in the output matrix: root = V-2 = 2.
  const std::vector<int64_t> counts = {5, 3, 1, 1};
  const HuffmanTree tree = HuffmanTree::Build(counts);
  REQUIRE(tree.words() == 4);
  CHECK(tree.inner_nodes() == 3);
  CHECK(tree.max_length() == 3);
  CHECK(CodeString(tree, 0) == "1");
  CHECK(CodeString(tree, 1) == "01");
  CHECK(CodeString(tree, 2) == "001");
  CHECK(CodeString(tree, 3) == "000");
  CHECK(PointList(tree, 0) == std::vector<uint32_t>{2});
  CHECK(PointList(tree, 1) == std::vector<uint32_t>{2, 1});
  CHECK(PointList(tree, 2) == std::vector<uint32_t>{2, 1, 0});
  CHECK(PointList(tree, 3) == std::vector<uint32_t>{2, 1, 0});

  // The same counts in another order give each word the same code (ties in word-id order).
  const std::vector<int64_t> shuffled = {1, 5, 1, 3};
  const HuffmanTree same = HuffmanTree::Build(shuffled);
  CHECK(CodeString(same, 1) == "1");
  CHECK(CodeString(same, 3) == "01");
  CHECK(CodeString(same, 0) == "001");
  CHECK(CodeString(same, 2) == "000");
}

TEST_CASE("Huffman codes are prefix-free and of optimal total length", "[embeddings][hs]") {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const int V = 2 + static_cast<int>(rng() % 300);
    std::vector<int64_t> counts(V);
    for (int64_t& c : counts)
      c = 1 + static_cast<int64_t>(rng() % 1000) * (rng() % 4 == 0 ? 50 : 1);
    const HuffmanTree tree = HuffmanTree::Build(counts);
    INFO("trial " << trial << ", " << V << " words");
    // Σ count·length equals the optimal cost: the sum of every merge of the two smallest.
    std::priority_queue<int64_t, std::vector<int64_t>, std::greater<>> heap(counts.begin(),
                                                                            counts.end());
    int64_t optimal = 0;
    while (heap.size() > 1) {
      const int64_t a = heap.top();
      heap.pop();
      const int64_t b = heap.top();
      heap.pop();
      optimal += a + b;
      heap.push(a + b);
    }
    int64_t cost = 0;
    std::vector<std::string> codes;
    for (int w = 0; w < V; ++w) {
      cost += counts[w] * static_cast<int64_t>(tree.Code(w).size());
      codes.push_back(CodeString(tree, w));
      // Every path starts at the root and stays among the V-1 inner nodes.
      REQUIRE(!tree.Points(w).empty());
      CHECK(tree.Points(w)[0] == static_cast<uint32_t>(V - 2));
      for (uint32_t p : tree.Points(w)) CHECK(p < static_cast<uint32_t>(V - 1));
    }
    CHECK(cost == optimal);
    bool prefix_free = true;
    for (int a = 0; a < V; ++a) {
      for (int b = 0; b < V; ++b) {
        if (a != b && codes[b].compare(0, codes[a].size(), codes[a]) == 0) prefix_free = false;
      }
    }
    CHECK(prefix_free);
  }
}

TEST_CASE("A vocabulary of one word has no inner node and empty paths", "[embeddings][hs]") {
  const std::vector<int64_t> one = {10};
  const HuffmanTree tree = HuffmanTree::Build(one);
  CHECK(tree.words() == 1);
  CHECK(tree.inner_nodes() == 0);
  CHECK(tree.Code(0).empty());
  CHECK(HuffmanTree().words() == 0);
}

}  // namespace
}  // namespace wordspace::embeddings
