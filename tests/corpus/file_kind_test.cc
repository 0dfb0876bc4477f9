// The file sniffer (corpus/file_kind.h): every kind told by content, gzip seen through, the
// one-line refusals, and the corpus readers' check on the buffer they peek at (stdin too).
#include "corpus/file_kind.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "corpus/sentence_reader.h"
#include "corpus/text_reader.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::corpus {
namespace {

using testing::Gzip;
using testing::TempDir;
using testing::WriteFile;

// Raw little-endian floats, as a word2vec binary row holds them.
std::string Floats(std::initializer_list<float> values) {
  std::string out;
  for (float v : values) out.append(reinterpret_cast<const char*>(&v), sizeof(v));
  return out;
}

// Deterministic bytes spread over 0..255, like compressed or random data.
std::string NoiseBytes(size_t n) {
  std::string out(n, '\0');
  uint32_t x = 12345;
  for (char& c : out) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

std::string Corpus() {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "the king and the queen rule the land\nla reine écoute\n";
  return text;
}

struct Case {
  const char* name;
  std::string bytes;
  FileKind kind;
};

std::vector<Case> Cases() {
  const std::string binary_vectors =
      "2 3\nthe " + Floats({0.1f, -0.2f, 0.3f}) + "\ncat " + Floats({1.5f, 0.0f, -2.0f}) + "\n";
  return {
      {"empty", "", FileKind::kEmpty},
      {"corpus", Corpus(), FileKind::kText},
      {"one long line", std::string(100000, 'a') + " b", FileKind::kText},
      {"Latin-1 text (a few invalid bytes)", "caf\xE9 cr\xE8me br\xFBl\xE9" + Corpus(),
       FileKind::kText},
      {"questions", ": capital\nathens greece baghdad iraq\n", FileKind::kText},
      {"pairs with scores", "tiger\tcat\t7.35\nbook\tpaper\t7.46\n", FileKind::kText},
      {"prose opening with a word and a number", "Chapter 1\nIt was a dark night\n",
       FileKind::kText},
      {"random bytes", NoiseBytes(4000), FileKind::kNotText},
      {"NULs", std::string(1000, '\0'), FileKind::kNotText},
      {"word2vec text", "2 3\nthe 0.1 -0.2 0.3\ncat 1.5 0 -2\n", FileKind::kWord2VecText},
      {"word2vec text, header only", "0 100\n", FileKind::kWord2VecText},
      {"word2vec text, a malformed row", "2 8\nthe 0.1 0.2 abc\n", FileKind::kWord2VecText},
      {"word2vec binary", binary_vectors, FileKind::kWord2VecBinary},
      {"word2vec binary, gensim rows without newlines",
       "2 2\nthe " + Floats({0.5f, 1.0f}) + "cat " + Floats({0.25f, 2.0f}),
       FileKind::kWord2VecBinary},
      {"GloVe", "the 0.1 -0.2 0.3\ncat 1.5 0 -2\n", FileKind::kGlove},
      {"GloVe, ragged", "the 0.1 0.2\ncat 0.3\n", FileKind::kGlove},
      {"vocabulary", "the 120\nking 7\nqueen 7\n", FileKind::kVocabulary},
      {"vocabulary, huge count", "the 99999999999999999999999\n", FileKind::kVocabulary},
      {"checkpoint", std::string(kCheckpointFileMagic) + NoiseBytes(100), FileKind::kCheckpoint},
      {"n-gram model", std::string(kNgramFileMagic) + NoiseBytes(100), FileKind::kNgramModel},
      {"index file", std::string(kIndexFileMagic) + NoiseBytes(100), FileKind::kVectorIndex},
      {"FAISS index", std::string("IxFI\x08\x00\x00\x00", 8) + NoiseBytes(100),
       FileKind::kFaissIndex},
      {"fastText model", std::string("\xBA\x16\x4F\x2F\x0C\x00\x00\x00", 8) + NoiseBytes(100),
       FileKind::kFastTextModel},
      {"gensim pickle", "\x80\x04\x95" + NoiseBytes(100), FileKind::kPickle},
      {"npy array", "\x93NUMPY\x01\x00" + NoiseBytes(100), FileKind::kNumpy},
      {"zip", "PK\x03\x04" + NoiseBytes(100), FileKind::kZip},
      {"ELF",
       "\x7F"
       "ELF\x02\x01\x01" +
           NoiseBytes(100),
       FileKind::kElf},
      {"bzip2", "BZh91AY&SY" + NoiseBytes(100), FileKind::kBzip2},
      {"xz",
       std::string("\xFD"
                   "7zXZ\0",
                   6) +
           NoiseBytes(100),
       FileKind::kXz},
      {"zstd", "\x28\xB5\x2F\xFD" + NoiseBytes(100), FileKind::kZstd},
      {"UTF-16 with a byte-order mark", std::string("\xFF\xFEt\0h\0e\0", 8), FileKind::kUtf16Text},
      {"UTF-16 without one", std::string("t\0h\0e\0 \0k\0i\0n\0g\0 \0a\0n\0d\0", 24),
       FileKind::kUtf16Text},
  };
}

TEST_CASE("every kind is told by its content", "[corpus][file_kind]") {
  for (const Case& c : Cases()) {
    INFO(c.name);
    const FileSniff sniff = SniffContent(c.bytes, /*whole=*/true);
    CHECK(sniff.kind == c.kind);
    CHECK_FALSE(sniff.gzip);
  }
}

TEST_CASE("files are sniffed by content, gzip by what it holds", "[corpus][file_kind]") {
  TempDir dir;
  for (const Case& c : Cases()) {
    INFO(c.name);
    WriteFile(dir.File("plain"), c.bytes);
    absl::StatusOr<FileSniff> plain = SniffFile(dir.File("plain"));
    REQUIRE(plain.ok());
    CHECK(plain->kind == c.kind);
    CHECK_FALSE(plain->gzip);
    WriteFile(dir.File("packed.bin"), Gzip(c.bytes));
    absl::StatusOr<FileSniff> packed = SniffFile(dir.File("packed.bin"));
    REQUIRE(packed.ok());
    CHECK(packed->kind == c.kind);
    CHECK(packed->gzip);
  }
}

TEST_CASE("only the first kSniffBytes are looked at", "[corpus][file_kind]") {
  // Text, then binary past the sample: a corpus with a damaged tail is still a corpus.
  const std::string text = Corpus();
  std::string big;
  while (big.size() < kSniffBytes) big += text;
  big += NoiseBytes(kSniffBytes);
  const FileSniff sniff = SniffContent(big, /*whole=*/false);
  CHECK(sniff.kind == FileKind::kText);
  CHECK(sniff.sample_bytes == kSniffBytes);
}

TEST_CASE("open errors name the path; streams are not sniffed", "[corpus][file_kind]") {
  TempDir dir;
  absl::StatusOr<FileSniff> missing = SniffFile(dir.File("missing.txt"));
  CHECK(absl::IsNotFound(missing.status()));
  CHECK_THAT(std::string(missing.status().message()), Catch::Contains("missing.txt"));
  CHECK_THAT(std::string(SniffFile(dir.path().string()).status().message()),
             Catch::Contains("folder"));
  WriteFile(dir.File("corrupt.gz"),
            std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + "garbage-not-deflate");
  CHECK(absl::IsDataLoss(SniffFile(dir.File("corrupt.gz")).status()));

  CHECK_FALSE(CanSniff("-"));
  CHECK(absl::IsInvalidArgument(SniffFile("-").status()));
  REQUIRE(mkfifo(dir.File("fifo").c_str(), 0600) == 0);
  CHECK_FALSE(CanSniff(dir.File("fifo")));
  // Not opened (that would block with no writer), so passed on to the reader.
  CHECK(CheckFileKind(dir.File("fifo"), FileRole::kCorpus).ok());
  CHECK(CanSniff(dir.File("missing.txt")));
}

TEST_CASE("refusals are one line naming the file, its kind and where it goes",
          "[corpus][file_kind]") {
  TempDir dir;
  const std::string v = dir.File("vectors.bin");
  WriteFile(v, "2 3\nthe " + Floats({0.1f, -0.2f, 0.3f}) + "\ncat " + Floats({1.f, 0.f, 2.f}));
  absl::Status s = CheckFileKind(v, FileRole::kCorpus);
  CHECK(absl::IsInvalidArgument(s));
  CHECK(std::string(s.message()) ==
        v + ": this is a word-vector file (word2vec binary), not a corpus (give it to neighbors, "
            "analogy or lm-train --embeddings)");
  CHECK(CheckFileKind(v, FileRole::kVectors).ok());
  CHECK(CheckFileKind(v, FileRole::kCorpus, /*force=*/true).ok());
  // --force is a corpus' option only.
  CHECK_FALSE(CheckFileKind(v, FileRole::kCheckpoint, /*force=*/true).ok());

  const std::string noise = dir.File("noise.gz");
  WriteFile(noise, Gzip(NoiseBytes(5000)));
  s = CheckFileKind(noise, FileRole::kCorpus);
  CHECK_THAT(std::string(s.message()),
             Catch::StartsWith(noise + ": this is binary data of no kind wordspace knows (") &&
                 Catch::Contains("% of its first 5 KiB is not UTF-8 text, gzip-compressed)") &&
                 Catch::EndsWith("--force reads it anyway)"));
  CHECK(CheckFileKind(noise, FileRole::kCorpus, /*force=*/true).ok());

  // Every refusal of every kind: one printable line, never the file's bytes.
  const std::vector<FileRole> roles = {
      FileRole::kCorpus,     FileRole::kVectors,       FileRole::kVocabulary, FileRole::kWordList,
      FileRole::kCheckpoint, FileRole::kNextWordModel, FileRole::kIndexFile};
  int refusals = 0;
  for (const Case& c : Cases()) {
    for (FileRole role : roles) {
      absl::Status r = CheckKind("f", SniffContent(c.bytes, true), role);
      if (r.ok()) continue;
      ++refusals;
      const std::string m(r.message());
      INFO(c.name << ": " << m);
      CHECK_THAT(m, Catch::StartsWith("f: this is "));
      for (unsigned char ch : m) CHECK((ch >= 0x20 && ch < 0x7F));
    }
  }
  CHECK(refusals > 100);
}

TEST_CASE("each role takes its kinds", "[corpus][file_kind]") {
  auto ok = [](FileKind kind, FileRole role) {
    FileSniff sniff;
    sniff.kind = kind;
    return CheckKind("f", sniff, role).ok();
  };
  CHECK(ok(FileKind::kText, FileRole::kCorpus));
  CHECK_FALSE(ok(FileKind::kGlove, FileRole::kCorpus));
  CHECK_FALSE(ok(FileKind::kVocabulary, FileRole::kCorpus));
  CHECK(ok(FileKind::kGlove, FileRole::kVectors));
  CHECK_FALSE(ok(FileKind::kText, FileRole::kVectors));
  CHECK(ok(FileKind::kFastTextModel, FileRole::kVectors));  // fasttext_model.h reads it
  CHECK_FALSE(ok(FileKind::kFastTextModel, FileRole::kCorpus));
  CHECK(ok(FileKind::kText, FileRole::kVocabulary));  // a malformed one: its reader says how
  CHECK(ok(FileKind::kGlove, FileRole::kWordList));   // "accountant 0.0 0.4"
  CHECK_FALSE(ok(FileKind::kWord2VecBinary, FileRole::kWordList));
  CHECK(ok(FileKind::kNgramModel, FileRole::kNextWordModel));
  CHECK_FALSE(ok(FileKind::kNgramModel, FileRole::kCheckpoint));
  CHECK(ok(FileKind::kNotText, FileRole::kIndexFile));  // damaged: the index reader says so
  CHECK_FALSE(ok(FileKind::kWord2VecBinary, FileRole::kIndexFile));
  for (FileRole role : {FileRole::kCorpus, FileRole::kVectors, FileRole::kCheckpoint}) {
    CHECK(ok(FileKind::kEmpty, role));  // each reader says what an empty input means
  }
  TempDir dir;
  CHECK(CheckFileKind(dir.File("new.index"), FileRole::kIndexFile).ok());  // to be built
  CHECK_FALSE(CheckFileKind(dir.File("missing.lm"), FileRole::kCheckpoint).ok());
}

TEST_CASE("Peek shows the next bytes and the reader hands them out again", "[corpus]") {
  TempDir dir;
  const std::string text = Corpus();
  WriteFile(dir.File("c.gz"), Gzip(text));
  auto reader = TextReader::Open(dir.File("c.gz"));
  REQUIRE(reader.ok());
  absl::StatusOr<std::string_view> start = (*reader)->Peek(20);
  REQUIRE(start.ok());
  CHECK(*start == std::string_view(text).substr(0, 20));
  CHECK((*reader)->is_gzip());
  std::string line;
  REQUIRE((*reader)->ReadLine(&line).value());
  CHECK(line == "the king and the queen rule the land");
  // After a read, Peek moves what is left to the front and fills behind it.
  start = (*reader)->Peek(text.size());
  REQUIRE(start.ok());
  CHECK(*start == std::string_view(text).substr(line.size() + 1));
  std::string all = line + "\n";
  while ((*reader)->ReadLine(&line).value()) all += line + "\n";
  CHECK(all == text);
}

TEST_CASE("corpus readers refuse what is not text, on the bytes they peek", "[corpus]") {
  TempDir dir;
  WriteFile(dir.File("v.txt"), "2 3\nthe 0.1 -0.2 0.3\ncat 1.5 0 -2\n");
  auto refused = SentenceReader::Open(dir.File("v.txt"), {});
  CHECK(absl::IsInvalidArgument(refused.status()));
  CHECK_THAT(std::string(refused.status().message()),
             Catch::Contains("v.txt: this is a word-vector file (word2vec text), not a corpus"));
  CorpusOptions force;
  force.force = true;
  auto forced = SentenceReader::Open(dir.File("v.txt"), force);
  REQUIRE(forced.ok());
  std::vector<std::string_view> words;
  REQUIRE((*forced)->Next(&words).value());
  CHECK(words == std::vector<std::string_view>{"2", "3"});
}

}  // namespace
}  // namespace wordspace::corpus
