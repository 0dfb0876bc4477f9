// TextReader: streams the lines of a plain-text or gzip file, or of stdin ("-"), without
// loading the file into memory. Gzip is detected by its magic bytes, not by the file name
// (zlib reads non-gzip input transparently), and concatenated gzip members (`cat a.gz b.gz`)
// read as one stream.
//
// A truncated or corrupt gzip stream is a DataLoss error naming the file: zlib's gzread reports
// a truncated stream as a plain end of file, so ReadLine consults gzerror at every end.
//
//   ASSIGN_OR_RETURN(auto reader, TextReader::Open("corpus.txt.gz"));
//   std::string line;
//   while (true) {
//     ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
//     if (!got) break;
//   }
#ifndef WORDSPACE_CORPUS_TEXT_READER_H_
#define WORDSPACE_CORPUS_TEXT_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace wordspace::corpus {

// A line limit for files of short lines (vocabulary files, benchmark questions, word lists),
// where a longer line means a wrong file.
inline constexpr uint64_t kMaxListLineBytes = uint64_t{1} << 20;

class TextReader {
 public:
  // Opens `path` ("-" is stdin). NotFound names the path.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TextReader>> Open(const std::string& path);
  ~TextReader();
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  // Reads the next line into *line, without its '\n' (a trailing '\r' is kept for the
  // tokenizer to treat as white space). Returns false at a clean end of input; DataLoss for a
  // truncated or corrupt gzip stream, naming the file and the line reached.
  [[nodiscard]] absl::StatusOr<bool> ReadLine(std::string* line);

  // Lines longer than this make ReadLine fail (InvalidArgument naming the file and line) instead
  // of growing without bound, for formats whose lines are short; 0 (the default, for corpora,
  // which may be one line) means no limit.
  void set_max_line_bytes(uint64_t n) { max_line_bytes_ = n; }

  // Reads up to `n` raw bytes (for binary formats), continuing where ReadLine stopped.
  // Returns the count read, short only at the end of input; DataLoss as for ReadLine.
  [[nodiscard]] absl::StatusOr<size_t> Read(char* out, size_t n);

  // The next bytes (decompressed) without consuming them: min(n, what is left) of them, for n up
  // to 256 KiB; the view is valid until the next read. For sniffing an input that cannot be
  // rewound (stdin, a pipe): what is peeked is then read again by ReadLine and Read.
  [[nodiscard]] absl::StatusOr<std::string_view> Peek(size_t n);
  // True when the input is gzip (known once something was read or peeked).
  bool is_gzip() const;

  const std::string& path() const { return path_; }
  // The size of a regular file read as it is (not gzip), which bounds what the input can hold;
  // 0 when unknown: a gzip stream, stdin or a pipe. Readers check header counts against it.
  uint64_t plain_file_size() const;
  // Bytes handed out so far (decompressed), by ReadLine (with the '\n') and Read.
  uint64_t position() const { return consumed_; }
  // 1-based number of the line last returned.
  uint64_t line_number() const { return line_number_; }
  // Decompressed byte offset of the start of the line last returned.
  uint64_t line_offset() const { return line_offset_; }
  // Fraction of the input consumed, from the compressed position (0 when the size is unknown,
  // as for stdin).
  double FractionRead() const;

 private:
  TextReader(std::string path, void* gz, uint64_t file_size);
  absl::Status LineTooLong() const;
  // Refills buffer_; returns the number of bytes read (0 at end).
  absl::StatusOr<size_t> Fill();
  // gzread into `out`, with the truncated/corrupt stream checks.
  absl::StatusOr<size_t> GzRead(char* out, size_t n);

  std::string path_;
  void* gz_;  // gzFile; void* keeps <zlib.h> out of this header.
  uint64_t file_size_;
  std::string buffer_;
  size_t buffer_pos_ = 0;
  size_t buffer_end_ = 0;
  bool eof_ = false;
  uint64_t consumed_ = 0;  // decompressed bytes handed out so far
  uint64_t line_number_ = 0;
  uint64_t line_offset_ = 0;
  uint64_t max_line_bytes_ = 0;
};

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_TEXT_READER_H_
