#include "corpus/token_id_file.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/string_view.h"

namespace wordspace::corpus {
namespace {

constexpr size_t kChunk = 1 << 16;
constexpr uint32_t kDropped = 0xFFFFFFFDu;

// Creates and unlinks a temporary file in $TMPDIR; the descriptor is the only reference.
absl::StatusOr<int> CreateAnonymousFile() {
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = absl::StrCat(dir != nullptr && *dir != '\0' ? dir : "/tmp",
                                  "/wordspace-ids.XXXXXX");
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    return absl::InternalError(absl::StrCat(tmpl, ": cannot create the token-id file (",
                                            std::strerror(errno), "); set TMPDIR to a writable folder"));
  }
  unlink(tmpl.c_str());
  return fd;
}

// Buffered appends of uint32 ids to a descriptor.
class IdWriter {
 public:
  explicit IdWriter(int fd) : fd_(fd) { buffer_.reserve(kChunk); }
  absl::Status Put(uint32_t id) {
    buffer_.push_back(id);
    return buffer_.size() == kChunk ? Flush() : absl::OkStatus();
  }
  absl::Status Flush() {
    const char* p = reinterpret_cast<const char*>(buffer_.data());
    size_t left = buffer_.size() * sizeof(uint32_t);
    while (left > 0) {
      ssize_t n = write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return absl::InternalError(absl::StrCat("writing the token-id file in $TMPDIR failed (",
                                                std::strerror(errno), "); is the disk full?"));
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    written_ += buffer_.size();
    buffer_.clear();
    return absl::OkStatus();
  }
  uint64_t written() const { return written_ + buffer_.size(); }

 private:
  int fd_;
  std::vector<uint32_t> buffer_;
  uint64_t written_ = 0;
};

absl::Status PreadAll(int fd, uint64_t offset, size_t bytes, char* out) {
  while (bytes > 0) {
    ssize_t n = pread(fd, out, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::InternalError(absl::StrCat("reading the token-id file failed (",
                                              n < 0 ? std::strerror(errno) : "short read", ")"));
    }
    out += n;
    offset += static_cast<uint64_t>(n);
    bytes -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace

TokenIdFile::TokenIdFile(TokenIdFile&& other) noexcept { *this = std::move(other); }

TokenIdFile& TokenIdFile::operator=(TokenIdFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
    path_ = std::move(other.path_);
    fixed_vocab_ = other.fixed_vocab_;
    vocab_ = std::move(other.vocab_);
    stats_ = other.stats_;
    size_ = other.size_;
    sentence_ends_ = other.sentence_ends_;
  }
  return *this;
}

TokenIdFile::~TokenIdFile() {
  if (fd_ >= 0) close(fd_);
}

absl::Status TokenIdFile::Read(uint64_t begin, size_t count, uint32_t* out) const {
  return PreadAll(fd_, begin * sizeof(uint32_t), count * sizeof(uint32_t),
                  reinterpret_cast<char*>(out));
}

absl::Status TokenIdFile::CheckHasTokens() const {
  if (tokens() > 0) return absl::OkStatus();
  if (!fixed_vocab_ || stats_.words == 0) {
    if (fixed_vocab_) {
      return absl::InvalidArgumentError(absl::StrCat(
          path_, ": nothing to train on: no words in it (0 words read); give a corpus with text"));
    }
    return CheckNotEmpty(path_, vocab_);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path_, ": nothing to train on: none of its ", stats_.words,
                   " words is in the given vocabulary of ", vocab_.size(),
                   " words (after --min-count ", vocab_.counted().min_count,
                   "); check that the vocabulary belongs to this corpus, or lower --min-count"));
}

absl::StatusOr<TokenIdFile> TokenIdFile::Encode(const std::string& path,
                                                const EncodeOptions& options,
                                                const Vocabulary* fixed_vocab,
                                                const ReadProgress& progress) {
  ASSIGN_OR_RETURN(auto reader, SentenceReader::Open(path, options.corpus));
  ASSIGN_OR_RETURN(int first_fd, CreateAnonymousFile());
  TokenIdFile result;
  result.fd_ = first_fd;
  result.path_ = path;
  result.fixed_vocab_ = fixed_vocab != nullptr;
  IdWriter writer(first_fd);

  // Pass over the text. With a fixed vocabulary ids are final at once; otherwise each new word
  // gets the next provisional id, and its count is kept beside it.
  struct Entry {
    uint32_t provisional_id;
    int64_t count;
  };
  absl::flat_hash_map<std::string, Entry> seen;
  std::vector<std::string> provisional_words;  // flat_hash_map keys move on rehash
  const uint32_t unknown = options.keep_unknown ? kUnknownId : kDropped;
  std::vector<std::string_view> words;
  while (true) {
    ASSIGN_OR_RETURN(bool got, reader->Next(&words));
    if (!got) break;
    for (std::string_view w : words) {
      uint32_t id;
      if (fixed_vocab != nullptr) {
        int32_t found = fixed_vocab->Find(w);
        id = found < 0 ? unknown : static_cast<uint32_t>(found);
      } else {
        auto [it, inserted] =
            seen.try_emplace(ToAbsl(w), Entry{static_cast<uint32_t>(provisional_words.size()), 0});
        if (inserted) provisional_words.emplace_back(w);
        ++it->second.count;
        id = it->second.provisional_id;
      }
      if (id == kDropped) continue;
      RETURN_IF_ERROR(writer.Put(id));
    }
    RETURN_IF_ERROR(writer.Put(kSentenceEnd));
    ++result.sentence_ends_;
    ++result.stats_.sentences;
    result.stats_.words += words.size();
    if ((result.stats_.sentences & 0xFFF) == 0) {
      if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
        return absl::CancelledError(path + ": reading was stopped");
      }
      if (progress) progress(reader->FractionRead(), result.stats_.words);
    }
  }
  RETURN_IF_ERROR(writer.Flush());
  result.stats_.invalid_utf8_bytes = reader->invalid_utf8_bytes();
  result.size_ = writer.written();
  if (fixed_vocab != nullptr) {
    result.vocab_ = *fixed_vocab;
    return result;
  }

  // Build the vocabulary, then renumber: provisional id -> vocabulary id (or dropped/unknown).
  absl::flat_hash_map<std::string, int64_t> counts;
  counts.reserve(seen.size());
  for (const auto& [word, entry] : seen) counts.emplace(word, entry.count);
  result.vocab_ = Vocabulary::FromCounts(std::move(counts), options.vocab);
  std::vector<uint32_t> renumber(provisional_words.size());
  for (size_t p = 0; p < provisional_words.size(); ++p) {
    int32_t id = result.vocab_.Find(provisional_words[p]);
    renumber[p] = id < 0 ? unknown : static_cast<uint32_t>(id);
  }
  seen.clear();

  ASSIGN_OR_RETURN(int final_fd, CreateAnonymousFile());
  IdWriter final_writer(final_fd);
  std::vector<uint32_t> chunk(kChunk);
  absl::Status status;
  for (uint64_t at = 0; at < result.size_ && status.ok(); at += kChunk) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, result.size_ - at));
    status = result.Read(at, n, chunk.data());
    for (size_t i = 0; i < n && status.ok(); ++i) {
      uint32_t id = chunk[i] == kSentenceEnd ? kSentenceEnd : renumber[chunk[i]];
      if (id != kDropped) status = final_writer.Put(id);
    }
  }
  if (status.ok()) status = final_writer.Flush();
  close(result.fd_);
  result.fd_ = final_fd;
  if (!status.ok()) return status;
  result.size_ = final_writer.written();
  return result;
}

}  // namespace wordspace::corpus
