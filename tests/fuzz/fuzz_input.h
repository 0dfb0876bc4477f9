// Helpers for the libFuzzer targets in this folder: they hand a fuzz input to the library's
// real readers, which take a file name, without leaving anything on disk.
//
// InputPath writes the bytes to one memfd (an anonymous in-memory file) per process, rewritten
// for every input, and returns its name `/proc/self/fd/N`; the readers open, stat, gzopen and
// fopen it as they would a user's file. Gzip is detected from the content, never from the name,
// so no `.gz` name is needed.
//
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
//     (void)embeddings::ReadVectors(fuzz::InputPath(data, size));
//     return 0;
//   }
#ifndef WORDSPACE_TESTS_FUZZ_FUZZ_INPUT_H_
#define WORDSPACE_TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wordspace::fuzz {

// The name of an in-memory file holding exactly `size` bytes of `data`. Valid until the next
// call. Aborts if the memfd cannot be made (a broken harness, not a finding).
const std::string& InputPath(const uint8_t* data, size_t size);
const std::string& InputPath(std::string_view bytes);

// `data` followed by the little-endian zlib CRC-32 of `data`. Formats whose last four bytes are
// a checksum of everything before them (checkpoints, n-gram models, index files) would reject
// nearly every mutation at the checksum; their targets fuzz the bytes before it and append the
// right one, so that mutations reach the parsing behind the check. The corpus files of those
// targets are therefore the real files without their last four bytes.
std::string WithCrc32(const uint8_t* data, size_t size);

}  // namespace wordspace::fuzz

#endif  // WORDSPACE_TESTS_FUZZ_FUZZ_INPUT_H_
