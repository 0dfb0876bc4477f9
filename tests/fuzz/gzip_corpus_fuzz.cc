// Fuzz target: a corpus (gzip or plain; detected from the content, so the memfd needs no .gz
// name) through corpus::SentenceReader, as `train` and `vocab` read it, in the default mode
// (invalid UTF-8 dropped and counted), then with --strict and every tokenizer option on.
#include <cstddef>
#include <cstdint>

#include "base/check.h"
#include "corpus/sentence_reader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wordspace;
  const std::string& path = fuzz::InputPath(data, size);
  for (bool strict : {false, true}) {
    corpus::CorpusOptions options;
    options.strict_utf8 = strict;
    options.tokenizer.lowercase = options.tokenizer.strip_punct = options.tokenizer.split_cjk =
        strict;
    absl::StatusOr<std::unique_ptr<corpus::SentenceReader>> reader =
        corpus::SentenceReader::Open(path, options);
    if (!reader.ok()) continue;
    std::vector<std::string_view> words;
    while (true) {
      absl::StatusOr<bool> got = (*reader)->Next(&words);
      if (!got.ok() || !*got) break;
      CHECK(!words.empty() && words.size() <= corpus::kMaxSentenceWords);
      for (std::string_view w : words) CHECK(!w.empty());
    }
  }
  return 0;
}
