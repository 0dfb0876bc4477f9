#include "corpus/lm_vocabulary.h"

#include "base/check.h"

namespace wordspace::corpus {

std::vector<std::string> LmLayout::Words(const std::vector<std::string>& plain) const {
  CHECK(static_cast<int64_t>(plain.size()) + 2 == size_);
  std::vector<std::string> words(plain.size() + 2);
  for (size_t i = 0; i < plain.size(); ++i) words[PlainId(static_cast<int64_t>(i))] = plain[i];
  words[unk_id_] = kUnknownWord;
  words[eos_id_] = kEndOfLineWord;
  return words;
}

std::vector<std::string> PlainWords(const std::vector<std::string>& ranked, int64_t max_plain) {
  std::vector<std::string> plain;
  for (const std::string& w : ranked) {
    if (max_plain > 0 && static_cast<int64_t>(plain.size()) >= max_plain) break;
    if (!IsSpecialWord(w)) plain.push_back(w);
  }
  return plain;
}

}  // namespace wordspace::corpus
