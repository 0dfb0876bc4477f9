#include "eval/lm/next_word_bench.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/json.h"
#include "base/status_macros.h"
#include "corpus/file_kind.h"
#include "eval/lm/next_word_transformer.h"
#include "eval/lm/ngram_model_io.h"
#include "eval/lm/ngram_scorer.h"
#include "transformer/checkpoint_io.h"

namespace wordspace::eval {
namespace {

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Identifies a vocabulary and tokenizer exactly, to share one encoding of a file.
std::string EncodingKey(const NextWordScorer& s) {
  corpus::TokenizerOptions t = s.tokenizer();
  std::string key =
      absl::StrCat(s.unk_id(), ",", s.eos_id(), ",", t.lowercase, t.strip_punct, t.split_cjk, "|");
  for (const std::string& w : s.vocabulary()) absl::StrAppend(&key, w.size(), ":", w);
  return key;
}

}  // namespace

absl::StatusOr<std::unique_ptr<NextWordScorer>> OpenNextWordModel(const std::string& path,
                                                                  const OpenModelOptions& options) {
  // The kind, from the one file sniffer; anything else is refused in the words every command
  // uses (corpus/file_kind.h).
  ASSIGN_OR_RETURN(corpus::FileSniff sniff, corpus::SniffFile(path));
  if (sniff.kind == corpus::FileKind::kNgramModel) {
    ASSIGN_OR_RETURN(NgramModel model, ReadNgramModel(path));
    return std::unique_ptr<NextWordScorer>(new NgramScorer(std::move(model), options.threads));
  }
  if (sniff.kind == corpus::FileKind::kCheckpoint) {
    ASSIGN_OR_RETURN(std::unique_ptr<TransformerScorer> lm,
                     TransformerScorer::Load(path, options.threads));
    return std::unique_ptr<NextWordScorer>(std::move(lm));
  }
  RETURN_IF_ERROR(corpus::CheckKind(path, sniff, corpus::FileRole::kNextWordModel));
  return absl::InvalidArgumentError(
      absl::StrCat(path,
                   ": not a wordspace n-gram model (`wordspace ngram-train`) nor a "
                   "transformer checkpoint (`wordspace lm-train`)"));
}

bool SameVocabularies(const std::vector<NextWordModelEntry>& models) {
  auto words = [](const NextWordScorer& s) {
    std::vector<std::string> w;
    for (int32_t i = 0; i < static_cast<int32_t>(s.vocabulary().size()); ++i) {
      if (i != s.unk_id() && i != s.eos_id()) w.push_back(s.vocabulary()[i]);
    }
    std::sort(w.begin(), w.end());
    return w;
  };
  for (size_t i = 1; i < models.size(); ++i) {
    if (words(*models[i].scorer) != words(*models[0].scorer)) return false;
  }
  return true;
}

absl::StatusOr<std::vector<NextWordBenchRow>> RunNextWordBench(
    const std::vector<NextWordModelEntry>& models, const std::vector<std::string>& files,
    const NextWordBenchOptions& options) {
  std::map<std::pair<std::string, std::string>, std::vector<int32_t>> encoded;
  std::vector<NextWordBenchRow> rows;
  for (const NextWordModelEntry& entry : models) {
    NextWordScorer& scorer = *entry.scorer;
    ASSIGN_OR_RETURN(auto ws, ResolveWindow(scorer, options.eval));
    const std::string key = EncodingKey(scorer);
    for (const std::string& file : files) {
      auto [it, inserted] = encoded.try_emplace({key, file});
      if (inserted) {
        if (options.progress) options.progress(absl::StrCat("reading ", file));
        ASSIGN_OR_RETURN(it->second, EncodeForScorer(file, scorer, nullptr, options.force_text));
        // Targets are every token after the first: fewer than two tokens leave nothing to
        // score, and a perplexity over no targets would be a made-up number.
        if (it->second.size() < 2) {
          return absl::InvalidArgumentError(absl::StrCat(
              file, ": no text to score (", it->second.size(),
              " tokens, line ends included); a held-out text needs at least two words"));
        }
      }
      NextWordEvalOptions eval = options.eval;
      eval.progress = [&](uint64_t done, uint64_t total) {
        if (options.progress) {
          options.progress(absl::StrFormat("%s on %s: %5.1f%%", entry.name, BaseName(file),
                                           total ? 100.0 * done / total : 100.0));
        }
      };
      const auto start = std::chrono::steady_clock::now();
      ASSIGN_OR_RETURN(NextWordCounts counts, EvaluateNextWord(&scorer, it->second, eval));
      NextWordBenchRow row;
      row.model = entry.name;
      row.file = file;
      row.description = scorer.Describe();
      row.window = ws.first;
      row.stride = ws.second;
      row.vocab_size = static_cast<int64_t>(scorer.vocabulary().size());
      row.counts = counts;
      row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string FormatNextWordTable(const std::vector<NextWordBenchRow>& rows,
                                bool vocabularies_match) {
  std::string out =
      "# Next-word prediction. Targets: every token of each file after its first, </s> line "
      "ends included.\n"
      "# all:   every target; <unk> counts as a word (Penn Treebank convention), so an <unk> "
      "target predicted as <unk> is a hit.\n"
      "# known: <unk> targets skipped and <unk> removed from every prediction (top-k over the "
      "other words);\n"
      "#        ppl_known = exp(-mean over known targets of ln[p(t) / (1 - p(<unk>))]) "
      "(torch_tiny_lm.py's \"nounk\").\n"
      "# oov: share of targets that are <unk> under the model's vocabulary.\n"
      "# Windows: W context ids moved by stride S; every target is scored once and sees at "
      "least W-S+1 ids of context\n"
      "#          (all of them for a file's first W-S targets), at most W.\n";
  std::map<std::string, std::string> described;
  for (const NextWordBenchRow& r : rows) {
    if (described.count(r.model)) continue;
    described[r.model] = r.description;
    absl::StrAppend(&out, "#   ", r.model, ": ", r.description, "; windows W=", r.window,
                    " S=", r.stride, "\n");
  }
  if (!vocabularies_match) {
    out +=
        "# NOTE: the models' vocabularies differ, so their <unk> targets differ: compare the "
        "*_known columns with care.\n";
  }
  size_t mw = 5, fw = 4;
  for (const NextWordBenchRow& r : rows) {
    mw = std::max(mw, r.model.size());
    fw = std::max(fw, BaseName(r.file).size());
  }
  absl::StrAppend(&out, absl::StrFormat("%-*s  %-*s %9s %6s %6s %6s %9s | %7s %7s %9s\n", mw,
                                        "model", fw, "file", "tokens", "oov%", "top1%", "top5%",
                                        "ppl", "top1k%", "top5k%", "ppl_known"));
  for (const NextWordBenchRow& r : rows) {
    const NextWordCounts& c = r.counts;
    absl::StrAppend(
        &out,
        absl::StrFormat("%-*s  %-*s %9d %6.2f %6.2f %6.2f %9.2f | %7.2f %7.2f %9.2f\n", mw, r.model,
                        fw, BaseName(r.file), c.targets, 100 * c.oov_rate(), 100 * c.top1_rate(),
                        100 * c.top5_rate(), c.perplexity(), 100 * c.top1_known_rate(),
                        100 * c.top5_known_rate(), c.perplexity_known()));
  }
  return out;
}

std::string FormatNextWordJson(const std::vector<NextWordBenchRow>& rows) {
  Json out = Json::array();
  for (const NextWordBenchRow& r : rows) {
    const NextWordCounts& c = r.counts;
    out.push_back({{"model", r.model},
                   {"input", r.file},
                   {"tokens", c.targets},
                   {"top1", JsonValue(c.top1_rate())},
                   {"top5", JsonValue(c.top5_rate())},
                   {"perplexity", JsonValue(c.perplexity())},
                   {"known_tokens", c.known},
                   {"top1_known", JsonValue(c.top1_known_rate())},
                   {"top5_known", JsonValue(c.top5_known_rate())},
                   {"perplexity_known", JsonValue(c.perplexity_known())},
                   {"oov_rate", JsonValue(c.oov_rate())},
                   {"window", r.window},
                   {"stride", r.stride},
                   {"vocab_size", r.vocab_size},
                   {"description", r.description},
                   {"seconds", r.seconds}});
  }
  return Dump(out) + "\n";
}

}  // namespace wordspace::eval
