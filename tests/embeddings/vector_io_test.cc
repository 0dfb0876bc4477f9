#include "embeddings/vector_io.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <sstream>

#include "tests/testing/temp_dir.h"

namespace wordspace::embeddings {
namespace {

using testing::TempDir;
using testing::WriteFile;

WordVectors Sample() {
  std::vector<float> values = {0.1f, -2.5f, 3.0e-7f, 1.0f / 3.0f, 12345.678f, -0.0f,
                               1e30f, -1e-30f, 0.7f};
  return WordVectors({"alpha", "béta", "</s>"}, 3, values);
}

TEST_CASE("binary round-trip is exact", "[embeddings]") {
  TempDir dir;
  WordVectors v = Sample();
  REQUIRE(WriteVectors(v, dir.File("v.bin"), VectorFormat::kBinary).ok());
  // word2vec.c's layout: header, then word, space, raw floats, newline.
  std::string bytes = testing::ReadFile(dir.File("v.bin"));
  CHECK(bytes.substr(0, 4) == "3 3\n");
  CHECK(bytes.substr(4, 6) == "alpha ");
  CHECK(bytes.size() == 4 + (6 + 12 + 1) + (6 + 12 + 1) + (5 + 12 + 1));
  auto back = ReadVectors(dir.File("v.bin"));  // detected as binary
  REQUIRE(back.ok());
  CHECK(back->words() == v.words());
  CHECK(std::memcmp(back->values().data(), v.values().data(), v.values().size() * 4) == 0);
}

TEST_CASE("text round-trip is within 1e-6 (shortest round-trip decimals: exact)", "[embeddings]") {
  TempDir dir;
  WordVectors v = Sample();
  REQUIRE(WriteVectors(v, dir.File("v.txt"), VectorFormat::kText).ok());
  CHECK(testing::ReadFile(dir.File("v.txt")).substr(0, 4) == "3 3\n");
  auto back = ReadVectors(dir.File("v.txt"));
  REQUIRE(back.ok());
  CHECK(back->words() == v.words());
  for (size_t i = 0; i < v.values().size(); ++i) {
    CHECK(std::fabs(back->values()[i] - v.values()[i]) <= 1e-6f * std::max(1.0f, std::fabs(v.values()[i])));
    CHECK(back->values()[i] == v.values()[i]);
  }
}

TEST_CASE("files written by gensim read exactly", "[embeddings]") {
  // tests/data/gensim_vectors.* come from bench/make_gensim_vector_fixture.py (gensim's own
  // save_word2vec_format; its binary rows have no trailing newline).
  std::ifstream expected_file(std::string(WORDSPACE_TEST_DATA) + "/gensim_vectors.expected");
  std::vector<std::string> words;
  std::vector<float> values;
  std::string line;
  while (std::getline(expected_file, line)) {
    std::istringstream row(line);
    std::string word;
    row >> word;
    words.push_back(word);
    double x;
    while (row >> x) values.push_back(static_cast<float>(x));
  }
  REQUIRE(words.size() == 5);
  for (const char* name : {"gensim_vectors.bin", "gensim_vectors.txt"}) {
    auto v = ReadVectors(std::string(WORDSPACE_TEST_DATA) + "/" + name);
    INFO(name);
    REQUIRE(v.ok());
    CHECK(v->dim() == 4);
    CHECK(v->words() == words);
    CHECK(v->values() == values);
    CHECK(v->Find("café") == 3);
  }
}

TEST_CASE("GloVe files (no header) and fastText rows (trailing space) read", "[embeddings]") {
  TempDir dir;
  WriteFile(dir.File("glove.txt"), "the 0.5 -1\ncat 2 3e-2\n");
  auto glove = ReadVectors(dir.File("glove.txt"));
  REQUIRE(glove.ok());
  CHECK(glove->size() == 2);
  CHECK(glove->dim() == 2);
  CHECK(glove->row(1)[1] == 3e-2f);
  WriteFile(dir.File("ft.vec"), "2 2\nthe 0.5 -1 \ncat 2 3 \n");
  auto ft = ReadVectors(dir.File("ft.vec"));
  REQUIRE(ft.ok());
  CHECK(ft->words() == std::vector<std::string>{"the", "cat"});
}

TEST_CASE("max_rows reads only the first rows", "[embeddings]") {
  TempDir dir;
  REQUIRE(WriteVectors(Sample(), dir.File("v.bin"), VectorFormat::kBinary).ok());
  auto v = ReadVectors(dir.File("v.bin"), VectorFormat::kAuto, 2);
  REQUIRE(v.ok());
  CHECK(v->size() == 2);
}

// Reads `content` as a vector file and returns the error message ("" if it read fine).
std::string ErrorFor(const TempDir& dir, const std::string& name, const std::string& content,
                     VectorFormat format = VectorFormat::kAuto) {
  WriteFile(dir.File(name), content);
  auto v = ReadVectors(dir.File(name), format);
  return v.ok() ? "" : std::string(v.status().message());
}

TEST_CASE("malformed files give errors naming the file and line or row", "[embeddings]") {
  TempDir dir;
  using Catch::Contains;
  CHECK_THAT(ErrorFor(dir, "empty.txt", ""), Contains("empty.txt") && Contains("empty"));
  CHECK_THAT(ErrorFor(dir, "header.txt", "abc\n"),
             Contains("header.txt: this is text, not a word-vector file"));
  CHECK_THAT(ErrorFor(dir, "short.txt", "2 3\nthe 1 2 3\ncat 1 2\n"),
             Contains("short.txt:3") && Contains("found 2 numbers"));
  CHECK_THAT(ErrorFor(dir, "num.txt", "2 2\nthe 1 2\ncat 1 x2\n"),
             Contains("num.txt:3") && Contains("x2"));
  CHECK_THAT(ErrorFor(dir, "dim.txt", "2 2\nthe 1 2\ncat 1 2 3\n"),
             Contains("dim.txt:3") && Contains("dimension 2"));
  CHECK_THAT(ErrorFor(dir, "rows.txt", "3 2\nthe 1 2\ncat 1 2\n"),
             Contains("rows.txt") && Contains("truncated"));
  CHECK_THAT(ErrorFor(dir, "extra.txt", "1 2\nthe 1 2\ncat 1 2\n"), Contains("extra.txt:3"));
  CHECK_THAT(ErrorFor(dir, "huge.txt", "1 99999999\nthe 1\n"), Contains("huge.txt:1"));

  // Truncated binary: cut inside the second row's floats.
  TempDir out;
  REQUIRE(WriteVectors(Sample(), out.File("v.bin"), VectorFormat::kBinary).ok());
  std::string bytes = testing::ReadFile(out.File("v.bin"));
  CHECK_THAT(ErrorFor(dir, "cut.bin", bytes.substr(0, 4 + 19 + 10)),
             Contains("cut.bin") && Contains("row 2"));
  // A text file forced to binary does not silently read.
  CHECK_FALSE(ErrorFor(dir, "t.txt", "2 2\nthe 1 2\ncat 1 2\n", VectorFormat::kBinary).empty());
}

TEST_CASE("a header promising more rows than the file can hold is an error, not an allocation",
          "[embeddings]") {
  TempDir dir;
  using Catch::Contains;
  // 10^12 rows of 100 floats would be 400 TB; the file has a few bytes.
  for (VectorFormat format : {VectorFormat::kAuto, VectorFormat::kText, VectorFormat::kBinary}) {
    INFO(VectorFormatName(format));
    CHECK_THAT(ErrorFor(dir, "v.txt", "999999999999 100\nthe 1 2\n", format),
               Contains("v.txt") && Contains("the header says 999999999999 rows of 100") &&
                   Contains("the file has 25 bytes") && Contains("header is wrong"));
  }
  // Gzip and other inputs of unknown size: the header is not trusted for reservations either,
  // and the data's end names the row reached.
  WriteFile(dir.File("v.txt.gz"), testing::Gzip("999999999999 100\nthe 1 2\n"));
  auto gz = ReadVectors(dir.File("v.txt.gz"), VectorFormat::kBinary);
  CHECK_THAT(std::string(gz.status().message()),
             Contains("v.txt.gz") && Contains("row 1 of 999999999999"));
  // A binary file cut after two of three rows: the header is checked as rows are read.
  REQUIRE(WriteVectors(Sample(), dir.File("v.bin"), VectorFormat::kBinary).ok());
  const std::string bytes = testing::ReadFile(dir.File("v.bin"));
  CHECK_THAT(ErrorFor(dir, "two.bin", bytes.substr(0, 4 + 19 + 19)),
             Contains("two.bin: row 3 of 3 is truncated") && Contains("42 bytes"));
  // The header fits, and max_rows reads a prefix without the header being an error.
  WriteFile(dir.File("prefix.txt"), "99 2\nthe 1 2\ncat 3 4\n");
  auto prefix = ReadVectors(dir.File("prefix.txt"), VectorFormat::kText, 1);
  REQUIRE(prefix.ok());
  CHECK(prefix->size() == 1);
}

TEST_CASE("writes are atomic: a failed write leaves nothing behind", "[embeddings]") {
  TempDir dir;
  auto status = WriteVectors(Sample(), dir.File("missing/v.bin"), VectorFormat::kBinary);
  REQUIRE_FALSE(status.ok());
  CHECK_THAT(std::string(status.message()), Catch::Contains("missing/v.bin"));
  REQUIRE(WriteVectors(Sample(), dir.File("v.txt"), VectorFormat::kText).ok());
  CHECK(dir.EntryCount() == 1);  // no temporary file left beside the result
}

TEST_CASE("a name ending in .gz writes the same bytes gzip-compressed, which read back",
          "[embeddings]") {
  TempDir dir;
  WordVectors v = Sample();
  for (const char* name : {"v.bin", "v.txt"}) {
    std::string plain = dir.File(name);
    std::string gz = plain + ".gz";
    REQUIRE(WriteVectors(v, plain, VectorFormat::kAuto).ok());
    REQUIRE(WriteVectors(v, gz, VectorFormat::kAuto).ok());  // format from the name before .gz
    std::string compressed = testing::ReadFile(gz);
    CHECK(testing::Gunzip(compressed) == testing::ReadFile(plain));
    auto back = ReadVectors(gz);
    REQUIRE(back.ok());
    CHECK(back->words() == v.words());
    CHECK(std::memcmp(back->values().data(), v.values().data(), v.values().size() * 4) == 0);
  }
}

TEST_CASE("format names and extensions", "[embeddings]") {
  CHECK(FormatFromExtension("a/b.bin") == VectorFormat::kBinary);
  CHECK(FormatFromExtension("a/b.bin.gz") == VectorFormat::kBinary);
  CHECK(FormatFromExtension("a/b.txt.gz") == VectorFormat::kText);
  CHECK(FormatFromExtension("a/b.vec") == VectorFormat::kText);
  CHECK(FormatFromExtension("a/b.txt") == VectorFormat::kText);
  CHECK(*ParseVectorFormat("binary") == VectorFormat::kBinary);
  CHECK_FALSE(ParseVectorFormat("xml").ok());
}

}  // namespace
}  // namespace wordspace::embeddings
