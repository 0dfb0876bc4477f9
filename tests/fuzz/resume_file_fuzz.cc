// Fuzz target: embeddings::ReadSavedRun on a stopped run's .resume file. The input is the file
// without its final CRC-32, which the target appends (fuzz_input.h says why), so mutations reach
// the fields behind the checksum. The model it belongs to does not exist: a well-formed file
// then fails on that, by name.
#include <cstddef>
#include <cstdint>

#include "base/check.h"
#include "embeddings/saved_run.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = wordspace::fuzz::InputPath(wordspace::fuzz::WithCrc32(data, size));
  absl::StatusOr<wordspace::embeddings::SavedRun> run =
      wordspace::embeddings::ReadSavedRun(path, path + ".missing-model");
  CHECK(!run.ok() && !run.status().message().empty());
  return 0;
}
