// Checkpoints: round trip, resuming gives the uninterrupted run's bytes, malformed files.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "base/binary_io.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/tiny_lm.h"
#include "transformer/checkpoint_io.h"
#include "transformer/language_model.h"
#include "transformer/trainer.h"

namespace wordspace::transformer {
namespace {

using wordspace::testing::ReadFile;
using wordspace::testing::TempDir;
using wordspace::testing::WriteFile;

LmState MakeState(int64_t steps, uint64_t seed) {
  // Words w0..w27 at ids 2..29.
  LmState state = wordspace::testing::TinyLmState(
      {.vocab_size = 30, .context = 8, .d_model = 16, .layers = 2, .heads = 2}, seed,
      /*first_word=*/0);
  state.tokenizer.lowercase = true;
  state.train.batch = 4;
  state.train.steps = steps;
  state.train.seed = seed;
  state.train.optimizer.warmup = 5;
  return state;
}

std::vector<int32_t> RandomIds(int n, int V, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int32_t> ids(n);
  for (auto& x : ids) x = static_cast<int32_t>(rng() % V);
  return ids;
}

TEST_CASE("Checkpoint round trip keeps everything", "[transformer][checkpoint]") {
  TempDir dir;
  LmState state = MakeState(6, 3);
  const std::vector<int32_t> ids = RandomIds(500, 30, 1);
  TrainRunOptions run;
  run.stop_after = 3;
  REQUIRE(Train(&state, ids, nullptr, run).ok());
  const std::string path = dir.File("a.lm");
  REQUIRE(WriteCheckpoint(state, path).ok());

  auto read = ReadCheckpoint(path);
  REQUIRE(read.ok());
  CHECK(read->words == state.words);
  CHECK(read->tokenizer.lowercase);
  CHECK(!read->tokenizer.strip_punct);
  const ModelConfig& a = read->model->config();
  const ModelConfig& b = state.model->config();
  CHECK((a.vocab_size == b.vocab_size && a.context == b.context && a.d_model == b.d_model &&
         a.layers == b.layers && a.heads == b.heads && a.tied == b.tied));
  CHECK(std::memcmp(read->model->params().data(), state.model->params().data(),
                    state.model->params().size_bytes()) == 0);
  REQUIRE(read->has_optimizer);
  CHECK(std::memcmp(read->adam_m.data(), state.adam_m.data(), state.adam_m.size() * 4) == 0);
  CHECK(std::memcmp(read->adam_v.data(), state.adam_v.data(), state.adam_v.size() * 4) == 0);
  CHECK(read->step == 3);
  CHECK(read->train.steps == 6);
  CHECK(read->train.batch == 4);
  CHECK(read->train.optimizer.warmup == 5);
  CHECK(read->data_tokens == 500);
  CHECK(read->data_crc == state.data_crc);
  // Writing what was read gives the same bytes.
  REQUIRE(WriteCheckpoint(*read, dir.File("b.lm")).ok());
  CHECK(ReadFile(path) == ReadFile(dir.File("b.lm")));

  // Inference loading skips the optimizer state.
  auto lm = LanguageModel::Load(path);
  REQUIRE(lm.ok());
  CHECK(lm->vocab_size() == 30);
  CHECK(lm->trained_steps() == 3);
  CHECK(lm->Id("w3") == 5);
  CHECK(lm->Id("W3") == kUnkId);  // Id() is an exact lookup...
  CHECK(lm->EncodeLine("W3 nope") == std::vector<int32_t>{5, kUnkId});  // ...EncodeLine lowercases
}

TEST_CASE("A resumed run writes exactly the uninterrupted run's checkpoint",
          "[transformer][checkpoint]") {
  TempDir dir;
  const std::vector<int32_t> ids = RandomIds(3000, 30, 2);
  const std::vector<int32_t> valid = RandomIds(200, 30, 3);

  LmState full = MakeState(20, 7);
  TrainRunOptions run;
  run.threads = 1;
  run.checkpoint_path = dir.File("full.lm");
  run.eval_every = 5;
  REQUIRE(Train(&full, ids, &valid, run).ok());

  LmState part = MakeState(20, 7);
  run.checkpoint_path = dir.File("part.lm");
  run.stop_after = 10;
  run.eval_every = 3;  // evaluations must not disturb training
  auto first = Train(&part, ids, &valid, run);
  REQUIRE(first.ok());
  CHECK(first->steps == 10);
  CHECK(ReadFile(dir.File("part.lm")) != ReadFile(dir.File("full.lm")));

  auto resumed = ReadCheckpoint(dir.File("part.lm"));
  REQUIRE(resumed.ok());
  REQUIRE(resumed->step == 10);
  run.stop_after = 0;
  run.threads = 2;  // thread count does not change the bits either
  run.checkpoint_path = dir.File("resumed.lm");
  auto second = Train(&*resumed, ids, nullptr, run);
  REQUIRE(second.ok());
  CHECK(second->steps == 10);
  CHECK(second->total_steps == 20);
  CHECK(ReadFile(dir.File("resumed.lm")) == ReadFile(dir.File("full.lm")));

  // Resuming on different training text is refused.
  auto again = ReadCheckpoint(dir.File("part.lm"));
  REQUIRE(again.ok());
  auto wrong = Train(&*again, RandomIds(3000, 30, 99), nullptr, run);
  CHECK(absl::IsFailedPrecondition(wrong.status()));
}

TEST_CASE("Periodic checkpoints are written during training and resume exactly",
          "[transformer][checkpoint]") {
  TempDir dir;
  const std::vector<int32_t> ids = RandomIds(2000, 30, 4);
  LmState state = MakeState(12, 8);
  TrainRunOptions run;
  run.checkpoint_path = dir.File("p.lm");
  run.checkpoint_every = 5;
  // Read the file while training runs: at step 7 it holds the step-5 checkpoint. Resuming that
  // (as after a crash at step 7) must end where the uninterrupted run ends.
  std::string at_seven;
  auto result = Train(&state, ids, nullptr, run, [&](const TrainProgress& p) {
    if (p.step == 7) at_seven = ReadFile(dir.File("p.lm"));
  });
  REQUIRE(result.ok());
  REQUIRE(!at_seven.empty());
  WriteFile(dir.File("crash.lm"), at_seven);
  auto crashed = ReadCheckpoint(dir.File("crash.lm"));
  REQUIRE(crashed.ok());
  CHECK(crashed->step == 5);
  run.checkpoint_path = dir.File("recovered.lm");
  REQUIRE(Train(&*crashed, ids, nullptr, run).ok());
  CHECK(ReadFile(dir.File("recovered.lm")) == ReadFile(dir.File("p.lm")));
}

TEST_CASE("Malformed checkpoints give clear errors", "[transformer][checkpoint]") {
  TempDir dir;
  LmState state = MakeState(2, 1);
  const std::string good = dir.File("good.lm");
  REQUIRE(WriteCheckpoint(state, good).ok());
  const std::string bytes = ReadFile(good);
  REQUIRE(bytes.size() > 100);

  SECTION("missing file") {
    auto r = ReadCheckpoint(dir.File("absent.lm"));
    CHECK(absl::IsNotFound(r.status()));
    CHECK(std::string(r.status().message()).find("absent.lm") != std::string::npos);
  }
  SECTION("foreign file") {
    WriteFile(dir.File("vectors.txt"), "2 3\nthe 0.1 0.2 0.3\ncat 0.4 0.5 0.6\n");
    auto r = ReadCheckpoint(dir.File("vectors.txt"));
    CHECK(absl::IsInvalidArgument(r.status()));
    // The file sniffer names what it is instead (corpus/file_kind.h).
    CHECK(std::string(r.status().message())
              .find("vectors.txt: this is a word-vector file (word2vec text), not a "
                    "language-model checkpoint") != std::string::npos);
  }
  SECTION("empty file") {
    WriteFile(dir.File("empty.lm"), "");
    CHECK(absl::IsInvalidArgument(ReadCheckpoint(dir.File("empty.lm")).status()));
  }
  SECTION("truncated") {
    for (size_t keep : {size_t{10}, size_t{30}, bytes.size() / 2, bytes.size() - 1}) {
      WriteFile(dir.File("cut.lm"), bytes.substr(0, keep));
      auto r = ReadCheckpoint(dir.File("cut.lm"));
      INFO("kept " << keep << " bytes: " << r.status());
      CHECK(absl::IsDataLoss(r.status()));
    }
    WriteFile(dir.File("cut.lm"), bytes.substr(0, bytes.size() / 2));
    CHECK(std::string(ReadCheckpoint(dir.File("cut.lm")).status().message()).find("truncated") !=
          std::string::npos);
  }
  SECTION("corrupt byte") {
    for (size_t at : {size_t{30}, size_t{200}, bytes.size() / 2, bytes.size() - 5}) {
      std::string bad = bytes;
      bad[at] ^= 0x10;
      WriteFile(dir.File("bad.lm"), bad);
      auto r = ReadCheckpoint(dir.File("bad.lm"));
      INFO("flipped byte " << at << ": " << r.status());
      CHECK(absl::IsDataLoss(r.status()));
      CHECK(std::string(r.status().message()).find("checksum") != std::string::npos);
    }
  }
  SECTION("newer version") {
    std::string bad = bytes;
    bad[8] = 3;
    WriteFile(dir.File("v3.lm"), bad);
    auto r = ReadCheckpoint(dir.File("v3.lm"));
    CHECK(absl::IsInvalidArgument(r.status()));
    CHECK_THAT(std::string(r.status().message()),
               Catch::Contains("version 3") && Catch::Contains("newer wordspace"));
  }
  SECTION("appended garbage") {
    WriteFile(dir.File("long.lm"), bytes + "xyz");
    CHECK(absl::IsDataLoss(ReadCheckpoint(dir.File("long.lm")).status()));
  }
  // A field set to a huge value, with the checksum made to match, so that only the size checks
  // stand between the file and an allocation of gigabytes.
  auto with_field = [&](size_t offset, auto value) {
    std::string bad = bytes;
    std::memcpy(bad.data() + offset, &value, sizeof(value));
    const uint32_t crc = Crc32(bad.data(), bad.size() - 4);
    std::memcpy(bad.data() + bad.size() - 4, &crc, 4);
    return bad;
  };
  SECTION("a huge body size") {
    WriteFile(dir.File("body.lm"), with_field(16, ~uint64_t{0} - 3));
    auto r = ReadCheckpoint(dir.File("body.lm"));
    CHECK(absl::IsDataLoss(r.status()));
    CHECK_THAT(std::string(r.status().message()),
               Catch::Contains("body.lm") && Catch::Contains("truncated"));
  }
  SECTION("a huge vocabulary size") {
    WriteFile(dir.File("vocab.lm"), with_field(24, int32_t{100000000}));
    auto r = ReadCheckpoint(dir.File("vocab.lm"));
    CHECK(absl::IsDataLoss(r.status()));
    CHECK_THAT(std::string(r.status().message()),
               Catch::Contains("vocab.lm") && Catch::Contains("the vocabulary size is 100000000"));
  }
  SECTION("a huge batch") {
    // The training settings follow the head fields (48 bytes in) and the words.
    size_t at = 48;
    for (const std::string& w : state.words) at += 4 + w.size();
    WriteFile(dir.File("batch.lm"), with_field(at, int32_t{1} << 30));
    auto r = ReadCheckpoint(dir.File("batch.lm"));
    CHECK(absl::IsDataLoss(r.status()));
    CHECK_THAT(std::string(r.status().message()),
               Catch::Contains("batch.lm") && Catch::Contains("batch 1073741824"));
  }
  SECTION("a huge layer count") {
    // 10^7 layers of width 16 would be 30 G floats of parameters and as many gradients.
    WriteFile(dir.File("layers.lm"), with_field(36, int32_t{10000000}));
    auto r = ReadCheckpoint(dir.File("layers.lm"));
    CHECK(absl::IsDataLoss(r.status()));
    CHECK_THAT(std::string(r.status().message()),
               Catch::Contains("layers.lm") && Catch::Contains("L=10000000"));
  }
}

TEST_CASE("Checkpoints record the block's architecture; the classic block stays version 1",
          "[transformer][checkpoint]") {
  TempDir dir;
  // The classic block is written as version 1, the format every earlier build reads.
  LmState classic = MakeState(2, 1);
  REQUIRE(WriteCheckpoint(classic, dir.File("classic.lm")).ok());
  CHECK(ReadFile(dir.File("classic.lm"))[8] == 1);

  // ... unless a setting that version 1 cannot hold is used.
  LmState staged = MakeState(2, 1);
  staged.train.freeze_embeddings_steps = 7;
  staged.train.embedding_lr_scale = 0.25;
  REQUIRE(WriteCheckpoint(staged, dir.File("staged.lm")).ok());
  CHECK(ReadFile(dir.File("staged.lm"))[8] == 2);
  auto staged_read = ReadCheckpoint(dir.File("staged.lm"));
  REQUIRE(staged_read.ok());
  CHECK(staged_read->train.freeze_embeddings_steps == 7);
  CHECK(staged_read->train.embedding_lr_scale == 0.25);
  CHECK(staged_read->model->config().IsClassic());

  ModelConfig c = classic.model->config();
  REQUIRE(c.SetBlock("modern").ok());
  c.ff_hidden = 40;
  LmState modern = wordspace::testing::TinyLmState(c, 4, /*first_word=*/0);
  modern.train.batch = 4;
  const std::string path = dir.File("modern.lm");
  REQUIRE(WriteCheckpoint(modern, path).ok());
  const std::string bytes = ReadFile(path);
  CHECK(bytes[8] == 2);
  auto read = ReadCheckpoint(path);
  REQUIRE(read.ok());
  const ModelConfig& r = read->model->config();
  CHECK(r.norm == NormKind::kRmsNorm);
  CHECK(r.positions == PositionKind::kRotary);
  CHECK(r.feed_forward == FeedForwardKind::kSwiGlu);
  CHECK(!r.biases);
  CHECK(r.FfHidden() == 40);
  CHECK(read->model->layout().num_parameters() == modern.model->layout().num_parameters());
  CHECK(std::memcmp(read->model->params().data(), modern.model->params().data(),
                    modern.model->params().size_bytes()) == 0);
  // The read model computes what the written one does.
  const std::vector<int32_t> ids = RandomIds(9, 30, 2);
  CHECK(read->model->Loss(ids.data(), ids.data() + 1, 1, 8, 1) ==
        modern.model->Loss(ids.data(), ids.data() + 1, 1, 8, 1));

  // An unknown kind (the norm byte follows the 24-byte header and the 24 bytes of head fields)
  // is a damaged file, named as such, even with a matching checksum.
  std::string bad = bytes;
  bad[48] = 7;
  const uint32_t crc = Crc32(bad.data(), bad.size() - 4);
  std::memcpy(bad.data() + bad.size() - 4, &crc, 4);
  WriteFile(dir.File("bad.lm"), bad);
  auto damaged = ReadCheckpoint(dir.File("bad.lm"));
  CHECK(absl::IsDataLoss(damaged.status()));
  CHECK_THAT(std::string(damaged.status().message()),
             Catch::Contains("bad.lm") && Catch::Contains("unknown norm"));
}

TEST_CASE("A failed write leaves no file behind", "[transformer][checkpoint]") {
  LmState state = MakeState(2, 1);
  const std::string path = "/nonexistent-dir-for-wordspace-test/x.lm";
  CHECK(!WriteCheckpoint(state, path).ok());
  CHECK(!std::filesystem::exists(path));
}

}  // namespace
}  // namespace wordspace::transformer
