#include "tools/query_common.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/progress_line.h"
#include "base/string_view.h"
#include "base/utf8.h"
#include "embeddings/vector_io.h"

namespace wordspace::tools {

void CaseFallback::Note(const std::string& asked, const std::string& used) {
  if (quiet_ || noted_) return;
  std::cout << std::flush;  // the note beside its answer when both go to a terminal
  std::cerr << "note: '" << asked << "' is not in the vocabulary; using '" << used
            << "' (--case-sensitive: exact spelling only)\n";
  noted_ = true;
}

void AddIndexOptions(po::options_description* options, IndexFlags* flags,
                     int64_t default_restrict) {
  // clang-format off
  options->add_options()
      ("format", po::value(&flags->format)->default_value("auto"),
       "vector file format: auto (detected), text, binary, glove or fasttext (a fastText .bin "
       "model: words outside its vocabulary get vectors from their character n-grams)")
      ("index", po::value(&flags->factory)->default_value("Flat"),
       "FAISS index_factory string: Flat (exact), HNSW32, IVF1024,PQ16, ...")
      ("restrict", po::value(&flags->restrict)->default_value(default_restrict),
       "only the N most frequent words (the first N rows) are searched (0: all)")
      ("threads", po::value(&flags->threads)->default_value(0), "threads (0: all cores)")
      ("index-file", po::value(&flags->index_file)->default_value("auto"),
       "where to keep the built index: a path, `none`, or `auto` (beside the vectors for "
       "approximate indexes, none for Flat); a stale file is rebuilt")
      ("index-params", po::value(&flags->search_params),
       "FAISS search parameters for approximate indexes, e.g. efSearch=128 or nprobe=16")
      ("quiet", po::bool_switch(&flags->quiet), "no notes on stderr");
  // clang-format on
}

absl::StatusOr<embeddings::VectorIndex> OpenIndex(const std::string& vectors_path,
                                                  const IndexFlags& flags, int64_t max_rows) {
  absl::StatusOr<embeddings::VectorFormat> format = embeddings::ParseVectorFormat(flags.format);
  if (!format.ok()) return format.status();
  absl::StatusOr<embeddings::WordVectors> vectors =
      embeddings::ReadVectors(vectors_path, *format, max_rows);
  if (!vectors.ok()) return vectors.status();
  embeddings::IndexOptions options;
  options.factory = flags.factory;
  options.restrict = flags.restrict;
  options.threads = flags.threads;
  options.search_params = flags.search_params;
  // An exact (Flat) index is a copy of the rows, built in a blink; an approximate one can take
  // a minute (HNSW32 over 100k words), so it shows how far it is.
  auto progress = std::make_shared<ProgressLine>(!flags.quiet && flags.factory != "Flat");
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  if (progress->enabled()) {
    options.build_progress = [progress, elapsed, factory = flags.factory](
                                 embeddings::IndexBuildPhase phase, int64_t done, int64_t total) {
      if (phase == embeddings::IndexBuildPhase::kTraining) {
        progress->Update(absl::StrCat("index ", factory, ": training on ", HumanCount(total),
                                      " rows"));
        return;
      }
      const double seconds = elapsed();
      progress->Update(absl::StrFormat(
          "index %s: %s/%s rows added (%.0f%%)  eta %s", factory, HumanCount(done),
          HumanCount(total), 100.0 * done / total,
          HumanDuration(done > 0 ? seconds * (total - done) / done : -1)));
      if (done == total) {
        progress->Finish(absl::StrFormat("built the %s index over %s rows in %.1f s", factory,
                                         HumanCount(total), seconds));
      }
    };
  }
  std::string path = flags.index_file;
  if (path == "auto") {
    path = flags.factory == "Flat"
               ? ""
               : embeddings::DefaultIndexPath(vectors_path, flags.factory, max_rows);
  } else if (path == "none") {
    path.clear();
  }
  if (path.empty()) return embeddings::VectorIndex::Build(std::move(*vectors), options);
  if (path == "-") {
    // OutputFile would write "-" to standard output, in the middle of the answers.
    return absl::InvalidArgumentError(
        "--index-file -: an index cannot be kept on standard output; give a path or `none`");
  }
  std::string note;
  absl::StatusOr<embeddings::VectorIndex> index =
      embeddings::VectorIndex::LoadOrBuild(std::move(*vectors), path, options, &note);
  if (index.ok() && !flags.quiet && !note.empty()) std::cerr << "note: " << note << "\n";
  return index;
}

Input IndexFileInput(const IndexFlags& flags) {
  const bool given = flags.index_file != "auto" && flags.index_file != "none";
  return {given ? flags.index_file : "", corpus::FileRole::kIndexFile};
}

std::string QueryErrorJson(const std::string& query, const absl::Status& error) {
  return Dump({{"query", query}, {"error", std::string(ToStd(error.message()))}});
}

bool StdinIsTerminal() { return isatty(STDIN_FILENO) != 0; }

bool ForEachQueryBatch(const std::vector<std::string>& args, const std::string& prompt,
                       const std::function<bool(const std::vector<std::string>&)>& batch) {
  if (!args.empty()) return batch(args);
  auto blank = [](const std::string& s) {
    return s.find_first_not_of(" \t\r") == std::string::npos;
  };
  std::string line;
  if (!StdinIsTerminal()) {
    std::vector<std::string> lines;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!blank(line)) lines.push_back(line);
    }
    return lines.empty() || batch(lines);
  }
  bool ok = true;
  while (true) {
    std::cout << prompt << std::flush;
    if (!std::getline(std::cin, line) || line == "EXIT") break;
    if (blank(line)) continue;
    ok &= batch({line});
  }
  std::cout << "\n";
  return ok;
}

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        const std::vector<bool>& right, const std::string& indent) {
  std::vector<size_t> width(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], Utf8Length(row[i]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line = indent;
    for (size_t i = 0; i < width.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      const std::string pad(width[i] - std::min(width[i], Utf8Length(cell)), ' ');
      if (i > 0) line += "  ";
      line += (i < right.size() && right[i]) ? pad + cell : cell + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  if (!header.empty()) emit(header);
  for (const auto& row : rows) emit(row);
  return out;
}

}  // namespace wordspace::tools
