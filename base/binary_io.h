// Binary file fields: one reader and one writer for every wordspace binary format (checkpoints,
// n-gram models, index files). Fields are little-endian, fixed-width and unpadded; bools are one
// byte (0 or 1); a string is a u32 byte length and its bytes; CRC-32 is zlib's crc32.
//
// The reader is the project's one guard against sizes read from untrusted files: every count is
// checked against the bytes the file really has left, and against a sane limit, before anything is
// allocated (ReadCount, CheckCount, ReadArray, ReadString), and every error is DataLoss naming the
// file, the field, the byte offset and the file's size. A corrupt or hostile file therefore gives a
// message, never std::bad_alloc or a crash.
//
//   BinaryWriter w([&](std::string_view b) { return file->Write(b); });
//   w.PutBytes(kMagic, 8);
//   w.Put<uint32_t>(kVersion);
//   w.PutString(word);
//   w.PutCrc();                       // u32 CRC-32 of every byte before it
//   RETURN_IF_ERROR(w.Flush());
//
//   ASSIGN_OR_RETURN(BinaryReader r, BinaryReader::Open(path));
//   ASSIGN_OR_RETURN(uint64_t n, r.ReadCount<uint32_t>("the word count", 4, 1 << 30));
//   std::vector<float> values;
//   RETURN_IF_ERROR(r.ReadArray(&values, n, "the values"));
#ifndef WORDSPACE_BASE_BINARY_IO_H_
#define WORDSPACE_BASE_BINARY_IO_H_

#include <sys/stat.h>
#include <zlib.h>

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/string_view.h"

namespace wordspace {

static_assert(std::endian::native == std::endian::little,
              "wordspace's binary formats are little-endian; add byte swapping "
              "for this machine");

// CRC-32 (zlib's) of `n` bytes, continuing `crc` (start from 0).
inline uint32_t Crc32(const void* data, size_t n, uint32_t crc = 0) {
  return static_cast<uint32_t>(crc32_z(crc, static_cast<const Bytef*>(data), n));
}
inline uint32_t Crc32(std::string_view bytes, uint32_t crc = 0) {
  return Crc32(bytes.data(), bytes.size(), crc);
}

// A broken invariant (a bug, not bad input). base/check.h's CHECK is not used here because
// tests include this header beside Catch2, whose CHECK has the same name.
[[noreturn]] inline void BinaryIoBug(const char* what) {
  std::fprintf(stderr, "base/binary_io.h: %s\n", what);
  std::abort();
}

// A size for messages: "812 bytes", "12 KB", "3.4 MB", "1.2 GB" (powers of 1024).
inline std::string FormatByteSize(uint64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, bytes == 1 ? " byte" : " bytes");
  const char* units[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
  double v = static_cast<double>(bytes) / 1024;
  int u = 0;
  while (v >= 1024 && u < 5) {
    v /= 1024;
    ++u;
  }
  char out[32];
  std::snprintf(out, sizeof(out), v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  return out;
}

// Whether `count` elements of at least `element_size` bytes each fit in `available` bytes, without
// overflowing.
inline bool CountFits(uint64_t count, uint64_t element_size, uint64_t available) {
  return element_size == 0 || count <= available / element_size;
}

// Serialises fields into memory, or hands them to a sink in blocks (so a large file is never held
// twice). A running CRC-32 covers every byte put. Sink errors are kept: the first one is returned
// by Flush(), and later puts do nothing.
class BinaryWriter {
 public:
  using Sink = std::function<absl::Status(std::string_view)>;

  // Keeps every byte in bytes().
  BinaryWriter() = default;
  // Hands bytes to `sink` whenever a block has gathered, and at Flush().
  explicit BinaryWriter(Sink sink) : sink_(std::move(sink)) {}

  // A trivially copyable scalar (integer, float, enum) in its native little-endian layout; a bool
  // as one byte, 0 or 1.
  template <typename T>
  void Put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T> && !std::is_pointer_v<T>);
    if constexpr (std::is_same_v<T, bool>) {
      const uint8_t byte = value ? 1 : 0;
      PutBytes(&byte, 1);
    } else {
      PutBytes(&value, sizeof(T));
    }
  }
  void PutBytes(const void* data, size_t n) {
    if (n == 0) return;
    crc_ = Crc32(data, n, crc_);
    size_ += n;
    if (!sink_ || n < kBlock) {
      buffer_.append(static_cast<const char*>(data), n);
      if (sink_ && buffer_.size() >= kBlock) Drain();
      return;
    }
    // A large block goes to the sink directly, after what is buffered.
    Drain();
    if (status_.ok()) status_ = sink_(std::string_view(static_cast<const char*>(data), n));
  }
  void PutBytes(std::string_view bytes) { PutBytes(bytes.data(), bytes.size()); }
  // The elements' bytes, with no count (the format stores counts where it chooses).
  template <typename T>
  void PutArray(std::span<const T> values) {
    static_assert(std::is_trivially_copyable_v<T> && !std::is_same_v<T, bool>);
    PutBytes(values.data(), values.size_bytes());
  }
  template <typename T>
  void PutArray(const std::vector<T>& values) {
    PutArray(std::span<const T>(values));
  }
  // u32 byte length, then the bytes. A string of 4 GiB or more is a bug.
  void PutString(std::string_view s) {
    if (s.size() > std::numeric_limits<uint32_t>::max()) BinaryIoBug("PutString: 4 GiB or more");
    Put<uint32_t>(static_cast<uint32_t>(s.size()));
    PutBytes(s);
  }
  // u32 CRC-32 of every byte put before it.
  void PutCrc() {
    const uint32_t crc = crc_;
    Put<uint32_t>(crc);
  }

  uint32_t crc() const { return crc_; }
  // Bytes put so far (sent to the sink or not).
  uint64_t size() const { return size_; }
  // Without a sink: everything put. With one: what is not yet flushed.
  const std::string& bytes() const { return buffer_; }
  std::string& bytes() { return buffer_; }

  // Hands what is buffered to the sink (nothing to do without one). Returns the first sink error.
  [[nodiscard]] absl::Status Flush() {
    if (sink_) Drain();
    return status_;
  }

 private:
  static constexpr size_t kBlock = 1 << 20;

  void Drain() {
    if (status_.ok() && !buffer_.empty()) status_ = sink_(buffer_);
    buffer_.clear();
  }

  Sink sink_;
  std::string buffer_;
  absl::Status status_;
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
};

// Reads fields from bytes in memory or from a regular file, knowing how many bytes are left. Errors
// are DataLoss and read `<path>: <what> (byte <offset> of <size>)<fix>`, where `fix` (set_fix) says
// what to do, e.g. "; rewrite it with `wordspace ngram-train`". The reader keeps a running CRC-32
// of the bytes it has read (not of skipped ones) when crc tracking is on.
class BinaryReader {
 public:
  // Reads `bytes` (not owned; they must outlive the reader), which are the bytes of file `path`
  // from byte `offset` on; the file is `file_size` bytes long (0: offset + bytes.size()). Offsets
  // in messages are file offsets.
  BinaryReader(std::string path, std::string_view bytes, uint64_t offset = 0,
               uint64_t file_size = 0)
      : path_(std::move(path)),
        data_(bytes.data()),
        start_(offset),
        end_(offset + bytes.size()),
        pos_(offset),
        file_size_(file_size != 0 ? file_size : offset + bytes.size()) {}

  // Opens a regular file and reads it as asked (nothing is loaded up front). NotFound names a
  // missing or unreadable file; InvalidArgument one that is not a regular file (a folder, a pipe),
  // whose size could not be checked.
  [[nodiscard]] static absl::StatusOr<BinaryReader> Open(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return CannotOpen(path, errno);
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
      std::fclose(f);
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": not a regular file (a folder or a pipe?); give the file itself"));
    }
    BinaryReader r(path, std::string_view(), 0, 0);
    r.file_.reset(f);
    r.end_ = static_cast<uint64_t>(st.st_size);
    r.file_size_ = r.end_;
    return r;
  }

  // The whole content of a file, for formats that check a CRC over it before parsing. NotFound as
  // for Open; DataLoss for a read error.
  [[nodiscard]] static absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (f == nullptr) return CannotOpen(path, errno);
    struct stat st {};
    const bool stat_ok = fstat(fileno(f.get()), &st) == 0;
    if (stat_ok && S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": is a folder, not a file"));
    }
    std::string data;
    // The real size of a regular file, never a size read from it.
    if (stat_ok && S_ISREG(st.st_mode)) data.reserve(static_cast<size_t>(st.st_size));
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f.get())) > 0) data.append(buf, n);
    if (std::ferror(f.get())) {
      return absl::DataLossError(absl::StrCat(path, ": read error (", std::strerror(errno), ")"));
    }
    return data;
  }

  BinaryReader(BinaryReader&&) noexcept = default;
  BinaryReader& operator=(BinaryReader&&) noexcept = default;

  // Appended to every error message: what the user should do.
  void set_fix(std::string fix) { fix_ = std::move(fix); }
  void set_track_crc(bool on) { track_crc_ = on; }

  const std::string& path() const { return path_; }
  // File offset of the next byte.
  uint64_t position() const { return pos_; }
  // Bytes left to read.
  uint64_t remaining() const { return end_ - pos_; }
  uint64_t file_size() const { return file_size_; }
  // CRC-32 of the bytes read so far (with crc tracking on).
  uint32_t crc() const { return crc_; }

  // One scalar field; a bool is one byte, true when not 0.
  template <typename T>
  [[nodiscard]] absl::Status Read(T* value, std::string_view field) {
    static_assert(std::is_trivially_copyable_v<T> && !std::is_pointer_v<T>);
    if constexpr (std::is_same_v<T, bool>) {
      uint8_t byte = 0;
      if (absl::Status s = ReadBytes(&byte, 1, field); !s.ok()) return s;
      *value = byte != 0;
      return absl::OkStatus();
    } else {
      return ReadBytes(value, sizeof(T), field);
    }
  }

  [[nodiscard]] absl::Status ReadBytes(void* out, uint64_t n, std::string_view field) {
    if (n > remaining()) return Truncated(field, n);
    if (file_ != nullptr) {
      if (std::fread(out, 1, n, file_.get()) != n) return Truncated(field, n);
    } else if (n > 0) {
      std::memcpy(out, data_ + (pos_ - start_), n);
    }
    if (track_crc_) crc_ = Crc32(out, n, crc_);
    pos_ += n;
    return absl::OkStatus();
  }

  // The next `n` bytes without a copy; only for a reader over memory.
  [[nodiscard]] absl::StatusOr<std::string_view> View(uint64_t n, std::string_view field) {
    if (file_ != nullptr) BinaryIoBug("View on a reader over a file");
    if (n > remaining()) return Truncated(field, n);
    std::string_view out(data_ + (pos_ - start_), n);
    if (track_crc_) crc_ = Crc32(out, crc_);
    pos_ += n;
    return out;
  }

  [[nodiscard]] absl::Status Skip(uint64_t n, std::string_view field) {
    if (n > remaining()) return Truncated(field, n);
    if (file_ != nullptr && std::fseek(file_.get(), static_cast<long>(pos_ + n), SEEK_SET) != 0) {
      return Truncated(field, n);
    }
    pos_ += n;
    return absl::OkStatus();
  }

  // Checks a count already read: OK when it is at most `limit` and `count` elements of at least
  // `element_size` bytes each fit in what is left of the file. Call it before allocating.
  [[nodiscard]] absl::Status CheckCount(
      std::string_view field, uint64_t count, uint64_t element_size,
      uint64_t limit = std::numeric_limits<uint64_t>::max()) const {
    if (count > limit) {
      return Error(absl::StrCat(ToAbsl(field), " is ", count, ", above the limit of ", limit));
    }
    if (!CountFits(count, element_size, remaining())) {
      const unsigned __int128 need = static_cast<unsigned __int128>(count) * element_size;
      const std::string need_text =
          need > std::numeric_limits<uint64_t>::max()
              ? std::string("more than 2^64 bytes")
              : absl::StrCat(static_cast<uint64_t>(need), " bytes (",
                             FormatByteSize(static_cast<uint64_t>(need)), ")");
      return Error(absl::StrCat(ToAbsl(field), " is ", count, ", which needs at least ", need_text,
                                ", but only ", remaining(), " bytes of the file remain"));
    }
    return absl::OkStatus();
  }

  // Reads a count stored as integer type Count and checks it as CheckCount does. A negative count
  // is an error.
  template <typename Count>
  [[nodiscard]] absl::StatusOr<uint64_t> ReadCount(
      std::string_view field, uint64_t element_size,
      uint64_t limit = std::numeric_limits<uint64_t>::max()) {
    static_assert(std::is_integral_v<Count> && !std::is_same_v<Count, bool>);
    const uint64_t at = pos_;
    Count raw{};
    if (absl::Status s = Read(&raw, field); !s.ok()) return s;
    if constexpr (std::is_signed_v<Count>) {
      if (raw < 0) return ErrorAt(at, absl::StrCat(ToAbsl(field), " is negative (", raw, ")"));
    }
    const uint64_t count = static_cast<uint64_t>(raw);
    if (absl::Status s = CheckCount(field, count, element_size, limit); !s.ok()) return s;
    return count;
  }

  // `count` elements into *out, checked against the file before the vector grows.
  template <typename T>
  [[nodiscard]] absl::Status ReadArray(std::vector<T>* out, uint64_t count,
                                       std::string_view field) {
    static_assert(std::is_trivially_copyable_v<T> && !std::is_same_v<T, bool>);
    if (absl::Status s = CheckCount(field, count, sizeof(T)); !s.ok()) return s;
    out->resize(static_cast<size_t>(count));
    return ReadBytes(out->data(), count * sizeof(T), field);
  }

  // A u32 byte length (at most `max_bytes`) and the bytes.
  [[nodiscard]] absl::Status ReadString(std::string* out, std::string_view field,
                                        uint64_t max_bytes = std::numeric_limits<uint32_t>::max()) {
    absl::StatusOr<uint64_t> n = ReadCount<uint32_t>(field, 1, max_bytes);
    if (!n.ok()) return n.status();
    out->resize(static_cast<size_t>(*n));
    return ReadBytes(out->data(), *n, field);
  }

  // OK when every byte has been read; otherwise names the trailing bytes.
  [[nodiscard]] absl::Status ExpectEnd(std::string_view after) const {
    if (remaining() == 0) return absl::OkStatus();
    return Error(absl::StrCat(remaining(), " unexpected bytes after ", ToAbsl(after)));
  }

  // DataLoss for a field whose value is wrong: `<path>: <what> (byte <offset> of <size>)<fix>`.
  [[nodiscard]] absl::Status Error(std::string_view what) const { return ErrorAt(pos_, what); }
  [[nodiscard]] absl::Status ErrorAt(uint64_t offset, std::string_view what) const {
    return absl::DataLossError(
        absl::StrCat(path_, ": ", ToAbsl(what), " (byte ", offset, " of ", file_size_, ")", fix_));
  }

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };

  static absl::Status CannotOpen(const std::string& path, int err) {
    if (err == ENOENT) return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    return absl::NotFoundError(absl::StrCat(path, ": cannot open (", std::strerror(err), ")"));
  }

  absl::Status Truncated(std::string_view field, uint64_t wanted) const {
    return Error(absl::StrCat("truncated: the file ends inside ", ToAbsl(field), " (", wanted,
                              " bytes wanted, ", remaining(), " left)"));
  }

  std::string path_;
  const char* data_ = nullptr;
  std::unique_ptr<std::FILE, FileCloser> file_;
  uint64_t start_ = 0;  // file offset of data_[0]
  uint64_t end_ = 0;    // file offset just past the readable bytes
  uint64_t pos_ = 0;
  uint64_t file_size_ = 0;
  std::string fix_;
  bool track_crc_ = true;
  uint32_t crc_ = 0;
};

}  // namespace wordspace

#endif  // WORDSPACE_BASE_BINARY_IO_H_
