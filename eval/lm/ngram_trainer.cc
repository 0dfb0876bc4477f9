#include "eval/lm/ngram_trainer.h"

#include <chrono>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "corpus/lm_vocabulary.h"
#include "corpus/token_id_file.h"
#include "corpus/vocabulary_io.h"
#include "embeddings/vector_io.h"

namespace wordspace::eval {

NgramVocabulary MakeNgramVocabulary(const std::vector<std::string>& ordered, int64_t n,
                                    const corpus::TokenizerOptions& tokenizer) {
  const std::vector<std::string> plain = corpus::PlainWords(ordered, n);
  const corpus::LmLayout layout(corpus::SpecialWordsAt::kBack, static_cast<int64_t>(plain.size()));
  NgramVocabulary v;
  v.tokenizer = tokenizer;
  v.words = layout.Words(plain);
  v.unk_id = layout.unk_id();
  v.eos_id = layout.eos_id();
  return v;
}

absl::StatusOr<NgramModel> TrainNgramFromCorpus(const NgramTrainOptions& options,
                                                NgramTrainReport* report,
                                                const NgramProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (options.vocab_size < 1) {
    return absl::InvalidArgumentError("--vocab-size must be at least 1");
  }
  if (!options.vocab_path.empty() && !options.vectors_path.empty()) {
    return absl::InvalidArgumentError("give --read-vocab or --vectors, not both");
  }
  auto report_phase = [&](const std::string& s) {
    if (progress) progress(s);
  };

  // The vocabulary, when it comes from a file.
  std::optional<NgramVocabulary> fixed;
  if (!options.vectors_path.empty()) {
    report_phase(absl::StrCat("reading the vocabulary from ", options.vectors_path));
    ASSIGN_OR_RETURN(embeddings::WordVectors vectors,
                     embeddings::ReadVectors(options.vectors_path, embeddings::VectorFormat::kAuto,
                                             options.vocab_size + 2));
    fixed = MakeNgramVocabulary(vectors.words(), options.vocab_size, options.corpus.tokenizer);
  } else if (!options.vocab_path.empty()) {
    report_phase(absl::StrCat("reading the vocabulary from ", options.vocab_path));
    ASSIGN_OR_RETURN(corpus::Vocabulary file_vocab,
                     corpus::ReadVocabulary(options.vocab_path, {.min_count = 0}));
    fixed = MakeNgramVocabulary(file_vocab.words(), options.vocab_size, options.corpus.tokenizer);
  }

  corpus::EncodeOptions encode;
  encode.corpus = options.corpus;
  encode.keep_unknown = true;
  // Two spare words in case the corpus spells `<unk>` or `</s>`, which are filtered out.
  encode.vocab = {.min_count = options.min_count, .max_vocab = options.vocab_size + 2};
  corpus::Vocabulary fixed_corpus_vocab;
  if (fixed) {
    std::vector<std::string> plain(fixed->words.begin(), fixed->words.end() - 2);
    ASSIGN_OR_RETURN(fixed_corpus_vocab, corpus::Vocabulary::FromOrderedWords(
                                             std::move(plain), std::vector<int64_t>()));
  }
  report_phase(absl::StrCat("reading ", options.train_path));
  ASSIGN_OR_RETURN(
      corpus::TokenIdFile ids,
      corpus::TokenIdFile::Encode(options.train_path, encode, fixed ? &fixed_corpus_vocab : nullptr,
                                  [&](double fraction, uint64_t words) {
                                    if (progress) {
                                      progress(absl::StrFormat("reading %s  %5.1f%%  %.1fM words",
                                                               options.train_path, 100 * fraction,
                                                               words / 1e6));
                                    }
                                  }));
  // The shared "nothing to train on" checks: they name the corpus and what was counted. Words
  // below --min-count are kept as <unk> tokens, so the vocabulary is what must not be empty.
  if (!fixed) RETURN_IF_ERROR(corpus::CheckNotEmpty(options.train_path, ids.vocab()));
  RETURN_IF_ERROR(ids.CheckHasTokens());
  NgramVocabulary vocab = fixed ? *fixed
                                : MakeNgramVocabulary(ids.vocab().words(), options.vocab_size,
                                                      options.corpus.tokenizer);
  if (vocab.words.size() == 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(options.train_path, ": no word reaches --min-count ", options.min_count,
                     "; the vocabulary would hold only <unk> and </s>"));
  }

  // TokenIdFile ids -> model ids.
  absl::flat_hash_map<std::string, int32_t> model_id;
  for (int32_t i = 0; i < static_cast<int32_t>(vocab.words.size()); ++i) {
    model_id.emplace(vocab.words[i], i);
  }
  std::vector<uint32_t> remap(ids.vocab().size());
  for (int32_t i = 0; i < ids.vocab().size(); ++i) {
    const std::string& w = ids.vocab().word(i);
    auto it = corpus::IsSpecialWord(w) ? model_id.end() : model_id.find(w);
    remap[i] = static_cast<uint32_t>(it == model_id.end() ? vocab.unk_id : it->second);
  }
  std::vector<uint32_t> tokens(ids.size());
  RETURN_IF_ERROR(ids.Read(0, tokens.size(), tokens.data()));
  uint64_t unknown = 0;
  for (uint32_t& t : tokens) {
    if (t == corpus::kSentenceEnd) {
      t = static_cast<uint32_t>(vocab.eos_id);
    } else if (t == corpus::kUnknownId) {
      t = static_cast<uint32_t>(vocab.unk_id);
    } else {
      t = remap[t];
    }
    unknown += t == static_cast<uint32_t>(vocab.unk_id);
  }
  if (report != nullptr) {
    report->corpus = ids.stats();
    report->tokens = tokens.size();
    report->unknown_tokens = unknown;
  }
  ASSIGN_OR_RETURN(NgramModel model,
                   NgramModel::Train(tokens, std::move(vocab), options.kn, progress));
  if (report != nullptr) {
    report->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return model;
}

}  // namespace wordspace::eval
