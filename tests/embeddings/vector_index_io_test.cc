// Tests for embeddings/vector_index_io.{h,cc}, through VectorIndex::Save, Load and LoadOrBuild:
// the round trip, stale and foreign files, and damage before and behind a valid checksum.
#include "embeddings/vector_index_io.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/binary_io.h"
#include "embeddings/vector_index.h"
#include "tests/embeddings/index_test_util.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_util.h"

namespace wordspace::embeddings {
namespace {

using testing::BuildOrDie;
using testing::RandomVectors;
using testing::ReadFile;
using testing::TempDir;
using testing::Words;
using testing::WriteFile;

TEST_CASE("save and load round-trip; stale, foreign and corrupt files are refused",
          "[embeddings][index_io]") {
  TempDir dir;
  const std::string path = dir.File("v.faiss");
  WordVectors v = RandomVectors(500, 12, 9);
  IndexOptions options;
  options.restrict = 400;
  VectorIndex built = BuildOrDie(v, options);
  REQUIRE(built.Save(path).ok());
  auto loaded = VectorIndex::Load(v, path, options);
  REQUIRE(loaded.ok());
  CHECK(loaded->searchable() == 400);
  auto a = built.NeighborsOf("w3", 5);
  auto b = loaded->NeighborsOf("w3", 5);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(Words(built, *a) == Words(*loaded, *b));

  SECTION("changed values are stale") {
    WordVectors changed = v;
    changed.mutable_row(77)[3] += 0.5f;
    auto s = VectorIndex::Load(changed, path, options);
    CHECK(s.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK_THAT(std::string(s.status().message()), Catch::Contains("stale"));
    std::string note;
    auto rebuilt = VectorIndex::LoadOrBuild(changed, path, options, &note);
    REQUIRE(rebuilt.ok());
    CHECK_THAT(note, Catch::Contains("stale"));
    CHECK(VectorIndex::Load(changed, path, options).ok());  // the rebuilt file was saved
  }
  SECTION("other vectors (count) are stale") {
    auto s = VectorIndex::Load(RandomVectors(499, 12, 9), path, options);
    CHECK(s.status().code() == absl::StatusCode::kFailedPrecondition);
  }
  SECTION("another factory or restrict is a different index") {
    IndexOptions other = options;
    other.restrict = 0;
    CHECK(VectorIndex::Load(v, path, other).status().code() ==
          absl::StatusCode::kFailedPrecondition);
    other = options;
    other.factory = "HNSW8";
    CHECK(VectorIndex::Load(v, path, other).status().code() ==
          absl::StatusCode::kFailedPrecondition);
  }
  SECTION("a flipped byte anywhere is DataLoss, before FAISS reads it") {
    std::string bytes = ReadFile(path);
    for (size_t at : {size_t{3}, size_t{20}, bytes.size() / 2, bytes.size() - 2}) {
      std::string bad = bytes;
      bad[at] ^= 0x5a;
      WriteFile(path, bad);
      INFO("byte " << at);
      CHECK(VectorIndex::Load(v, path, options).status().code() == absl::StatusCode::kDataLoss);
      CHECK(VectorIndex::LoadOrBuild(v, path, options).status().code() ==
            absl::StatusCode::kDataLoss);
    }
    WriteFile(path, bytes.substr(0, bytes.size() / 3));
    CHECK(VectorIndex::Load(v, path, options).status().code() == absl::StatusCode::kDataLoss);
    WriteFile(path, "");
    CHECK(VectorIndex::Load(v, path, options).status().code() == absl::StatusCode::kDataLoss);
  }
  SECTION("sizes in the file are checked against it before FAISS reads, even with a valid CRC") {
    // Layout: magic 8, version, dim, count 8, searchable 8, hash 8, factory (u32 length at 40,
    // "Flat"), FAISS size (u64 at 48), FAISS blob from 56: "IxFI", d, ntotal (at 64), two unused
    // i64, is_trained, metric, then the float count (at 93) and the floats.
    const std::string bytes = ReadFile(path);
    REQUIRE(bytes.substr(56, 4) == "IxFI");
    auto patched = [&](size_t offset, auto value) {
      std::string bad = bytes;
      std::memcpy(bad.data() + offset, &value, sizeof(value));
      const uint32_t crc = Crc32(bad.data(), bad.size() - 4);
      std::memcpy(bad.data() + bad.size() - 4, &crc, 4);
      WriteFile(path, bad);
      auto s = VectorIndex::Load(v, path, options);
      CHECK(s.status().code() == absl::StatusCode::kDataLoss);
      return std::string(s.status().message());
    };
    using Catch::Contains;
    CHECK_THAT(patched(48, uint64_t{1} << 40),
               Contains("v.faiss") && Contains("the FAISS index size is 1099511627776"));
    CHECK_THAT(patched(40, uint32_t{0xFFFFFF00u}),
               Contains("the index factory string is 4294967040, above the limit"));
    CHECK_THAT(patched(93, uint64_t{1} << 38),
               Contains("v.faiss") && Contains("the FAISS vector data is 274877906944"));
    CHECK_THAT(patched(64, int64_t{401}), Contains("the FAISS index says 401 vectors"));
  }
  SECTION("a missing file") {
    CHECK(VectorIndex::Load(v, dir.File("none"), options).status().code() ==
          absl::StatusCode::kNotFound);
    std::string note;
    auto fresh = VectorIndex::LoadOrBuild(v, dir.File("new.faiss"), options, &note);
    REQUIRE(fresh.ok());
    CHECK_THAT(note, Catch::Contains("built"));
    CHECK(VectorIndex::Load(v, dir.File("new.faiss"), options).ok());
  }
}

TEST_CASE("an approximate index file altered behind a valid checksum never crashes a search",
          "[embeddings][index_io]") {
  // Every 4-byte field overwritten in turn (ids, offsets, levels, list sizes) with the CRC made to
  // match: loading either fails with DataLoss naming the file, or gives an index that searches.
  TempDir dir;
  WordVectors v = RandomVectors(100, 8, 5);
  for (const char* factory : {"HNSW8", "IVF4,Flat"}) {
    INFO(factory);
    IndexOptions options;
    options.factory = factory;
    const std::string path = dir.File("a.faiss");
    REQUIRE(BuildOrDie(v, options).Save(path).ok());
    const std::string good = ReadFile(path);
    int refused = 0;
    for (size_t at = 56; at + 8 < good.size(); at += 61) {
      for (int32_t value : {int32_t{1} << 30, -7}) {
        std::string bad = good;
        std::memcpy(bad.data() + at, &value, 4);
        const uint32_t crc = Crc32(bad.data(), bad.size() - 4);
        std::memcpy(bad.data() + bad.size() - 4, &crc, 4);
        WriteFile(path, bad);
        auto loaded = VectorIndex::Load(v, path, options);
        if (!loaded.ok()) {
          ++refused;
          INFO("byte " << at << ": " << loaded.status());
          CHECK(loaded.status().code() == absl::StatusCode::kDataLoss);
          CHECK_THAT(std::string(loaded.status().message()), Catch::Contains("a.faiss"));
          continue;
        }
        for (int q = 0; q < 5; ++q) {
          auto found = loaded->NeighborsOf(absl::StrCat("w", q * 19), 3);
          INFO("byte " << at << " = " << value << ": " << found.status());
          CHECK(found.ok());
        }
      }
    }
    CHECK(refused > 0);
  }
}

TEST_CASE("the content hash sees every word and value", "[embeddings][index_io]") {
  WordVectors v = RandomVectors(20, 4, 3);
  const uint64_t hash = ContentHash(v);
  CHECK(ContentHash(v) == hash);
  WordVectors value = v;
  value.mutable_row(19)[3] += 1e-3f;
  CHECK(ContentHash(value) != hash);
  std::vector<std::string> words = v.words();
  words[0] = "x0";
  CHECK(ContentHash(WordVectors(words, v.dim(), v.values())) != hash);
}

}  // namespace
}  // namespace wordspace::embeddings
