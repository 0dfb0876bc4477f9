#include "embeddings/saved_run.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/binary_io.h"
#include "base/output_file.h"
#include "base/status_macros.h"

namespace wordspace::embeddings {
namespace {

constexpr char kMagic[8] = {'W', 'S', 'R', 'E', 'S', 'U', 'M', 'E'};
constexpr uint32_t kVersion = 1;
constexpr uint64_t kMaxWorkers = 4096;
constexpr uint64_t kMaxTrainerState = uint64_t{1} << 24;

}  // namespace

std::string ResumePath(const std::string& model_path) { return model_path + ".resume"; }

absl::Status FileSizeAndCrc(const std::string& path, uint64_t* bytes, uint32_t* crc) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open (", std::strerror(errno), ")"));
  }
  std::vector<char> block(1 << 20);
  *bytes = 0;
  *crc = 0;
  size_t n;
  while ((n = std::fread(block.data(), 1, block.size(), file.get())) > 0) {
    *crc = Crc32(block.data(), n, *crc);
    *bytes += n;
  }
  if (std::ferror(file.get())) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return absl::OkStatus();
}

absl::Status WriteSavedRun(const std::string& path, const SavedRun& run) {
  ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> file, OutputFile::Create(path));
  BinaryWriter w;
  w.PutBytes(kMagic, sizeof(kMagic));
  w.Put<uint32_t>(kVersion);
  w.Put<uint64_t>(run.model_bytes);
  w.Put<uint32_t>(run.model_crc);
  const SgnsOptions& o = run.options;
  w.Put<uint8_t>(static_cast<uint8_t>(o.model));
  w.Put<uint8_t>(static_cast<uint8_t>(o.loss));
  w.Put<uint8_t>(static_cast<uint8_t>(o.kernel));
  for (int32_t v : {o.dim, o.window, o.negative, o.epochs, o.threads, o.subwords.minn,
                    o.subwords.maxn, o.subwords.bucket}) {
    w.Put<int32_t>(v);
  }
  w.Put<double>(o.sample);
  w.Put<double>(o.alpha);
  w.Put<double>(o.min_alpha);
  w.Put<uint64_t>(o.seed);
  w.Put<int64_t>(run.min_count);
  w.Put<uint64_t>(run.corpus_tokens);
  w.Put<int32_t>(run.state.epochs_done);
  w.Put<uint64_t>(run.state.hogwild.words_done);
  w.Put<uint32_t>(static_cast<uint32_t>(run.state.hogwild.workers.size()));
  for (const WorkerState& s : run.state.hogwild.workers) {
    for (uint64_t word : s.rng) w.Put<uint64_t>(word);
    w.Put<uint64_t>(s.unpublished);
    w.Put<float>(s.alpha);
    w.Put<double>(s.loss);
    w.Put<uint64_t>(s.pairs);
    w.Put<uint32_t>(static_cast<uint32_t>(s.trainer.size()));
    w.PutArray(s.trainer);
  }
  w.PutCrc();
  RETURN_IF_ERROR(file->Write(w.bytes()));
  return file->Commit();
}

absl::StatusOr<SavedRun> ReadSavedRun(const std::string& path, const std::string& model_path) {
  absl::StatusOr<std::string> read = BinaryReader::ReadWholeFile(path);
  if (absl::IsNotFound(read.status())) {
    return absl::NotFoundError(absl::StrCat(
        read.status().message(), "; --resume goes on with a run stopped by --stop-after-epochs, "
        "which writes it beside the model; --init-from starts a new run from the model's weights"));
  }
  if (!read.ok()) return read.status();
  const std::string& bytes = *read;
  const std::string fix =
      "; it is written beside the model by `train --stop-after-epochs`; without it, start a "
      "new run from the model's weights with --init-from";
  if (bytes.size() < sizeof(kMagic) + 4 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::DataLossError(absl::StrCat(path, ": not a wordspace resume file", fix));
  }
  uint32_t stored_crc;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (Crc32(bytes.data(), bytes.size() - 4) != stored_crc) {
    return absl::DataLossError(absl::StrCat(path, ": checksum mismatch, the file is damaged", fix));
  }
  BinaryReader r(path,
                 std::string_view(bytes).substr(sizeof(kMagic), bytes.size() - sizeof(kMagic) - 4),
                 sizeof(kMagic), bytes.size());
  r.set_fix(fix);
  SavedRun run;
  uint32_t version = 0;
  RETURN_IF_ERROR(r.Read(&version, "the format version"));
  if (version != kVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": resume format version ", version, ", this build reads ", kVersion));
  }
  RETURN_IF_ERROR(r.Read(&run.model_bytes, "the model's size"));
  RETURN_IF_ERROR(r.Read(&run.model_crc, "the model's CRC-32"));
  SgnsOptions& o = run.options;
  uint8_t model = 0, loss = 0, kernel = 0;
  RETURN_IF_ERROR(r.Read(&model, "the model"));
  RETURN_IF_ERROR(r.Read(&loss, "the loss"));
  RETURN_IF_ERROR(r.Read(&kernel, "the kernel"));
  if (model > 1 || loss > 1 || kernel > 1) return r.Error("the model, loss or kernel is unknown");
  o.model = static_cast<WordModel>(model);
  o.loss = static_cast<OutputLoss>(loss);
  o.kernel = static_cast<SgnsKernel>(kernel);
  for (int32_t* v : {&o.dim, &o.window, &o.negative, &o.epochs, &o.threads, &o.subwords.minn,
                     &o.subwords.maxn, &o.subwords.bucket}) {
    RETURN_IF_ERROR(r.Read(v, "the settings"));
  }
  RETURN_IF_ERROR(r.Read(&o.sample, "the subsampling threshold"));
  RETURN_IF_ERROR(r.Read(&o.alpha, "the learning rate"));
  RETURN_IF_ERROR(r.Read(&o.min_alpha, "the final learning rate"));
  RETURN_IF_ERROR(r.Read(&o.seed, "the seed"));
  RETURN_IF_ERROR(r.Read(&run.min_count, "the min-count"));
  RETURN_IF_ERROR(r.Read(&run.corpus_tokens, "the corpus' token count"));
  RETURN_IF_ERROR(r.Read(&run.state.epochs_done, "the epochs done"));
  RETURN_IF_ERROR(r.Read(&run.state.hogwild.words_done, "the words done"));
  if (absl::Status s = CheckSgnsOptions(o); !s.ok()) {
    return r.Error(absl::StrCat("the settings are not valid (", s.message(), ")"));
  }
  if (run.state.epochs_done < 1 || run.state.epochs_done >= o.epochs) {
    return r.Error(absl::StrCat("the epochs done are ", run.state.epochs_done, " of ", o.epochs));
  }
  ASSIGN_OR_RETURN(uint64_t workers, r.ReadCount<uint32_t>("the worker count", 8, kMaxWorkers));
  run.state.hogwild.workers.resize(workers);
  for (WorkerState& s : run.state.hogwild.workers) {
    for (uint64_t& word : s.rng) RETURN_IF_ERROR(r.Read(&word, "a worker's generator"));
    RETURN_IF_ERROR(r.Read(&s.unpublished, "a worker's unpublished words"));
    RETURN_IF_ERROR(r.Read(&s.alpha, "a worker's learning rate"));
    RETURN_IF_ERROR(r.Read(&s.loss, "a worker's loss"));
    RETURN_IF_ERROR(r.Read(&s.pairs, "a worker's pairs"));
    ASSIGN_OR_RETURN(uint64_t n, r.ReadCount<uint32_t>("a worker's state size", 4, kMaxTrainerState));
    RETURN_IF_ERROR(r.ReadArray(&s.trainer, n, "a worker's noise words"));
  }
  RETURN_IF_ERROR(r.ExpectEnd("the workers"));

  uint64_t model_bytes = 0;
  uint32_t model_crc = 0;
  RETURN_IF_ERROR(FileSizeAndCrc(model_path, &model_bytes, &model_crc));
  if (model_bytes != run.model_bytes || model_crc != run.model_crc) {
    return absl::FailedPreconditionError(absl::StrCat(
        model_path, ": not the model ", path, " was saved with (it has changed since: ",
        model_bytes, " bytes, CRC-32 ", model_crc, "; the run saved ", run.model_bytes,
        " bytes, CRC-32 ", run.model_crc, "); start a new run from it with --init-from"));
  }
  return run;
}

}  // namespace wordspace::embeddings
