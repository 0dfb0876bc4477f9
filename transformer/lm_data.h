// The language model's vocabulary and its view of a corpus.
//
// Vocabulary: "<unk>" (id 0) and "</s>" (id 1, the end of a line, as in word2vec.c; the kFront
// layout of corpus/lm_vocabulary.h, where the two words are defined), then the N most frequent
// words, taken from a vector file (its rows are in frequency order), from a
// `word count` vocabulary file, or counted from the training corpus. The literal words "<unk>"
// and "</s>" in a source are not counted again.
//
// Corpus: read through corpus::TokenIdFile with that fixed vocabulary and keep_unknown, so the
// reader, tokenizer and UTF-8 handling are the skip-gram trainer's; out-of-vocabulary words
// become <unk> (0) and every line (sentence) end becomes </s> (1).
//
//   ASSIGN_OR_RETURN(WordVectors vectors, embeddings::ReadVectors("vectors.bin"));
//   std::vector<std::string> words = VocabularyFromVectors(vectors, 20000);
//   ASSIGN_OR_RETURN(EncodedText train, EncodeText("corpus.txt.gz", words, {}));
#ifndef WORDSPACE_TRANSFORMER_LM_DATA_H_
#define WORDSPACE_TRANSFORMER_LM_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/sentence_reader.h"
#include "corpus/vocabulary.h"
#include "embeddings/word_vectors.h"

namespace wordspace::transformer {

// <unk>, </s>, then the first `max_words` rows' words (all when max_words <= 0).
std::vector<std::string> VocabularyFromVectors(const embeddings::WordVectors& vectors,
                                               int max_words);
// <unk>, </s>, then the `max_words` most frequent words of a `word count` file.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> VocabularyFromFile(const std::string& path,
                                                                          int max_words);
// <unk>, </s>, then the `max_words` most frequent words of a corpus (ties by word).
[[nodiscard]] absl::StatusOr<std::vector<std::string>> VocabularyFromCorpus(
    const std::string& path, const corpus::CorpusOptions& options, int max_words,
    const corpus::ReadProgress& progress = {});

struct EncodedText {
  std::vector<int32_t> ids;  // model ids, </s> after every line
  uint64_t words = 0;        // word tokens (ids that are not </s>)
  uint64_t unknown = 0;      // of which <unk>
  uint64_t lines = 0;        // sentences (</s> count)
  corpus::CorpusStats stats;
};

// Encodes a plain or gzip text with the model vocabulary `words` (as built above).
// NotFound/DataLoss/InvalidArgument name `path`.
[[nodiscard]] absl::StatusOr<EncodedText> EncodeText(const std::string& path,
                                                     const std::vector<std::string>& words,
                                                     const corpus::CorpusOptions& options,
                                                     const corpus::ReadProgress& progress = {});

// CRC-32 of the ids' bytes: with the count, the fingerprint of a training set in checkpoints.
uint32_t IdsCrc32(const std::vector<int32_t>& ids);

}  // namespace wordspace::transformer

#endif  // WORDSPACE_TRANSFORMER_LM_DATA_H_
