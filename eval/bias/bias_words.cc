#include "eval/bias/bias_words.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "corpus/text_reader.h"

namespace wordspace::eval {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Splits on runs of spaces and tabs.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

// Calls `fn(fields, line_number)` for every line that is neither blank nor a '#' comment.
template <typename Fn>
absl::Status ForEachDataLine(const std::string& path, Fn&& fn) {
  ASSIGN_OR_RETURN(std::unique_ptr<corpus::TextReader> reader, corpus::TextReader::Open(path));
  reader->set_max_line_bytes(corpus::kMaxListLineBytes);
  std::string line;
  while (true) {
    ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
    if (!got) break;
    std::vector<std::string_view> fields = Fields(line);
    if (fields.empty() || fields[0][0] == '#') continue;
    RETURN_IF_ERROR(fn(fields, reader->line_number()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string AsciiLower(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

int64_t LookupWord(const embeddings::WordVectors& vectors, std::string_view word,
                   bool case_sensitive) {
  int64_t row = vectors.Find(word);
  if (row >= 0 || case_sensitive) return row;
  return vectors.Find(AsciiLower(word));
}

absl::StatusOr<std::vector<std::string>> ReadWordList(const std::string& path) {
  std::vector<std::string> words;
  RETURN_IF_ERROR(ForEachDataLine(path, [&](const std::vector<std::string_view>& fields,
                                            uint64_t) {
    words.emplace_back(fields[0]);
    return absl::OkStatus();
  }));
  if (words.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no words (expected one word per line; '#' starts a comment)"));
  }
  return words;
}

absl::StatusOr<std::vector<WordPair>> ReadWordPairs(const std::string& path) {
  std::vector<WordPair> pairs;
  RETURN_IF_ERROR(ForEachDataLine(path, [&](const std::vector<std::string_view>& fields,
                                            uint64_t line) -> absl::Status {
    if (fields.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", line, ": expected two words separated by a tab, found ", fields.size(),
          " fields"));
    }
    pairs.push_back({std::string(fields[0]), std::string(fields[1])});
    return absl::OkStatus();
  }));
  if (pairs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no word pairs (expected `word<TAB>word` lines)"));
  }
  return pairs;
}

absl::StatusOr<WordPair> ParseWordPair(std::string_view spec) {
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == spec.size() ||
      spec.find(':', colon + 1) != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("bad word pair '", std::string(spec),
                                                   "': expected two words as in he:she"));
  }
  return WordPair{std::string(spec.substr(0, colon)), std::string(spec.substr(colon + 1))};
}

std::vector<double> UnitRow(const embeddings::WordVectors& vectors, int64_t row) {
  std::span<const float> v = vectors.row(row);
  std::vector<double> out(v.begin(), v.end());
  double norm = 0;
  for (double x : out) norm += x * x;
  norm = std::sqrt(norm);
  if (norm > 0) {
    for (double& x : out) x /= norm;
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> GatherWords(const std::vector<std::string>& listed,
                                                     const std::string& path) {
  std::vector<std::string> words = listed;
  if (!path.empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> read, ReadWordList(path));
    words.insert(words.end(), read.begin(), read.end());
  }
  return words;
}

absl::StatusOr<std::vector<WordPair>> GatherWordPairs(const std::string& path,
                                                      const std::vector<std::string>& specs) {
  std::vector<WordPair> pairs;
  if (!path.empty()) {
    ASSIGN_OR_RETURN(pairs, ReadWordPairs(path));
  }
  for (const std::string& spec : specs) {
    ASSIGN_OR_RETURN(WordPair pair, ParseWordPair(spec));
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

}  // namespace wordspace::eval
