// Fuzz target: n-gram model files (eval::ReadNgramModel), then the queries lm-bench makes of a
// model (contexts, probabilities, the distribution, the top words). The input is a model file
// without its final CRC-32, which the target appends (fuzz_input.h says why).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"
#include "eval/lm/ngram_model_io.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  absl::StatusOr<eval::NgramModel> model =
      eval::ReadNgramModel(fuzz::InputPath(fuzz::WithCrc32(data, size)));
  if (!model.ok()) return 0;
  const int32_t v = model->vocab_size();
  CHECK(v >= 2);
  // A history of the first ids, as a context of every depth up to the order.
  std::vector<int32_t> history;
  for (int i = 0; i < model->order(); ++i) history.push_back(i % v);
  const eval::NgramModel::Context context = model->FindContext(history);
  CHECK(context.depth >= 0 && context.depth < model->order());
  // Only the structure is checked: the reader promises a well-formed trie, not that the
  // stored weights are probabilities.
  for (int32_t w = 0; w < std::min(v, 4); ++w) (void)model->Prob(context, w);
  std::vector<double> dist;
  model->Distribution(context, &dist);
  CHECK(dist.size() == static_cast<size_t>(v));
  eval::NgramModel::Scratch scratch;
  std::vector<int32_t> ids;
  std::vector<double> probs;
  model->TopWords(context, 3, &scratch, &ids, &probs);
  CHECK(ids.size() == probs.size() && ids.size() <= 3);
  return 0;
}
