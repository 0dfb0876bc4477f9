#include "embeddings/vector_io.h"

#include "embeddings/fasttext_model.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/binary_io.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "base/utf8.h"
#include "corpus/file_kind.h"
#include "corpus/text_reader.h"
#include "corpus/text_writer.h"

namespace wordspace::embeddings {
namespace {

using corpus::TextReader;

// Rows above this are refused rather than allocated: a corrupt header must not ask for
// terabytes.
constexpr int64_t kMaxDim = 1 << 16;
// Splits on spaces, tabs and carriage returns, skipping empty fields.
std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

bool ParseFloat(std::string_view s, float* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseInt(std::string_view s, int64_t* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Parses `word f1 ... fD` into words/values. Returns an error message or "".
std::string ParseTextRow(std::string_view line, int dim, std::vector<std::string>* words,
                         std::vector<float>* values) {
  std::vector<std::string_view> fields = SplitFields(line);
  if (static_cast<int>(fields.size()) != dim + 1) {
    return absl::StrCat("expected a word and ", dim, " numbers, found ",
                        fields.empty() ? 0 : fields.size() - 1, " numbers");
  }
  for (int k = 0; k < dim; ++k) {
    float v;
    if (!ParseFloat(fields[k + 1], &v)) {
      return absl::StrCat("bad number ", QuoteForMessage(fields[k + 1]), " in column ",
                          k + 2);
    }
    values->push_back(v);
  }
  words->emplace_back(fields[0]);
  return "";
}

struct Header {
  bool present = false;
  int64_t rows = 0;
  int64_t dim = 0;
};

// Where the input's size is unknown (gzip, stdin), at most this many floats are reserved from
// the header's promise; beyond that the arrays grow as rows arrive.
constexpr uint64_t kMaxReserveFloats = uint64_t{1} << 24;
// A text row of kMaxDim numbers fits easily; a longer "line" is a binary file or garbage, which
// must not be read into one string.
constexpr uint64_t kMaxLineBytes = uint64_t{1} << 26;

// Smallest rows on disk: text `w 1 ... 1\n`; binary `w `, the floats, and no newline (gensim).
uint64_t MinTextRowBytes(int64_t dim) { return 2 * static_cast<uint64_t>(dim) + 2; }
uint64_t MinBinaryRowBytes(int64_t dim) { return 4 * static_cast<uint64_t>(dim) + 2; }

// Rows worth reserving for a header that promises `rows`: no more than the rest of a plain file
// can hold, and no more than kMaxReserveFloats when the size is unknown.
int64_t RowsToReserve(const TextReader& reader, int64_t rows, int64_t dim, uint64_t min_row) {
  const uint64_t size = reader.plain_file_size();
  const uint64_t cap = size > 0 ? (size - std::min(size, reader.position())) / min_row + 1
                                : kMaxReserveFloats / static_cast<uint64_t>(dim);
  return static_cast<int64_t>(std::min<uint64_t>(static_cast<uint64_t>(rows), cap));
}

// Whether the rest of a plain file can hold `rows` rows of at least `min_row` bytes (the last
// one may lack its newline). Always true when the size is unknown.
bool HeaderFits(const TextReader& reader, int64_t rows, uint64_t min_row) {
  const uint64_t size = reader.plain_file_size();
  if (size == 0 || rows == 0) return true;
  const uint64_t left = size - std::min(size, reader.position());
  return CountFits(static_cast<uint64_t>(rows), min_row, left + 1);
}

std::string HeaderSays(const TextReader& reader, const Header& header, const char* unit) {
  return absl::StrCat("the header says ", header.rows, " rows of ", header.dim, " ", unit,
                      ", but the file has ", FormatByteSize(reader.plain_file_size()));
}

// Reads the first line: a `V D` header, or (GloVe) the first row.
absl::StatusOr<Header> ParseHeader(const std::string& path, const std::string& line) {
  std::vector<std::string_view> fields = SplitFields(line);
  Header header;
  if (fields.size() == 2 && ParseInt(fields[0], &header.rows) && ParseInt(fields[1], &header.dim)) {
    if (header.rows < 0 || header.dim <= 0 || header.dim > kMaxDim) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":1: implausible header ", QuoteForMessage(line),
                       "; expected `rows dimension`"));
    }
    header.present = true;
    return header;
  }
  if (fields.size() < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ":1: not a word-vector file: expected a `rows dimension` header (word2vec) or a "
        "`word f1 ... fD` row (GloVe)"));
  }
  header.dim = static_cast<int64_t>(fields.size()) - 1;
  return header;
}

// The format, from the one file sniffer (corpus/file_kind.h); any other kind of file is refused
// there, in the words every command uses.
absl::StatusOr<VectorFormat> DetectFormat(const std::string& path) {
  if (!corpus::CanSniff(path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ": the format of vectors on standard input or a pipe cannot be detected without "
        "consuming them; give --format text, binary or glove"));
  }
  ASSIGN_OR_RETURN(corpus::FileSniff sniff, corpus::SniffFile(path));
  switch (sniff.kind) {
    case corpus::FileKind::kWord2VecText:
      return VectorFormat::kText;
    case corpus::FileKind::kWord2VecBinary:
      return VectorFormat::kBinary;
    case corpus::FileKind::kGlove:
      return VectorFormat::kGlove;
    case corpus::FileKind::kFastTextModel:
      return VectorFormat::kFastText;
    case corpus::FileKind::kEmpty:
      return absl::InvalidArgumentError(absl::StrCat(path, ": empty file, not a word-vector file"));
    default:
      break;
  }
  RETURN_IF_ERROR(corpus::CheckKind(path, sniff, corpus::FileRole::kVectors));
  return absl::InternalError(absl::StrCat(path, ": the sniffer accepted a kind it does not name"));
}

// A fastText model's vocabulary vectors (the first `max_rows` when > 0), with its n-grams.
absl::StatusOr<WordVectors> ReadFastTextVectors(const std::string& path, int64_t max_rows) {
  ASSIGN_OR_RETURN(FastTextModel model, ReadFastTextModel(path));
  WordVectors vectors = model.TakeWordVectors();
  if (max_rows <= 0 || max_rows >= vectors.size()) return vectors;
  const size_t kept = static_cast<size_t>(max_rows);
  std::vector<std::string> words(vectors.words().begin(), vectors.words().begin() + kept);
  std::vector<float> values(vectors.values().begin(),
                            vectors.values().begin() + kept * vectors.dim());
  WordVectors first(std::move(words), vectors.dim(), std::move(values));
  first.set_ngrams(vectors.ngrams());
  return first;
}

absl::StatusOr<WordVectors> ReadText(const std::string& path, bool has_header, int64_t max_rows) {
  ASSIGN_OR_RETURN(auto reader, TextReader::Open(path));
  reader->set_max_line_bytes(kMaxLineBytes);
  std::string line;
  ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
  if (!got) return absl::InvalidArgumentError(absl::StrCat(path, ": empty file"));
  ASSIGN_OR_RETURN(Header header, ParseHeader(path, line));
  if (has_header && !header.present) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":1: expected a `rows dimension` header; a GloVe file? use --format=glove"));
  }
  std::vector<std::string> words;
  std::vector<float> values;
  const int dim = static_cast<int>(header.dim);
  auto limit = [&](int64_t n) { return max_rows > 0 && n >= max_rows; };
  if (header.present) {
    // A header is checked against the file before anything is reserved from it.
    if ((max_rows <= 0 || max_rows >= header.rows) &&
        !HeaderFits(*reader, header.rows, MinTextRowBytes(dim))) {
      return absl::DataLossError(absl::StrCat(
          path, ":1: ", HeaderSays(*reader, header, "numbers"), " (a row takes at least ",
          MinTextRowBytes(dim), " bytes); the file is truncated or the header is wrong"));
    }
    const int64_t reserve =
        RowsToReserve(*reader, max_rows > 0 ? std::min(max_rows, header.rows) : header.rows, dim,
                      MinTextRowBytes(dim));
    words.reserve(static_cast<size_t>(reserve));
    values.reserve(static_cast<size_t>(reserve) * dim);
  } else if (std::string error = ParseTextRow(line, dim, &words, &values); !error.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":1: ", error));
  }
  while (!limit(static_cast<int64_t>(words.size()))) {
    ASSIGN_OR_RETURN(got, reader->ReadLine(&line));
    if (!got) break;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    if (header.present && static_cast<int64_t>(words.size()) == header.rows) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", reader->line_number(),
                                                     ": more rows than the header's ",
                                                     header.rows, "; fix the header"));
    }
    if (std::string error = ParseTextRow(line, dim, &words, &values); !error.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", reader->line_number(), ": ", error,
                       header.present ? absl::StrCat(" (header says dimension ", dim, ")") : ""));
    }
  }
  if (header.present && !limit(static_cast<int64_t>(words.size())) &&
      static_cast<int64_t>(words.size()) != header.rows) {
    return absl::DataLossError(absl::StrCat(path, ": header promises ", header.rows,
                                            " rows, the file has ", words.size(),
                                            "; the file is truncated"));
  }
  return WordVectors(std::move(words), dim, std::move(values));
}

absl::StatusOr<WordVectors> ReadBinary(const std::string& path, int64_t max_rows) {
  ASSIGN_OR_RETURN(auto reader, TextReader::Open(path));
  reader->set_max_line_bytes(kMaxLineBytes);  // for the header line
  std::string line;
  ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
  if (!got) return absl::InvalidArgumentError(absl::StrCat(path, ": empty file"));
  ASSIGN_OR_RETURN(Header header, ParseHeader(path, line));
  if (!header.present) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":1: expected a `rows dimension` header; a GloVe text file? use --format=glove"));
  }
  const int64_t rows = max_rows > 0 ? std::min(max_rows, header.rows) : header.rows;
  const int dim = static_cast<int>(header.dim);
  // The header is checked against the file as the rows are read: nothing is reserved beyond
  // what the file can hold, and where the data ends the error names the row reached.
  const bool fits = HeaderFits(*reader, rows, MinBinaryRowBytes(dim));
  const int64_t reserve = RowsToReserve(*reader, rows, dim, MinBinaryRowBytes(dim));
  std::vector<std::string> words;
  std::vector<float> values;
  words.reserve(static_cast<size_t>(reserve));
  values.reserve(static_cast<size_t>(reserve) * dim);
  auto truncated = [&](int64_t row) {
    return absl::DataLossError(
        absl::StrCat(path, ": row ", row + 1, " of ", header.rows, " is truncated; ",
                     fits ? "the file is damaged or incomplete"
                          : absl::StrCat(HeaderSays(*reader, header, "floats"),
                                         " (a row takes at least ", MinBinaryRowBytes(dim),
                                         " bytes): the file is truncated or the header is wrong")));
  };
  for (int64_t r = 0; r < rows; ++r) {
    std::string word;
    char c;
    while (true) {
      ASSIGN_OR_RETURN(size_t n, reader->Read(&c, 1));
      if (n == 0) return truncated(r);
      if (c == ' ') break;
      if (c == '\n' && word.empty()) continue;  // the previous row's newline
      if (c == '\n' || word.size() > 10000) {
        return absl::DataLossError(absl::StrCat(
            path, ": row ", r + 1, ": bad word; not a binary file? use --format=text"));
      }
      word.push_back(c);
    }
    if (word.empty()) {
      return absl::DataLossError(absl::StrCat(path, ": row ", r + 1, ": empty word"));
    }
    // The format is little-endian float32, which is this machine's float layout.
    static_assert(std::endian::native == std::endian::little);
    values.resize(static_cast<size_t>(r + 1) * dim);
    char* out = reinterpret_cast<char*>(values.data() + static_cast<size_t>(r) * dim);
    ASSIGN_OR_RETURN(size_t n, reader->Read(out, sizeof(float) * dim));
    if (n != sizeof(float) * dim) return truncated(r);
    words.push_back(std::move(word));
  }
  if (rows == header.rows) {
    // Anything after the last row but white space means the header undercounts.
    char tail[64];
    ASSIGN_OR_RETURN(size_t n, reader->Read(tail, sizeof(tail)));
    for (size_t i = 0; i < n; ++i) {
      if (tail[i] != '\n' && tail[i] != ' ') {
        return absl::DataLossError(absl::StrCat(path, ": data after the header's ", header.rows,
                                                " rows; wrong header or not a binary file"));
      }
    }
  }
  return WordVectors(std::move(words), dim, std::move(values));
}

}  // namespace

absl::StatusOr<VectorFormat> ParseVectorFormat(const std::string& name) {
  if (name == "auto") return VectorFormat::kAuto;
  if (name == "text" || name == "txt" || name == "vec") return VectorFormat::kText;
  if (name == "binary" || name == "bin") return VectorFormat::kBinary;
  if (name == "glove") return VectorFormat::kGlove;
  if (name == "fasttext") return VectorFormat::kFastText;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown vector format '", name, "'; use auto, text, binary or glove"));
}

VectorFormat FormatFromExtension(const std::string& path) {
  std::string_view p = path;
  if (corpus::IsGzipPath(p)) p.remove_suffix(3);
  return p.ends_with(".bin") ? VectorFormat::kBinary : VectorFormat::kText;
}

const char* VectorFormatName(VectorFormat format) {
  switch (format) {
    case VectorFormat::kAuto: return "auto";
    case VectorFormat::kText: return "text";
    case VectorFormat::kBinary: return "binary";
    case VectorFormat::kGlove: return "glove";
    case VectorFormat::kFastText: return "fasttext";
  }
  return "?";
}

absl::StatusOr<WordVectors> ReadVectors(const std::string& path, VectorFormat format,
                                        int64_t max_rows) {
  if (format == VectorFormat::kAuto) {
    ASSIGN_OR_RETURN(format, DetectFormat(path));
  }
  switch (format) {
    case VectorFormat::kBinary: return ReadBinary(path, max_rows);
    case VectorFormat::kGlove: return ReadText(path, /*has_header=*/false, max_rows);
    case VectorFormat::kFastText: return ReadFastTextVectors(path, max_rows);
    default: return ReadText(path, /*has_header=*/true, max_rows);
  }
}

absl::Status WriteVectors(const WordVectors& vectors, const std::string& path,
                          VectorFormat format) {
  if (format == VectorFormat::kAuto) format = FormatFromExtension(path);
  if (format == VectorFormat::kFastText) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": a fastText model holds more than vectors; `train --save-model` writes one"));
  }
  ASSIGN_OR_RETURN(auto file, corpus::TextWriter::Create(path));
  std::string buffer;
  if (format != VectorFormat::kGlove) {
    absl::StrAppend(&buffer, vectors.size(), " ", vectors.dim(), "\n");
  }
  char number[32];
  for (int64_t r = 0; r < vectors.size(); ++r) {
    buffer.append(vectors.word(r));
    std::span<const float> row = vectors.row(r);
    if (format == VectorFormat::kBinary) {
      buffer.push_back(' ');
      buffer.append(reinterpret_cast<const char*>(row.data()), row.size_bytes());
    } else {
      for (float v : row) {
        buffer.push_back(' ');
        // Shortest decimal that reads back to the same float.
        auto [end, ec] = std::to_chars(number, number + sizeof(number), v);
        buffer.append(number, end);
      }
    }
    buffer.push_back('\n');
    if (buffer.size() > (1 << 20)) {
      RETURN_IF_ERROR(file->Write(buffer));
      buffer.clear();
    }
  }
  RETURN_IF_ERROR(file->Write(buffer));
  return file->Commit();
}

}  // namespace wordspace::embeddings
