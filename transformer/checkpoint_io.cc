#include "transformer/checkpoint_io.h"

#include <zlib.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/output_file.h"
#include "base/status_macros.h"

namespace wordspace::transformer {
namespace {

static_assert(std::endian::native == std::endian::little,
              "checkpoints are little-endian; add byte swapping for this platform");

constexpr size_t kHeaderBytes = 24;  // magic, version, flags, body_bytes
constexpr uint32_t kFlagOptimizer = 1;

uint32_t Crc32(const char* data, size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {
    const uInt chunk = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
    data += chunk;
    n -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

class Writer {
 public:
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  // A field of the fixed-size part: bools are stored as one byte, 0 or 1.
  template <typename T>
  void PutField(const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
      Put<uint8_t>(value);
    } else {
      Put<T>(value);
    }
  }
  void PutBytes(const void* data, size_t n) { out_.append(static_cast<const char*>(data), n); }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(const std::string& path, const char* data, size_t size)
      : path_(path), data_(data), size_(size) {}
  template <typename T>
  absl::Status Get(T* value, const char* what) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (size_ - pos_ < sizeof(T)) return Short(what);
    std::memcpy(value, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return absl::OkStatus();
  }
  // The reverse of Writer::PutField: a stored bool is true when its byte is not 0.
  template <typename T>
  absl::Status GetField(T* value, const char* what) {
    if constexpr (std::is_same_v<T, bool>) {
      uint8_t byte = 0;
      RETURN_IF_ERROR(Get(&byte, what));
      *value = byte != 0;
      return absl::OkStatus();
    } else {
      return Get(value, what);
    }
  }
  absl::Status GetBytes(void* out, size_t n, const char* what) {
    if (size_ - pos_ < n) return Short(what);
    std::memcpy(out, data_ + pos_, n);
    pos_ += n;
    return absl::OkStatus();
  }
  absl::Status Skip(size_t n, const char* what) {
    if (size_ - pos_ < n) return Short(what);
    pos_ += n;
    return absl::OkStatus();
  }
  size_t remaining() const { return size_ - pos_; }
  size_t position() const { return pos_; }

 private:
  absl::Status Short(const char* what) const {
    return absl::DataLossError(absl::StrCat(path_, ": malformed checkpoint: the body ends inside ",
                                            what, " (byte ", kHeaderBytes + pos_, ")"));
  }
  const std::string& path_;
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

// The fixed-size fields, in file order. WriteCheckpoint and ReadCheckpoint both walk these lists,
// so the two cannot drift apart. `field(value, what)` writes or reads one field and returns a
// Status; `what` names the part of the file for a truncation message. The arguments are const
// when writing and mutable when reading.
//
// Before the vocabulary: the model config and the tokenizer settings.
template <typename Config, typename Tokenizer, typename Field>
absl::Status HeadFields(Config& c, Tokenizer& tokenizer, Field&& field) {
  constexpr const char* kConfig = "the model config";
  constexpr const char* kTokenizer = "the tokenizer settings";
  RETURN_IF_ERROR(field(c.vocab_size, kConfig));
  RETURN_IF_ERROR(field(c.context, kConfig));
  RETURN_IF_ERROR(field(c.d_model, kConfig));
  RETURN_IF_ERROR(field(c.layers, kConfig));
  RETURN_IF_ERROR(field(c.heads, kConfig));
  RETURN_IF_ERROR(field(c.tied, kConfig));
  RETURN_IF_ERROR(field(tokenizer.lowercase, kTokenizer));
  RETURN_IF_ERROR(field(tokenizer.strip_punct, kTokenizer));
  return field(tokenizer.split_cjk, kTokenizer);
}

// After the vocabulary: the training settings and progress.
template <typename State, typename Field>
absl::Status TrainingFields(State& state, Field&& field) {
  constexpr const char* kSettings = "the training settings";
  constexpr const char* kProgress = "the training progress";
  auto& t = state.train;
  RETURN_IF_ERROR(field(t.batch, kSettings));
  RETURN_IF_ERROR(field(t.steps, kSettings));
  RETURN_IF_ERROR(field(t.minutes, kSettings));
  RETURN_IF_ERROR(field(t.seed, kSettings));
  RETURN_IF_ERROR(field(t.freeze_embeddings, kSettings));
  RETURN_IF_ERROR(field(t.optimizer.lr, kSettings));
  RETURN_IF_ERROR(field(t.optimizer.min_lr_frac, kSettings));
  RETURN_IF_ERROR(field(t.optimizer.warmup, kSettings));
  RETURN_IF_ERROR(field(t.optimizer.weight_decay, kSettings));
  RETURN_IF_ERROR(field(t.optimizer.beta1, kSettings));
  RETURN_IF_ERROR(field(t.optimizer.beta2, kSettings));
  RETURN_IF_ERROR(field(t.optimizer.eps, kSettings));
  RETURN_IF_ERROR(field(t.optimizer.clip, kSettings));
  RETURN_IF_ERROR(field(state.step, kProgress));
  RETURN_IF_ERROR(field(state.train_seconds, kProgress));
  RETURN_IF_ERROR(field(state.data_tokens, kProgress));
  return field(state.data_crc, kProgress);
}

void PutTensors(Writer& w, const ParameterLayout& layout, const float* buffer) {
  for (const TensorInfo& t : layout.tensors()) {
    w.PutBytes(buffer + t.offset, t.size * sizeof(float));
  }
}

absl::Status GetTensors(Reader& r, const ParameterLayout& layout, float* buffer, const char* what) {
  for (const TensorInfo& t : layout.tensors()) {
    RETURN_IF_ERROR(r.GetBytes(buffer + t.offset, t.size * sizeof(float), what));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (f == nullptr) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat(path, ": no such checkpoint file"));
    }
    return absl::NotFoundError(absl::StrCat(path, ": cannot open (", std::strerror(err), ")"));
  }
  std::string data;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f.get())) > 0) data.append(buf, n);
  if (std::ferror(f.get())) {
    return absl::DataLossError(absl::StrCat(path, ": read error (", std::strerror(errno), ")"));
  }
  return data;
}

}  // namespace

absl::Status WriteCheckpoint(const LmState& state, const std::string& path) {
  if (state.model == nullptr) return absl::FailedPreconditionError("no model to write");
  const Model& model = *state.model;
  const ModelConfig& c = model.config();
  if (static_cast<int>(state.words.size()) != c.vocab_size) {
    return absl::FailedPreconditionError(
        absl::StrCat("vocabulary has ", state.words.size(), " words but the model ", c.vocab_size));
  }
  const ParameterLayout& layout = model.layout();
  const bool opt = state.has_optimizer;
  if (opt && (state.adam_m.size() != layout.buffer_size() ||
              state.adam_v.size() != layout.buffer_size())) {
    return absl::FailedPreconditionError("AdamW moments do not match the model");
  }

  Writer body;
  auto put = [&body](const auto& value, const char* /*what*/) {
    body.PutField(value);
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(HeadFields(c, state.tokenizer, put));
  for (const std::string& w : state.words) {
    body.Put<uint32_t>(static_cast<uint32_t>(w.size()));
    body.PutBytes(w.data(), w.size());
  }
  RETURN_IF_ERROR(TrainingFields(state, put));
  PutTensors(body, layout, model.params().data());
  if (opt) {
    PutTensors(body, layout, state.adam_m.data());
    PutTensors(body, layout, state.adam_v.data());
  }

  Writer header;
  header.PutBytes(kCheckpointMagic, sizeof(kCheckpointMagic));
  header.Put<uint32_t>(kCheckpointVersion);
  header.Put<uint32_t>(opt ? kFlagOptimizer : 0u);
  header.Put<uint64_t>(body.bytes().size());
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(header.bytes().data()),
              static_cast<uInt>(header.bytes().size()));
  crc = crc32_combine(crc, Crc32(body.bytes().data(), body.bytes().size()),
                      static_cast<z_off_t>(body.bytes().size()));
  const uint32_t crc32_value = static_cast<uint32_t>(crc);

  ASSIGN_OR_RETURN(auto file, OutputFile::Create(path));
  RETURN_IF_ERROR(file->Write(header.bytes()));
  RETURN_IF_ERROR(file->Write(body.bytes()));
  RETURN_IF_ERROR(file->Write(std::string_view(reinterpret_cast<const char*>(&crc32_value), 4)));
  return file->Commit();
}

absl::StatusOr<LmState> ReadCheckpoint(const std::string& path, bool with_optimizer) {
  absl::StatusOr<std::string> read = ReadWholeFile(path);
  if (!read.ok()) return read.status();
  const std::string& data = *read;
  if (data.size() < sizeof(kCheckpointMagic) ||
      std::memcmp(data.data(), kCheckpointMagic, sizeof(kCheckpointMagic)) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ": not a wordspace language-model checkpoint (bad magic); lm-train --out writes "
        "them (vector files are read with --embeddings instead)"));
  }
  if (data.size() < kHeaderBytes + 4) {
    return absl::DataLossError(absl::StrCat(path, ": truncated checkpoint (", data.size(),
                                            " bytes, shorter than the header)"));
  }
  uint32_t version, flags;
  uint64_t body_bytes;
  std::memcpy(&version, data.data() + 8, 4);
  std::memcpy(&flags, data.data() + 12, 4);
  std::memcpy(&body_bytes, data.data() + 16, 8);
  if (version != kCheckpointVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": checkpoint version ", version, " but this build reads version ",
        kCheckpointVersion, version > kCheckpointVersion ? "; use a newer wordspace" : ""));
  }
  const uint64_t expected = kHeaderBytes + body_bytes + 4;
  if (data.size() != expected) {
    return absl::DataLossError(
        absl::StrCat(path, ": ", data.size() < expected ? "truncated" : "oversized",
                     " checkpoint (", data.size(), " bytes, the header says ", expected,
                     "); the file was cut short or altered, use an intact copy"));
  }
  uint32_t stored_crc;
  std::memcpy(&stored_crc, data.data() + kHeaderBytes + body_bytes, 4);
  const uint32_t actual_crc = Crc32(data.data(), kHeaderBytes + body_bytes);
  if (stored_crc != actual_crc) {
    return absl::DataLossError(absl::StrFormat(
        "%s: checksum mismatch (stored %08x, computed %08x): the checkpoint is corrupt", path,
        stored_crc, actual_crc));
  }

  Reader r(path, data.data() + kHeaderBytes, body_bytes);
  auto get = [&r](auto& value, const char* what) { return r.GetField(&value, what); };
  ModelConfig c;
  LmState state;
  RETURN_IF_ERROR(HeadFields(c, state.tokenizer, get));
  if (absl::Status s = c.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat(path, ": malformed checkpoint: ", s.message()));
  }
  // A word is at least 4 bytes on disk; reject absurd counts before reserving.
  if (static_cast<uint64_t>(c.vocab_size) * 4 > r.remaining()) {
    return absl::DataLossError(absl::StrCat(path, ": malformed checkpoint: vocabulary size ",
                                            c.vocab_size, " does not fit the file"));
  }
  state.words.reserve(c.vocab_size);
  for (int i = 0; i < c.vocab_size; ++i) {
    uint32_t len = 0;
    RETURN_IF_ERROR(r.Get(&len, "the vocabulary"));
    if (len > r.remaining()) {
      return absl::DataLossError(
          absl::StrCat(path, ": malformed checkpoint: word ", i, " runs past the end"));
    }
    std::string w(len, '\0');
    RETURN_IF_ERROR(r.GetBytes(w.data(), len, "the vocabulary"));
    state.words.push_back(std::move(w));
  }
  RETURN_IF_ERROR(TrainingFields(state, get));

  state.has_optimizer = (flags & kFlagOptimizer) != 0;
  auto model = std::make_unique<Model>(c);
  const ParameterLayout& layout = model->layout();
  const size_t tensor_bytes = layout.num_parameters() * sizeof(float);
  const size_t want = tensor_bytes * (state.has_optimizer ? 3 : 1);
  if (r.remaining() != want) {
    return absl::DataLossError(absl::StrCat(path, ": malformed checkpoint: ", r.remaining(),
                                            " bytes of tensors where the config (V=", c.vocab_size,
                                            ", T=", c.context, ", C=", c.d_model, ", L=", c.layers,
                                            ") needs ", want));
  }
  RETURN_IF_ERROR(GetTensors(r, layout, model->params().data(), "the parameters"));
  if (state.has_optimizer) {
    if (with_optimizer) {
      state.adam_m = AlignedBuffer(layout.buffer_size());
      state.adam_v = AlignedBuffer(layout.buffer_size());
      RETURN_IF_ERROR(GetTensors(r, layout, state.adam_m.data(), "the AdamW state"));
      RETURN_IF_ERROR(GetTensors(r, layout, state.adam_v.data(), "the AdamW state"));
    } else {
      RETURN_IF_ERROR(r.Skip(2 * tensor_bytes, "the AdamW state"));
    }
  }
  state.model = std::move(model);
  return state;
}

}  // namespace wordspace::transformer
