#include "corpus/text_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace wordspace::corpus {
namespace {

constexpr size_t kBufferSize = 1 << 18;

gzFile AsGz(void* p) { return static_cast<gzFile>(p); }

}  // namespace

absl::StatusOr<std::unique_ptr<TextReader>> TextReader::Open(const std::string& path) {
  int fd = path == "-" ? dup(STDIN_FILENO) : open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot open (", std::strerror(errno), "); check the path"));
  }
  struct stat st;
  uint64_t size = 0;
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      close(fd);
      return absl::InvalidArgumentError(absl::StrCat(path, ": is a folder, not a text file"));
    }
    if (S_ISREG(st.st_mode)) size = static_cast<uint64_t>(st.st_size);
  }
  gzFile gz = gzdopen(fd, "rb");
  if (gz == nullptr) {
    close(fd);
    return absl::InternalError(absl::StrCat(path, ": zlib could not open the stream"));
  }
  gzbuffer(gz, kBufferSize);
  return std::unique_ptr<TextReader>(new TextReader(path, gz, size));
}

TextReader::TextReader(std::string path, void* gz, uint64_t file_size)
    : path_(std::move(path)), gz_(gz), file_size_(file_size) {
  buffer_.resize(kBufferSize);
}

TextReader::~TextReader() { gzclose(AsGz(gz_)); }

double TextReader::FractionRead() const {
  if (file_size_ == 0) return 0.0;
  z_off_t pos = gzoffset(AsGz(gz_));
  if (pos < 0) return 0.0;
  return std::min(1.0, static_cast<double>(pos) / static_cast<double>(file_size_));
}

uint64_t TextReader::plain_file_size() const {
  // gzdirect looks at the first bytes if nothing was read yet; 1 means "not gzip".
  return file_size_ > 0 && gzdirect(AsGz(gz_)) == 1 ? file_size_ : 0;
}

absl::StatusOr<size_t> TextReader::GzRead(char* out, size_t n) {
  int got = gzread(AsGz(gz_), out, static_cast<unsigned>(n));
  int err = Z_OK;
  const char* msg = gzerror(AsGz(gz_), &err);
  // gzread returns a short count, not -1, for a stream cut short: only gzerror tells
  // (Z_BUF_ERROR: "unexpected end of file").
  if (got < 0 || (err != Z_OK && err != Z_STREAM_END)) {
    return absl::DataLossError(absl::StrCat(
        path_, ": ", err == Z_BUF_ERROR ? "truncated gzip stream" : "corrupt gzip stream", " (",
        msg, ") near line ", line_number_ + 1, "; the file is damaged, fetch or compress it again"));
  }
  if (got == 0) eof_ = true;
  return static_cast<size_t>(got);
}

absl::StatusOr<size_t> TextReader::Fill() {
  if (eof_) return 0;
  absl::StatusOr<size_t> got = GzRead(buffer_.data(), buffer_.size());
  if (!got.ok()) return got.status();
  buffer_pos_ = 0;
  buffer_end_ = *got;
  return buffer_end_;
}

absl::StatusOr<std::string_view> TextReader::Peek(size_t n) {
  n = std::min(n, buffer_.size());
  if (buffer_end_ - buffer_pos_ < n && !eof_) {
    // The unread bytes move to the front and the rest of the buffer is filled behind them.
    std::memmove(buffer_.data(), buffer_.data() + buffer_pos_, buffer_end_ - buffer_pos_);
    buffer_end_ -= buffer_pos_;
    buffer_pos_ = 0;
    while (buffer_end_ < n && !eof_) {
      absl::StatusOr<size_t> got =
          GzRead(buffer_.data() + buffer_end_, buffer_.size() - buffer_end_);
      if (!got.ok()) return got.status();
      buffer_end_ += *got;
    }
  }
  return std::string_view(buffer_.data() + buffer_pos_, std::min(n, buffer_end_ - buffer_pos_));
}

bool TextReader::is_gzip() const { return gzdirect(AsGz(gz_)) == 0; }

absl::Status TextReader::LineTooLong() const {
  return absl::InvalidArgumentError(absl::StrCat(path_, ":", line_number_ + 1,
                                                 ": a line longer than ", max_line_bytes_,
                                                 " bytes; is this the right (text) file?"));
}

absl::StatusOr<bool> TextReader::ReadLine(std::string* line) {
  line->clear();
  line_offset_ = consumed_;
  bool any = false;
  while (true) {
    if (buffer_pos_ == buffer_end_) {
      absl::StatusOr<size_t> got = Fill();
      if (!got.ok()) return got.status();
      if (*got == 0) {
        if (!any) return false;
        ++line_number_;
        return true;
      }
    }
    any = true;
    const char* begin = buffer_.data() + buffer_pos_;
    size_t avail = buffer_end_ - buffer_pos_;
    const void* nl = std::memchr(begin, '\n', avail);
    if (nl != nullptr) {
      size_t len = static_cast<const char*>(nl) - begin;
      line->append(begin, len);
      if (max_line_bytes_ > 0 && line->size() > max_line_bytes_) return LineTooLong();
      buffer_pos_ += len + 1;
      consumed_ += len + 1;
      ++line_number_;
      return true;
    }
    line->append(begin, avail);
    buffer_pos_ = buffer_end_;
    consumed_ += avail;
    if (max_line_bytes_ > 0 && line->size() > max_line_bytes_) return LineTooLong();
  }
}

absl::StatusOr<size_t> TextReader::Read(char* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (buffer_pos_ == buffer_end_) {
      absl::StatusOr<size_t> got = Fill();
      if (!got.ok()) return got.status();
      if (*got == 0) break;
    }
    size_t take = std::min(n - done, buffer_end_ - buffer_pos_);
    std::memcpy(out + done, buffer_.data() + buffer_pos_, take);
    buffer_pos_ += take;
    done += take;
  }
  consumed_ += done;
  return done;
}

}  // namespace wordspace::corpus
