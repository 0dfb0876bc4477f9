// OutputFile: the one way wordspace writes a file. What happens depends on what the path names,
// decided in one place (ResolveOutputPath), which both Create and CheckCanCreate use:
// - a path that does not exist, or a regular file: writes go to `<name>.tmp.XXXXXX` in the same
//   folder; Commit() flushes and fsyncs it, renames it over the name and fsyncs the folder, so
//   the new name survives a power loss. A crash, an error or a full disk never leaves half a
//   file under the name, and an old file there stays whole until the rename.
// - a symlink: followed, also when it dangles. The file it points to is replaced (the temporary
//   file is made beside that file, so the rename stays in one folder) and the link stays.
// - an existing file that is not a regular file (a character or block device such as
//   /dev/null, a FIFO, a socket), or a name of an open descriptor (/dev/stdout, /dev/fd/N,
//   /proc/self/fd/N): written through directly. It is never replaced, truncated or removed; a
//   regular file behind a descriptor name is appended to, as the shell's `>>` or `>` left it.
// - "-": standard output (a duplicate of descriptor 1; descriptor 1 itself is never closed).
// Every failed write, flush, fsync or close is an error naming the path (ENOSPC from /dev/full
// or a full disk included), and an uncommitted OutputFile removes its temporary file.
//
//   ASSIGN_OR_RETURN(auto file, OutputFile::Create("vectors.bin"));
//   RETURN_IF_ERROR(file->Write(bytes));
//   RETURN_IF_ERROR(file->Commit());
#ifndef WORDSPACE_BASE_OUTPUT_FILE_H_
#define WORDSPACE_BASE_OUTPUT_FILE_H_

#include <fcntl.h>
#include <limits.h>
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

// How an output path is written; see the header comment.
struct OutputTarget {
  enum class Kind {
    kReplace,  // temporary file beside `file`, renamed onto it
    kDirect,   // `file` opened for writing as it is
    kStdout,   // standard output
  };
  Kind kind = Kind::kReplace;
  // kReplace: the name to rename onto, with symlinks resolved (it may not exist
  // yet). kDirect: the path to open. kStdout: empty.
  std::string file;
  // kDirect only: open with O_APPEND (a regular file behind a descriptor name).
  bool append = false;
};

namespace output_file_internal {

inline std::string DisplayName(const std::string &path) {
  return path == "-" ? std::string("standard output") : path;
}

// The folder holding `path`, with a trailing slash ("./" for a bare name).
inline std::string FolderOf(const std::string &path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string("./") : path.substr(0, slash + 1);
}

// "<path>" or "<path> (-> <file>)" when links were followed, for messages.
inline std::string Named(const std::string &path, const std::string &file) {
  return file.empty() || file == path ? path : absl::StrCat(path, " (-> ", file, ")");
}

inline absl::Status CannotCreate(const std::string &path, const std::string &file, int err) {
  return absl::NotFoundError(absl::StrCat(Named(path, file), ": cannot create a file there (",
                                          std::strerror(err),
                                          "); check that the folder exists and is writable"));
}

inline absl::Status CannotOpen(const std::string &path, int err) {
  return absl::NotFoundError(
      absl::StrCat(path, ": cannot open it for writing (", std::strerror(err), ")"));
}

// True when the link `link` lives in /proc, where links name open descriptors
// (their targets read "pipe:[123]" or a file some other process opened) rather
// than paths to rename onto.
inline bool IsDescriptorLink(const std::string &link) {
  char resolved[PATH_MAX];
  if (realpath(FolderOf(link).c_str(), resolved) == nullptr) return false;
  return std::string_view(resolved).starts_with("/proc/");
}

}  // namespace output_file_internal

// Decides how `path` is written, without creating or opening anything (a FIFO
// is not opened, so this never blocks). NotFound names the path when a folder
// is missing or a link cannot be read; InvalidArgument when the path is empty
// or names a folder.
[[nodiscard]] inline absl::StatusOr<OutputTarget> ResolveOutputPath(const std::string &path) {
  using output_file_internal::CannotCreate;
  OutputTarget target;
  if (path == "-") {
    target.kind = OutputTarget::Kind::kStdout;
    return target;
  }
  if (path.empty()) return absl::InvalidArgumentError("empty output path; give a file name");
  // Follow the chain of links by hand rather than with realpath(), which fails
  // on a dangling link: `out.bin -> runs/out.bin` must create runs/out.bin when
  // it does not exist yet.
  std::string current = path;
  struct stat st;
  for (int hop = 0;; ++hop) {
    if (lstat(current.c_str(), &st) != 0) {
      if (errno != ENOENT) return CannotCreate(path, current, errno);
      target.kind = OutputTarget::Kind::kReplace;  // a new file
      target.file = current;
      return target;
    }
    if (!S_ISLNK(st.st_mode)) break;
    if (hop == 40) return CannotCreate(path, current, ELOOP);
    if (output_file_internal::IsDescriptorLink(current)) {
      // /dev/stdout -> /proc/self/fd/1 -> whatever the shell opened: write
      // through it.
      if (stat(path.c_str(), &st) != 0) return output_file_internal::CannotOpen(path, errno);
      if (S_ISDIR(st.st_mode)) break;
      target.kind = OutputTarget::Kind::kDirect;
      target.file = path;
      target.append = S_ISREG(st.st_mode);
      return target;
    }
    char link[PATH_MAX];
    const ssize_t n = readlink(current.c_str(), link, sizeof(link) - 1);
    if (n < 0) return CannotCreate(path, current, errno);
    std::string next(link, static_cast<size_t>(n));
    // A relative target is relative to the folder holding the link.
    current = next.starts_with('/') ? next : output_file_internal::FolderOf(current) + next;
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(output_file_internal::Named(path, current),
                                                   ": is a folder; give a file name inside it"));
  }
  if (S_ISREG(st.st_mode)) {
    target.kind = OutputTarget::Kind::kReplace;
    target.file = current;
  } else {
    target.kind = OutputTarget::Kind::kDirect;
    target.file = path;
  }
  return target;
}

class OutputFile {
 public:
  // Opens `path` for writing as ResolveOutputPath decides: a temporary file
  // beside the (link-resolved) name, the device or FIFO itself (opening a FIFO
  // waits for a reader, as the shell's `>` does), or standard output. NotFound
  // names the path when that fails.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<OutputFile>> Create(const std::string &path) {
    absl::StatusOr<OutputTarget> target = ResolveOutputPath(path);
    if (!target.ok()) return target.status();
    int fd = -1;
    std::string tmp_path;
    switch (target->kind) {
      case OutputTarget::Kind::kStdout:
        // Our own descriptor and buffer: closing them leaves descriptor 1 open
        // for the rest of the program. Anything already buffered on stdout goes
        // first.
        std::fflush(stdout);
        fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
        if (fd < 0) {
          return absl::FailedPreconditionError(absl::StrCat(
              "standard output is not open (", std::strerror(errno), "); give an output file"));
        }
        break;
      case OutputTarget::Kind::kDirect:
        // No O_TRUNC and no O_CREAT: the file exists and is not ours to reshape.
        fd = open(target->file.c_str(),
                  O_WRONLY | O_NOCTTY | O_CLOEXEC | (target->append ? O_APPEND : 0));
        if (fd < 0) return output_file_internal::CannotOpen(path, errno);
        break;
      case OutputTarget::Kind::kReplace: {
        tmp_path = target->file + ".tmp.XXXXXX";
        fd = mkstemp(tmp_path.data());
        if (fd < 0) return output_file_internal::CannotCreate(path, target->file, errno);
        // mkstemp makes the file 0600; give it the usual umask-based mode, like
        // fopen would.
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
        break;
      }
    }
    FILE *stream = fdopen(fd, "wb");
    if (stream == nullptr) {
      const int err = errno;
      close(fd);
      if (!tmp_path.empty()) unlink(tmp_path.c_str());
      return absl::InternalError(absl::StrCat(output_file_internal::DisplayName(path),
                                              ": fdopen failed (", std::strerror(err), ")"));
    }
    std::setvbuf(stream, nullptr, _IOFBF, 1 << 20);
    return std::unique_ptr<OutputFile>(
        new OutputFile(path, std::move(*target), std::move(tmp_path), stream));
  }

  // Whether Create(path) could open its file: for a new or regular file, that
  // its folder exists and is writable; for a device or FIFO, that it is
  // writable (without opening it, so a FIFO does not block); "-" always.
  // Commands call it before a long run, so that a mistyped output folder fails
  // at once rather than after hours of training; the error is Create's.
  [[nodiscard]] static absl::Status CheckCanCreate(const std::string &path) {
    absl::StatusOr<OutputTarget> target = ResolveOutputPath(path);
    if (!target.ok()) return target.status();
    switch (target->kind) {
      case OutputTarget::Kind::kStdout:
        return absl::OkStatus();
      case OutputTarget::Kind::kDirect:
        if (access(target->file.c_str(), W_OK) != 0) {
          return output_file_internal::CannotOpen(path, errno);
        }
        return absl::OkStatus();
      case OutputTarget::Kind::kReplace:
        if (access(output_file_internal::FolderOf(target->file).c_str(), W_OK) != 0) {
          return output_file_internal::CannotCreate(path, target->file, errno);
        }
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  OutputFile(const OutputFile &) = delete;
  OutputFile &operator=(const OutputFile &) = delete;
  ~OutputFile() {
    if (stream_ != nullptr) {
      std::fclose(stream_);
      if (!tmp_path_.empty()) unlink(tmp_path_.c_str());
    }
  }

  // The path as given to Create ("-" for standard output).
  const std::string &path() const { return path_; }
  // How it is written (links resolved).
  const OutputTarget &target() const { return target_; }

  [[nodiscard]] absl::Status Write(std::string_view bytes) {
    if (stream_ == nullptr) return Finished();
    if (std::fwrite(bytes.data(), 1, bytes.size(), stream_) != bytes.size()) {
      return Failed("write", errno);
    }
    return absl::OkStatus();
  }

  // Flushes and fsyncs; for a replaced file also renames it into place and
  // fsyncs the folder. After an error the final name is untouched (up to the
  // rename; a failed fsync of the folder after it is reported too, as the new
  // name may not survive a power loss).
  [[nodiscard]] absl::Status Commit() {
    if (stream_ == nullptr) return Finished();
    if (std::ferror(stream_)) return Failed("write", write_errno_ != 0 ? write_errno_ : EIO);
    if (std::fflush(stream_) != 0) return Failed("write", errno);
    // Pipes, terminals and /dev/null have nothing to sync and say EINVAL; that
    // is no failure.
    if (fsync(fileno(stream_)) != 0 && (Replacing() || (errno != EINVAL && errno != ENOTSUP))) {
      return Failed("fsync", errno);
    }
    const int rc = std::fclose(stream_);
    const int close_errno = errno;
    stream_ = nullptr;
    if (rc != 0) {
      if (Replacing()) unlink(tmp_path_.c_str());
      return Error("close", close_errno);
    }
    if (!Replacing()) return absl::OkStatus();
    if (std::rename(tmp_path_.c_str(), target_.file.c_str()) != 0) {
      const int err = errno;
      unlink(tmp_path_.c_str());
      return Error("rename", err);
    }
    // The rename lives in the folder: sync it too, or a power loss may bring
    // back the old name.
    const std::string folder = output_file_internal::FolderOf(target_.file);
    const int dir = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0 || (fsync(dir) != 0 && errno != EINVAL)) {
      const int err = errno;
      if (dir >= 0) close(dir);
      return absl::InternalError(absl::StrCat(
          output_file_internal::Named(path_, target_.file), ": written, but syncing its folder ",
          folder, " failed (", std::strerror(err), "); it may not survive a power loss"));
    }
    close(dir);
    return absl::OkStatus();
  }

 private:
  OutputFile(std::string path, OutputTarget target, std::string tmp_path, FILE *stream)
      : path_(std::move(path)),
        target_(std::move(target)),
        tmp_path_(std::move(tmp_path)),
        stream_(stream) {}

  bool Replacing() const { return target_.kind == OutputTarget::Kind::kReplace; }

  absl::Status Finished() const {
    return absl::FailedPreconditionError(
        absl::StrCat(output_file_internal::DisplayName(path_), ": already committed"));
  }

  // A write, flush or fsync error while the stream is open: remembered for
  // Commit.
  absl::Status Failed(const char *what, int err) {
    write_errno_ = err;
    return Error(what, err);
  }

  absl::Status Error(const char *what, int err) const {
    std::string name = output_file_internal::DisplayName(path_);
    if (Replacing()) name = output_file_internal::Named(path_, target_.file);
    std::string message = absl::StrCat(name, ": ", what, " failed (", std::strerror(err), ")");
    if (Replacing()) {
      absl::StrAppend(&message, "; the file under that name is unchanged");
      if (err == ENOSPC || err == EDQUOT) absl::StrAppend(&message, "; free some space");
    }
    return absl::InternalError(message);
  }

  std::string path_;
  OutputTarget target_;
  std::string tmp_path_;  // kReplace only
  FILE *stream_;
  int write_errno_ = 0;
};

}  // namespace wordspace

#endif  // WORDSPACE_BASE_OUTPUT_FILE_H_
