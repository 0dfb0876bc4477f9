#include "embeddings/context_window.h"

#include <cmath>

#include "corpus/vocabulary.h"

namespace wordspace::embeddings {

Subsampler::Subsampler(const corpus::Vocabulary& vocab, double sample)
    : keep_(static_cast<size_t>(vocab.size()), 1.0f) {
  if (sample <= 0) return;
  const double threshold = sample * static_cast<double>(vocab.total_count());
  for (size_t i = 0; i < keep_.size(); ++i) {
    const double c = static_cast<double>(vocab.count(static_cast<int32_t>(i)));
    if (c > 0) keep_[i] = static_cast<float>((std::sqrt(c / threshold) + 1.0) * threshold / c);
  }
}

}  // namespace wordspace::embeddings
