#include "tools/corpus_options.h"

#include <cstdio>

namespace wordspace::tools {

void AddCorpusOptions(po::options_description* options, CorpusFlags* flags,
                      bool with_read_vocab) {
  auto& e = flags->encode;
  options->add_options()
      ("lowercase", po::bool_switch(&e.corpus.tokenizer.lowercase), "lowercase words (ASCII, Latin, Greek, Cyrillic)")
      ("strip-punct", po::bool_switch(&e.corpus.tokenizer.strip_punct), "treat punctuation as white space")
      ("split-cjk", po::bool_switch(&e.corpus.tokenizer.split_cjk), "make each CJK character a token (Chinese/Japanese without a segmenter)")
      ("strict", po::bool_switch(&e.corpus.strict_utf8), "invalid UTF-8 is an error (default: drop the bytes and report a count)")
      ("force", po::bool_switch(&e.corpus.force), "read the corpus even if it does not look like text (a vector file, a model, binary data)")
      ("min-count", po::value(&e.vocab.min_count)->default_value(5), "ignore words seen fewer times")
      ("max-vocab", po::value(&e.vocab.max_vocab)->default_value(0), "keep only the N most frequent words (0: all)");
  if (with_read_vocab) {
    options->add_options()("read-vocab", po::value(&flags->read_vocab),
                           "use this `word count` vocabulary file instead of counting the corpus");
  }
}

void PrintCorpusReport(const std::string& path, const corpus::CorpusStats& stats,
                       int64_t vocab_size) {
  std::fprintf(stderr, "%s: %llu words, %llu sentences, vocabulary %lld words\n", path.c_str(),
               static_cast<unsigned long long>(stats.words),
               static_cast<unsigned long long>(stats.sentences), static_cast<long long>(vocab_size));
  if (stats.invalid_utf8_bytes > 0) {
    std::fprintf(stderr,
                 "%s: warning: dropped %llu invalid UTF-8 bytes (--strict makes this an error)\n",
                 path.c_str(), static_cast<unsigned long long>(stats.invalid_utf8_bytes));
  }
}

}  // namespace wordspace::tools
