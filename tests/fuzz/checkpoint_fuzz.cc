// Fuzz target: language-model checkpoints (transformer::ReadCheckpoint with the AdamW state,
// then LanguageModel::Load and one forward pass, as lm-generate and lm-bench use a model).
// The input is a checkpoint without its final CRC-32, which the target appends (fuzz_input.h
// says why), so mutations reach the fields behind the checksum.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"
#include "tests/fuzz/fuzz_input.h"
#include "transformer/checkpoint_io.h"
#include "transformer/language_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  const std::string& path = fuzz::InputPath(fuzz::WithCrc32(data, size));
  absl::StatusOr<transformer::LmState> state = transformer::ReadCheckpoint(path);
  if (state.ok()) CHECK(state->model != nullptr);
  absl::StatusOr<transformer::LanguageModel> lm = transformer::LanguageModel::Load(path);
  if (!lm.ok()) return 0;
  CHECK(lm->vocab_size() >= 2 && lm->words().size() == static_cast<size_t>(lm->vocab_size()));
  const int length = std::min(2, lm->context());
  const std::vector<int32_t> window = {1, 0};
  std::vector<float> logp(static_cast<size_t>(length) * lm->vocab_size());
  CHECK(
      lm->NextTokenLogProbs(std::span<const int32_t>(window.data(), length), 1, length, logp).ok());
  return 0;
}
