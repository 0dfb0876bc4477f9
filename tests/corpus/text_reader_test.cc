#include "corpus/text_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace wordspace::corpus {
namespace {

using testing::Gzip;
using testing::TempDir;
using testing::WriteFile;

// Reads every line, or returns the error.
absl::StatusOr<std::vector<std::string>> ReadAll(const std::string& path) {
  auto reader = TextReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::vector<std::string> lines;
  std::string line;
  while (true) {
    absl::StatusOr<bool> got = (*reader)->ReadLine(&line);
    if (!got.ok()) return got.status();
    if (!*got) return lines;
    lines.push_back(line);
  }
}

TEST_CASE("plain text lines, with and without a final newline", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("a.txt"), "one two\n\nthree\nlast");
  auto lines = ReadAll(dir.File("a.txt"));
  REQUIRE(lines.ok());
  CHECK(*lines == std::vector<std::string>{"one two", "", "three", "last"});
}

TEST_CASE("gzip is detected by magic bytes, not by name", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("corpus.txt"), Gzip("alpha beta\ngamma\n"));
  auto lines = ReadAll(dir.File("corpus.txt"));
  REQUIRE(lines.ok());
  CHECK(*lines == std::vector<std::string>{"alpha beta", "gamma"});
}

TEST_CASE("concatenated gzip members read as one stream", "[corpus]") {
  TempDir dir;
  // A line split across the member boundary must come back whole.
  WriteFile(dir.File("multi.gz"), Gzip("first line\nsecond ha") + Gzip("lf\nthird\n"));
  auto lines = ReadAll(dir.File("multi.gz"));
  REQUIRE(lines.ok());
  CHECK(*lines == std::vector<std::string>{"first line", "second half", "third"});
}

TEST_CASE("lines longer than the read buffer come back whole", "[corpus]") {
  TempDir dir;
  std::string longline(700000, 'x');
  WriteFile(dir.File("long.gz"), Gzip(longline + "\nshort\n"));
  auto lines = ReadAll(dir.File("long.gz"));
  REQUIRE(lines.ok());
  REQUIRE(lines->size() == 2);
  CHECK((*lines)[0] == longline);
}

TEST_CASE("a truncated gzip stream is an error naming the file", "[corpus]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "word" + std::to_string(i) + " and more words\n";
  std::string gz = Gzip(text);
  WriteFile(dir.File("cut.gz"), gz.substr(0, gz.size() / 2));
  auto lines = ReadAll(dir.File("cut.gz"));
  REQUIRE_FALSE(lines.ok());
  CHECK(lines.status().code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(std::string(lines.status().message()), Catch::Contains("cut.gz") &&
                                                        Catch::Contains("truncated"));
}

TEST_CASE("a gzip stream missing only its trailer is still an error", "[corpus]") {
  TempDir dir;
  std::string gz = Gzip("some text\nmore text\n");
  WriteFile(dir.File("notrailer.gz"), gz.substr(0, gz.size() - 4));
  CHECK(ReadAll(dir.File("notrailer.gz")).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("a corrupt gzip stream is an error naming the file", "[corpus]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i * 7919) + "\n";
  std::string gz = Gzip(text);
  for (size_t i = gz.size() / 3; i < gz.size() / 3 + 16; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5A);
  WriteFile(dir.File("bad.gz"), gz);
  auto lines = ReadAll(dir.File("bad.gz"));
  REQUIRE_FALSE(lines.ok());
  CHECK(lines.status().code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(std::string(lines.status().message()), Catch::Contains("bad.gz"));
}

TEST_CASE("a missing file is NotFound naming the path", "[corpus]") {
  auto reader = TextReader::Open("/nonexistent/corpus.txt");
  REQUIRE_FALSE(reader.ok());
  CHECK(reader.status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(reader.status().message()), Catch::Contains("/nonexistent/corpus.txt"));
}

TEST_CASE("`-` reads standard input, gzip or plain", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("in.gz"), Gzip("from stdin\n"));
  int saved = dup(STDIN_FILENO);
  int fd = open(dir.File("in.gz").c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  dup2(fd, STDIN_FILENO);
  close(fd);
  auto lines = ReadAll("-");
  dup2(saved, STDIN_FILENO);
  close(saved);
  REQUIRE(lines.ok());
  CHECK(*lines == std::vector<std::string>{"from stdin"});
}

TEST_CASE("raw reads continue where lines stopped", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("mixed"), "header\nABCDEFGH");
  auto reader = TextReader::Open(dir.File("mixed"));
  REQUIRE(reader.ok());
  std::string line;
  REQUIRE(*(*reader)->ReadLine(&line));
  CHECK(line == "header");
  char buf[16];
  auto n = (*reader)->Read(buf, sizeof(buf));
  REQUIRE(n.ok());
  CHECK(std::string(buf, *n) == "ABCDEFGH");
}

TEST_CASE("a line limit stops a line from growing without bound", "[corpus]") {
  TempDir dir;
  // The long line spans several read buffers; with no limit it reads whole.
  const std::string long_line(600000, 'x');
  WriteFile(dir.File("long.txt"), "short\n" + long_line + "\nafter\n");
  WriteFile(dir.File("long.gz"), Gzip("short\n" + long_line + "\nafter\n"));
  for (const char* name : {"long.txt", "long.gz"}) {
    INFO(name);
    auto reader = TextReader::Open(dir.File(name));
    REQUIRE(reader.ok());
    (*reader)->set_max_line_bytes(1000);
    std::string line;
    REQUIRE(*(*reader)->ReadLine(&line));
    auto got = (*reader)->ReadLine(&line);
    CHECK(absl::IsInvalidArgument(got.status()));
    CHECK_THAT(std::string(got.status().message()),
               Catch::Contains(std::string(name) + ":2: a line longer than 1000 bytes"));
  }
  auto lines = ReadAll(dir.File("long.txt"));
  REQUIRE(lines.ok());
  CHECK((*lines)[1] == long_line);
  // A line that ends exactly at the limit is fine; the limit also applies to the last line.
  WriteFile(dir.File("edge.txt"), std::string(1000, 'y') + "\n" + std::string(1001, 'z'));
  auto reader = TextReader::Open(dir.File("edge.txt"));
  REQUIRE(reader.ok());
  (*reader)->set_max_line_bytes(1000);
  std::string line;
  REQUIRE(*(*reader)->ReadLine(&line));
  CHECK(line.size() == 1000);
  CHECK_FALSE((*reader)->ReadLine(&line).ok());
}

TEST_CASE("plain_file_size is the size of a plain file only", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("p.txt"), "abc\ndef\n");
  WriteFile(dir.File("g.gz"), Gzip("abc\ndef\n"));
  auto plain = TextReader::Open(dir.File("p.txt"));
  auto gz = TextReader::Open(dir.File("g.gz"));
  REQUIRE(plain.ok());
  REQUIRE(gz.ok());
  CHECK((*plain)->plain_file_size() == 8);
  CHECK((*gz)->plain_file_size() == 0);
  std::string line;
  REQUIRE(*(*plain)->ReadLine(&line));
  CHECK((*plain)->position() == 4);
}

}  // namespace
}  // namespace wordspace::corpus
