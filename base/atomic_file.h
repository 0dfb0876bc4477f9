// AtomicFile: writes go to a temporary file in the destination's folder, which Commit()
// flushes, fsyncs and renames over the final name. A crash, an error or a full disk therefore
// never leaves a half-written file under the final name; an uncommitted AtomicFile removes its
// temporary file when destroyed.
//
//   ASSIGN_OR_RETURN(auto file, AtomicFile::Create("vectors.bin"));
//   RETURN_IF_ERROR(file->Write(bytes));
//   RETURN_IF_ERROR(file->Commit());
#ifndef WORDSPACE_BASE_ATOMIC_FILE_H_
#define WORDSPACE_BASE_ATOMIC_FILE_H_

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace wordspace {

class AtomicFile {
 public:
  // Creates `<path>.tmp.XXXXXX` beside `path`. InvalidArgument/NotFound name the folder.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AtomicFile>> Create(const std::string& path) {
    std::string tmpl = path + ".tmp.XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) return CannotCreate(path);
    // mkstemp makes the file 0600; give it the usual umask-based mode, like fopen would.
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE* stream = fdopen(fd, "wb");
    if (stream == nullptr) {
      close(fd);
      unlink(tmpl.c_str());
      return absl::InternalError(absl::StrCat(path, ": fdopen failed"));
    }
    std::setvbuf(stream, nullptr, _IOFBF, 1 << 20);
    return std::unique_ptr<AtomicFile>(new AtomicFile(path, tmpl, stream));
  }

  // Whether Create(path) could make its file: the folder exists and is writable. Commands call
  // it before a long run, so that a mistyped output folder fails at once rather than after
  // hours of training; the error is Create's own.
  [[nodiscard]] static absl::Status CheckCanCreate(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    if (access(folder.c_str(), W_OK) != 0) return CannotCreate(path);
    return absl::OkStatus();
  }

  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile() {
    if (stream_ != nullptr) {
      std::fclose(stream_);
      unlink(tmp_path_.c_str());
    }
  }

  FILE* stream() { return stream_; }
  const std::string& path() const { return path_; }

  [[nodiscard]] absl::Status Write(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stream_) != bytes.size()) return WriteError();
    return absl::OkStatus();
  }

  // Flushes, fsyncs and renames into place. After an error the final name is untouched.
  [[nodiscard]] absl::Status Commit() {
    if (std::ferror(stream_) || std::fflush(stream_) != 0 || fsync(fileno(stream_)) != 0) {
      return WriteError();
    }
    int rc = std::fclose(stream_);
    stream_ = nullptr;
    if (rc != 0 || std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
      int err = errno;
      unlink(tmp_path_.c_str());
      return absl::InternalError(
          absl::StrCat(path_, ": cannot finish writing (", std::strerror(err), ")"));
    }
    return absl::OkStatus();
  }

 private:
  static absl::Status CannotCreate(const std::string& path) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot create a file there (",
                                            std::strerror(errno),
                                            "); check that the folder exists and is writable"));
  }

  AtomicFile(std::string path, std::string tmp_path, FILE* stream)
      : path_(std::move(path)), tmp_path_(std::move(tmp_path)), stream_(stream) {}

  absl::Status WriteError() const {
    return absl::InternalError(absl::StrCat(path_, ": write failed (", std::strerror(errno),
                                            "); is the disk full? nothing was written"));
  }

  std::string path_;
  std::string tmp_path_;
  FILE* stream_;
};

}  // namespace wordspace

#endif  // WORDSPACE_BASE_ATOMIC_FILE_H_
