// The resume file of a stopped word-vector run (`train --stop-after-epochs K --save-model
// MODEL.bin` writes MODEL.bin.resume beside the model; `train --resume MODEL.bin` reads both).
// The model file stays fastText's own format, which fastText and gensim read (gensim refuses
// a byte past the output matrix, so the state cannot ride inside it); this file holds what the
// model does not: the run's settings, the epochs done, each worker's generator and drawn noise
// words, and the size and CRC-32 of the model it belongs to, so that a model trained further
// or replaced since is refused.
//
// Layout (base/binary_io.h): "WSRESUME", u32 version 1, u64 model bytes, u32 model CRC-32,
// the settings, u64 corpus tokens, i32 epochs done, u64 words done, u32 workers and per worker
// 4 × u64 generator, u64 unpublished words, f32 alpha, f64 loss, u64 pairs, u32 count and the
// trainer's u32s; u32 CRC-32 of all before it.
//
//   RETURN_IF_ERROR(WriteSavedRun(ResumePath(model), run));
//   ASSIGN_OR_RETURN(SavedRun run, ReadSavedRun(ResumePath(model), model));
#ifndef WORDSPACE_EMBEDDINGS_SAVED_RUN_H_
#define WORDSPACE_EMBEDDINGS_SAVED_RUN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "embeddings/sgns_trainer.h"

namespace wordspace::embeddings {

struct SavedRun {
  SgnsOptions options;  // as the run resolved them (alpha included)
  int64_t min_count = 5;
  uint64_t corpus_tokens = 0;  // the corpus' kept tokens: a resumed run must read the same
  uint64_t model_bytes = 0;
  uint32_t model_crc = 0;
  SgnsRunState state;
};

// MODEL.bin -> MODEL.bin.resume.
std::string ResumePath(const std::string& model_path);

// Size and CRC-32 of a file (the model a resume file belongs to). NotFound names a missing one.
[[nodiscard]] absl::Status FileSizeAndCrc(const std::string& path, uint64_t* bytes, uint32_t* crc);

// Atomic, as every output: nothing is left under `path` on failure.
[[nodiscard]] absl::Status WriteSavedRun(const std::string& path, const SavedRun& run);

// Reads a resume file and checks that `model_path` is the model it was written with.
// NotFound for a missing file; DataLoss naming the field for a damaged one; FailedPrecondition
// when the model has changed since.
[[nodiscard]] absl::StatusOr<SavedRun> ReadSavedRun(const std::string& path,
                                                    const std::string& model_path);

}  // namespace wordspace::embeddings

#endif  // WORDSPACE_EMBEDDINGS_SAVED_RUN_H_
