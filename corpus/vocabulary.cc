#include "corpus/vocabulary.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/string_view.h"

namespace wordspace::corpus {

Vocabulary Vocabulary::FromCounts(absl::flat_hash_map<std::string, int64_t> counts,
                                  const VocabOptions& options) {
  std::vector<std::pair<std::string, int64_t>> entries;
  entries.reserve(counts.size());
  CountSummary counted;
  counted.distinct = counts.size();
  counted.min_count = options.min_count;
  for (auto& [word, count] : counts) {
    counted.tokens += static_cast<uint64_t>(count);
    counted.largest = std::max(counted.largest, count);
    if (count >= options.min_count) entries.emplace_back(word, count);
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (options.max_vocab > 0 && entries.size() > static_cast<size_t>(options.max_vocab)) {
    entries.resize(options.max_vocab);
  }
  Vocabulary vocab;
  vocab.words_.reserve(entries.size());
  vocab.counts_.reserve(entries.size());
  for (auto& [word, count] : entries) {
    vocab.words_.push_back(std::move(word));
    vocab.counts_.push_back(count);
  }
  vocab.Index();
  vocab.counted_ = counted;
  return vocab;
}

absl::StatusOr<Vocabulary> Vocabulary::FromOrderedWords(std::vector<std::string> words,
                                                        std::vector<int64_t> counts) {
  Vocabulary vocab;
  vocab.words_ = std::move(words);
  vocab.counts_ = std::move(counts);
  vocab.counts_.resize(vocab.words_.size(), 0);
  vocab.Index();
  vocab.counted_.distinct = vocab.words_.size();
  for (int64_t c : vocab.counts_) {
    vocab.counted_.tokens += static_cast<uint64_t>(c);
    vocab.counted_.largest = std::max(vocab.counted_.largest, c);
  }
  if (vocab.ids_.size() != vocab.words_.size()) {
    for (size_t i = 0; i < vocab.words_.size(); ++i) {
      if (vocab.ids_.at(vocab.words_[i]) != static_cast<int32_t>(i)) {
        return absl::InvalidArgumentError(
            absl::StrCat("word '", vocab.words_[i], "' appears twice (row ", i + 1, ")"));
      }
    }
  }
  return vocab;
}

void Vocabulary::Index() {
  ids_.clear();
  ids_.reserve(words_.size());
  for (size_t i = 0; i < words_.size(); ++i) ids_.emplace(words_[i], static_cast<int32_t>(i));
  total_count_ = std::accumulate(counts_.begin(), counts_.end(), int64_t{0});
}

int32_t Vocabulary::Find(std::string_view word) const {
  auto it = ids_.find(ToAbsl(word));
  return it == ids_.end() ? -1 : it->second;
}

absl::Status CheckNotEmpty(const std::string& path, const Vocabulary& vocab) {
  if (vocab.size() > 0) return absl::OkStatus();
  const CountSummary& c = vocab.counted();
  if (c.tokens == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": nothing to train on: no words in it (0 words read, 0 distinct); ",
                     "give a corpus with text"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": nothing to train on: ", c.tokens, " words read, ", c.distinct,
                   " distinct, the most frequent seen ", c.largest,
                   c.largest == 1 ? " time" : " times", ", so none reaches --min-count ",
                   c.min_count, "; lower --min-count to ", c.largest, " or use more text"));
}

absl::StatusOr<Vocabulary> BuildVocabulary(const std::string& path,
                                           const CorpusOptions& corpus_options,
                                           const VocabOptions& vocab_options, CorpusStats* stats,
                                           const ReadProgress& progress) {
  ASSIGN_OR_RETURN(auto reader, SentenceReader::Open(path, corpus_options));
  absl::flat_hash_map<std::string, int64_t> counts;
  CorpusStats local;
  std::vector<std::string_view> words;
  while (true) {
    ASSIGN_OR_RETURN(bool got, reader->Next(&words));
    if (!got) break;
    ++local.sentences;
    local.words += words.size();
    for (std::string_view w : words) {
      auto it = counts.find(ToAbsl(w));
      if (it == counts.end()) {
        counts.emplace(std::string(w), 1);
      } else {
        ++it->second;
      }
    }
    if (progress && (local.sentences & 0xFFF) == 0) progress(reader->FractionRead(), local.words);
  }
  local.invalid_utf8_bytes = reader->invalid_utf8_bytes();
  if (stats != nullptr) *stats = local;
  Vocabulary vocab = Vocabulary::FromCounts(std::move(counts), vocab_options);
  RETURN_IF_ERROR(CheckNotEmpty(path, vocab));
  return vocab;
}

}  // namespace wordspace::corpus
