// The n-gram model file (`wordspace ngram-train --output`), little-endian:
//   char[8]  magic "WSNGRAM\n"
//   uint32   version (1), order N, vocabulary size V
//   int32    unk id, eos id
//   uint32   tokenizer flags (1 lowercase, 2 strip_punct, 4 split_cjk)
//   uint64   training tokens
//   uint64   level sizes, N+1 of them (level 0 is the root: 1)
//   per order n = 1..N: uint64 distinct n-grams, uint64 n1..n4, float64 D1 D2 D3+,
//                       uint32 fallback flag
//   V words: uint32 byte length, bytes
//   levels 0..N-1: uint32 child offsets (size+1), float32 gamma (size)
//   levels 1..N:   uint32 word (size), float32 alpha (size)
//   uint32   zlib crc32 of every byte before it
// Reading checks the magic, the version, the size the header implies against the file's, the
// checksum, and the trie's structure, so a truncated, corrupt or foreign file is a clear error
// and never a crash.
//
//   RETURN_IF_ERROR(WriteNgramModel(model, "kn5.bin"));           // atomic
//   ASSIGN_OR_RETURN(NgramModel model, ReadNgramModel("kn5.bin"));
#ifndef WORDSPACE_EVAL_LM_NGRAM_MODEL_IO_H_
#define WORDSPACE_EVAL_LM_NGRAM_MODEL_IO_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "eval/lm/ngram_model.h"

namespace wordspace::eval {

inline constexpr std::string_view kNgramMagic{"WSNGRAM\n", 8};
inline constexpr uint32_t kNgramFormatVersion = 1;

// Writes atomically (temporary file, then rename). Internal/NotFound name `path`.
[[nodiscard]] absl::Status WriteNgramModel(const NgramModel& model, const std::string& path);

// NotFound for a missing file; DataLoss (truncated, checksum, structure) or InvalidArgument
// (foreign file, unsupported version) naming `path`.
[[nodiscard]] absl::StatusOr<NgramModel> ReadNgramModel(const std::string& path);

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NGRAM_MODEL_IO_H_
