#include "embeddings/fasttext_model.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "embeddings/subwords.h"
#include "tests/testing/temp_dir.h"

namespace wordspace::embeddings {
namespace {

using testing::TempDir;

constexpr int kDim = 3;
const std::vector<std::string> kWords = {"where", "here", "</s>", "été"};
const std::vector<int64_t> kCounts = {9, 7, 5, 2};

FastTextArgs SmallArgs() {
  FastTextArgs args;
  args.dim = kDim;
  args.bucket = 11;
  args.minn = 2;
  args.maxn = 4;
  return args;
}

// Input rows (4 words + 11 buckets) padded to a stride of 4, output rows of 3 (one short of the
// words: the writer pads it, as for hierarchical softmax's inner nodes).
struct Matrices {
  std::vector<float> input, output;
  Matrices() {
    for (int r = 0; r < 15; ++r) {
      for (int k = 0; k < 4; ++k) input.push_back(k < kDim ? 0.5f * r - 0.25f * k : -99.0f);
    }
    for (int r = 0; r < 3; ++r) {
      for (int k = 0; k < 4; ++k) output.push_back(k < kDim ? 1.0f + r + 0.125f * k : -99.0f);
    }
  }
  MatrixView in() const { return {input.data(), 15, kDim, 4}; }
  MatrixView out() const { return {output.data(), 3, kDim, 4}; }
};

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST_CASE("a fastText model round-trips: args, dictionary and both matrices", "[embeddings]") {
  TempDir dir;
  const Matrices m;
  const std::string path = dir.File("m.bin");
  REQUIRE(WriteFastTextModel(path, SmallArgs(), kWords, kCounts, 23, m.in(), m.out()).ok());
  const std::string bytes = ReadBytes(path);
  CHECK(IsFastTextModel(bytes));
  CHECK_FALSE(IsFastTextModel("1 3\n"));
  // 8 magic+version, 13 args (12 int32 + a double), dictionary, two matrices.
  size_t dictionary = 12 + 16;
  for (const std::string& w : kWords) dictionary += w.size() + 1 + 8 + 1;
  CHECK(bytes.size() == 8 + 12 * 4 + 8 + dictionary + (1 + 16 + 15 * kDim * 4) + (1 + 16 + 4 * kDim * 4));

  auto model = ReadFastTextModel(path);
  REQUIRE(model.ok());
  CHECK(model->args.dim == kDim);
  CHECK(model->args.bucket == 11);
  CHECK(model->args.minn == 2);
  CHECK(model->args.maxn == 4);
  CHECK(model->args.loss == FastTextArgs::kNs);
  CHECK(model->args.model == FastTextArgs::kSkipGram);
  CHECK(model->args.t == 1e-4);
  CHECK(model->words == kWords);
  CHECK(model->counts == kCounts);
  CHECK(model->tokens == 23);
  REQUIRE(model->input_rows == 15);
  REQUIRE(model->output_rows == 4);
  for (int r = 0; r < 15; ++r) {
    for (int k = 0; k < kDim; ++k) CHECK(model->input[r * kDim + k] == m.input[r * 4 + k]);
  }
  for (int k = 0; k < kDim; ++k) {
    CHECK(model->output[2 * kDim + k] == m.output[2 * 4 + k]);
    CHECK(model->output[3 * kDim + k] == 0.0f);  // the padding row
  }

  // Word vectors: each the mean of the word's own row and its n-gram rows; "</s>" has none.
  const SubwordTable table = SubwordTable::Build(kWords, {.minn = 2, .maxn = 4, .bucket = 11});
  const std::vector<float> input = model->input;
  WordVectors vectors = model->TakeWordVectors();
  REQUIRE(vectors.size() == 4);
  REQUIRE(vectors.has_ngrams());
  CHECK(table.end(2) - table.begin(2) == 1);
  for (uint32_t w = 0; w < 4; ++w) {
    for (int k = 0; k < kDim; ++k) {
      double sum = 0;
      for (const uint32_t* r = table.begin(w); r != table.end(w); ++r) sum += input[*r * kDim + k];
      CHECK(vectors.row(w)[k] == Approx(sum / (table.end(w) - table.begin(w))));
    }
  }
  // A word outside the vocabulary: the mean of its n-gram rows; one too short for any: none.
  const auto unseen = vectors.NgramVector("there");
  REQUIRE(unseen.has_value());
  const std::vector<uint32_t> rows = table.NgramRows("there");
  double sum = 0;
  for (uint32_t r : rows) sum += input[r * kDim + 1];
  CHECK((*unseen)[1] == Approx(sum / rows.size()));
  CHECK_FALSE(SubwordTable::Build(kWords, {.minn = 5, .maxn = 6, .bucket = 11})
                  .NgramRows("a")
                  .size());
}

TEST_CASE("a model without subwords has one row per word and no n-gram answers",
          "[embeddings]") {
  TempDir dir;
  const Matrices m;
  FastTextArgs args = SmallArgs();
  args.maxn = 0;
  const MatrixView words_only{m.input.data(), 4, kDim, 4};
  REQUIRE(WriteFastTextModel(dir.File("m.bin"), args, kWords, kCounts, 23, words_only, m.out()).ok());
  auto model = ReadFastTextModel(dir.File("m.bin"));
  REQUIRE(model.ok());
  CHECK(model->args.bucket == 0);  // as fastText writes -maxn 0 models
  CHECK(model->input_rows == 4);
  WordVectors vectors = model->TakeWordVectors();
  CHECK_FALSE(vectors.has_ngrams());
  CHECK_FALSE(vectors.NgramVector("there").has_value());
  CHECK(vectors.row(1)[2] == m.input[1 * 4 + 2]);
}

TEST_CASE("malformed and truncated models are errors naming the file and the field",
          "[embeddings]") {
  TempDir dir;
  const Matrices m;
  const std::string good = dir.File("good.bin");
  REQUIRE(WriteFastTextModel(good, SmallArgs(), kWords, kCounts, 23, m.in(), m.out()).ok());
  const std::string bytes = ReadBytes(good);
  const std::string bad = dir.File("bad.bin");
  auto error_of = [&](const std::string& content) {
    WriteBytes(bad, content);
    auto model = ReadFastTextModel(bad);
    REQUIRE_FALSE(model.ok());
    const std::string message(model.status().message());
    CHECK_THAT(message, Catch::StartsWith(bad + ": "));
    return message;
  };
  // Every truncation, at every byte, is refused; the field is named.
  for (size_t n = 0; n < bytes.size(); ++n) {
    INFO("truncated to " << n << " bytes");
    error_of(bytes.substr(0, n));
  }
  CHECK_THAT(error_of(bytes.substr(0, 30)), Catch::Contains("args."));
  CHECK_THAT(error_of(bytes.substr(0, 100)), Catch::Contains("the dictionary size is 4"));
  CHECK_THAT(error_of(bytes.substr(0, bytes.size() - 5)), Catch::Contains("the output matrix"));
  CHECK_THAT(error_of(bytes + "x"), Catch::Contains("after the output matrix"));

  auto with_int32 = [&](size_t offset, int32_t value) {
    std::string b = bytes;
    std::memcpy(b.data() + offset, &value, 4);
    return b;
  };
  CHECK_THAT(error_of(with_int32(0, 1234)), Catch::Contains("not a fastText model"));
  CHECK_THAT(error_of(with_int32(4, 13)), Catch::Contains("the format version is 13"));
  CHECK_THAT(error_of(with_int32(8, 0)), Catch::Contains("args.dim is 0"));
  CHECK_THAT(error_of(with_int32(8 + 6 * 4, 9)), Catch::Contains("args.loss is 9"));
  CHECK_THAT(error_of(with_int32(8 + 7 * 4, FastTextArgs::kSupervised)),
             Catch::Contains("supervised"));
  CHECK_THAT(error_of(with_int32(8 + 9 * 4, 7)), Catch::Contains("args.minn is 7 with args.maxn 4"));
  // bucket 12: the input matrix no longer has the rows the args promise.
  CHECK_THAT(error_of(with_int32(8 + 8 * 4, 12)), Catch::Contains("the input matrix is 15 × 3"));
  // A word with no 0 byte before the end of the file (entry 3, "été", starts 43 bytes in).
  const size_t entries = 8 + 12 * 4 + 8 + 12 + 16;
  CHECK_THAT(error_of(bytes.substr(0, entries + 45)), Catch::Contains("dictionary entry 3's word"));
  // A quantized (.ftz) model.
  std::string quantized = bytes;
  size_t flag = entries;
  for (const std::string& w : kWords) flag += w.size() + 1 + 8 + 1;
  REQUIRE(quantized[flag] == 0);
  quantized[flag] = 1;
  CHECK_THAT(error_of(quantized), Catch::Contains("quantized"));
  // A label where a word should be.
  std::string label = bytes;
  label[entries + kWords[0].size() + 1 + 8] = 1;
  CHECK_THAT(error_of(label), Catch::Contains("dictionary entry 0 is a label"));
}

TEST_CASE("writing never leaves a partial model", "[embeddings]") {
  TempDir dir;
  const Matrices m;
  CHECK_FALSE(WriteFastTextModel(dir.File("missing/m.bin"), SmallArgs(), kWords, kCounts, 23,
                                 m.in(), m.out())
                  .ok());
  // Parts that do not fit (an input matrix without its buckets) are a bug, refused before any
  // byte is written.
  const MatrixView short_input{m.input.data(), 4, kDim, 4};
  CHECK_FALSE(WriteFastTextModel(dir.File("m.bin"), SmallArgs(), kWords, kCounts, 23, short_input,
                                 m.out())
                  .ok());
  CHECK_FALSE(std::ifstream(dir.File("m.bin")).good());
}

}  // namespace
}  // namespace wordspace::embeddings
