#include "transformer/checkpoint_io.h"

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/binary_io.h"
#include "base/output_file.h"
#include "base/status_macros.h"
#include "corpus/file_kind.h"

namespace wordspace::transformer {

static_assert(std::string_view(kCheckpointMagic, sizeof(kCheckpointMagic)) ==
                  corpus::kCheckpointFileMagic,
              "the file sniffer must know the checkpoint's magic");
namespace {

constexpr size_t kHeaderBytes = 24;  // magic, version, flags, body_bytes
constexpr uint32_t kFlagOptimizer = 1;

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

// Version 2's architecture, after the head fields (version 1 files hold the classic block).
template <typename Config, typename Field>
absl::Status ArchitectureFields(Config& c, Field&& field) {
  constexpr const char* kArchitecture = "the architecture";
  RETURN_IF_ERROR(field(c.norm, kArchitecture));
  RETURN_IF_ERROR(field(c.positions, kArchitecture));
  RETURN_IF_ERROR(field(c.feed_forward, kArchitecture));
  RETURN_IF_ERROR(field(c.biases, kArchitecture));
  return field(c.ff_hidden, kArchitecture);
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

// Version 2's training settings, after the version 1 ones and the progress.
template <typename State, typename Field>
absl::Status TrainingFieldsV2(State& state, Field&& field) {
  constexpr const char* kSettings = "the training settings";
  RETURN_IF_ERROR(field(state.train.freeze_embeddings_steps, kSettings));
  return field(state.train.embedding_lr_scale, kSettings);
}

void PutTensors(BinaryWriter& w, const ParameterLayout& layout, const float* buffer) {
  for (const TensorInfo& t : layout.tensors()) {
    w.PutBytes(buffer + t.offset, t.size * sizeof(float));
  }
}

absl::Status GetTensors(BinaryReader& r, const ParameterLayout& layout, float* buffer,
                        const char* what) {
  for (const TensorInfo& t : layout.tensors()) {
    RETURN_IF_ERROR(r.ReadBytes(buffer + t.offset, t.size * sizeof(float), what));
  }
  return absl::OkStatus();
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

  // The body comes first, in memory: the header holds its size.
  BinaryWriter body;
  auto put = [&body](const auto& value, const char* /*what*/) {
    body.Put(value);
    return absl::OkStatus();
  };
  // The classic block with version 1's settings keeps version 1, so that its files stay
  // readable by older builds.
  const uint32_t version =
      c.IsClassic() && !state.train.HasVersion2Settings() ? 1 : kCheckpointVersion;
  RETURN_IF_ERROR(HeadFields(c, state.tokenizer, put));
  if (version >= 2) RETURN_IF_ERROR(ArchitectureFields(c, put));
  for (const std::string& w : state.words) body.PutString(w);
  RETURN_IF_ERROR(TrainingFields(state, put));
  if (version >= 2) RETURN_IF_ERROR(TrainingFieldsV2(state, put));
  PutTensors(body, layout, model.params().data());
  if (opt) {
    PutTensors(body, layout, state.adam_m.data());
    PutTensors(body, layout, state.adam_v.data());
  }

  ASSIGN_OR_RETURN(auto file, OutputFile::Create(path));
  BinaryWriter out([&file](std::string_view bytes) { return file->Write(bytes); });
  out.PutBytes(kCheckpointMagic, sizeof(kCheckpointMagic));
  out.Put<uint32_t>(version);
  out.Put<uint32_t>(opt ? kFlagOptimizer : 0u);
  out.Put<uint64_t>(body.size());
  out.PutBytes(body.bytes());
  out.PutCrc();
  RETURN_IF_ERROR(out.Flush());
  return file->Commit();
}

absl::StatusOr<LmState> ReadCheckpoint(const std::string& path, bool with_optimizer) {
  absl::StatusOr<std::string> read = BinaryReader::ReadWholeFile(path);
  if (!read.ok()) return read.status();
  const std::string& data = *read;
  if (data.size() < sizeof(kCheckpointMagic) ||
      std::memcmp(data.data(), kCheckpointMagic, sizeof(kCheckpointMagic)) != 0) {
    // What the file is instead, in the words every command uses (corpus/file_kind.h).
    RETURN_IF_ERROR(corpus::CheckKind(path,
                                      corpus::SniffContent(data.substr(0, corpus::kSniffBytes),
                                                           data.size() <= corpus::kSniffBytes),
                                      corpus::FileRole::kCheckpoint));
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ": not a wordspace language-model checkpoint (bad magic); lm-train --output writes "
        "them (vector files are read with --embeddings instead)"));
  }
  if (data.size() < kHeaderBytes + 4) {
    return absl::DataLossError(absl::StrCat(path, ": truncated checkpoint (", data.size(),
                                            " bytes, shorter than the header)"));
  }
  BinaryReader header(path, std::string_view(data).substr(0, kHeaderBytes));
  uint32_t version = 0, flags = 0;
  uint64_t body_bytes = 0;
  RETURN_IF_ERROR(header.Skip(sizeof(kCheckpointMagic), "the magic"));
  RETURN_IF_ERROR(header.Read(&version, "the version"));
  RETURN_IF_ERROR(header.Read(&flags, "the flags"));
  RETURN_IF_ERROR(header.Read(&body_bytes, "the body size"));
  if (version < 1 || version > kCheckpointVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": checkpoint version ", version, " but this build reads versions 1 to ",
        kCheckpointVersion, version > kCheckpointVersion ? "; use a newer wordspace" : ""));
  }
  // Compared with what the file holds, not added to, since a corrupt size could wrap around.
  const uint64_t body_room = data.size() - kHeaderBytes - 4;
  if (body_bytes != body_room) {
    return absl::DataLossError(absl::StrCat(
        path, ": ", body_bytes > body_room ? "truncated" : "oversized",
        " checkpoint: the header says its body is ", body_bytes, " bytes, the file (", data.size(),
        " bytes) holds ", body_room, "; the file was cut short or altered, use an intact copy"));
  }
  uint32_t stored_crc;
  std::memcpy(&stored_crc, data.data() + kHeaderBytes + body_bytes, 4);
  const uint32_t actual_crc = Crc32(data.data(), kHeaderBytes + body_bytes);
  if (stored_crc != actual_crc) {
    return absl::DataLossError(absl::StrFormat(
        "%s: checksum mismatch (stored %08x, computed %08x): the checkpoint is corrupt", path,
        stored_crc, actual_crc));
  }

  BinaryReader r(path, std::string_view(data).substr(kHeaderBytes, body_bytes), kHeaderBytes,
                 data.size());
  r.set_track_crc(false);  // checked above, over the whole file
  r.set_fix("; the checkpoint is malformed, use an intact copy");
  auto get = [&r](auto& value, const char* what) { return r.Read(&value, what); };
  ModelConfig c;
  LmState state;
  RETURN_IF_ERROR(HeadFields(c, state.tokenizer, get));
  // Validate() below rejects enum values out of range.
  if (version >= 2) RETURN_IF_ERROR(ArchitectureFields(c, get));
  if (absl::Status s = c.Validate(); !s.ok()) {
    return absl::DataLossError(absl::StrCat(path, ": malformed checkpoint: ", s.message()));
  }
  // A word takes at least its 4-byte length on disk.
  RETURN_IF_ERROR(r.CheckCount("the vocabulary size", static_cast<uint64_t>(c.vocab_size), 4));
  state.words.reserve(c.vocab_size);
  for (int i = 0; i < c.vocab_size; ++i) {
    std::string w;
    RETURN_IF_ERROR(r.ReadString(&w, "the vocabulary"));
    state.words.push_back(std::move(w));
  }
  RETURN_IF_ERROR(TrainingFields(state, get));
  if (version >= 2) RETURN_IF_ERROR(TrainingFieldsV2(state, get));
  // The batch sizes the activations when a run resumes.
  if (state.train.batch < 1 ||
      static_cast<int64_t>(state.train.batch) * c.context > kMaxBatchTokens) {
    return absl::DataLossError(absl::StrCat(path, ": malformed checkpoint: batch ",
                                            state.train.batch, " with context ", c.context,
                                            "; use an intact copy"));
  }

  // The tensors' size follows from the config: it is checked against the file before the model
  // (parameters and gradients) is allocated.
  state.has_optimizer = (flags & kFlagOptimizer) != 0;
  const ParameterLayout layout(c);
  const uint64_t copies = state.has_optimizer ? 3 : 1;
  const uint64_t tensor_bytes = static_cast<uint64_t>(layout.num_parameters()) * sizeof(float);
  if (!CountFits(layout.num_parameters(), sizeof(float) * copies, r.remaining()) ||
      r.remaining() != tensor_bytes * copies) {
    return absl::DataLossError(absl::StrCat(path, ": malformed checkpoint: ", r.remaining(),
                                            " bytes of tensors where the config (V=", c.vocab_size,
                                            ", T=", c.context, ", C=", c.d_model, ", L=", c.layers,
                                            ") needs ", layout.num_parameters(), " floats",
                                            copies == 3 ? " three times (with AdamW)" : ""));
  }
  auto model = std::make_unique<Model>(c);
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
