#include "embeddings/fasttext_model.h"

#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/binary_io.h"
#include "base/output_file.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "embeddings/input_rows.h"
#include "embeddings/subwords.h"

namespace wordspace::embeddings {
namespace {

// Limits that no real model reaches, so that a corrupt count is an error before any allocation.
constexpr uint64_t kMaxWords = uint64_t{1} << 30;
constexpr uint64_t kMaxWordBytes = 1 << 16;
constexpr int32_t kMaxDim = 100000;

void PutMatrix(BinaryWriter& w, MatrixView m, int64_t rows) {
  w.Put<int64_t>(rows);
  w.Put<int64_t>(m.cols);
  for (int64_t r = 0; r < m.rows; ++r) {
    w.PutBytes(m.data + static_cast<size_t>(r) * m.stride, static_cast<size_t>(m.cols) * 4);
  }
  const std::vector<float> zeros(m.cols, 0.0f);
  for (int64_t r = m.rows; r < rows; ++r) w.PutBytes(zeros.data(), zeros.size() * 4);
}

// int32 args field that must lie in [low, high].
absl::Status ReadArg(BinaryReader& r, int32_t* value, std::string_view field, int32_t low,
                     int32_t high) {
  const uint64_t at = r.position();
  RETURN_IF_ERROR(r.Read(value, field));
  if (*value < low || *value > high) {
    return r.ErrorAt(at, absl::StrCat(ToAbsl(field), " is ", *value, ", not in ", low, "..", high));
  }
  return absl::OkStatus();
}

// A matrix header (int64 rows, int64 cols) that must be `rows` × `cols`, then its floats.
absl::Status ReadMatrix(BinaryReader& r, std::string_view name, int64_t rows, int32_t cols,
                        int64_t* rows_out, std::vector<float>* values) {
  const uint64_t at = r.position();
  int64_t m = 0, n = 0;
  RETURN_IF_ERROR(r.Read(&m, absl::StrCat(ToAbsl(name), "'s row count")));
  RETURN_IF_ERROR(r.Read(&n, absl::StrCat(ToAbsl(name), "'s column count")));
  if (m != rows || n != cols) {
    return r.ErrorAt(at, absl::StrCat(ToAbsl(name), " is ", m, " × ", n, ", where the args and dictionary say ",
                                      rows, " × ", cols));
  }
  RETURN_IF_ERROR(r.CheckCount(absl::StrCat(ToAbsl(name), "'s values"), static_cast<uint64_t>(m) * n, 4));
  *rows_out = m;
  return r.ReadArray(values, static_cast<uint64_t>(m) * n, absl::StrCat(ToAbsl(name), "'s values"));
}

}  // namespace

bool IsFastTextModel(std::string_view first_bytes) {
  if (first_bytes.size() < 4) return false;
  int32_t magic;
  std::memcpy(&magic, first_bytes.data(), 4);
  return magic == kFastTextMagic;
}

absl::Status WriteFastTextModel(const std::string& path, const FastTextArgs& args,
                                const std::vector<std::string>& words,
                                const std::vector<int64_t>& counts, int64_t tokens,
                                MatrixView input, MatrixView output) {
  const int64_t nwords = static_cast<int64_t>(words.size());
  if (counts.size() != words.size() || input.cols != args.dim || output.cols != args.dim ||
      input.rows != nwords + (args.maxn > 0 ? args.bucket : 0) || output.rows > nwords) {
    return absl::InternalError(absl::StrCat(path, ": the model's parts do not fit together"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> file, OutputFile::Create(path));
  BinaryWriter w([&file](std::string_view bytes) { return file->Write(bytes); });
  w.Put<int32_t>(kFastTextMagic);
  w.Put<int32_t>(kFastTextVersion);
  const FastTextArgs& a = args;
  for (int32_t v : {a.dim, a.ws, a.epoch, a.min_count, a.neg, a.word_ngrams, a.loss, a.model,
                    a.maxn > 0 ? a.bucket : 0, a.minn, a.maxn, a.lr_update_rate}) {
    w.Put<int32_t>(v);
  }
  w.Put<double>(a.t);
  w.Put<int32_t>(static_cast<int32_t>(nwords));  // size: words and no labels
  w.Put<int32_t>(static_cast<int32_t>(nwords));
  w.Put<int32_t>(0);
  w.Put<int64_t>(tokens);
  w.Put<int64_t>(-1);  // not pruned
  for (size_t i = 0; i < words.size(); ++i) {
    w.PutBytes(words[i]);
    w.Put<uint8_t>(0);
    w.Put<int64_t>(counts[i]);
    w.Put<int8_t>(0);  // a word, not a label
  }
  w.Put<bool>(false);  // input not quantized
  PutMatrix(w, input, input.rows);
  w.Put<bool>(false);
  PutMatrix(w, output, nwords);
  RETURN_IF_ERROR(w.Flush());
  return file->Commit();
}

absl::StatusOr<FastTextModel> ReadFastTextModel(const std::string& path) {
  ASSIGN_OR_RETURN(BinaryReader r, BinaryReader::Open(path));
  r.set_fix("; is it a whole fastText .bin model (fastText's `-output` .bin or `train --save-model`)?");
  int32_t magic = 0, version = 0;
  RETURN_IF_ERROR(r.Read(&magic, "the magic number"));
  if (magic != kFastTextMagic) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a fastText model (its first 4 bytes are not fastText's magic "
                           "number 793712314)"));
  }
  RETURN_IF_ERROR(ReadArg(r, &version, "the format version", 11, kFastTextVersion));
  FastTextModel model;
  FastTextArgs& a = model.args;
  RETURN_IF_ERROR(ReadArg(r, &a.dim, "args.dim", 1, kMaxDim));
  RETURN_IF_ERROR(ReadArg(r, &a.ws, "args.ws", 0, 1 << 20));
  RETURN_IF_ERROR(ReadArg(r, &a.epoch, "args.epoch", 0, 1 << 30));
  RETURN_IF_ERROR(ReadArg(r, &a.min_count, "args.minCount", 0, 1 << 30));
  RETURN_IF_ERROR(ReadArg(r, &a.neg, "args.neg", 0, 1 << 20));
  RETURN_IF_ERROR(ReadArg(r, &a.word_ngrams, "args.wordNgrams", 0, 1 << 10));
  RETURN_IF_ERROR(ReadArg(r, &a.loss, "args.loss", FastTextArgs::kHs, FastTextArgs::kOva));
  RETURN_IF_ERROR(
      ReadArg(r, &a.model, "args.model", FastTextArgs::kCbow, FastTextArgs::kSupervised));
  RETURN_IF_ERROR(ReadArg(r, &a.bucket, "args.bucket", 0, 1 << 30));
  RETURN_IF_ERROR(ReadArg(r, &a.minn, "args.minn", 0, 1 << 10));
  RETURN_IF_ERROR(ReadArg(r, &a.maxn, "args.maxn", 0, 1 << 10));
  RETURN_IF_ERROR(ReadArg(r, &a.lr_update_rate, "args.lrUpdateRate", 0, 1 << 30));
  RETURN_IF_ERROR(r.Read(&a.t, "args.t"));
  if (a.model == FastTextArgs::kSupervised) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": a supervised fastText model (a classifier) has label vectors, not word vectors; "
              "train it with `fasttext skipgram` or `fasttext cbow`"));
  }
  if (version == 11 && a.model == FastTextArgs::kSupervised) a.maxn = 0;
  if (a.maxn > 0 && (a.minn < 1 || a.minn > a.maxn)) {
    return r.Error(absl::StrCat("args.minn is ", a.minn, " with args.maxn ", a.maxn));
  }

  int32_t size = 0, nwords = 0, nlabels = 0;
  int64_t pruned = 0;
  RETURN_IF_ERROR(ReadArg(r, &size, "the dictionary size", 0, static_cast<int32_t>(kMaxWords)));
  RETURN_IF_ERROR(ReadArg(r, &nwords, "the dictionary's word count", 0, size));
  RETURN_IF_ERROR(ReadArg(r, &nlabels, "the dictionary's label count", 0, size - nwords));
  if (nwords + nlabels != size) {
    return r.Error(absl::StrCat("the dictionary has ", size, " entries but ", nwords, " words and ",
                                nlabels, " labels"));
  }
  RETURN_IF_ERROR(r.Read(&model.tokens, "the dictionary's token count"));
  const uint64_t pruned_at = r.position();
  RETURN_IF_ERROR(r.Read(&pruned, "the dictionary's pruned-index size"));
  if (pruned > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": a pruned (quantized) fastText model (byte ", pruned_at,
        "); read the full .bin model it was quantized from"));
  }
  RETURN_IF_ERROR(r.CheckCount("the dictionary size", static_cast<uint64_t>(size), 10));
  model.words.reserve(nwords);
  model.counts.reserve(nwords);
  for (int32_t i = 0; i < size; ++i) {
    std::string word;
    const uint64_t word_at = r.position();
    for (char c = 1;;) {
      RETURN_IF_ERROR(r.Read(&c, absl::StrCat("dictionary entry ", i, "'s word")));
      if (c == 0) break;
      word.push_back(c);
      if (word.size() > kMaxWordBytes) {
        return r.ErrorAt(word_at, absl::StrCat("dictionary entry ", i, "'s word is longer than ",
                                               kMaxWordBytes, " bytes (no 0 byte ends it)"));
      }
    }
    int64_t count = 0;
    int8_t type = 0;
    RETURN_IF_ERROR(r.Read(&count, absl::StrCat("dictionary entry ", i, "'s count")));
    const uint64_t type_at = r.position();
    RETURN_IF_ERROR(r.Read(&type, absl::StrCat("dictionary entry ", i, "'s type")));
    if (type != 0 && type != 1) {
      return r.ErrorAt(type_at, absl::StrCat("dictionary entry ", i, "'s type is ", int{type},
                                             " (0: word, 1: label)"));
    }
    if ((type == 0) != (i < nwords)) {
      return r.ErrorAt(type_at, absl::StrCat("dictionary entry ", i, " is a ",
                                             type == 0 ? "word" : "label", " where the first ",
                                             nwords, " entries are words and the rest labels"));
    }
    if (type == 0) {
      model.words.push_back(std::move(word));
      model.counts.push_back(count);
    }
  }
  bool quantized = false;
  const uint64_t quantized_at = r.position();
  RETURN_IF_ERROR(r.Read(&quantized, "the input matrix's quantized flag"));
  if (quantized) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": a quantized fastText model (.ftz; byte ", quantized_at,
        "); read the full .bin model it was quantized from"));
  }
  RETURN_IF_ERROR(ReadMatrix(r, "the input matrix", int64_t{nwords} + a.bucket, a.dim,
                             &model.input_rows, &model.input));
  RETURN_IF_ERROR(r.Read(&quantized, "the output matrix's quantized flag"));
  if (quantized) return r.Error("the output matrix is quantized, the input not");
  RETURN_IF_ERROR(ReadMatrix(r, "the output matrix", nwords, a.dim, &model.output_rows,
                             &model.output));
  RETURN_IF_ERROR(r.ExpectEnd("the output matrix"));
  return model;
}

WordVectors FastTextModel::TakeWordVectors() {
  const int dim = args.dim;
  const size_t nwords = words.size();
  const SubwordOptions options{.minn = args.minn, .maxn = args.maxn, .bucket = args.bucket};
  auto ngrams = std::make_shared<NgramRows>();
  ngrams->table = SubwordTable::Build(words, options);
  ngrams->dim = dim;
  std::vector<float> values(nwords * dim);
  const SubwordRows rows(ngrams->table, input.data(), dim);
  for (size_t w = 0; w < nwords; ++w) rows.Mean(static_cast<uint32_t>(w), dim, values.data() + w * dim);
  WordVectors vectors(words, dim, std::move(values));
  if (args.maxn > 0 && args.bucket > 0) {
    ngrams->matrix = std::move(input);
    vectors.set_ngrams(std::move(ngrams));
  }
  input.clear();
  return vectors;
}

}  // namespace wordspace::embeddings
