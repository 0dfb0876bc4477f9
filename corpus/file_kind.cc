#include "corpus/file_kind.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "corpus/text_reader.h"

namespace wordspace::corpus {
namespace {

// A corpus sample with more than this share of NUL, control or invalid UTF-8 bytes is not text:
// random bytes and float arrays score about 60%, UTF-8 text 0%, Latin-1 text in a Western
// language a few percent (the reader drops those bytes and says how many). Text in a legacy
// encoding of another script (KOI8-R, Shift JIS) scores higher and is refused too; converting
// it is the fix, and --force the way past.
constexpr size_t kNotTextPercent = 30;
// Text has no NUL bytes; a sample with more than 1% of them is binary whatever the rest is.
constexpr size_t kNulPercent = 1;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// Splits on spaces, tabs and carriage returns, as the vector readers do.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

bool IsInt(std::string_view s) {
  int64_t v;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsFloat(std::string_view s) {
  float v;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// A word followed by numbers only, `want` of them when want > 0.
bool IsVectorRow(const std::vector<std::string_view>& fields, size_t want) {
  if (fields.size() < 2 || (want > 0 && fields.size() != want + 1)) return false;
  return std::all_of(fields.begin() + 1, fields.end(), IsFloat);
}

// The sample cut into lines; `complete` is false for a last line the sample cut off.
struct Lines {
  std::vector<std::string_view> lines;
  bool last_complete = true;
};

Lines SplitLines(std::string_view s, bool whole) {
  Lines out;
  size_t start = 0;
  while (start < s.size()) {
    const size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      out.lines.push_back(s.substr(start));
      out.last_complete = whole;
      break;
    }
    out.lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

size_t CountNotText(std::string_view s, size_t* nul) {
  size_t bad = 0;
  *nul = 0;
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {
      // A character the sample cut in two is not the file's fault.
      if (s.size() - i < 4) break;
      ++bad;
      ++i;
      continue;
    }
    if (cp == 0) ++*nul;
    const bool space = cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r';
    if ((cp < 0x20 && !space) || cp == 0x7F) ++bad;
    i += len;
  }
  return bad;
}

// UTF-16 text without a byte-order mark: ASCII letters with a NUL beside each.
bool LooksUtf16(std::string_view s) {
  if (s.size() < 16) return false;
  size_t even = 0, odd = 0, pairs = std::min<size_t>(s.size() / 2, 512);
  for (size_t i = 0; i < pairs; ++i) {
    even += s[2 * i] == '\0';
    odd += s[2 * i + 1] == '\0';
  }
  return std::max(even, odd) * 10 > pairs * 9 && std::min(even, odd) * 10 < pairs;
}

// The FAISS fourccs of the indexes people save most (faiss/impl/index_write.cpp); not all.
bool IsFaissFourcc(std::string_view s) {
  for (std::string_view f :
       {"IxFI", "IxF2", "IxFl", "IxPQ", "IxPo", "IxSQ", "IxLS", "IwFl", "IwPQ", "IwSQ", "IwSq",
        "IwQR", "IHNf", "IHNp", "IHNs", "IHN2", "IxMp", "IxM2", "IxPT", "IxRF", "IxHE", "IxHe"}) {
    if (StartsWith(s, f)) return true;
  }
  return false;
}

FileKind SniffMagic(std::string_view s) {
  if (StartsWith(s, kCheckpointFileMagic)) return FileKind::kCheckpoint;
  if (StartsWith(s, kNgramFileMagic)) return FileKind::kNgramModel;
  if (StartsWith(s, kIndexFileMagic)) return FileKind::kVectorIndex;
  // fastText's FASTTEXT_FILEFORMAT_MAGIC_INT32, 793712314, little-endian.
  if (StartsWith(s, std::string_view("\xBA\x16\x4F\x2F", 4))) return FileKind::kFastTextModel;
  // Pickle protocols 2 to 5 open with PROTO (0x80) and the protocol number.
  if (s.size() >= 2 && s[0] == '\x80' && s[1] >= 2 && s[1] <= 5) return FileKind::kPickle;
  if (StartsWith(s, "\x93NUMPY")) return FileKind::kNumpy;
  if (StartsWith(s, "PK\x03\x04") || StartsWith(s, "PK\x05\x06") || StartsWith(s, "PK\x07\x08")) {
    return FileKind::kZip;
  }
  if (StartsWith(s,
                 "\x7F"
                 "ELF"))
    return FileKind::kElf;
  // "BZh" and the block size, then a block's or the end's magic (pi or sqrt(pi)).
  if (s.size() >= 7 && StartsWith(s, "BZh") && s[3] >= '1' && s[3] <= '9' &&
      (s.substr(4, 3) == "\x31\x41\x59" || s.substr(4, 3) == "\x17\x72\x45")) {
    return FileKind::kBzip2;
  }
  if (StartsWith(s, std::string_view("\xFD"
                                     "7zXZ\0",
                                     6)))
    return FileKind::kXz;
  if (StartsWith(s, "\x28\xB5\x2F\xFD")) return FileKind::kZstd;
  if (StartsWith(s, "\xFF\xFE") || StartsWith(s, "\xFE\xFF")) return FileKind::kUtf16Text;
  if (IsFaissFourcc(s) && s.size() >= 8) {
    // The dimension follows as an int32; text never has the NULs of a small one.
    if (s[6] == '\0' && s[7] == '\0') return FileKind::kFaissIndex;
  }
  return FileKind::kText;  // no magic
}

// What the message adds after "not <role>": where this kind goes, or how to convert it.
std::string WhereItGoes(const FileSniff& sniff, FileRole role) {
  switch (sniff.kind) {
    case FileKind::kText:
      return "a corpus goes to train --input, vocab --input, lm-train --train or ngram-train "
             "--train";
    case FileKind::kVocabulary:
      return "give it to train --read-vocab, lm-train --read-vocab or ngram-train --vocab";
    case FileKind::kWord2VecText:
    case FileKind::kWord2VecBinary:
    case FileKind::kGlove:
      return "give it to neighbors, analogy or lm-train --embeddings";
    case FileKind::kCheckpoint:
      return "give it to lm-generate --model, lm-bench --model or inspect";
    case FileKind::kNgramModel:
      return "give it to lm-bench --model";
    case FileKind::kVectorIndex:
      return "neighbors and analogy keep it with --index-file; give them the vector file it was "
             "built from";
    case FileKind::kFaissIndex:
      return "wordspace reads word-vector files and keeps its own index files; give it the "
             "vectors";
    case FileKind::kFastTextModel:
      return "wordspace reads a fastText model where it reads word vectors (neighbors, analogy, "
             "eval-analogy, ...)";
    case FileKind::kPickle:
    case FileKind::kNumpy:
      return "save the vectors from Python with gensim's "
             "model.wv.save_word2vec_format(\"vectors.bin\", binary=True) and give that file";
    case FileKind::kZip:
      return "unzip it and give the file inside";
    case FileKind::kElf:
      return "a program, not data; is this the right path?";
    case FileKind::kBzip2:
      return "decompress it with bunzip2, or recompress it with gzip, which wordspace reads";
    case FileKind::kXz:
      return "decompress it with unxz, or recompress it with gzip, which wordspace reads";
    case FileKind::kZstd:
      return "decompress it with unzstd, or recompress it with gzip, which wordspace reads";
    case FileKind::kUtf16Text:
      return "convert it to UTF-8: iconv -f UTF-16 -t UTF-8";
    case FileKind::kNotText:
      return role == FileRole::kCorpus
                 ? "text in another encoding? convert it with iconv; --force reads it anyway"
                 : "is this the right file?";
    case FileKind::kEmpty:
      break;
  }
  return "";
}

const char* RoleNoun(FileRole role) {
  switch (role) {
    case FileRole::kCorpus:
      return "a corpus";
    case FileRole::kVectors:
      return "a word-vector file";
    case FileRole::kVocabulary:
      return "a vocabulary file";
    case FileRole::kWordList:
      return "a text file of words";
    case FileRole::kCheckpoint:
      return "a language-model checkpoint";
    case FileRole::kNextWordModel:
      return "a language model (an n-gram model or a checkpoint)";
    case FileRole::kIndexFile:
      return "a wordspace index file";
  }
  return "";
}

bool Accepts(FileRole role, FileKind kind) {
  using K = FileKind;
  if (kind == K::kEmpty) return true;
  switch (role) {
    case FileRole::kCorpus:
      return kind == K::kText;
    case FileRole::kVectors:
      return kind == K::kWord2VecText || kind == K::kWord2VecBinary || kind == K::kGlove ||
             kind == K::kFastTextModel;
    case FileRole::kVocabulary:
      // A malformed vocabulary is still text; its reader names the bad line.
      return kind == K::kVocabulary || kind == K::kText;
    case FileRole::kWordList:
      // Word lists with scores ("accountant 0.0 0.4") look like GloVe rows, and a list of
      // `word count` lines like a vocabulary.
      return kind == K::kText || kind == K::kGlove || kind == K::kVocabulary;
    case FileRole::kCheckpoint:
      return kind == K::kCheckpoint;
    case FileRole::kNextWordModel:
      return kind == K::kCheckpoint || kind == K::kNgramModel;
    case FileRole::kIndexFile:
      // Unknown bytes where an index should be are a damaged index: its reader says so.
      return kind == K::kVectorIndex || kind == K::kNotText;
  }
  return false;
}

}  // namespace

FileSniff SniffContent(std::string_view start, bool whole, bool gzip) {
  FileSniff sniff;
  sniff.gzip = gzip;
  start = start.substr(0, kSniffBytes);
  sniff.sample_bytes = start.size();
  if (start.empty()) return sniff;  // kEmpty
  size_t nul = 0;
  sniff.not_text_bytes = CountNotText(start, &nul);
  sniff.kind = SniffMagic(start);
  if (sniff.kind != FileKind::kText) return sniff;
  if (LooksUtf16(start)) {
    sniff.kind = FileKind::kUtf16Text;
    return sniff;
  }
  if (StartsWith(start, "\xEF\xBB\xBF")) start.remove_prefix(3);  // a UTF-8 byte-order mark
  const bool binary = sniff.not_text_bytes * 100 > start.size() * kNotTextPercent ||
                      nul * 100 > start.size() * kNulPercent;
  Lines lines = SplitLines(start, whole);
  const size_t complete = lines.lines.size() - (lines.last_complete ? 0 : 1);
  const std::vector<std::string_view> first =
      lines.lines.empty() ? std::vector<std::string_view>{} : Fields(lines.lines[0]);

  // word2vec: a first line of exactly two integers (whatever their values: the reader judges
  // a lying header). Text rows parse as a word and D numbers, or at least the file is text;
  // binary rows hold raw floats, so NULs and invalid bytes. A corpus opening with a line such
  // as "2024 10" is taken for vectors; --force reads it as a corpus.
  if (complete >= 1 && first.size() == 2 && IsInt(first[0]) && IsInt(first[1])) {
    int64_t dim = 0;
    std::from_chars(first[1].data(), first[1].data() + first[1].size(), dim);
    const bool text_row =
        lines.lines.size() < 2 ||
        IsVectorRow(Fields(lines.lines[1]), dim > 0 ? static_cast<size_t>(dim) : 0);
    const bool pure_text = nul == 0 && sniff.not_text_bytes * 100 < start.size();
    sniff.kind = text_row || pure_text ? FileKind::kWord2VecText : FileKind::kWord2VecBinary;
    return sniff;
  }
  if (binary) {
    sniff.kind = FileKind::kNotText;
    return sniff;
  }
  if (complete == 0) return sniff;  // one long line of text, a corpus
  // Vocabulary: every complete line is `word count`. Checked before GloVe, whose one-number
  // rows it would otherwise be.
  bool vocabulary = true;
  size_t rows = 0;
  for (size_t i = 0; i < complete && vocabulary; ++i) {
    std::vector<std::string_view> f = Fields(lines.lines[i]);
    if (f.empty()) continue;
    vocabulary = f.size() == 2 && IsDigits(f[1]);
    ++rows;
  }
  if (vocabulary && rows > 0) {
    sniff.kind = FileKind::kVocabulary;
    return sniff;
  }
  // GloVe: a word and numbers on the first line, and on the second when there is one (any
  // count: the reader reports ragged rows). A prose line such as "Chapter 1" fails the second.
  if (IsVectorRow(first, 0) && (complete < 2 || IsVectorRow(Fields(lines.lines[1]), 0))) {
    sniff.kind = FileKind::kGlove;
  }
  return sniff;
}

bool CanSniff(const std::string& path) {
  if (path == "-") return false;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return true;  // missing: SniffFile says so
  return S_ISREG(st.st_mode) || S_ISDIR(st.st_mode);
}

absl::StatusOr<FileSniff> SniffFile(const std::string& path) {
  if (!CanSniff(path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": standard input, a pipe or a device cannot be sniffed without consuming it"));
  }
  absl::StatusOr<std::unique_ptr<TextReader>> reader = TextReader::Open(path);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::string_view> start = (*reader)->Peek(kSniffBytes);
  if (!start.ok()) return start.status();
  return SniffContent(*start, start->size() < kSniffBytes, (*reader)->is_gzip());
}

std::string DescribeKind(const FileSniff& sniff) {
  std::string noun, detail;
  switch (sniff.kind) {
    case FileKind::kEmpty:
      noun = "an empty file";
      break;
    case FileKind::kText:
      noun = "text";
      break;
    case FileKind::kNotText: {
      const size_t percent =
          sniff.sample_bytes == 0 ? 0 : 100 * sniff.not_text_bytes / sniff.sample_bytes;
      noun = "binary data of no kind wordspace knows";
      detail = absl::StrCat(percent, "% of its first ", (sniff.sample_bytes + 1023) / 1024,
                            " KiB is not UTF-8 text");
      break;
    }
    case FileKind::kUtf16Text:
      noun = "UTF-16 text";
      break;
    case FileKind::kWord2VecText:
      noun = "a word-vector file";
      detail = "word2vec text";
      break;
    case FileKind::kWord2VecBinary:
      noun = "a word-vector file";
      detail = "word2vec binary";
      break;
    case FileKind::kGlove:
      noun = "a word-vector file";
      detail = "GloVe text";
      break;
    case FileKind::kVocabulary:
      noun = "a vocabulary file";
      detail = "`word count` lines";
      break;
    case FileKind::kCheckpoint:
      noun = "a language-model checkpoint";
      detail = "lm-train --out";
      break;
    case FileKind::kNgramModel:
      noun = "an n-gram model";
      detail = "ngram-train --out";
      break;
    case FileKind::kVectorIndex:
      noun = "a wordspace index file";
      detail = "--index-file";
      break;
    case FileKind::kFaissIndex:
      noun = "a FAISS index";
      detail = "faiss.write_index";
      break;
    case FileKind::kFastTextModel:
      noun = "a fastText model";
      detail = ".bin";
      break;
    case FileKind::kPickle:
      noun = "a Python pickle";
      detail = "gensim's model.save?";
      break;
    case FileKind::kNumpy:
      noun = "a NumPy array";
      detail = ".npy";
      break;
    case FileKind::kZip:
      noun = "a zip archive";
      break;
    case FileKind::kElf:
      noun = "an ELF program or library";
      break;
    case FileKind::kBzip2:
      noun = "bzip2-compressed data";
      break;
    case FileKind::kXz:
      noun = "xz-compressed data";
      break;
    case FileKind::kZstd:
      noun = "zstd-compressed data";
      break;
  }
  if (sniff.gzip) detail = detail.empty() ? "gzip-compressed" : detail + ", gzip-compressed";
  return detail.empty() ? noun : absl::StrCat(noun, " (", detail, ")");
}

absl::Status CheckKind(const std::string& path, const FileSniff& sniff, FileRole role, bool force) {
  if (Accepts(role, sniff.kind) || (force && role == FileRole::kCorpus)) {
    return absl::OkStatus();
  }
  const std::string where = WhereItGoes(sniff, role);
  return absl::InvalidArgumentError(absl::StrCat(path, ": this is ", DescribeKind(sniff), ", not ",
                                                 RoleNoun(role), where.empty() ? "" : " (", where,
                                                 where.empty() ? "" : ")"));
}

absl::Status CheckFileKind(const std::string& path, FileRole role, bool force) {
  if (!CanSniff(path)) return absl::OkStatus();
  absl::StatusOr<FileSniff> sniff = SniffFile(path);
  if (!sniff.ok()) {
    if (role == FileRole::kIndexFile && absl::IsNotFound(sniff.status())) return absl::OkStatus();
    return sniff.status();
  }
  return CheckKind(path, *sniff, role, force);
}

}  // namespace wordspace::corpus
