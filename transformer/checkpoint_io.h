// Language-model checkpoints: one little-endian binary file holding an LmState.
//
//   offset 0   magic "WSLMCKPT" (8 bytes)
//          8   u32 version (1: the classic block and version 1's settings; 2: anything else)
//         12   u32 flags (bit 0: AdamW state present)
//         16   u64 body_bytes
//         24   body:
//                i32 vocab_size, context, d_model, layers, heads; u8 tied, lowercase,
//                strip_punct, split_cjk
//                version 2 only: u8 norm, positions, feed_forward, biases; i32 ff_hidden
//                  (ModelConfig's enums and fields)
//                vocab_size words, each u32 byte length + bytes
//                training: i32 batch; i64 steps; f64 minutes; u64 seed; u8 freeze_embeddings;
//                  f64 lr, min_lr_frac; i64 warmup; f64 weight_decay, beta1, beta2, eps, clip;
//                  i64 step; f64 train_seconds; u64 data_tokens; u32 data_crc
//                version 2 only: i64 freeze_embeddings_steps; f64 embedding_lr_scale
//                parameters: every tensor of ParameterLayout in order, float32, no padding
//                with the AdamW flag: m, then v, laid out like the parameters
//   24+body    u32 CRC-32 (zlib) of every byte before it
//
// Files are written atomically (temporary file, then rename). The content is a function of the
// state only (no time stamps, paths or thread counts), so equal states give equal bytes.
//
//   RETURN_IF_ERROR(WriteCheckpoint(state, "model.lm"));
//   ASSIGN_OR_RETURN(LmState state, ReadCheckpoint("model.lm"));
#ifndef WORDSPACE_TRANSFORMER_CHECKPOINT_IO_H_
#define WORDSPACE_TRANSFORMER_CHECKPOINT_IO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "transformer/lm_state.h"

namespace wordspace::transformer {

inline constexpr char kCheckpointMagic[8] = {'W', 'S', 'L', 'M', 'C', 'K', 'P', 'T'};
// The newest version this build writes and reads; it writes version 1 for the classic block.
inline constexpr uint32_t kCheckpointVersion = 2;

// Writes `state` (state.model must be set; AdamW moments when state.has_optimizer).
// Internal/NotFound name the path when it cannot be written.
[[nodiscard]] absl::Status WriteCheckpoint(const LmState& state, const std::string& path);

// Reads a checkpoint. NotFound: no such file. InvalidArgument: not a checkpoint (bad magic) or
// a newer version. DataLoss: truncated, checksum mismatch or inconsistent fields. Messages name
// the path and say what to do. With `with_optimizer` false the AdamW moments are skipped
// (has_optimizer stays as stored, adam_m/adam_v stay empty), for inference.
[[nodiscard]] absl::StatusOr<LmState> ReadCheckpoint(const std::string& path,
                                                     bool with_optimizer = true);

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_CHECKPOINT_IO_H_
