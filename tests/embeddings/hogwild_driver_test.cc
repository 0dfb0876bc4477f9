#include "embeddings/hogwild_driver.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "base/parallel_for.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::embeddings {
namespace {

using testing::TempDir;

TEST_CASE("the learning rate falls linearly from start to end", "[embeddings]") {
  const LearningRateSchedule s{0.05, 0.001, 999};
  CHECK(s.At(0) == 0.05);
  CHECK(s.At(500) == Approx(0.05 - 0.049 * 0.5));
  CHECK(s.At(1000) == Approx(0.001));
  CHECK(s.At(5000) == Approx(0.001));  // clamped after the last word
  CHECK(s.At(300) > s.At(301));
}

std::string Word(int w) { return {'w', static_cast<char>('0' + w)}; }

// `lines` sentences "w0 w1 ... w9", each word once per line.
std::string TenWordLines(int lines) {
  std::string text;
  for (int l = 0; l < lines; ++l) {
    for (int w = 0; w < 10; ++w) {
      text += Word(w);
      text += w == 9 ? '\n' : ' ';
    }
  }
  return text;
}

corpus::TokenIdFile Encode(const TempDir& dir, const std::string& text) {
  testing::WriteFile(dir.File("c.txt"), text);
  auto ids =
      corpus::TokenIdFile::Encode(dir.File("c.txt"), {.corpus = {}, .vocab = {.min_count = 1}});
  REQUIRE(ids.ok());
  return std::move(*ids);
}

struct Seen {
  std::vector<std::vector<uint32_t>> sentences;
  std::vector<float> alphas;
};

// A trainer that records what it is given and counts one pair per word.
auto Recorder(Seen& seen) {
  return [&seen](int, FastRng&) {
    return [&seen](const uint32_t* s, int n, float alpha, double* loss, uint64_t* pairs) {
      seen.sentences.emplace_back(s, s + n);
      seen.alphas.push_back(alpha);
      *loss += n;
      *pairs += static_cast<uint64_t>(n);
    };
  };
}

TEST_CASE("one worker gets every sentence once per epoch, at a falling rate", "[embeddings]") {
  TempDir dir;
  const corpus::TokenIdFile ids = Encode(dir, TenWordLines(3000));
  const Subsampler keep_all(ids.vocab(), 0);
  const LearningRateSchedule schedule{0.5, 0.1, ids.tokens() * 2};
  HogwildDriver driver(ids, {.threads = 1, .epochs = 2, .seed = 1, .schedule = schedule});
  Seen seen;
  auto totals = driver.Run(keep_all, Recorder(seen), {}, 0.5);
  REQUIRE(totals.ok());
  CHECK(totals->words == 60000u);
  CHECK(totals->pairs == 60000u);
  CHECK(totals->final_loss == Approx(1.0));  // loss n per n pairs
  REQUIRE(seen.sentences.size() == 6000u);
  std::vector<uint32_t> line;
  for (int w = 0; w < 10; ++w) line.push_back(static_cast<uint32_t>(ids.vocab().Find(Word(w))));
  for (const auto& s : seen.sentences) CHECK(s == line);
  CHECK(seen.alphas.front() == 0.5f);
  // The count is published every 10000 words, after a sentence; the last rate is that of
  // 50000 words read.
  CHECK(seen.alphas.back() == static_cast<float>(schedule.At(50000)));
  for (size_t i = 1; i < seen.alphas.size(); ++i) CHECK(seen.alphas[i] <= seen.alphas[i - 1]);
}

TEST_CASE("workers split the file and each reports into its own slot", "[embeddings]") {
  TempDir dir;
  const corpus::TokenIdFile ids = Encode(dir, TenWordLines(1000));
  const Subsampler keep_all(ids.vocab(), 0);
  HogwildDriver driver(
      ids, {.threads = 3, .epochs = 1, .seed = 1, .schedule = {0.5, 0.1, ids.tokens()}});
  std::vector<uint64_t> words(3);
  auto totals = driver.Run(
      keep_all,
      [&](int t, FastRng&) {
        return [&words, t](const uint32_t*, int n, float, double*, uint64_t* pairs) {
          words[t] += static_cast<uint64_t>(n);
          *pairs += static_cast<uint64_t>(n);
        };
      },
      {}, 0.5);
  REQUIRE(totals.ok());
  CHECK(totals->words == 10000u);
  // A sentence cut by a range boundary may leave a one-word piece, which is not trained.
  CHECK(words[0] + words[1] + words[2] == totals->pairs);
  CHECK(totals->pairs >= 10000u - 2);
  for (uint64_t w : words) CHECK(w > 3000u);
}

TEST_CASE("the monitor reports while workers run and stops when they finish", "[embeddings]") {
  TempDir dir;
  const corpus::TokenIdFile ids = Encode(dir, TenWordLines(40));
  const Subsampler keep_all(ids.vocab(), 0);
  HogwildDriver driver(
      ids, {.threads = 2, .epochs = 2, .seed = 1, .schedule = {0.5, 0.1, ids.tokens() * 2}});
  std::vector<TrainProgress> reports;
  auto totals = driver.Run(
      keep_all,
      [](int, FastRng&) {
        return [](const uint32_t*, int n, float, double* loss, uint64_t* pairs) {
          std::this_thread::sleep_for(std::chrono::milliseconds(3));
          *loss += 0.5 * n;
          *pairs += static_cast<uint64_t>(n);
        };
      },
      [&](const TrainProgress& p) { reports.push_back(p); }, 0.01);
  REQUIRE(totals.ok());
  CHECK(totals->words == 800u);
  REQUIRE(!reports.empty());  // 80 sentences of 3 ms over 2 workers: ~120 ms
  for (const TrainProgress& p : reports) {
    CHECK(p.fraction >= 0);
    CHECK(p.fraction <= 1);
    CHECK(p.epoch >= 1);
    CHECK(p.epoch <= 2);
  }
}

TEST_CASE("a driver started while the pool is busy trains everything serially", "[embeddings]") {
  TempDir dir;
  const corpus::TokenIdFile ids = Encode(dir, TenWordLines(200));
  const Subsampler keep_all(ids.vocab(), 0);
  uint64_t pairs = 0;
  // The outer loop holds the pool, so the driver's workers and monitor run one after another
  // on this thread; the monitor, last, must find the workers done instead of waiting forever.
  ParallelFor(4, 4, [&](int part, size_t, size_t) {
    if (part != 0) return;
    HogwildDriver driver(
        ids, {.threads = 2, .epochs = 1, .seed = 1, .schedule = {0.5, 0.1, ids.tokens()}});
    Seen seen;
    auto totals = driver.Run(
        keep_all, Recorder(seen), [](const TrainProgress&) {}, 0.001);
    if (totals.ok()) pairs = totals->pairs;
  });
  CHECK(pairs >= 2000u - 1);
}

}  // namespace
}  // namespace wordspace::embeddings
