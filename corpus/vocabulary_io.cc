#include "corpus/vocabulary_io.h"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "corpus/text_reader.h"
#include "corpus/text_writer.h"

namespace wordspace::corpus {

absl::Status WriteVocabulary(const Vocabulary& vocab, const std::string& path) {
  ASSIGN_OR_RETURN(auto file, TextWriter::Create(path));
  std::string row;
  for (int32_t i = 0; i < vocab.size(); ++i) {
    row.clear();
    absl::StrAppend(&row, vocab.word(i), " ", vocab.count(i), "\n");
    RETURN_IF_ERROR(file->Write(row));
  }
  return file->Commit();
}

absl::StatusOr<Vocabulary> ReadVocabulary(const std::string& path, const VocabOptions& options) {
  ASSIGN_OR_RETURN(auto reader, TextReader::Open(path));
  reader->set_max_line_bytes(kMaxListLineBytes);
  absl::flat_hash_map<std::string, int64_t> counts;
  constexpr int64_t kMaxCount = int64_t{1} << 62;
  int64_t total = 0;
  std::string line;
  while (true) {
    ASSIGN_OR_RETURN(bool got, reader->ReadLine(&line));
    if (!got) break;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    size_t space = line.find_last_of(" \t");
    int64_t count = 0;
    const char* end = line.data() + line.size();
    // No pointer past the separator is formed when there is none (data() + npos + 1 is
    // undefined behaviour even unused).
    auto [ptr, ec] = space == std::string::npos
                         ? std::from_chars_result{end, std::errc::invalid_argument}
                         : std::from_chars(line.data() + space + 1, end, count);
    if (space == 0 || space == std::string::npos || ec != std::errc() || ptr != end || count < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", reader->line_number(),
          ": expected `word count` (a word2vec vocabulary file, as `wordspace vocab` writes)"));
    }
    // The counts are summed into the total: refuse any that could overflow it.
    if (count > kMaxCount - total) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", reader->line_number(), ": count ", count,
                       " brings the total above 2^62; not a word count?"));
    }
    total += count;
    std::string word = line.substr(0, space);
    if (!counts.emplace(word, count).second) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", reader->line_number(),
                                                     ": word '", word, "' appears twice"));
    }
  }
  Vocabulary vocab = Vocabulary::FromCounts(std::move(counts), options);
  RETURN_IF_ERROR(CheckNotEmpty(path, vocab));
  return vocab;
}

}  // namespace wordspace::corpus
