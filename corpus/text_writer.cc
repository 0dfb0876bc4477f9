#include "corpus/text_writer.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace wordspace::corpus {
namespace {

constexpr size_t kOutputChunk = 1 << 18;

}  // namespace

struct TextWriter::Deflate {
  z_stream stream{};
  std::string out;
  ~Deflate() { deflateEnd(&stream); }
};

bool IsGzipPath(std::string_view path) { return path.ends_with(".gz"); }

absl::StatusOr<std::unique_ptr<TextWriter>> TextWriter::Create(const std::string& path) {
  ASSIGN_OR_RETURN(auto file, OutputFile::Create(path));
  std::unique_ptr<Deflate> deflate;
  if (IsGzipPath(path)) {
    deflate = std::make_unique<Deflate>();
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's raw format, so `zcat`
    // and gensim read the file. Level 6 is zlib's (and gzip's) default trade of size for time.
    if (deflateInit2(&deflate->stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return absl::InternalError(absl::StrCat(path, ": zlib could not start a gzip stream"));
    }
    deflate->out.resize(kOutputChunk);
  }
  return std::unique_ptr<TextWriter>(new TextWriter(std::move(file), std::move(deflate)));
}

TextWriter::TextWriter(std::unique_ptr<OutputFile> file, std::unique_ptr<Deflate> deflate)
    : file_(std::move(file)), deflate_(std::move(deflate)) {}

TextWriter::~TextWriter() = default;

absl::Status TextWriter::Pump(int flush) {
  z_stream& z = deflate_->stream;
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(deflate_->out.data());
    z.avail_out = static_cast<uInt>(deflate_->out.size());
    int rc = deflate(&z, flush);
    if (rc == Z_STREAM_ERROR) {
      return absl::InternalError(absl::StrCat(path(), ": zlib deflate failed"));
    }
    size_t produced = deflate_->out.size() - z.avail_out;
    RETURN_IF_ERROR(file_->Write(std::string_view(deflate_->out.data(), produced)));
    // deflate stops early only when it filled the output buffer; with Z_FINISH it says
    // Z_STREAM_END once the trailer is out.
    bool done = flush == Z_FINISH ? rc == Z_STREAM_END : z.avail_out != 0;
    if (done) return absl::OkStatus();
  }
}

absl::Status TextWriter::Write(std::string_view bytes) {
  if (deflate_ == nullptr) return file_->Write(bytes);
  z_stream& z = deflate_->stream;
  while (!bytes.empty()) {
    // avail_in is 32 bits: feed huge buffers in pieces.
    size_t piece = std::min<size_t>(bytes.size(), std::numeric_limits<uInt>::max());
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = static_cast<uInt>(piece);
    RETURN_IF_ERROR(Pump(Z_NO_FLUSH));
    bytes.remove_prefix(piece);
  }
  return absl::OkStatus();
}

absl::Status TextWriter::Commit() {
  if (deflate_ != nullptr) {
    deflate_->stream.avail_in = 0;
    RETURN_IF_ERROR(Pump(Z_FINISH));
  }
  return file_->Commit();
}

}  // namespace wordspace::corpus
