#include "transformer/lm_data.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/binary_io.h"
#include "base/status_macros.h"
#include "corpus/token_id_file.h"
#include "corpus/vocabulary_io.h"
#include "transformer/model.h"

namespace wordspace::transformer {
namespace {

std::vector<std::string> WithSpecials(const std::vector<std::string>& ranked, int max_words) {
  std::vector<std::string> plain = corpus::PlainWords(ranked, max_words);
  return corpus::LmLayout(kSpecialWordsAt, static_cast<int64_t>(plain.size())).Words(plain);
}

}  // namespace

std::vector<std::string> VocabularyFromVectors(const embeddings::WordVectors& vectors,
                                               int max_words) {
  return WithSpecials(vectors.words(), max_words);
}

absl::StatusOr<std::vector<std::string>> VocabularyFromFile(const std::string& path,
                                                            int max_words) {
  corpus::VocabOptions options;
  options.min_count = 0;
  ASSIGN_OR_RETURN(corpus::Vocabulary vocab, corpus::ReadVocabulary(path, options));
  return WithSpecials(vocab.words(), max_words);
}

absl::StatusOr<std::vector<std::string>> VocabularyFromCorpus(
    const std::string& path, const corpus::CorpusOptions& options, int max_words,
    const corpus::ReadProgress& progress) {
  corpus::VocabOptions vocab_options;
  vocab_options.min_count = 1;
  // Two spare places in case "<unk>" or "</s>" occur literally.
  vocab_options.max_vocab = max_words > 0 ? max_words + 2 : 0;
  ASSIGN_OR_RETURN(corpus::Vocabulary vocab,
                   corpus::BuildVocabulary(path, options, vocab_options, nullptr, progress));
  return WithSpecials(vocab.words(), max_words);
}

absl::StatusOr<EncodedText> EncodeText(const std::string& path,
                                       const std::vector<std::string>& words,
                                       const corpus::CorpusOptions& options,
                                       const corpus::ReadProgress& progress) {
  if (words.size() < 2 || words[kUnkId] != corpus::kUnknownWord ||
      words[kEosId] != corpus::kEndOfLineWord) {
    return absl::InvalidArgumentError("model vocabulary must start with <unk> and </s>");
  }
  // The corpus vocabulary holds the real words only; corpus id i is model id layout.PlainId(i).
  const corpus::LmLayout layout(kSpecialWordsAt, static_cast<int64_t>(words.size()) - 2);
  std::vector<std::string> real(words.begin() + 2, words.end());
  std::vector<int64_t> counts(real.size());
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = static_cast<int64_t>(counts.size() - i);
  ASSIGN_OR_RETURN(corpus::Vocabulary vocab,
                   corpus::Vocabulary::FromOrderedWords(std::move(real), std::move(counts)));
  corpus::EncodeOptions encode;
  encode.corpus = options;
  encode.keep_unknown = true;
  ASSIGN_OR_RETURN(corpus::TokenIdFile file,
                   corpus::TokenIdFile::Encode(path, encode, &vocab, progress));
  EncodedText out;
  out.stats = file.stats();
  out.ids.resize(file.size());
  std::vector<uint32_t> chunk(1 << 16);
  for (uint64_t begin = 0; begin < file.size(); begin += chunk.size()) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), file.size() - begin));
    RETURN_IF_ERROR(file.Read(begin, n, chunk.data()));
    for (size_t i = 0; i < n; ++i) {
      const int32_t m = layout.FromTokenId(chunk[i]);
      out.lines += m == kEosId;
      out.unknown += m == kUnkId;
      out.words += m != kEosId;
      out.ids[begin + i] = m;
    }
  }
  return out;
}

uint32_t IdsCrc32(const std::vector<int32_t>& ids) {
  return Crc32(ids.data(), ids.size() * sizeof(int32_t));
}

}  // namespace wordspace::transformer
