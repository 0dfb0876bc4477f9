#include "eval/vectors/word_lookup.h"

#include "base/string_view.h"
#include "corpus/spelling.h"

namespace wordspace::eval {

WordLookup::WordLookup(const embeddings::WordVectors& vectors, int64_t limit, bool case_sensitive)
    : vectors_(&vectors),
      limit_(limit > 0 && limit < vectors.size() ? limit : vectors.size()),
      case_sensitive_(case_sensitive) {
  if (case_sensitive_) return;
  canonical_.resize(limit_);
  first_.reserve(limit_);
  for (int64_t r = 0; r < limit_; ++r) {
    auto [it, inserted] = first_.try_emplace(corpus::FoldCase(vectors.word(r)), r);
    canonical_[r] = it->second;
    if (!inserted) {
      std::vector<int64_t>& list = variants_[it->second];
      if (list.empty()) list.push_back(it->second);
      list.push_back(r);
    }
  }
}

int64_t WordLookup::Find(std::string_view word) const {
  if (case_sensitive_) {
    const int64_t row = vectors_->Find(word);
    return row >= 0 && row < limit_ ? row : -1;
  }
  auto it = first_.find(ToAbsl(corpus::FoldCase(word)));
  return it == first_.end() ? -1 : it->second;
}

std::span<const int64_t> WordLookup::Variants(int64_t row) const {
  if (case_sensitive_ || row < 0 || row >= limit_) return {};
  auto it = variants_.find(canonical_[row]);
  if (it == variants_.end()) return {};
  return it->second;
}

int64_t WordLookup::Canonical(int64_t row) const {
  if (case_sensitive_ || row < 0 || row >= limit_) return row;
  return canonical_[row];
}

}  // namespace wordspace::eval
