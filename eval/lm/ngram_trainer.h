// Trains a Kneser-Ney n-gram model (eval/ngram_model.h) from a plain or gzip corpus, over a
// fixed vocabulary: the N most frequent words (of the corpus itself, of a `word count`
// vocabulary file, or the first N rows of a word-vector file, which our trainer writes in
// descending frequency), then `<unk>` for every other word and `</s>` at the end of each line.
// Ids: the N words in that order, then <unk> = N, then </s> = N+1; so V = N + 2 (the kBack
// layout of corpus/lm_vocabulary.h, which the model files written so far use).
//
//   NgramTrainOptions o{.train_path = "corpus.txt.gz", .vocab_size = 20000};
//   o.kn.order = 5;
//   ASSIGN_OR_RETURN(NgramModel lm, TrainNgramFromCorpus(o));
#ifndef WORDSPACE_EVAL_LM_NGRAM_TRAINER_H_
#define WORDSPACE_EVAL_LM_NGRAM_TRAINER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "corpus/sentence_reader.h"
#include "corpus/vocabulary.h"
#include "eval/lm/ngram_model.h"

namespace wordspace::eval {

struct NgramTrainOptions {
  std::string train_path;
  corpus::CorpusOptions corpus;
  KneserNeyOptions kn;
  int64_t vocab_size = 20000;  // N
  int64_t min_count = 1;       // counted vocabulary only: drop rarer words first
  std::string vocab_path;      // take the words from this `word count` file
  std::string vectors_path;    // or from the first rows of this vector file
};

struct NgramTrainReport {
  corpus::CorpusStats corpus;
  uint64_t tokens = 0;          // training stream length, </s> included
  uint64_t unknown_tokens = 0;  // of which <unk>
  double seconds = 0;
};

// The first `n` (>= 1) words of `ordered` that are not `<unk>` or `</s>`, then those two: the
// NgramVocabulary every n-gram model uses.
NgramVocabulary MakeNgramVocabulary(const std::vector<std::string>& ordered, int64_t n,
                                    const corpus::TokenizerOptions& tokenizer);

// Errors name the file at fault (NotFound, DataLoss, InvalidArgument).
[[nodiscard]] absl::StatusOr<NgramModel> TrainNgramFromCorpus(const NgramTrainOptions& options,
                                                              NgramTrainReport* report = nullptr,
                                                              const NgramProgress& progress = {});

}  // namespace wordspace::eval

#endif  // WORDSPACE_EVAL_LM_NGRAM_TRAINER_H_
