#include "corpus/text_writer.h"

#include <catch2/catch.hpp>
#include <random>

#include "tests/testing/temp_dir.h"

namespace wordspace::corpus {
namespace {

using testing::Gunzip;
using testing::ReadFile;
using testing::TempDir;

// Bytes deflate cannot shrink much, so the compressed output spans several of the writer's
// output chunks.
std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

TEST_CASE("a plain path gets the bytes as written", "[corpus]") {
  TempDir dir;
  auto out = TextWriter::Create(dir.File("v.txt"));
  REQUIRE(out.ok());
  CHECK_FALSE((*out)->compressed());
  REQUIRE((*out)->Write("2 3\n").ok());
  REQUIRE((*out)->Write("the 1 2 3\n").ok());
  REQUIRE((*out)->Commit().ok());
  CHECK(ReadFile(dir.File("v.txt")) == "2 3\nthe 1 2 3\n");
  CHECK(dir.EntryCount() == 1);
}

TEST_CASE("a .gz path gets one complete gzip stream of the bytes", "[corpus]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "the cat sat on the mat " + std::to_string(i) + "\n";
  std::string noise = RandomBytes(3 << 20, 7);  // > 10 output chunks
  auto out = TextWriter::Create(dir.File("v.txt.gz"));
  REQUIRE(out.ok());
  CHECK((*out)->compressed());
  REQUIRE((*out)->Write(text).ok());
  REQUIRE((*out)->Write("").ok());
  REQUIRE((*out)->Write(noise).ok());
  REQUIRE((*out)->Commit().ok());
  std::string gz = ReadFile(dir.File("v.txt.gz"));
  REQUIRE(gz.size() > 2);
  CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);  // gzip magic
  CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
  CHECK(Gunzip(gz) == text + noise);
  CHECK(dir.EntryCount() == 1);
}

TEST_CASE("an empty .gz file is still a valid gzip stream", "[corpus]") {
  TempDir dir;
  auto out = TextWriter::Create(dir.File("e.gz"));
  REQUIRE(out.ok());
  REQUIRE((*out)->Commit().ok());
  CHECK(Gunzip(ReadFile(dir.File("e.gz"))).empty());
}

TEST_CASE("without Commit nothing appears, compressed or not", "[corpus]") {
  TempDir dir;
  for (const char* name : {"a.txt", "a.txt.gz"}) {
    auto out = TextWriter::Create(dir.File(name));
    REQUIRE(out.ok());
    REQUIRE((*out)->Write(RandomBytes(1 << 20, 3)).ok());
  }
  CHECK(dir.EntryCount() == 0);
}

TEST_CASE("a missing folder is an error naming the path", "[corpus]") {
  TempDir dir;
  auto out = TextWriter::Create(dir.File("no/such/v.txt.gz"));
  REQUIRE_FALSE(out.ok());
  CHECK_THAT(std::string(out.status().message()), Catch::Contains("no/such/v.txt.gz"));
}

TEST_CASE("IsGzipPath looks at the extension only", "[corpus]") {
  CHECK(IsGzipPath("vectors.bin.gz"));
  CHECK(IsGzipPath("a.gz"));
  CHECK_FALSE(IsGzipPath("vectors.gzip"));
  CHECK_FALSE(IsGzipPath("gz/vectors.txt"));
}

}  // namespace
}  // namespace wordspace::corpus
