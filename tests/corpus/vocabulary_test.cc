#include "corpus/vocabulary.h"

#include <catch2/catch.hpp>

#include "corpus/token_id_file.h"
#include "corpus/vocabulary_io.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::corpus {
namespace {

using testing::Gzip;
using testing::TempDir;
using testing::WriteFile;

// Counts: the 4, a 3, cat 2, dog 2, zebra 1.
constexpr const char* kText = "the cat the dog\na cat a the\n\ndog a zebra the\n";

TEST_CASE("counts, min-count and deterministic order", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("c.gz"), Gzip(kText));
  CorpusStats stats;
  auto vocab = BuildVocabulary(dir.File("c.gz"), {}, {.min_count = 2}, &stats);
  REQUIRE(vocab.ok());
  // Descending count; ties (cat, dog) by word.
  CHECK(vocab->words() == std::vector<std::string>{"the", "a", "cat", "dog"});
  CHECK(vocab->counts() == std::vector<int64_t>{4, 3, 2, 2});
  CHECK(vocab->total_count() == 11);
  CHECK(vocab->Find("dog") == 3);
  CHECK(vocab->Find("zebra") == -1);
  CHECK(stats.words == 12);
  CHECK(stats.sentences == 3);
}

TEST_CASE("max-vocab keeps the most frequent words", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("c.txt"), kText);
  auto vocab = BuildVocabulary(dir.File("c.txt"), {}, {.min_count = 1, .max_vocab = 3});
  REQUIRE(vocab.ok());
  CHECK(vocab->words() == std::vector<std::string>{"the", "a", "cat"});
}

TEST_CASE("vocabulary file round-trip and malformed rows", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("c.txt"), kText);
  auto vocab = BuildVocabulary(dir.File("c.txt"), {}, {.min_count = 1});
  REQUIRE(vocab.ok());
  REQUIRE(WriteVocabulary(*vocab, dir.File("v.txt")).ok());
  CHECK(testing::ReadFile(dir.File("v.txt")) == "the 4\na 3\ncat 2\ndog 2\nzebra 1\n");
  auto back = ReadVocabulary(dir.File("v.txt"), {.min_count = 1});
  REQUIRE(back.ok());
  CHECK(back->words() == vocab->words());
  CHECK(back->counts() == vocab->counts());
  // min-count applies when reading too.
  CHECK(ReadVocabulary(dir.File("v.txt"), {.min_count = 3})->size() == 2);

  WriteFile(dir.File("bad.txt"), "the 4\na three\n");
  auto bad = ReadVocabulary(dir.File("bad.txt"), {});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(std::string(bad.status().message()), Catch::Contains("bad.txt:2"));
  WriteFile(dir.File("dup.txt"), "the 4\nthe 3\n");
  CHECK_THAT(std::string(ReadVocabulary(dir.File("dup.txt"), {}).status().message()),
             Catch::Contains("dup.txt:2") && Catch::Contains("twice"));
}

TEST_CASE("nothing to train on: the error names the file and what was counted", "[corpus]") {
  TempDir dir;
  using Catch::Contains;
  WriteFile(dir.File("empty.txt"), "");
  WriteFile(dir.File("blank.txt"), "\n  \n\n");
  for (const char* name : {"empty.txt", "blank.txt"}) {
    auto v = BuildVocabulary(dir.File(name), {}, {.min_count = 1});
    REQUIRE_FALSE(v.ok());
    CHECK(absl::IsInvalidArgument(v.status()));
    CHECK_THAT(std::string(v.status().message()), Contains(dir.File(name)) &&
                                                      Contains("nothing to train on") &&
                                                      Contains("0 words read"));
  }
  // Every word below --min-count: the counts say why, and what to lower it to.
  WriteFile(dir.File("c.txt"), kText);  // the 4, a 3, cat 2, dog 2, zebra 1
  auto rare = BuildVocabulary(dir.File("c.txt"), {}, {.min_count = 5});
  REQUIRE_FALSE(rare.ok());
  CHECK_THAT(std::string(rare.status().message()),
             Contains(dir.File("c.txt")) && Contains("12 words read, 5 distinct") &&
                 Contains("the most frequent seen 4 times") && Contains("--min-count 5") &&
                 Contains("lower --min-count to 4"));
  // The same check for a vocabulary file, and for a token-id file.
  WriteFile(dir.File("v.txt"), "the 4\na 3\n");
  auto file = ReadVocabulary(dir.File("v.txt"), {.min_count = 10});
  CHECK_THAT(std::string(file.status().message()),
             Contains(dir.File("v.txt")) && Contains("7 words read, 2 distinct"));
  WriteFile(dir.File("empty.vocab"), "");
  CHECK(absl::IsInvalidArgument(ReadVocabulary(dir.File("empty.vocab"), {}).status()));
  auto ids = TokenIdFile::Encode(dir.File("c.txt"), {.corpus = {}, .vocab = {.min_count = 5}});
  REQUIRE(ids.ok());  // encoding itself is fine; training on it is not
  CHECK_THAT(std::string(ids->CheckHasTokens().message()),
             Contains(dir.File("c.txt")) && Contains("12 words read"));
  auto kept = TokenIdFile::Encode(dir.File("c.txt"), {.corpus = {}, .vocab = {.min_count = 4}});
  REQUIRE(kept.ok());
  CHECK(kept->CheckHasTokens().ok());
  // A fixed vocabulary that none of the corpus' words is in.
  auto other = Vocabulary::FromOrderedWords({"x", "y"}, {3, 2});
  REQUIRE(other.ok());
  auto none = TokenIdFile::Encode(dir.File("c.txt"), {}, &*other);
  REQUIRE(none.ok());
  CHECK_THAT(std::string(none->CheckHasTokens().message()), Contains(dir.File("c.txt")) &&
                                                                Contains("none of its 12 words") &&
                                                                Contains("vocabulary of 2 words"));
  auto empty_fixed = TokenIdFile::Encode(dir.File("empty.txt"), {}, &*other);
  REQUIRE(empty_fixed.ok());
  CHECK_THAT(std::string(empty_fixed->CheckHasTokens().message()),
             Contains(dir.File("empty.txt")) && Contains("0 words read"));
}

TEST_CASE("a vocabulary file whose counts overflow is refused", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("big.txt"), "the 4000000000000000000\na 4000000000000000000\n");
  auto v = ReadVocabulary(dir.File("big.txt"), {});
  REQUIRE_FALSE(v.ok());
  CHECK_THAT(std::string(v.status().message()), Catch::Contains("big.txt:2"));
}

TEST_CASE("long lines are cut into sentences of at most 1000 words", "[corpus]") {
  TempDir dir;
  std::string line;
  for (int i = 0; i < 2500; ++i) line += "w ";
  WriteFile(dir.File("long.txt"), line + "\nshort line\n");
  auto reader = SentenceReader::Open(dir.File("long.txt"), {});
  REQUIRE(reader.ok());
  std::vector<std::string_view> words;
  std::vector<size_t> sizes;
  while (*(*reader)->Next(&words)) sizes.push_back(words.size());
  CHECK(sizes == std::vector<size_t>{1000, 1000, 500, 2});
}

TEST_CASE("strict UTF-8 mode names the file and byte offset of invalid UTF-8", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("bad.txt"), "fine line\nbad \xff here\n");
  auto lenient = BuildVocabulary(dir.File("bad.txt"), {}, {.min_count = 1});
  REQUIRE(lenient.ok());
  CorpusStats stats;
  REQUIRE(BuildVocabulary(dir.File("bad.txt"), {}, {.min_count = 1}, &stats).ok());
  CHECK(stats.invalid_utf8_bytes == 1);
  auto strict = BuildVocabulary(dir.File("bad.txt"), {.tokenizer = {}, .strict_utf8 = true}, {.min_count = 1});
  REQUIRE_FALSE(strict.ok());
  CHECK_THAT(std::string(strict.status().message()),
             Catch::Contains("bad.txt") && Catch::Contains("byte offset 14"));
}

TEST_CASE("the token-id file holds vocabulary ids and sentence ends", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("c.gz"), Gzip(kText));
  auto ids = TokenIdFile::Encode(dir.File("c.gz"), {.corpus = {}, .vocab = {.min_count = 2}});
  REQUIRE(ids.ok());
  std::vector<uint32_t> all(ids->size());
  REQUIRE(ids->Read(0, all.size(), all.data()).ok());
  const uint32_t E = kSentenceEnd;
  // the=0 a=1 cat=2 dog=3; zebra is below min-count and dropped.
  CHECK(all == std::vector<uint32_t>{0, 2, 0, 3, E, 1, 2, 1, 0, E, 3, 1, 0, E});
  CHECK(ids->tokens() == 11);
  CHECK(ids->stats().words == 12);

  auto kept = TokenIdFile::Encode(dir.File("c.gz"),
                                  {.corpus = {}, .vocab = {.min_count = 2}, .keep_unknown = true});
  REQUIRE(kept.ok());
  std::vector<uint32_t> with_unknown(kept->size());
  REQUIRE(kept->Read(0, with_unknown.size(), with_unknown.data()).ok());
  CHECK(with_unknown[12] == kUnknownId);

  // A fixed vocabulary is used as given.
  auto fixed = Vocabulary::FromOrderedWords({"dog", "the"}, {1, 1});
  REQUIRE(fixed.ok());
  auto fixed_ids = TokenIdFile::Encode(dir.File("c.gz"), {}, &*fixed);
  REQUIRE(fixed_ids.ok());
  std::vector<uint32_t> f(fixed_ids->size());
  REQUIRE(fixed_ids->Read(0, f.size(), f.data()).ok());
  CHECK(f == std::vector<uint32_t>{1, 1, 0, E, 1, E, 0, 1, E});
}

TEST_CASE("encoding stops with Cancelled when its cancel flag turns true", "[corpus]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "the cat sat\n";
  WriteFile(dir.File("c.txt"), text);
  std::atomic<bool> cancel{false};
  EncodeOptions options;
  options.cancel = &cancel;
  // The flag is checked every 4,096 sentences, beside the progress report; the first report
  // sets it, as a Ctrl-C in another thread would.
  auto stopped = TokenIdFile::Encode(dir.File("c.txt"), options, nullptr,
                                     [&](double, uint64_t) { cancel.store(true); });
  REQUIRE(absl::IsCancelled(stopped.status()));
  CHECK_THAT(std::string(stopped.status().message()), Catch::Contains(dir.File("c.txt")));
  cancel.store(false);
  auto whole = TokenIdFile::Encode(dir.File("c.txt"), options, nullptr, [](double, uint64_t) {});
  REQUIRE(whole.ok());
  CHECK(whole->stats().sentences == 10000);
}

}  // namespace
}  // namespace wordspace::corpus
