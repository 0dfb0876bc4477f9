#include "eval/lm/ngram_model_io.h"

#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/binary_io.h"
#include "base/output_file.h"
#include "base/status_macros.h"
#include "corpus/file_kind.h"

namespace wordspace::eval {

static_assert(kNgramMagic == corpus::kNgramFileMagic,
              "the file sniffer must know the n-gram model's magic");

// Friend of NgramModel: the only code that touches its levels besides training.
class NgramModelIo {
 public:
  static absl::Status Write(const NgramModel& m, const std::string& path);
  static absl::StatusOr<NgramModel> Read(const std::string& path);
};

absl::Status NgramModelIo::Write(const NgramModel& m, const std::string& path) {
  ASSIGN_OR_RETURN(auto file, OutputFile::Create(path));
  BinaryWriter w([&file](std::string_view bytes) { return file->Write(bytes); });
  const int N = m.order_;
  w.PutBytes(kNgramMagic);
  w.Put(kNgramFormatVersion);
  w.Put(static_cast<uint32_t>(N));
  w.Put(static_cast<uint32_t>(m.vocab_size()));
  w.Put(m.vocab_.unk_id);
  w.Put(m.vocab_.eos_id);
  const corpus::TokenizerOptions& t = m.vocab_.tokenizer;
  uint32_t flags = (t.lowercase ? 1u : 0u) | (t.strip_punct ? 2u : 0u) | (t.split_cjk ? 4u : 0u);
  w.Put(flags);
  w.Put(m.training_tokens_);
  for (int n = 0; n <= N; ++n) w.Put(static_cast<uint64_t>(m.levels_[n].size()));
  for (int n = 1; n <= N; ++n) {
    const NgramOrderStats& s = m.stats_[n];
    w.Put(s.ngrams);
    for (uint64_t c : s.count_of_counts) w.Put(c);
    for (double d : s.discounts) w.Put(d);
    w.Put(static_cast<uint32_t>(s.fallback));
  }
  for (const std::string& word : m.vocab_.words) w.PutString(word);
  for (int n = 0; n < N; ++n) {
    w.PutArray(m.levels_[n].child_begin);
    w.PutArray(m.levels_[n].gamma);
  }
  for (int n = 1; n <= N; ++n) {
    w.PutArray(m.levels_[n].word);
    w.PutArray(m.levels_[n].alpha);
  }
  w.PutCrc();
  RETURN_IF_ERROR(w.Flush());
  return file->Commit();
}

absl::StatusOr<NgramModel> NgramModelIo::Read(const std::string& path) {
  ASSIGN_OR_RETURN(BinaryReader r, BinaryReader::Open(path));
  r.set_fix("; rewrite it with `wordspace ngram-train`");
  auto corrupt = [&](const std::string& what) {
    return absl::DataLossError(absl::StrCat(path, ": corrupt n-gram model (", what,
                                            "); rewrite it with `wordspace ngram-train`"));
  };

  char magic[8];
  if (r.file_size() < sizeof(magic) || !r.ReadBytes(magic, sizeof(magic), "the magic").ok() ||
      std::string_view(magic, 8) != kNgramMagic) {
    // What the file is instead, in the words every command uses (corpus/file_kind.h).
    if (absl::StatusOr<corpus::FileSniff> sniff = corpus::SniffFile(path); sniff.ok()) {
      RETURN_IF_ERROR(corpus::CheckKind(path, *sniff, corpus::FileRole::kNextWordModel));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not a wordspace n-gram model (bad magic); make one with `wordspace ngram-train`"));
  }
  uint32_t version = 0, order = 0, vocab_size = 0, flags = 0;
  NgramModel m;
  RETURN_IF_ERROR(r.Read(&version, "the version"));
  if (version != kNgramFormatVersion) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": n-gram model format version ", version,
                                                   "; this build reads version ",
                                                   kNgramFormatVersion));
  }
  RETURN_IF_ERROR(r.Read(&order, "the order"));
  RETURN_IF_ERROR(r.Read(&vocab_size, "the vocabulary size"));
  RETURN_IF_ERROR(r.Read(&m.vocab_.unk_id, "the <unk> id"));
  RETURN_IF_ERROR(r.Read(&m.vocab_.eos_id, "the </s> id"));
  RETURN_IF_ERROR(r.Read(&flags, "the tokenizer flags"));
  RETURN_IF_ERROR(r.Read(&m.training_tokens_, "the training token count"));
  if (order < 1 || order > static_cast<uint32_t>(kMaxNgramOrder)) {
    return corrupt(absl::StrCat("order ", order));
  }
  if (vocab_size == 0 || vocab_size == 0xFFFFFFFFu) {
    return corrupt(absl::StrCat("vocabulary size ", vocab_size));
  }
  const int64_t V = vocab_size;
  if (m.vocab_.unk_id < 0 || m.vocab_.unk_id >= V || m.vocab_.eos_id < 0 || m.vocab_.eos_id >= V ||
      m.vocab_.unk_id == m.vocab_.eos_id || flags > 7) {
    return corrupt("special ids or flags");
  }
  m.vocab_.tokenizer.lowercase = flags & 1;
  m.vocab_.tokenizer.strip_punct = flags & 2;
  m.vocab_.tokenizer.split_cjk = flags & 4;
  const int N = static_cast<int>(order);
  m.order_ = N;
  std::vector<uint64_t> sizes(N + 1);
  for (uint64_t& s : sizes) RETURN_IF_ERROR(r.Read(&s, "the level sizes"));
  if (sizes[0] != 1 || sizes[1] != static_cast<uint64_t>(V)) return corrupt("level sizes");
  for (int n = 2; n <= N; ++n) {
    if (sizes[n] >= 0xFFFFFFFFull) return corrupt("level sizes");
  }
  m.stats_.resize(N + 1);
  for (int n = 1; n <= N; ++n) {
    NgramOrderStats& s = m.stats_[n];
    uint32_t fallback = 0;
    RETURN_IF_ERROR(r.Read(&s.ngrams, "the order statistics"));
    for (uint64_t& c : s.count_of_counts) RETURN_IF_ERROR(r.Read(&c, "the order statistics"));
    for (double& d : s.discounts) RETURN_IF_ERROR(r.Read(&d, "the order statistics"));
    RETURN_IF_ERROR(r.Read(&fallback, "the order statistics"));
    s.fallback = fallback != 0;
  }
  // A word takes at least its 4-byte length.
  RETURN_IF_ERROR(r.CheckCount("the vocabulary size", static_cast<uint64_t>(V), 4));
  m.vocab_.words.resize(V);
  for (std::string& word : m.vocab_.words) RETURN_IF_ERROR(r.ReadString(&word, "the vocabulary"));
  // Everything left has a size the header fixes: check it before allocating. Level sizes are
  // below 2^32 and there are at most kMaxNgramOrder of them, so the sum cannot overflow.
  uint64_t expected = 4;  // crc
  for (int n = 0; n < N; ++n) expected += 4 * (sizes[n] + 1) + 4 * sizes[n];
  for (int n = 1; n <= N; ++n) expected += 8 * sizes[n];
  if (r.remaining() != expected) {
    return absl::DataLossError(
        absl::StrCat(path, ": ", r.remaining() < expected ? "truncated" : "has trailing bytes",
                     " (", r.file_size(), " bytes; the header implies ", r.position() + expected,
                     "); rewrite it with `wordspace ngram-train`"));
  }
  m.levels_.resize(N + 1);
  for (int n = 0; n < N; ++n) {
    RETURN_IF_ERROR(r.ReadArray(&m.levels_[n].child_begin, sizes[n] + 1, "the child offsets"));
    RETURN_IF_ERROR(r.ReadArray(&m.levels_[n].gamma, sizes[n], "the backoff weights"));
  }
  for (int n = 1; n <= N; ++n) {
    RETURN_IF_ERROR(r.ReadArray(&m.levels_[n].word, sizes[n], "the n-gram words"));
    RETURN_IF_ERROR(r.ReadArray(&m.levels_[n].alpha, sizes[n], "the probabilities"));
  }
  const uint32_t computed = r.crc();
  uint32_t stored = 0;
  RETURN_IF_ERROR(r.Read(&stored, "the checksum"));
  if (stored != computed) return corrupt("checksum mismatch");

  // The structure lookups rely on; a file with a valid checksum passes, but a wrong one must
  // not send a binary search out of bounds.
  for (int n = 0; n < N; ++n) {
    const std::vector<uint32_t>& cb = m.levels_[n].child_begin;
    if (cb.front() != 0 || cb.back() != sizes[n + 1]) return corrupt("child offsets");
    const std::vector<uint32_t>& words = m.levels_[n + 1].word;
    for (uint64_t p = 0; p < sizes[n]; ++p) {
      if (cb[p] > cb[p + 1]) return corrupt("child offsets");
      for (uint32_t j = cb[p]; j < cb[p + 1]; ++j) {
        if (words[j] >= vocab_size || (j > cb[p] && words[j] <= words[j - 1])) {
          return corrupt("n-gram order");
        }
      }
    }
    for (float g : m.levels_[n].gamma) {
      if (!(g > 0.0f && g <= 1.0f)) return corrupt("backoff weight");
    }
  }
  for (int n = 1; n <= N; ++n) {
    for (float a : m.levels_[n].alpha) {
      if (!(a >= 0.0f && a <= 1.0f)) return corrupt("probability");
    }
  }
  for (uint32_t w = 0; w < vocab_size; ++w) {
    if (m.levels_[1].word[w] != w) return corrupt("unigram level");
  }
  m.Finish();
  return m;
}

absl::Status WriteNgramModel(const NgramModel& model, const std::string& path) {
  return NgramModelIo::Write(model, path);
}

absl::StatusOr<NgramModel> ReadNgramModel(const std::string& path) {
  return NgramModelIo::Read(path);
}

}  // namespace wordspace::eval
