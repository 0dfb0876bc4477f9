// Every command checks the kind of each input file before it reads any of them, with the one
// file sniffer (corpus/file_kind.h), so that a wrong file fails at once in one line that names
// it, what it is and where it goes, instead of being trained on or echoed into a parse error.
//
//   if (auto exit = CheckInputs({{input, corpus::FileRole::kCorpus},
//                                {read_vocab, corpus::FileRole::kVocabulary}}, force)) {
//     return *exit;
//   }
#ifndef WORDSPACE_TOOLS_INPUT_KIND_H_
#define WORDSPACE_TOOLS_INPUT_KIND_H_

#include <initializer_list>
#include <optional>
#include <string>

#include "corpus/file_kind.h"

namespace wordspace::tools {

struct Input {
  std::string path;  // empty: the option was not given, nothing to check
  corpus::FileRole role;
};

// Checks each input in order; on the first wrong one prints `error: <message>` and returns the
// exit code 1. `force` (the corpus commands' --force) lets any file through as a corpus.
// Standard input ("-") is not sniffed here (it cannot be rewound); the corpus readers check
// the buffer they peek at instead.
std::optional<int> CheckInputs(std::initializer_list<Input> inputs, bool force = false);

}  // namespace wordspace::tools

#endif  // WORDSPACE_TOOLS_INPUT_KIND_H_
