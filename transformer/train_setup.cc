#include "transformer/train_setup.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "embeddings/vector_io.h"
#include "transformer/checkpoint_io.h"
#include "transformer/lm_data.h"

namespace wordspace::transformer {
namespace {

absl::StatusOr<TrainSetup> Resume(const TrainSetupOptions& o) {
  TrainSetup setup;
  setup.resumed = true;
  ASSIGN_OR_RETURN(setup.state, ReadCheckpoint(o.resume_path));
  LmState& state = setup.state;
  if (!state.has_optimizer) {
    return absl::FailedPreconditionError(absl::StrCat(
        o.resume_path, ": has no optimizer state (an inference-only checkpoint); cannot resume"));
  }
  // The budget may be extended; everything else is the checkpoint's.
  if (o.steps.has_value() && *o.steps != state.train.steps) {
    setup.extended_from_steps = state.train.steps;
    state.train.steps = *o.steps;
  }
  if (o.minutes.has_value()) state.train.minutes = *o.minutes;
  return setup;
}

absl::StatusOr<TrainSetup> NewRun(const TrainSetupOptions& o, bool* bad_model_config) {
  if (o.init == EmbeddingInit::kPretrained && o.embeddings_path.empty()) {
    return absl::InvalidArgumentError("--init pretrained needs --embeddings");
  }
  TrainSetup setup;
  LmState& state = setup.state;
  state.train = o.train;
  state.train.steps = std::max<int64_t>(state.train.steps, 0);
  state.tokenizer = o.corpus.tokenizer;
  std::unique_ptr<embeddings::WordVectors> vectors;
  if (!o.embeddings_path.empty()) {
    ASSIGN_OR_RETURN(embeddings::WordVectors v, embeddings::ReadVectors(o.embeddings_path));
    vectors = std::make_unique<embeddings::WordVectors>(std::move(v));
  }
  if (!o.vocab_path.empty()) {
    setup.vocabulary = VocabularySource::kVocabFile;
    ASSIGN_OR_RETURN(state.words, VocabularyFromFile(o.vocab_path, o.vocab_size));
  } else if (vectors != nullptr) {
    setup.vocabulary = VocabularySource::kVectors;
    state.words = VocabularyFromVectors(*vectors, o.vocab_size);
  } else {
    setup.vocabulary = VocabularySource::kCorpus;
    ASSIGN_OR_RETURN(state.words,
                     VocabularyFromCorpus(o.train_path, o.corpus, o.vocab_size, o.progress));
  }
  ModelConfig mc = o.model;
  mc.vocab_size = static_cast<int>(state.words.size());
  if (absl::Status s = mc.Validate(); !s.ok()) {
    if (bad_model_config != nullptr) *bad_model_config = true;
    return s;
  }
  state.model = std::make_unique<Model>(mc);
  state.model->InitRandom(state.train.seed);
  const bool pretrained = o.init == EmbeddingInit::kPretrained ||
                          (o.init == EmbeddingInit::kAuto && vectors != nullptr);
  if (pretrained) {
    ASSIGN_OR_RETURN(setup.embeddings, InitEmbeddings(*vectors, state.words, o.embedding,
                                                      state.model->param(kWte).data(), mc.d_model));
  }
  return setup;
}

}  // namespace

absl::StatusOr<TrainSetup> SetUpTrainRun(const TrainSetupOptions& options, bool* bad_model_config) {
  if (bad_model_config != nullptr) *bad_model_config = false;
  return options.resume_path.empty() ? NewRun(options, bad_model_config) : Resume(options);
}

}  // namespace wordspace::transformer
