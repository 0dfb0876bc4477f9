#include "base/binary_io.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace wordspace {
namespace {

using Catch::Contains;
using testing::TempDir;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

// A small file in the style of the project's formats: magic, version, a string, an array, then the
// CRC of everything before it.
std::string Sample(BinaryWriter& w) {
  w.PutBytes("WSTEST\n\0", 8);
  w.Put<uint32_t>(7);
  w.Put<int64_t>(-3);
  w.Put<double>(0.25);
  w.Put<bool>(true);
  w.PutString("béta");
  w.Put<uint64_t>(3);
  w.PutArray(std::vector<float>{1.5f, -2.0f, 1e30f});
  w.PutCrc();
  return w.bytes();
}

TEST_CASE("Crc32 is zlib's crc32 and continues across pieces", "[base]") {
  const std::string text = "The quick brown fox jumps over the lazy dog";
  const uint32_t zlib = static_cast<uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(text.data()), text.size()));
  CHECK(Crc32(text) == zlib);
  CHECK(Crc32(text) == 0x414FA339u);  // the published CRC-32 of this sentence
  CHECK(Crc32(text.substr(10), Crc32(text.substr(0, 10))) == zlib);
}

TEST_CASE("BinaryWriter lays fields out little-endian with no padding", "[base]") {
  BinaryWriter w;
  const std::string bytes = Sample(w);
  REQUIRE(bytes.size() == 8 + 4 + 8 + 8 + 1 + (4 + 5) + 8 + 12 + 4);
  CHECK(w.size() == bytes.size());
  CHECK(bytes.substr(8, 4) == std::string("\x07\0\0\0", 4));
  CHECK(bytes.substr(20, 8) == std::string("\0\0\0\0\0\0\xd0\x3f", 8));  // 0.25
  CHECK(bytes[28] == 1);
  CHECK(bytes.substr(29, 4) == std::string("\x05\0\0\0", 4));
  uint32_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
  CHECK(stored == Crc32(bytes.data(), bytes.size() - 4));
}

TEST_CASE(
    "a sink receives the same bytes as the in-memory writer, large "
    "blocks included",
    "[base]") {
  BinaryWriter memory;
  std::string sunk;
  BinaryWriter streamed([&](std::string_view b) {
    sunk.append(b);
    return absl::OkStatus();
  });
  std::vector<float> big(600000, 0.5f);  // 2.4 MB: more than one block
  for (BinaryWriter* w : {&memory, &streamed}) {
    w->Put<uint32_t>(1);
    w->PutArray(big);
    w->PutString("tail");
    w->PutCrc();
  }
  REQUIRE(streamed.Flush().ok());
  CHECK(sunk == memory.bytes());
  CHECK(streamed.crc() == memory.crc());

  // The first sink error is kept and returned by Flush.
  int calls = 0;
  BinaryWriter failing([&](std::string_view) {
    ++calls;
    return absl::InternalError("disk full");
  });
  failing.PutArray(big);
  failing.PutArray(big);
  CHECK(Message(failing.Flush()) == "disk full");
  CHECK(calls == 1);
}

TEST_CASE(
    "BinaryReader reads back what BinaryWriter wrote, from memory and "
    "from a file",
    "[base]") {
  TempDir dir;
  BinaryWriter w;
  const std::string bytes = Sample(w);
  testing::WriteFile(dir.File("f.bin"), bytes);
  auto check = [&](BinaryReader& r) {
    char magic[8];
    REQUIRE(r.ReadBytes(magic, 8, "the magic").ok());
    CHECK(std::memcmp(magic, "WSTEST\n\0", 8) == 0);
    uint32_t version = 0;
    int64_t neg = 0;
    double d = 0;
    bool b = false;
    REQUIRE(r.Read(&version, "the version").ok());
    REQUIRE(r.Read(&neg, "a field").ok());
    REQUIRE(r.Read(&d, "a field").ok());
    REQUIRE(r.Read(&b, "a flag").ok());
    CHECK(version == 7);
    CHECK(neg == -3);
    CHECK(d == 0.25);
    CHECK(b);
    std::string s;
    REQUIRE(r.ReadString(&s, "a word", 100).ok());
    CHECK(s == "béta");
    auto n = r.ReadCount<uint64_t>("the value count", sizeof(float), 1000);
    REQUIRE(n.ok());
    std::vector<float> values;
    REQUIRE(r.ReadArray(&values, *n, "the values").ok());
    CHECK(values == std::vector<float>{1.5f, -2.0f, 1e30f});
    const uint32_t computed = r.crc();
    uint32_t stored = 0;
    REQUIRE(r.Read(&stored, "the checksum").ok());
    CHECK(stored == computed);
    CHECK(r.remaining() == 0);
    CHECK(r.ExpectEnd("the checksum").ok());
  };
  BinaryReader memory(dir.File("f.bin"), bytes);
  check(memory);
  auto file = BinaryReader::Open(dir.File("f.bin"));
  REQUIRE(file.ok());
  CHECK(file->file_size() == bytes.size());
  check(*file);
}

TEST_CASE("a truncated file is DataLoss naming the file, the field and the offset", "[base]") {
  TempDir dir;
  BinaryWriter w;
  const std::string bytes = Sample(w);
  const std::string cut = bytes.substr(0, 50);  // inside the array
  testing::WriteFile(dir.File("cut.bin"), cut);
  auto r = BinaryReader::Open(dir.File("cut.bin"));
  REQUIRE(r.ok());
  r->set_fix("; write it again");
  REQUIRE(r->Skip(29, "the head").ok());
  std::string s;
  REQUIRE(r->ReadString(&s, "a word").ok());
  uint64_t n = 0;
  REQUIRE(r->Read(&n, "the value count").ok());
  std::vector<float> values;
  absl::Status status = r->ReadArray(&values, n, "the values");
  CHECK(absl::IsDataLoss(status));
  CHECK_THAT(Message(status), Contains("cut.bin") && Contains("the values") &&
                                  Contains("byte 46 of 50") && Contains("; write it again"));
  uint32_t x;
  BinaryReader tiny("tiny.bin", std::string_view("ab"));
  CHECK_THAT(Message(tiny.Read(&x, "the version")),
             Contains("tiny.bin: truncated: the file ends inside the version"));
}

TEST_CASE("an oversized count is refused before anything is allocated", "[base]") {
  // A count field claiming 2^62 floats, followed by 8 bytes.
  BinaryWriter w;
  w.Put<uint64_t>(uint64_t{1} << 62);
  w.Put<uint64_t>(0);
  const std::string bytes = w.bytes();
  BinaryReader r("huge.bin", bytes);
  auto n = r.ReadCount<uint64_t>("the row count", sizeof(float));
  REQUIRE_FALSE(n.ok());
  CHECK(absl::IsDataLoss(n.status()));
  CHECK_THAT(Message(n.status()), Contains("huge.bin") && Contains("the row count") &&
                                      Contains("4611686018427387904") &&
                                      Contains("more than 2^64 bytes") && Contains("only 8 bytes"));

  // ReadArray checks the count itself: the vector never grows.
  BinaryReader again("huge.bin", bytes);
  std::vector<double> values;
  CHECK_FALSE(again.ReadArray(&values, uint64_t{1} << 40, "the values").ok());
  CHECK(values.capacity() == 0);
  CHECK(again.position() == 0);

  // A count within the file but above the format's limit, and a negative one.
  BinaryReader limited("l.bin", bytes);
  auto over = limited.ReadCount<uint64_t>("the order", 0, 9);
  CHECK_THAT(Message(over.status()), Contains("the order is 4611686018427387904, above the "
                                              "limit of 9"));
  BinaryWriter neg;
  neg.Put<int32_t>(-5);
  BinaryReader negative("n.bin", neg.bytes());
  CHECK_THAT(Message(negative.ReadCount<int32_t>("the width", 1).status()),
             Contains("the width is negative (-5)"));
  // A string length past the end.
  BinaryWriter str;
  str.Put<uint32_t>(0xFFFFFFF0u);
  BinaryReader strings("s.bin", str.bytes());
  std::string s;
  CHECK_THAT(Message(strings.ReadString(&s, "word 3")), Contains("word 3 is 4294967280"));
  CHECK(s.capacity() < 64);
}

TEST_CASE("a flipped byte shows as a CRC mismatch", "[base]") {
  BinaryWriter w;
  std::string bytes = Sample(w);
  bytes[30] ^= 0x10;
  BinaryReader r("flip.bin", bytes);
  REQUIRE(r.Skip(0, "nothing").ok());
  std::vector<char> all;
  REQUIRE(r.ReadArray(&all, bytes.size() - 4, "the body").ok());
  uint32_t stored = 0;
  const uint32_t computed = r.crc();
  REQUIRE(r.Read(&stored, "the checksum").ok());
  CHECK(stored != computed);
  CHECK(Crc32(bytes.data(), bytes.size() - 4) == computed);
}

TEST_CASE("Open names a missing file and refuses a folder", "[base]") {
  TempDir dir;
  auto missing = BinaryReader::Open(dir.File("absent.bin"));
  CHECK(absl::IsNotFound(missing.status()));
  CHECK_THAT(Message(missing.status()), Contains("absent.bin"));
  auto folder = BinaryReader::Open(dir.path().string());
  CHECK(absl::IsInvalidArgument(folder.status()));
  CHECK(absl::IsNotFound(BinaryReader::ReadWholeFile(dir.File("absent.bin")).status()));
  CHECK(absl::IsInvalidArgument(BinaryReader::ReadWholeFile(dir.path().string()).status()));
}

TEST_CASE("FormatByteSize", "[base]") {
  CHECK(FormatByteSize(0) == "0 bytes");
  CHECK(FormatByteSize(1) == "1 byte");
  CHECK(FormatByteSize(1023) == "1023 bytes");
  CHECK(FormatByteSize(12 * 1024) == "12 KB");
  CHECK(FormatByteSize(1536) == "1.5 KB");
  CHECK(FormatByteSize(uint64_t{3} << 30) == "3.0 GB");
  CHECK(CountFits(3, 4, 12));
  CHECK_FALSE(CountFits(4, 4, 15));
  CHECK_FALSE(CountFits(uint64_t{1} << 63, 4, ~uint64_t{0}));
}

}  // namespace
}  // namespace wordspace
