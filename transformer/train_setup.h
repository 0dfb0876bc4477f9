// The set-up of a language-model training run, before Train (trainer.h): either a new run
// (where the vocabulary comes from, the model built and initialised, the token embeddings from
// word vectors or at random) or the continuation of a checkpoint (its model, vocabulary,
// tokenizer, schedule and optimizer; only the budget may be extended). `lm-train` calls it, and
// so can a binding or a data-parallel launcher, which then get the same state from the same
// options.
//
// Vocabulary of a new run, first source given: a `word count` file (vocab_path), the rows of
// the word-vector file (embeddings_path; its rows are in frequency order), or the training
// corpus counted (train_path). See lm_data.h for the <unk>/</s> layout.
//
//   TrainSetupOptions o;
//   o.train_path = "corpus.txt.gz";
//   o.embeddings_path = "vectors.bin";      // vocabulary and pretrained embeddings
//   o.model.d_model = 128;
//   o.train.steps = 2000;
//   ASSIGN_OR_RETURN(TrainSetup setup, SetUpTrainRun(o));
//   ASSIGN_OR_RETURN(TrainResult r, Train(&setup.state, ids, nullptr, run));
#ifndef WORDSPACE_TRANSFORMER_TRAIN_SETUP_H_
#define WORDSPACE_TRANSFORMER_TRAIN_SETUP_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "corpus/sentence_reader.h"
#include "transformer/embedding_init.h"
#include "transformer/lm_state.h"
#include "transformer/model.h"

namespace wordspace::transformer {

// How the token embeddings of a new run start.
enum class EmbeddingInit {
  kAuto,        // pretrained when embeddings_path is given, random otherwise
  kPretrained,  // from embeddings_path (which must be given)
  kRandom,      // N(0, 0.02), as every other weight
};

struct TrainSetupOptions {
  // Resume: continue this checkpoint; everything below except the budget overrides is ignored.
  std::string resume_path;
  std::optional<int64_t> steps;   // a new step budget (and schedule length) for the resumed run
  std::optional<double> minutes;  // a new time budget for the resumed run

  // New run.
  std::string train_path;        // counted for the vocabulary when no other source is given
  std::string embeddings_path;   // word vectors: the vocabulary, and the pretrained embeddings
  std::string vocab_path;        // a `word count` file: the vocabulary instead
  int vocab_size = 20000;        // most frequent words kept (plus <unk> and </s>)
  corpus::CorpusOptions corpus;  // how the corpus is read; its tokenizer goes in the state
  ModelConfig model;             // vocab_size is set from the vocabulary
  TrainConfig train;             // negative steps count as 0
  EmbeddingInit init = EmbeddingInit::kAuto;
  EmbeddingInitOptions embedding;
  corpus::ReadProgress progress;  // while counting the corpus
};

// Where a new run's vocabulary came from.
enum class VocabularySource { kCheckpoint, kVocabFile, kVectors, kCorpus };

struct TrainSetup {
  LmState state;  // ready for Train: model, words, tokenizer, train config (and, resumed, more)
  bool resumed = false;
  VocabularySource vocabulary = VocabularySource::kCheckpoint;
  // Resumed: the schedule length the checkpoint planned, when `steps` changed it.
  std::optional<int64_t> extended_from_steps;
  // New run with pretrained embeddings: what InitEmbeddings found.
  std::optional<EmbeddingInitReport> embeddings;
};

// Resumes options.resume_path when set: its errors, and FailedPrecondition for a checkpoint
// without optimizer state. Otherwise builds a new run: InvalidArgument for kPretrained without
// embeddings_path, and the read errors of the vocabulary source (naming the file). When the
// model options are bad (ModelConfig::Validate, once the vocabulary size is known) it returns
// Validate's InvalidArgument and sets *bad_model_config, so that a command can report it as a
// usage error.
[[nodiscard]] absl::StatusOr<TrainSetup> SetUpTrainRun(const TrainSetupOptions& options,
                                                       bool* bad_model_config = nullptr);

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_TRAIN_SETUP_H_
