#include "eval/lm/ngram_model_io.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <random>

#include "absl/strings/str_cat.h"
#include "eval/lm/next_word_bench.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::eval {
namespace {

NgramModel SmallModel(int order) {
  NgramVocabulary v;
  for (int i = 0; i < 10; ++i) v.words.push_back(absl::StrCat("w", i));
  v.words.push_back("<unk>");
  v.words.push_back("</s>");
  v.unk_id = 10;
  v.eos_id = 11;
  v.tokenizer.lowercase = true;
  std::mt19937 rng(4);
  std::vector<uint32_t> s;
  for (int i = 0; i < 2000; ++i) s.push_back(rng() % 3 == 0 ? 11 : (rng() % 7) * (rng() % 2) + 1);
  KneserNeyOptions o;
  o.order = order;
  auto m = NgramModel::Train(s, v, o);
  REQUIRE(m.ok());
  return std::move(*m);
}

TEST_CASE("n-gram model files round-trip exactly", "[eval][lm][ngram]") {
  testing::TempDir dir;
  for (int order : {1, 2, 5}) {
    INFO("order " << order);
    NgramModel m = SmallModel(order);
    const std::string path = dir.File(absl::StrCat("m", order, ".bin"));
    REQUIRE(WriteNgramModel(m, path).ok());
    auto back = ReadNgramModel(path);
    REQUIRE(back.ok());
    CHECK(back->order() == order);
    CHECK(back->vocabulary().words == m.vocabulary().words);
    CHECK(back->vocabulary().unk_id == 10);
    CHECK(back->vocabulary().eos_id == 11);
    CHECK(back->vocabulary().tokenizer.lowercase);
    CHECK_FALSE(back->vocabulary().tokenizer.strip_punct);
    CHECK(back->training_tokens() == m.training_tokens());
    for (int n = 1; n <= order; ++n) {
      CHECK(back->stats(n).ngrams == m.stats(n).ngrams);
      CHECK(back->stats(n).count_of_counts == m.stats(n).count_of_counts);
      CHECK(back->stats(n).discounts == m.stats(n).discounts);
    }
    std::mt19937 rng(1);
    for (int i = 0; i < 500; ++i) {
      std::vector<int32_t> h(rng() % 6);
      for (int32_t& w : h) w = static_cast<int32_t>(rng() % 12);
      for (int32_t w = 0; w < 12; ++w) REQUIRE(back->Prob(h, w) == m.Prob(h, w));
    }
    // Writing what was read gives the same bytes.
    REQUIRE(WriteNgramModel(*back, dir.File("again.bin")).ok());
    CHECK(testing::ReadFile(dir.File("again.bin")) == testing::ReadFile(path));
    // lm-bench opens it by its magic.
    auto scorer = OpenNextWordModel(path, {.threads = 1});
    REQUIRE(scorer.ok());
    CHECK((*scorer)->vocabulary().size() == 12);
  }
}

TEST_CASE("Corrupt, truncated and foreign n-gram model files are clear errors", "[eval][lm][ngram]") {
  testing::TempDir dir;
  const std::string path = dir.File("m.bin");
  REQUIRE(WriteNgramModel(SmallModel(3), path).ok());
  const std::string good = testing::ReadFile(path);
  const std::string bad = dir.File("bad.bin");

  SECTION("missing") {
    auto r = ReadNgramModel(dir.File("none.bin"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kNotFound);
  }
  SECTION("foreign") {
    testing::WriteFile(bad, "3 2\nthe 0.1 0.2\n");
    auto r = ReadNgramModel(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
    // The file sniffer names what it is instead (corpus/file_kind.h).
    CHECK(std::string(r.status().message()).find("this is a word-vector file") !=
          std::string::npos);
    testing::WriteFile(bad, std::string("\x01\x02\xff\xfe", 4) + std::string(60, '\0'));
    r = ReadNgramModel(bad);
    CHECK(std::string(r.status().message()).find("this is binary data") != std::string::npos);
    testing::WriteFile(bad, "");
    CHECK(ReadNgramModel(bad).status().code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("newer version") {
    std::string b = good;
    b[8] = 2;
    testing::WriteFile(bad, b);
    auto r = ReadNgramModel(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(std::string(r.status().message()).find("version 2") != std::string::npos);
  }
  SECTION("truncated anywhere") {
    for (size_t len : {size_t{9}, size_t{20}, size_t{60}, good.size() / 3, good.size() / 2,
                       good.size() - 5, good.size() - 1}) {
      INFO("length " << len);
      testing::WriteFile(bad, good.substr(0, len));
      auto r = ReadNgramModel(bad);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == absl::StatusCode::kDataLoss);
    }
  }
  SECTION("trailing bytes") {
    testing::WriteFile(bad, good + "x");
    auto r = ReadNgramModel(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kDataLoss);
  }
  SECTION("huge size fields are refused before anything is allocated") {
    // Layout: magic 8, version, order, V (offset 16), unk, eos, flags, tokens 8, then the level
    // sizes from offset 40. A V of 4 billion with a matching level-1 size would be 4 billion
    // strings.
    std::string b = good;
    const uint32_t huge_v = 0xFFFFFFF0u;
    const uint64_t huge_level = huge_v;
    std::memcpy(b.data() + 16, &huge_v, 4);
    std::memcpy(b.data() + 48, &huge_level, 8);
    testing::WriteFile(bad, b);
    auto r = ReadNgramModel(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kDataLoss);
    CHECK_THAT(std::string(r.status().message()),
               Catch::Contains("bad.bin") && Catch::Contains("the vocabulary size is 4294967280"));
    // A bigram level of 4 billion entries.
    b = good;
    std::memcpy(b.data() + 56, &huge_level, 8);
    testing::WriteFile(bad, b);
    r = ReadNgramModel(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(std::string(r.status().message()),
               Catch::Contains("bad.bin") && Catch::Contains("truncated"));
  }
  SECTION("any flipped byte") {
    for (size_t pos = 8; pos < good.size(); pos += std::max<size_t>(1, good.size() / 97)) {
      INFO("byte " << pos);
      std::string b = good;
      b[pos] ^= 0x5A;
      testing::WriteFile(bad, b);
      REQUIRE_FALSE(ReadNgramModel(bad).ok());
    }
  }
}

TEST_CASE("A failed n-gram model write leaves nothing behind", "[eval][lm][ngram]") {
  testing::TempDir dir;
  auto s = WriteNgramModel(SmallModel(2), dir.File("no/such/folder/m.bin"));
  REQUIRE_FALSE(s.ok());
  CHECK(dir.EntryCount() == 0);
}

}  // namespace
}  // namespace wordspace::eval
