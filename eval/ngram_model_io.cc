#include "eval/ngram_model_io.h"

#include <sys/stat.h>
#include <zlib.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/output_file.h"
#include "base/status_macros.h"

namespace wordspace::eval {

static_assert(std::endian::native == std::endian::little,
              "the n-gram model file is little-endian; add byte swapping for this machine");

namespace {

uint32_t Crc(uint32_t crc, const void* data, size_t bytes) {
  const auto* p = static_cast<const Bytef*>(data);
  while (bytes > 0) {
    uInt n = static_cast<uInt>(std::min<size_t>(bytes, 1u << 30));
    crc = static_cast<uint32_t>(crc32(crc, p, n));
    p += n;
    bytes -= n;
  }
  return crc;
}

class Writer {
 public:
  explicit Writer(OutputFile* file) : file_(file) {}
  absl::Status Bytes(const void* data, size_t n) {
    crc_ = Crc(crc_, data, n);
    return file_->Write(std::string_view(static_cast<const char*>(data), n));
  }
  template <typename T>
  absl::Status Pod(const T& v) {
    return Bytes(&v, sizeof(T));
  }
  template <typename T>
  absl::Status Array(const std::vector<T>& v) {
    return Bytes(v.data(), v.size() * sizeof(T));
  }
  uint32_t crc() const { return crc_; }

 private:
  OutputFile* file_;
  uint32_t crc_ = static_cast<uint32_t>(crc32(0, Z_NULL, 0));
};

class Reader {
 public:
  Reader(FILE* f, std::string path, uint64_t size) : f_(f), path_(std::move(path)), size_(size) {}
  uint64_t left() const { return size_ - pos_; }
  absl::Status Bytes(void* data, size_t n) {
    if (n > left() || std::fread(data, 1, n, f_) != n) {
      return absl::DataLossError(absl::StrCat(path_, ": truncated at byte ", pos_,
                                              " (the file ends early); rewrite it with "
                                              "`wordspace ngram-train`"));
    }
    crc_ = Crc(crc_, data, n);
    pos_ += n;
    return absl::OkStatus();
  }
  template <typename T>
  absl::Status Pod(T* v) {
    return Bytes(v, sizeof(T));
  }
  template <typename T>
  absl::Status Array(std::vector<T>* v, uint64_t n) {
    if (n > left() / sizeof(T)) {
      return absl::DataLossError(absl::StrCat(path_, ": truncated (an array of ", n,
                                              " entries needs more bytes than the ", left(),
                                              " left); rewrite it with `wordspace ngram-train`"));
    }
    v->resize(n);
    return Bytes(v->data(), n * sizeof(T));
  }
  uint32_t crc() const { return crc_; }
  uint64_t pos() const { return pos_; }

 private:
  FILE* f_;
  std::string path_;
  uint64_t size_;
  uint64_t pos_ = 0;
  uint32_t crc_ = static_cast<uint32_t>(crc32(0, Z_NULL, 0));
};

}  // namespace

// Friend of NgramModel: the only code that touches its levels besides training.
class NgramModelIo {
 public:
  static absl::Status Write(const NgramModel& m, const std::string& path);
  static absl::StatusOr<NgramModel> Read(const std::string& path);
};

absl::Status NgramModelIo::Write(const NgramModel& m, const std::string& path) {
  ASSIGN_OR_RETURN(auto file, OutputFile::Create(path));
  Writer w(file.get());
  const int N = m.order_;
  RETURN_IF_ERROR(w.Bytes(kNgramMagic.data(), kNgramMagic.size()));
  RETURN_IF_ERROR(w.Pod(kNgramFormatVersion));
  RETURN_IF_ERROR(w.Pod(static_cast<uint32_t>(N)));
  RETURN_IF_ERROR(w.Pod(static_cast<uint32_t>(m.vocab_size())));
  RETURN_IF_ERROR(w.Pod(m.vocab_.unk_id));
  RETURN_IF_ERROR(w.Pod(m.vocab_.eos_id));
  const corpus::TokenizerOptions& t = m.vocab_.tokenizer;
  uint32_t flags = (t.lowercase ? 1u : 0u) | (t.strip_punct ? 2u : 0u) | (t.split_cjk ? 4u : 0u);
  RETURN_IF_ERROR(w.Pod(flags));
  RETURN_IF_ERROR(w.Pod(m.training_tokens_));
  for (int n = 0; n <= N; ++n) RETURN_IF_ERROR(w.Pod(static_cast<uint64_t>(m.levels_[n].size())));
  for (int n = 1; n <= N; ++n) {
    const NgramOrderStats& s = m.stats_[n];
    RETURN_IF_ERROR(w.Pod(s.ngrams));
    for (uint64_t c : s.count_of_counts) RETURN_IF_ERROR(w.Pod(c));
    for (double d : s.discounts) RETURN_IF_ERROR(w.Pod(d));
    RETURN_IF_ERROR(w.Pod(static_cast<uint32_t>(s.fallback)));
  }
  for (const std::string& word : m.vocab_.words) {
    RETURN_IF_ERROR(w.Pod(static_cast<uint32_t>(word.size())));
    RETURN_IF_ERROR(w.Bytes(word.data(), word.size()));
  }
  for (int n = 0; n < N; ++n) {
    RETURN_IF_ERROR(w.Array(m.levels_[n].child_begin));
    RETURN_IF_ERROR(w.Array(m.levels_[n].gamma));
  }
  for (int n = 1; n <= N; ++n) {
    RETURN_IF_ERROR(w.Array(m.levels_[n].word));
    RETURN_IF_ERROR(w.Array(m.levels_[n].alpha));
  }
  const uint32_t crc = w.crc();
  RETURN_IF_ERROR(file->Write(std::string_view(reinterpret_cast<const char*>(&crc), sizeof(crc))));
  return file->Commit();
}

absl::StatusOr<NgramModel> NgramModelIo::Read(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (f == nullptr) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    return absl::NotFoundError(absl::StrCat(path, ": cannot open (", std::strerror(errno), ")"));
  }
  struct stat st;
  if (fstat(fileno(f.get()), &st) != 0 || !S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a regular file"));
  }
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  Reader r(f.get(), path, file_size);
  auto corrupt = [&](const std::string& what) {
    return absl::DataLossError(absl::StrCat(path, ": corrupt n-gram model (", what,
                                            "); rewrite it with `wordspace ngram-train`"));
  };

  char magic[8];
  if (file_size < sizeof(magic) || !r.Bytes(magic, sizeof(magic)).ok() ||
      std::string_view(magic, 8) != kNgramMagic) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not a wordspace n-gram model (bad magic); make one with `wordspace ngram-train`"));
  }
  uint32_t version = 0, order = 0, vocab_size = 0, flags = 0;
  NgramModel m;
  RETURN_IF_ERROR(r.Pod(&version));
  if (version != kNgramFormatVersion) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": n-gram model format version ", version,
                                                   "; this build reads version ",
                                                   kNgramFormatVersion));
  }
  RETURN_IF_ERROR(r.Pod(&order));
  RETURN_IF_ERROR(r.Pod(&vocab_size));
  RETURN_IF_ERROR(r.Pod(&m.vocab_.unk_id));
  RETURN_IF_ERROR(r.Pod(&m.vocab_.eos_id));
  RETURN_IF_ERROR(r.Pod(&flags));
  RETURN_IF_ERROR(r.Pod(&m.training_tokens_));
  if (order < 1 || order > static_cast<uint32_t>(kMaxNgramOrder)) {
    return corrupt(absl::StrCat("order ", order));
  }
  if (vocab_size == 0 || vocab_size == 0xFFFFFFFFu) {
    return corrupt(absl::StrCat("vocabulary size ", vocab_size));
  }
  const int64_t V = vocab_size;
  if (m.vocab_.unk_id < 0 || m.vocab_.unk_id >= V || m.vocab_.eos_id < 0 || m.vocab_.eos_id >= V ||
      m.vocab_.unk_id == m.vocab_.eos_id || flags > 7) {
    return corrupt("special ids or flags");
  }
  m.vocab_.tokenizer.lowercase = flags & 1;
  m.vocab_.tokenizer.strip_punct = flags & 2;
  m.vocab_.tokenizer.split_cjk = flags & 4;
  const int N = static_cast<int>(order);
  m.order_ = N;
  std::vector<uint64_t> sizes(N + 1);
  for (uint64_t& s : sizes) RETURN_IF_ERROR(r.Pod(&s));
  if (sizes[0] != 1 || sizes[1] != static_cast<uint64_t>(V)) return corrupt("level sizes");
  for (int n = 2; n <= N; ++n) {
    if (sizes[n] >= 0xFFFFFFFFull) return corrupt("level sizes");
  }
  m.stats_.resize(N + 1);
  for (int n = 1; n <= N; ++n) {
    NgramOrderStats& s = m.stats_[n];
    uint32_t fallback = 0;
    RETURN_IF_ERROR(r.Pod(&s.ngrams));
    for (uint64_t& c : s.count_of_counts) RETURN_IF_ERROR(r.Pod(&c));
    for (double& d : s.discounts) RETURN_IF_ERROR(r.Pod(&d));
    RETURN_IF_ERROR(r.Pod(&fallback));
    s.fallback = fallback != 0;
  }
  m.vocab_.words.resize(V);
  for (std::string& word : m.vocab_.words) {
    uint32_t len = 0;
    RETURN_IF_ERROR(r.Pod(&len));
    if (len > r.left()) return corrupt("word length");
    word.resize(len);
    RETURN_IF_ERROR(r.Bytes(word.data(), len));
  }
  // Everything left has a size the header fixes: check it before allocating.
  uint64_t expected = 4;  // crc
  for (int n = 0; n < N; ++n) expected += 4 * (sizes[n] + 1) + 4 * sizes[n];
  for (int n = 1; n <= N; ++n) expected += 8 * sizes[n];
  if (r.left() != expected) {
    return absl::DataLossError(
        absl::StrCat(path, ": ", r.left() < expected ? "truncated" : "has trailing bytes", " (",
                     file_size, " bytes; the header implies ", r.pos() + expected,
                     "); rewrite it with `wordspace ngram-train`"));
  }
  m.levels_.resize(N + 1);
  for (int n = 0; n < N; ++n) {
    RETURN_IF_ERROR(r.Array(&m.levels_[n].child_begin, sizes[n] + 1));
    RETURN_IF_ERROR(r.Array(&m.levels_[n].gamma, sizes[n]));
  }
  for (int n = 1; n <= N; ++n) {
    RETURN_IF_ERROR(r.Array(&m.levels_[n].word, sizes[n]));
    RETURN_IF_ERROR(r.Array(&m.levels_[n].alpha, sizes[n]));
  }
  const uint32_t computed = r.crc();
  uint32_t stored = 0;
  RETURN_IF_ERROR(r.Bytes(&stored, sizeof(stored)));
  if (stored != computed) return corrupt("checksum mismatch");

  // The structure lookups rely on; a file with a valid checksum passes, but a wrong one must
  // not send a binary search out of bounds.
  for (int n = 0; n < N; ++n) {
    const std::vector<uint32_t>& cb = m.levels_[n].child_begin;
    if (cb.front() != 0 || cb.back() != sizes[n + 1]) return corrupt("child offsets");
    const std::vector<uint32_t>& words = m.levels_[n + 1].word;
    for (uint64_t p = 0; p < sizes[n]; ++p) {
      if (cb[p] > cb[p + 1]) return corrupt("child offsets");
      for (uint32_t j = cb[p]; j < cb[p + 1]; ++j) {
        if (words[j] >= vocab_size || (j > cb[p] && words[j] <= words[j - 1])) {
          return corrupt("n-gram order");
        }
      }
    }
    for (float g : m.levels_[n].gamma) {
      if (!(g > 0.0f && g <= 1.0f)) return corrupt("backoff weight");
    }
  }
  for (int n = 1; n <= N; ++n) {
    for (float a : m.levels_[n].alpha) {
      if (!(a >= 0.0f && a <= 1.0f)) return corrupt("probability");
    }
  }
  for (uint32_t w = 0; w < vocab_size; ++w) {
    if (m.levels_[1].word[w] != w) return corrupt("unigram level");
  }
  m.Finish();
  return m;
}

absl::Status WriteNgramModel(const NgramModel& model, const std::string& path) {
  return NgramModelIo::Write(model, path);
}

absl::StatusOr<NgramModel> ReadNgramModel(const std::string& path) {
  return NgramModelIo::Read(path);
}

}  // namespace wordspace::eval
