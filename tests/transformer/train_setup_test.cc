// SetUpTrainRun: a new run's vocabulary source, model and embedding init, and resuming a
// checkpoint with its budget extended; lm-train prints what this returns.
#include "transformer/train_setup.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"
#include "tests/testing/tiny_lm.h"
#include "transformer/checkpoint_io.h"
#include "transformer/trainer.h"

namespace wordspace::transformer {
namespace {

using wordspace::testing::TempDir;
using wordspace::testing::WriteFile;

// "b" 4 times, "a" 3, "c" 2, "d" once.
constexpr char kCorpus[] = "b a b c\nb a d\nc b a\n";
// Vectors in a different order from the corpus counts, with a word the corpus lacks.
constexpr char kVectors[] =
    "3 4\n"
    "c 1 0 0 0\n"
    "zz 0 1 0 0\n"
    "a 0 0 1 2\n";

TrainSetupOptions NewRunOptions(const TempDir& dir) {
  TrainSetupOptions o;
  o.train_path = dir.File("corpus.txt");
  o.model.context = 4;
  o.model.d_model = 4;
  o.model.layers = 1;
  o.model.heads = 2;
  o.train.steps = 3;
  o.train.seed = 11;
  return o;
}

std::vector<float> RandomInit(const ModelConfig& c, uint64_t seed) {
  Model m(c);
  m.InitRandom(seed);
  return {m.params().begin(), m.params().end()};
}

TEST_CASE("A new run counts the corpus when no vocabulary is given", "[transformer][setup]") {
  TempDir dir;
  WriteFile(dir.File("corpus.txt"), kCorpus);
  TrainSetupOptions o = NewRunOptions(dir);
  o.vocab_size = 3;
  o.corpus.tokenizer.lowercase = true;
  o.train.steps = -4;
  bool bad_config = true;
  auto setup = SetUpTrainRun(o, &bad_config);
  REQUIRE(setup.ok());
  CHECK(!bad_config);
  CHECK(!setup->resumed);
  CHECK(setup->vocabulary == VocabularySource::kCorpus);
  CHECK(!setup->embeddings.has_value());
  const LmState& s = setup->state;
  CHECK(s.words == std::vector<std::string>{"<unk>", "</s>", "b", "a", "c"});
  CHECK(s.tokenizer.lowercase);
  CHECK(s.train.steps == 0);  // negative budgets count as none
  CHECK(s.train.seed == 11);
  CHECK(!s.has_optimizer);
  REQUIRE(s.model != nullptr);
  CHECK(s.model->config().vocab_size == 5);
  CHECK(s.model->config().heads == 2);
  CHECK(std::vector<float>(s.model->params().begin(), s.model->params().end()) ==
        RandomInit(s.model->config(), 11));
}

TEST_CASE("Word vectors give the vocabulary and, unless told otherwise, the embeddings",
          "[transformer][setup]") {
  TempDir dir;
  WriteFile(dir.File("corpus.txt"), kCorpus);
  WriteFile(dir.File("v.txt"), kVectors);
  TrainSetupOptions o = NewRunOptions(dir);
  o.embeddings_path = dir.File("v.txt");
  o.embedding.scale = EmbeddingScale::kRaw;
  auto setup = SetUpTrainRun(o);
  REQUIRE(setup.ok());
  CHECK(setup->vocabulary == VocabularySource::kVectors);
  const LmState& s = setup->state;
  CHECK(s.words == std::vector<std::string>{"<unk>", "</s>", "c", "zz", "a"});
  REQUIRE(setup->embeddings.has_value());
  CHECK(setup->embeddings->found == 3);
  CHECK(setup->embeddings->source_dim == 4);
  CHECK(!setup->embeddings->pca);
  // Raw scale, same width: the rows are the file's.
  const std::span<const float> wte = s.model->param(kWte);
  CHECK(std::vector<float>(wte.begin() + 4 * 4, wte.begin() + 5 * 4) ==
        std::vector<float>{0, 0, 1, 2});

  o.init = EmbeddingInit::kRandom;
  auto random = SetUpTrainRun(o);
  REQUIRE(random.ok());
  CHECK(!random->embeddings.has_value());
  CHECK(std::vector<float>(random->state.model->params().begin(),
                           random->state.model->params().end()) ==
        RandomInit(random->state.model->config(), 11));

  // A vocabulary file wins over the vectors, which still initialise the words they have.
  WriteFile(dir.File("v.vocab"), "a 5\nq 9\n");
  o.init = EmbeddingInit::kAuto;
  o.vocab_path = dir.File("v.vocab");
  auto from_file = SetUpTrainRun(o);
  REQUIRE(from_file.ok());
  CHECK(from_file->vocabulary == VocabularySource::kVocabFile);
  CHECK(from_file->state.words == std::vector<std::string>{"<unk>", "</s>", "q", "a"});
  REQUIRE(from_file->embeddings.has_value());
  CHECK(from_file->embeddings->found == 1);
}

TEST_CASE("Bad model options are flagged apart from bad files", "[transformer][setup]") {
  TempDir dir;
  WriteFile(dir.File("corpus.txt"), kCorpus);
  TrainSetupOptions o = NewRunOptions(dir);
  o.model.heads = 3;
  bool bad_config = false;
  auto setup = SetUpTrainRun(o, &bad_config);
  REQUIRE(!setup.ok());
  CHECK(bad_config);
  CHECK(setup.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(setup.status().message()) == "--heads 3 must divide --d-model 4");

  o.model.heads = 2;
  o.embeddings_path = dir.File("missing.bin");
  auto missing = SetUpTrainRun(o, &bad_config);
  REQUIRE(!missing.ok());
  CHECK(!bad_config);
  CHECK(std::string(missing.status().message()).find("missing.bin") != std::string::npos);

  o.embeddings_path.clear();
  o.init = EmbeddingInit::kPretrained;
  CHECK(SetUpTrainRun(o).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Resuming takes the checkpoint and only extends its budget", "[transformer][setup]") {
  TempDir dir;
  LmState trained = wordspace::testing::TinyLmState(
      {.vocab_size = 9, .context = 4, .d_model = 8, .layers = 1, .heads = 2}, 2);
  trained.train.batch = 2;
  trained.train.steps = 6;
  std::vector<int32_t> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(i % 9);
  TrainRunOptions run;
  run.stop_after = 2;
  run.checkpoint_path = dir.File("part.lm");
  REQUIRE(Train(&trained, ids, nullptr, run).ok());

  TrainSetupOptions o;
  o.resume_path = dir.File("part.lm");
  o.model.heads = 8;  // ignored: the checkpoint's model stands
  o.train.seed = 99;
  auto same = SetUpTrainRun(o);
  REQUIRE(same.ok());
  CHECK(same->resumed);
  CHECK(same->vocabulary == VocabularySource::kCheckpoint);
  CHECK(!same->extended_from_steps.has_value());
  CHECK(same->state.step == 2);
  CHECK(same->state.train.steps == 6);
  CHECK(same->state.train.seed == trained.train.seed);
  CHECK(same->state.model->config().heads == 2);
  CHECK(same->state.words == trained.words);
  CHECK(std::memcmp(same->state.model->params().data(), trained.model->params().data(),
                    trained.model->params().size_bytes()) == 0);

  o.steps = 10;
  o.minutes = 2.5;
  auto extended = SetUpTrainRun(o);
  REQUIRE(extended.ok());
  CHECK(extended->extended_from_steps == std::optional<int64_t>(6));
  CHECK(extended->state.train.steps == 10);
  CHECK(extended->state.train.minutes == 2.5);
  o.steps = 6;  // the same budget is no extension
  CHECK(!SetUpTrainRun(o)->extended_from_steps.has_value());

  // An inference-only checkpoint cannot be resumed.
  LmState inference = wordspace::testing::TinyLmState(
      {.vocab_size = 9, .context = 4, .d_model = 8, .layers = 1, .heads = 2}, 2);
  REQUIRE(WriteCheckpoint(inference, dir.File("inference.lm")).ok());
  o.resume_path = dir.File("inference.lm");
  auto refused = SetUpTrainRun(o);
  REQUIRE(!refused.ok());
  CHECK(refused.status().code() == absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace wordspace::transformer
