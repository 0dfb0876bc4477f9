// Shared pieces of the query and eval commands (neighbors, analogy, eval-analogy,
// eval-similarity): the vector/index options, opening a VectorIndex, reading queries from the
// command line, a pipe or an interactive prompt, and printing aligned tables or JSON.
#ifndef WORDSPACE_TOOLS_QUERY_COMMON_H_
#define WORDSPACE_TOOLS_QUERY_COMMON_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/json.h"
#include "corpus/spelling.h"
#include "embeddings/vector_index.h"
#include "eval/vectors/vectors_json.h"
#include "tools/options.h"
#include "tools/input_kind.h"

namespace wordspace::tools {

struct IndexFlags {
  std::string format = "auto";
  std::string factory = "Flat";
  int64_t restrict = 0;
  int threads = 0;
  std::string index_file = "auto";
  std::string search_params;
  bool quiet = false;
};

// The case policy of the commands that look a user's words up in a vector file (neighbors,
// analogy; the benchmarks and probes fold case through eval::WordLookup): the exact spelling
// first, then its lowercase form, with one note on stderr a run; --case-sensitive keeps the
// exact spelling only.
//
//   CaseFallback fallback(case_sensitive, quiet);
//   absl::StatusOr<int64_t> row = fallback.Find(word, [&](const std::string& w) {
//     return index.Lookup(w); });
class CaseFallback {
 public:
  CaseFallback(bool case_sensitive, bool quiet) : case_sensitive_(case_sensitive), quiet_(quiet) {}

  // find(text), or, when that is NotFound, find(FoldCase(text)) if it succeeds; else the first
  // error (which names the spelling the user gave).
  template <typename Finder>
  auto Find(const std::string& text, Finder&& find) -> decltype(find(text)) {
    bool lowercased = false;
    // Any error but NotFound (a bad index, say) is an answer: it is not retried in lowercase.
    auto result = corpus::FindAsSpelledOrLowercase(
        text, case_sensitive_, find,
        [](const auto& r) { return r.ok() || !absl::IsNotFound(r.status()); }, &lowercased);
    if (lowercased) Note(text, corpus::FoldCase(text));
    return result;
  }

  // The note for a word read in lowercase by a lookup of the caller's own (lm-generate's and
  // lm-score's words go through the model's tokenizer): printed for the first one only.
  void Note(const std::string& asked, const std::string& used);

 private:
  bool case_sensitive_;
  bool quiet_;
  bool noted_ = false;
};

// --restrict's two defaults. A query (neighbors, analogy, map, eval-similarity) searches every
// word (0). A benchmark or probe whose answers are compared across models (eval-analogy, bias
// analogy, bias direction) searches the 30,000 most frequent, word2vec.c's compute-accuracy
// threshold, so rare-word noise does not decide the score.
inline constexpr int64_t kQueryRestrict = 0;
inline constexpr int64_t kProbeRestrict = 30000;

// --format --index --restrict --threads --index-file --index-params --quiet.
void AddIndexOptions(po::options_description* options, IndexFlags* flags, int64_t default_restrict);

// Reads the vectors (only the first `max_rows` when > 0) and builds the index, or loads it from
// --index-file (default for approximate indexes: beside the vectors, rebuilt when stale).
// Notes on what happened go to stderr unless --quiet.
[[nodiscard]] absl::StatusOr<embeddings::VectorIndex> OpenIndex(const std::string& vectors_path,
                                                                const IndexFlags& flags,
                                                                int64_t max_rows = 0);

// The --index-file to check before anything is read (CheckInputs): the path given, or "" for
// `auto` and `none` (an automatic path beside the vectors is checked when it is read).
Input IndexFileInput(const IndexFlags& flags);

bool StdinIsTerminal();

// Runs `batch` on the queries: the command-line `args` when there are any; otherwise the lines
// of stdin, all in one batch when it is a pipe or a file, one at a time after a `prompt` when
// it is a terminal (until EOF or a line "EXIT"). Blank lines are skipped. Returns false if any
// batch returned false.
bool ForEachQueryBatch(const std::vector<std::string>& args, const std::string& prompt,
                       const std::function<bool(const std::vector<std::string>&)>& batch);

// A ranked list in the JSON key scheme (README, "JSON keys"); eval/vectors/vectors_json.h.
using eval::AnswersJson;

// A failed query's JSON line (README, "JSON keys"): {"query": Q, "error": MESSAGE}, printed in
// the stream where its answer would be.
std::string QueryErrorJson(const std::string& query, const absl::Status& error);

// An analogy's "measure" ("3cosadd", "3cosmul") and --method ("add", "mul"):
// eval/vectors/vectors_json.h.
using eval::AnalogyMeasure;
using eval::AnalogyMethodName;

// An aligned text table: columns separated by two spaces; `right` marks right-aligned columns.
// UTF-8 cells line up by code points ("béta" is 4 wide), not bytes.
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        const std::vector<bool>& right, const std::string& indent = "  ");

}  // namespace wordspace::tools

#endif  // WORDSPACE_TOOLS_QUERY_COMMON_H_
