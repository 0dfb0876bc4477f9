#include "embeddings/context_window.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <tuple>
#include <vector>

#include "corpus/token_id_file.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::embeddings {
namespace {

using Pair = std::tuple<int, int>;  // (context position, centre position)

// The window code as sgns_trainer.cc's two loops wrote it before it was shared.
std::vector<Pair> OldLoopPairs(int length, int window, FastRng& rng) {
  std::vector<Pair> pairs;
  for (int i = 0; i < length; ++i) {
    const int reach = 1 + static_cast<int>(rng.Below(static_cast<uint32_t>(window)));
    const int begin = std::max(0, i - reach);
    const int end = std::min(length, i + reach + 1);
    for (int c = begin; c < end; ++c) {
      if (c == i) continue;
      pairs.emplace_back(c, i);
    }
  }
  return pairs;
}

TEST_CASE("the shared window code yields exactly the old loop's pairs", "[embeddings]") {
  for (int window : {1, 2, 5, 9}) {
    for (int length : {1, 2, 7, 40}) {
      FastRng old_rng(99), rng(99);
      const std::vector<Pair> want = OldLoopPairs(length, window, old_rng);
      std::vector<Pair> got;
      ForEachWindow(length, window, rng, [&](const ContextWindow& w) {
        ForEachContext(w, [&](int c) { got.emplace_back(c, w.centre); });
      });
      INFO("window " << window << ", length " << length);
      CHECK(got == want);
      CHECK(rng.Next() == old_rng.Next());  // the same number of draws
    }
  }
}

TEST_CASE("every window lies within the sentence and reaches at most `window`", "[embeddings]") {
  FastRng rng(5);
  int centres = 0;
  bool saw_full_reach = false;
  ForEachWindow(30, 4, rng, [&](const ContextWindow& w) {
    CHECK(w.centre == centres++);
    CHECK(w.begin >= 0);
    CHECK(w.end <= 30);
    CHECK(w.begin <= w.centre);
    CHECK(w.end > w.centre);
    CHECK(w.centre - w.begin <= 4);
    CHECK(w.end - 1 - w.centre <= 4);
    saw_full_reach |= w.centre - w.begin == 4;
  });
  CHECK(centres == 30);
  CHECK(saw_full_reach);
}

TEST_CASE("the subsampler keeps words with word2vec's probability", "[embeddings]") {
  testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 900; ++i) text += "the ";
  for (int i = 0; i < 100; ++i) text += "cat ";
  testing::WriteFile(dir.File("c.txt"), text + "\n");
  auto ids =
      corpus::TokenIdFile::Encode(dir.File("c.txt"), {.corpus = {}, .vocab = {.min_count = 1}});
  REQUIRE(ids.ok());
  const corpus::Vocabulary& vocab = ids->vocab();
  const uint32_t the = static_cast<uint32_t>(vocab.Find("the"));
  const uint32_t cat = static_cast<uint32_t>(vocab.Find("cat"));

  const Subsampler off(vocab, 0);
  CHECK(off.KeepProbability(the) == 1.0f);
  CHECK(off.KeepProbability(cat) == 1.0f);

  const double sample = 0.01;  // threshold sample·N = 10 words
  const Subsampler on(vocab, sample);
  auto word2vec = [&](double c) {
    return static_cast<float>((std::sqrt(c / 10.0) + 1.0) * 10.0 / c);
  };
  CHECK(on.KeepProbability(the) == word2vec(900));
  CHECK(on.KeepProbability(cat) == word2vec(100));

  // A word that is always kept draws nothing from the generator.
  FastRng rng(1), untouched(1);
  CHECK(off.Keep(the, rng));
  CHECK(rng.Next() == untouched.Next());
  // A frequent word survives about as often as its probability says.
  int kept = 0;
  const int trials = 100000;
  for (int i = 0; i < trials; ++i) kept += on.Keep(the, rng);
  CHECK(std::fabs(kept / static_cast<double>(trials) - word2vec(900)) < 0.01);
}

}  // namespace
}  // namespace wordspace::embeddings
