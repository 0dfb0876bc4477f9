// Vocabulary: the words of a corpus with their counts, sorted by descending count and then by
// word, so ids are deterministic (never hash-map order). Id 0 is the most frequent word.
//
//   ASSIGN_OR_RETURN(Vocabulary vocab, BuildVocabulary("corpus.txt.gz", {}, {.min_count = 5}));
//   int32_t id = vocab.Find("cat");   // -1 when absent
#ifndef WORDSPACE_CORPUS_VOCABULARY_H_
#define WORDSPACE_CORPUS_VOCABULARY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "corpus/sentence_reader.h"

namespace wordspace::corpus {

struct VocabOptions {
  int64_t min_count = 5;  // words seen fewer times are dropped
  int64_t max_vocab = 0;  // keep at most this many most frequent words; 0 keeps all
};

// What counting saw before min_count and max_vocab were applied: the figures a "nothing to
// train on" error shows, so that the user sees why.
struct CountSummary {
  uint64_t tokens = 0;    // words counted (the sum of every count)
  uint64_t distinct = 0;  // distinct words
  int64_t largest = 0;    // the highest count
  int64_t min_count = 0;  // the threshold that was applied
};

class Vocabulary {
 public:
  Vocabulary() = default;
  // Sorts, filters by min_count and truncates to max_vocab.
  static Vocabulary FromCounts(absl::flat_hash_map<std::string, int64_t> counts,
                               const VocabOptions& options);
  // Keeps the given order; words must be distinct (InvalidArgument names the duplicate).
  [[nodiscard]] static absl::StatusOr<Vocabulary> FromOrderedWords(std::vector<std::string> words,
                                                                   std::vector<int64_t> counts);

  int32_t size() const { return static_cast<int32_t>(words_.size()); }
  const std::string& word(int32_t id) const { return words_[id]; }
  int64_t count(int32_t id) const { return counts_[id]; }
  const std::vector<std::string>& words() const { return words_; }
  const std::vector<int64_t>& counts() const { return counts_; }
  // Sum of the counts of the kept words.
  int64_t total_count() const { return total_count_; }
  // Id of `word`, or -1.
  int32_t Find(std::string_view word) const;
  // What FromCounts counted (for FromOrderedWords: the given words and counts).
  const CountSummary& counted() const { return counted_; }

 private:
  void Index();

  std::vector<std::string> words_;
  std::vector<int64_t> counts_;
  absl::flat_hash_map<std::string, int32_t> ids_;
  int64_t total_count_ = 0;
  CountSummary counted_;
};

// OK when `vocab` holds a word. Otherwise InvalidArgument: `path` (the corpus or vocabulary file
// it was counted from) has nothing to train on, with what was counted (words, distinct words,
// the largest count, the min-count) and what to change. Every command that counts a corpus
// calls this one check.
[[nodiscard]] absl::Status CheckNotEmpty(const std::string& path, const Vocabulary& vocab);

// What a pass over the corpus saw, for the end-of-run report.
struct CorpusStats {
  uint64_t words = 0;              // all tokens, in the vocabulary or not
  uint64_t sentences = 0;
  uint64_t invalid_utf8_bytes = 0;
};

// Called now and then with the fraction of the input read (0 when unknown).
using ReadProgress = std::function<void(double fraction, uint64_t words)>;

// Counts the words of a corpus and builds its vocabulary. NotFound/DataLoss/InvalidArgument
// name `path`; InvalidArgument (CheckNotEmpty) when no word is kept.
[[nodiscard]] absl::StatusOr<Vocabulary> BuildVocabulary(const std::string& path,
                                                         const CorpusOptions& corpus_options,
                                                         const VocabOptions& vocab_options,
                                                         CorpusStats* stats = nullptr,
                                                         const ReadProgress& progress = {});

}  // namespace wordspace::corpus

#endif  // WORDSPACE_CORPUS_VOCABULARY_H_
