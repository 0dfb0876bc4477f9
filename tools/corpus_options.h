// Options shared by every command that reads a corpus (train, vocab, lm-train, ngram-train):
// tokenizer switches, --strict, --force, --min-count/--max-vocab, --read-vocab.
#ifndef WORDSPACE_TOOLS_CORPUS_OPTIONS_H_
#define WORDSPACE_TOOLS_CORPUS_OPTIONS_H_

#include <string>

#include "corpus/token_id_file.h"
#include "tools/options.h"

namespace wordspace::tools {

struct CorpusFlags {
  corpus::EncodeOptions encode;
  std::string read_vocab;
};

// Adds --lowercase, --strip-punct, --split-cjk, --strict, --force, --min-count, --max-vocab (and,
// with `with_read_vocab`, --read-vocab) bound to `flags`.
void AddCorpusOptions(po::options_description* options, CorpusFlags* flags,
                      bool with_read_vocab = true);

// Prints the end-of-pass corpus report (words, sentences, vocabulary, dropped UTF-8 bytes).
void PrintCorpusReport(const std::string& path, const corpus::CorpusStats& stats,
                       int64_t vocab_size);

}  // namespace wordspace::tools

#endif  // WORDSPACE_TOOLS_CORPUS_OPTIONS_H_
