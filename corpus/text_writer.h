// TextWriter: the writing side of TextReader. Output goes through an OutputFile (a temporary
// file renamed into place by Commit; a device or FIFO written through; "-" for standard
// output), and a path ending in ".gz" is gzip-compressed on the fly, as users expect of
// `vectors.txt.gz` and as gensim's loader and `zcat` read it. Without Commit nothing appears
// under the final name of a regular file.
//
//   ASSIGN_OR_RETURN(auto out, TextWriter::Create("vectors.txt.gz"));
//   RETURN_IF_ERROR(out->Write("2 3\n"));
//   RETURN_IF_ERROR(out->Commit());
#ifndef WORDSPACE_CORPUS_TEXT_WRITER_H_
#define WORDSPACE_CORPUS_TEXT_WRITER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/output_file.h"

namespace wordspace::corpus {

// True when `path` names a gzip file by its extension.
bool IsGzipPath(std::string_view path);

class TextWriter {
 public:
  // Opens `path` through OutputFile::Create; NotFound names the path when that fails.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TextWriter>> Create(const std::string& path);
  ~TextWriter();
  TextWriter(const TextWriter&) = delete;
  TextWriter& operator=(const TextWriter&) = delete;

  // Appends bytes (compressed first when the path ends in ".gz").
  [[nodiscard]] absl::Status Write(std::string_view bytes);
  // Ends the gzip stream, then flushes, fsyncs and renames into place.
  [[nodiscard]] absl::Status Commit();

  const std::string& path() const { return file_->path(); }
  bool compressed() const { return deflate_ != nullptr; }

 private:
  struct Deflate;  // z_stream and its output buffer; keeps <zlib.h> out of this header.
  TextWriter(std::unique_ptr<OutputFile> file, std::unique_ptr<Deflate> deflate);
  // Runs deflate over the pending input with `flush` (Z_NO_FLUSH or Z_FINISH), writing what
  // it produces.
  absl::Status Pump(int flush);

  std::unique_ptr<OutputFile> file_;
  std::unique_ptr<Deflate> deflate_;
};

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_TEXT_WRITER_H_
