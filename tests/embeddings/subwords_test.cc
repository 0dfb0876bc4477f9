#include "embeddings/subwords.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "embeddings/input_rows.h"

namespace wordspace::embeddings {
namespace {

// tests/data/fasttext_ngrams.tsv: for words with accents, CJK, a euro sign and an apostrophe,
// every n-gram and its hash as gensim 4.2.0's compute_ngrams_bytes and ft_hash_bytes give them
// (they replicate fastText's Dictionary::computeSubwords and hash, sign-extended bytes included).
struct Expected {
  std::string ngram;
  uint32_t hash;
  uint32_t bucket_id;
};
using Key = std::tuple<std::string, int, int, int>;  // word, minn, maxn, bucket

std::map<Key, std::vector<Expected>> ReadExpected() {
  std::ifstream in(std::string(WORDSPACE_TEST_DATA) + "/fasttext_ngrams.tsv");
  REQUIRE(in);
  std::map<Key, std::vector<Expected>> expected;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string word, ngram;
    int minn, maxn, bucket;
    uint32_t hash, id;
    std::getline(fields, word, '\t');
    fields >> minn >> maxn >> bucket;
    fields.ignore(1);
    std::getline(fields, ngram, '\t');
    fields >> hash >> id;
    REQUIRE(fields);
    expected[{word, minn, maxn, bucket}].push_back({ngram, hash, id});
  }
  return expected;
}

TEST_CASE("n-grams and their hashes are fastText's, UTF-8 words included", "[embeddings]") {
  const auto expected = ReadExpected();
  REQUIRE(expected.size() == 28);  // 14 words, two settings each
  for (const auto& [key, grams] : expected) {
    const auto& [word, minn, maxn, bucket] = key;
    INFO(word << " minn " << minn << " maxn " << maxn);
    std::vector<std::string> got = CharNgrams(word, minn, maxn);
    REQUIRE(got.size() == grams.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i] == grams[i].ngram);
      CHECK(FastTextHash(got[i]) == grams[i].hash);
      CHECK(FastTextHash(got[i]) % static_cast<uint32_t>(bucket) == grams[i].bucket_id);
    }
  }
}

TEST_CASE("n-grams end at code-point boundaries and leave out the lone brackets", "[embeddings]") {
  // "é" is two bytes: an n-gram of 2 code points starting at the bracket is "<é", 3 bytes.
  CHECK(CharNgrams("é", 2, 2) == std::vector<std::string>{"<é", "é>"});
  CHECK(CharNgrams("é", 1, 1) == std::vector<std::string>{"é"});
  CHECK(CharNgrams("ab", 3, 6) == std::vector<std::string>{"<ab", "<ab>", "ab>"});
  // A word longer than maxn: no n-gram spans it whole.
  for (const std::string& g : CharNgrams("wherever", 3, 6)) CHECK(g.size() <= 6);
  // Bytes that are not UTF-8 still split as fastText splits them (at every non-continuation byte).
  CHECK(CharNgrams("\xff\x80", 1, 1) == std::vector<std::string>{"\xff\x80"});
}

TEST_CASE("the table holds each word's own row, then its n-gram rows past the words",
          "[embeddings]") {
  const std::vector<std::string> words = {"where", "here", "a"};
  const SubwordTable table = SubwordTable::Build(words, {.minn = 3, .maxn = 6, .bucket = 1000});
  REQUIRE(table.rows() == 1003);
  for (uint32_t w = 0; w < words.size(); ++w) {
    const RowRange rows{table.begin(w), table.end(w)};
    const std::vector<std::string> grams = CharNgrams(words[w], 3, 6);
    REQUIRE(rows.size() == 1 + grams.size());
    CHECK(*rows.begin() == w);
    for (size_t i = 0; i < grams.size(); ++i) {
      CHECK(rows.begin()[1 + i] == 3 + FastTextHash(grams[i]) % 1000);
    }
  }
  // A word outside the vocabulary: its n-grams only.
  CHECK(table.NgramRows("there").size() == CharNgrams("there", 3, 6).size());
  // maxn 0: one row per word and nothing else.
  const SubwordTable off = SubwordTable::Build(words, {.minn = 3, .maxn = 0, .bucket = 1000});
  CHECK(off.rows() == 3);
  CHECK(off.end(0) - off.begin(0) == 1);
  CHECK(off.NgramRows("there").empty());
}

TEST_CASE("a word's subword vector is the mean of its rows; its update goes to each row",
          "[embeddings]") {
  // Two words; "aa" and "ab" share the n-gram "<a" (minn 2, maxn 2, bucket 1: every n-gram in
  // one row, so that rows repeat).
  const SubwordTable table = SubwordTable::Build({"aa", "ab"}, {.minn = 2, .maxn = 2, .bucket = 1});
  REQUIRE(table.end(0) - table.begin(0) == 4);  // its row, then "<a", "aa", "a>" all in row 2
  const int dim = 2;
  std::vector<float> matrix = {1, 2, /*ab*/ 10, 20, /*bucket*/ 4, 8};
  SubwordRows rows(table, matrix.data(), dim);
  float mean[2];
  rows.Mean(0, dim, mean);
  CHECK(mean[0] == Approx((1 + 3 * 4) / 4.0));
  CHECK(mean[1] == Approx((2 + 3 * 8) / 4.0));
  const float gradient[2] = {1, -1};
  rows.AddToAll(0, dim, gradient);
  CHECK(matrix == std::vector<float>{2, 1, 10, 20, 7, 5});  // the repeated row three times
}

}  // namespace
}  // namespace wordspace::embeddings
