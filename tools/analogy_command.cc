// `wordspace analogy`: a : b :: c : ? by 3CosAdd or 3CosMul.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/string_view.h"
#include "tools/command.h"
#include "tools/options.h"
#include "tools/query_common.h"

namespace wordspace::tools {
namespace {

using embeddings::AnalogyQuestion;
using embeddings::Neighbor;

int RunAnalogy(int argc, char** argv) {
  std::string vectors_path, method_name = "add";
  std::vector<std::string> words;
  int k = 10;
  bool json = false, include_inputs = false, case_sensitive = false;
  float epsilon = 0.001f;
  IndexFlags flags;
  po::options_description options("analogy options");
  // clang-format off
  options.add_options()
      ("method", po::value(&method_name)->default_value("add"),
       "add (3CosAdd, Mikolov et al.) or mul (3CosMul, Levy and Goldberg 2014)")
      ("k", po::value(&k)->default_value(10), "answers per question")
      ("include-inputs", po::bool_switch(&include_inputs),
       "also show the ranking with a, b and c left in (they are excluded by default)")
      ("mul-epsilon", po::value(&epsilon)->default_value(0.001f, "0.001"),
       "3CosMul's epsilon (gensim uses 1e-6)")
      ("json", po::bool_switch(&json), "one JSON object per question (JSON Lines)")
      ("case-sensitive", po::bool_switch(&case_sensitive), "exact spelling only (default: a word not in the vectors is tried in lowercase, with a note)");
  // clang-format on
  AddIndexOptions(&options, &flags, kQueryRestrict);
  po::options_description positional_opts;
  // clang-format off
  positional_opts.add_options()
      ("vectors", po::value(&vectors_path), "")
      ("words", po::value(&words)->multitoken(), "");
  // clang-format on
  po::positional_options_description positional;
  positional.add("vectors", 1).add("words", -1);
  po::variables_map vm;
  if (auto exit = ParseOptions(
          argc, argv, "wordspace analogy VECTORS [A B C] [--method add|mul] [options]",
          "Answers a : b :: c : ? (\"paris france berlin\" asks what is to berlin as france is\n"
          "to paris). The question words are not answers, as in word2vec.c and gensim, unless\n"
          "--include-inputs asks for the unfiltered ranking too. With no words on the command\n"
          "line, questions `a b c` are read from stdin, one per line (all in one batch), or at a\n"
          "prompt when stdin is a terminal.",
          options, positional, &vm, &positional_opts)) {
    return *exit;
  }
  absl::StatusOr<embeddings::AnalogyMethod> method = embeddings::ParseAnalogyMethod(method_name);
  if (vectors_path.empty() || !method.ok() || k <= 0 || (!words.empty() && words.size() != 3)) {
    return UsageError(absl::StrCat(vectors_path.empty() ? "a vector file is required"
                                   : !method.ok()       ? std::string(method.status().message())
                                   : k <= 0
                                       ? "--k must be positive"
                                       : "give exactly three words A B C, or none to read stdin",
                                   " (see --help)"));
  }
  if (auto exit =
          CheckInputs({{vectors_path, corpus::FileRole::kVectors}, IndexFileInput(flags)})) {
    return *exit;
  }
  absl::StatusOr<embeddings::VectorIndex> index = OpenIndex(vectors_path, flags);
  if (!index.ok()) return ReportError(index.status());
  embeddings::AnalogyOptions analogy;
  analogy.method = *method;
  analogy.k = k;
  analogy.mul_epsilon = epsilon;
  const std::vector<std::string> args =
      words.empty()
          ? std::vector<std::string>{}
          : std::vector<std::string>{absl::StrCat(words[0], " ", words[1], " ", words[2])};

  CaseFallback case_fallback(case_sensitive, flags.quiet);
  auto run = [&](const std::vector<std::string>& batch) {
    std::vector<absl::Status> errors(batch.size());
    std::vector<std::array<std::string, 3>> asked(batch.size());
    std::vector<AnalogyQuestion> questions;
    for (size_t i = 0; i < batch.size(); ++i) {
      std::vector<std::string> w =
          absl::StrSplit(batch[i], absl::ByAnyChar(" \t"), absl::SkipEmpty());
      if (w.size() != 3) {
        errors[i] = absl::InvalidArgumentError(
            absl::StrCat("expected three words 'a b c' (a : b :: c : ?), got ", w.size()));
        continue;
      }
      asked[i] = {w[0], w[1], w[2]};
      AnalogyQuestion q;
      int64_t* rows[3] = {&q.a, &q.b, &q.c};
      for (int j = 0; j < 3 && errors[i].ok(); ++j) {
        absl::StatusOr<int64_t> row =
            case_fallback.Find(w[j], [&](const std::string& word) { return index->Lookup(word); });
        if (row.ok())
          *rows[j] = *row;
        else
          errors[i] = row.status();
      }
      if (errors[i].ok()) questions.push_back(q);
    }
    auto filtered = index->Analogies(questions, analogy);
    if (!filtered.ok()) return ReportError(filtered.status()) == 0;
    std::vector<std::vector<Neighbor>> unfiltered;
    if (include_inputs) {
      embeddings::AnalogyOptions all = analogy;
      all.exclude_inputs = false;
      auto raw = index->Analogies(questions, all);
      if (!raw.ok()) return ReportError(raw.status()) == 0;
      unfiltered = std::move(*raw);
    }
    bool ok = true;
    size_t next = 0;
    for (size_t i = 0; i < batch.size(); ++i) {
      const auto& [a, b, c] = asked[i];
      const std::string title =
          errors[i].ok() && !a.empty() ? absl::StrCat(a, " : ", b, " :: ", c, " : ?") : batch[i];
      if (!errors[i].ok()) {
        ok = false;
        if (json) {
          std::cout << QueryErrorJson(batch[i], errors[i]) << "\n";
        } else {
          std::cout << std::flush;  // keep the error after the answers before it on a terminal
          std::cerr << title << "\n  error: " << errors[i].message() << "\n\n";
        }
        continue;
      }
      const std::vector<Neighbor>& answers = (*filtered)[next];
      if (json) {
        Json out = {{"query", batch[i]},
                    {"a", a},
                    {"b", b},
                    {"c", c},
                    {"method", AnalogyMethodName(*method)},
                    {"measure", AnalogyMeasure(*method)},
                    {"answers", AnswersJson(*index, answers)}};
        if (include_inputs) out["unfiltered"] = AnswersJson(*index, unfiltered[next]);
        std::cout << Dump(out) << "\n";
      } else {
        std::vector<std::vector<std::string>> rows;
        const size_t n = std::max(answers.size(), include_inputs ? unfiltered[next].size() : 0);
        for (size_t j = 0; j < n; ++j) {
          std::vector<std::string> row = {absl::StrCat(j + 1)};
          if (j < answers.size()) {
            row.push_back(index->word(answers[j].row));
            row.push_back(absl::StrFormat("%.4f", answers[j].score));
          } else {
            row.insert(row.end(), {"", ""});
          }
          if (include_inputs && j < unfiltered[next].size()) {
            const Neighbor& u = unfiltered[next][j];
            const bool input = u.row == questions[next].a || u.row == questions[next].b ||
                               u.row == questions[next].c;
            row.push_back(index->word(u.row) + (input ? " *" : ""));
            row.push_back(absl::StrFormat("%.4f", u.score));
          }
          rows.push_back(std::move(row));
        }
        std::vector<std::string> header = {"rank", "answer", "score"};
        std::vector<bool> right = {true, false, true};
        if (include_inputs) {
          header.insert(header.end(), {"with inputs (* = input)", "score"});
          right.insert(right.end(), {false, true});
        }
        std::cout << title << "  ["
                  << (*method == embeddings::AnalogyMethod::kAdd ? "3CosAdd" : "3CosMul") << "]\n"
                  << FormatTable(header, rows, right) << "\n";
      }
      ++next;
    }
    std::cout << std::flush;
    return ok;
  };
  return ForEachQueryBatch(args, "a b c (EXIT to quit)> ", run) ? 0 : 1;
}

const Registration kAnalogy{"analogy", "a : b :: c : ? by 3CosAdd or 3CosMul", RunAnalogy};

}  // namespace
}  // namespace wordspace::tools
