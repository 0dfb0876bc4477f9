// `wordspace inspect attention|heads|lens|contributions|context|senses`: look inside a
// checkpoint written by lm-train (issue 15). Each prints an aligned table, JSON with --json,
// and writes its picture with --svg FILE. The studies live in eval/inspect_*.h.
#include <cmath>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/parallel_for.h"
#include "base/progress_line.h"
#include "embeddings/vector_io.h"
#include "eval/lm/inspect_attention.h"
#include "eval/lm/inspect_context.h"
#include "eval/lm/inspect_contributions.h"
#include "eval/lm/inspect_heads.h"
#include "eval/lm/inspect_json.h"
#include "eval/lm/inspect_lens.h"
#include "eval/lm/inspect_senses.h"
#include "eval/lm/inspect_svg.h"
#include "eval/lm/prompt_words.h"
#include "tools/command.h"
#include "tools/input_kind.h"
#include "tools/options.h"
#include "tools/precision_option.h"
#include "tools/query_common.h"
#include "transformer/language_model.h"

namespace wordspace::tools {
namespace {

using transformer::LanguageModel;

// Options every subcommand has.
struct Common {
  std::string model_path;
  std::string svg_path;
  bool json = false;
  bool case_sensitive = false;
  bool quiet = false;
  int threads = 1;
  std::string precision;
  // The case policy's one note a run, made once the options are parsed (Start).
  std::optional<CaseFallback> fallback;
  // The subcommand's own input files (bound options), checked with the model before it loads.
  std::vector<std::pair<const std::string*, corpus::FileRole>> inputs;
};

void AddCommon(po::options_description* options, Common* c) {
  // clang-format off
  options->add_options()
      ("model", po::value(&c->model_path), "checkpoint written by lm-train")
      ("json", po::bool_switch(&c->json), "machine-readable output")
      ("svg", po::value(&c->svg_path), "also draw the picture into this SVG file")
      ("case-sensitive", po::bool_switch(&c->case_sensitive),
       "words only as spelled (by default a word the model lacks is read in lowercase when it "
       "has that form, with a note)")
      ("quiet", po::bool_switch(&c->quiet), "no notes on stderr")
      ("threads", po::value(&c->threads)->default_value(0), "cores to use (0: all)");
  // clang-format on
  AddPrecisionOption(*options, &c->precision, "fp32");
}

// Parses; on success loads the model into *lm. Returns the exit code to stop with, if any.
std::optional<int> Start(int argc, char** argv, const std::string& usage,
                         const std::string& description, const po::options_description& options,
                         Common* common, std::optional<LanguageModel>* lm, po::variables_map* vm) {
  po::positional_options_description positional;
  positional.add("model", 1);
  // inspect attention's --top became --k, the name every command gives a list's length.
  if (auto exit = ParseOptions(argc, argv, usage, description, options, positional, vm, nullptr,
                               {{"top", "k"}})) {
    return exit;
  }
  if (common->model_path.empty()) return UsageError("MODEL is required", usage);
  if (auto exit = ApplyPrecisionOption(common->precision)) return exit;
  common->fallback.emplace(common->case_sensitive, common->quiet);
  if (!common->svg_path.empty()) {
    if (absl::Status s = OutputFile::CheckCanCreate(common->svg_path); !s.ok()) {
      return ReportError(s);
    }
  }
  if (auto exit = CheckInputs({{common->model_path, corpus::FileRole::kCheckpoint}})) return exit;
  for (const auto& [path, role] : common->inputs) {
    if (auto exit = CheckInputs({{*path, role}})) return exit;
  }
  auto loaded = LanguageModel::Load(common->model_path);
  if (!loaded.ok()) return ReportError(loaded.status());
  loaded->set_threads(ResolveThreads(common->threads));
  lm->emplace(std::move(*loaded));
  return std::nullopt;
}

// The case policy for a word given on the command line (--word, --target): as spelled if the
// model has it, else its lowercase form if the model has that (with the run's one note).
std::string ModelWord(const LanguageModel& lm, Common* common, const std::string& word) {
  if (common->case_sensitive) return word;
  bool lowercased = false;
  std::string used = eval::WordInModelCase(lm, word, &lowercased);
  if (lowercased) common->fallback->Note(word, used);
  return used;
}

// The same for every word of a text (eval::TextInModelCase), with the run's one note.
std::string ModelText(const LanguageModel& lm, Common* common, const std::string& text) {
  if (common->case_sensitive) return text;
  std::vector<std::pair<std::string, std::string>> lowercased;
  std::string used = eval::TextInModelCase(lm, text, &lowercased);
  for (const auto& [asked, as_read] : lowercased) common->fallback->Note(asked, as_read);
  return used;
}

int WriteSvg(const Common& common, const SvgDocument& svg) {
  if (common.svg_path.empty()) return 0;
  if (absl::Status s = svg.WriteFile(common.svg_path); !s.ok()) return ReportError(s);
  if (!common.json) std::cout << "\npicture: " << common.svg_path << "\n";
  return 0;
}

std::string WordProbs(const std::vector<eval::WordProb>& top, const char* format = "%s %.2f") {
  std::vector<std::string> parts;
  for (const auto& w : top) parts.push_back(absl::StrFormat(format, w.word, w.prob));
  return absl::StrJoin(parts, ", ");
}

std::string Tokens(const std::vector<std::string>& tokens) { return absl::StrJoin(tokens, " "); }

// ---------------------------------------------------------------------------------------------
// inspect attention

int RunAttention(int argc, char** argv) {
  const std::string usage =
      "wordspace inspect attention MODEL --text TEXT [--k 3] [--json] [--svg FILE]";
  Common common;
  std::string text;
  int top = 3;
  po::options_description options("inspect attention options");
  AddCommon(&options, &common);
  // clang-format off
  options.add_options()
      ("text", po::value(&text), "the text to read (after a line start, </s>)")
      ("k", po::value(&top)->default_value(3), "attended words listed per head");
  // clang-format on
  po::variables_map vm;
  std::optional<LanguageModel> lm;
  if (auto exit =
          Start(argc, argv, usage,
                "Every layer's and head's attention weights over the text. The table lists,\n"
                "for each word, the words each head attends to most (weight after each);\n"
                "--svg draws one heatmap per head, layers down and heads across.\n\n"
                "  wordspace inspect attention model.lm --text \"the river bank was muddy\"",
                options, &common, &lm, &vm)) {
    return *exit;
  }
  if (text.empty()) return UsageError("--text is required", usage);
  auto map = eval::InspectAttention(*lm, eval::PromptWindow(*lm, ModelText(*lm, &common, text)));
  if (!map.ok()) return ReportError(map.status());
  const int T = static_cast<int>(map->tokens.size());
  if (common.json) {
    std::cout << Dump(eval::AttentionJson(*map, common.model_path)) << "\n";
  } else {
    std::cout << "attention over \"" << Tokens(map->tokens) << "\" (top " << top
              << " attended words per head, weight after each)\n";
    for (int l = 0; l < map->layers; ++l) {
      std::cout << "\nlayer " << l << "\n";
      std::vector<std::string> header = {"pos", "word"};
      for (int h = 0; h < map->heads; ++h) header.push_back(absl::StrCat("head ", h));
      std::vector<std::vector<std::string>> rows;
      for (int q = 0; q < T; ++q) {
        std::vector<std::string> row = {absl::StrCat(q), map->tokens[q]};
        for (int h = 0; h < map->heads; ++h) {
          std::vector<std::string> parts;
          for (auto [k, w] : map->Top(l, h, q, top)) {
            parts.push_back(absl::StrFormat("%s %.2f", map->tokens[k], w));
          }
          row.push_back(absl::StrJoin(parts, ", "));
        }
        rows.push_back(std::move(row));
      }
      std::vector<bool> right(header.size(), false);
      right[0] = true;
      std::cout << FormatTable(header, rows, right);
    }
  }
  return WriteSvg(common, eval::AttentionSvg(*map));
}

// ---------------------------------------------------------------------------------------------
// inspect heads

int RunHeads(int argc, char** argv) {
  const std::string usage =
      "wordspace inspect heads MODEL [--heldout FILE | --text TEXT] [--json] [--svg FILE]";
  Common common;
  std::string heldout_path, text;
  common.inputs = {{&heldout_path, corpus::FileRole::kCorpus}};
  eval::HeadsOptions heads_options;
  po::options_description options("inspect heads options");
  AddCommon(&options, &common);
  // clang-format off
  options.add_options()
      ("heldout", po::value(&heldout_path), "held-out text file (plain or gzip) to profile the heads on")
      ("text", po::value(&text), "or a held-out text given here")
      ("windows", po::value(&heads_options.max_windows)->default_value(64), "held-out windows of the model's context used at most")
      ("induction-windows", po::value(&heads_options.induction_windows)->default_value(16), "random repeated sequences for the induction score")
      ("seed", po::value(&heads_options.seed)->default_value(1), "seed of the random sequences")
      ("threshold", po::value(&heads_options.role_threshold)->default_value(0.3, "0.3"), "a score above this names a head's role");
  // clang-format on
  po::variables_map vm;
  std::optional<LanguageModel> lm;
  if (auto exit =
          Start(argc, argv, usage,
                "A one-line profile of every attention head: mean attention distance, and the\n"
                "mean weight on the previous token, on the window's first token and on earlier\n"
                "copies of the same word, over held-out text; and the induction score (Olsson\n"
                "et al. 2022) on random token sequences repeated twice: the weight from each\n"
                "token of the second copy on the token that followed it in the first copy.\n"
                "Heads are sorted by role: previous-token, induction, first-token, same-word,\n"
                "local, mixed. Without held-out text the random sequences serve for all scores.\n\n"
                "  wordspace inspect heads model.lm --heldout heldout-valid.txt.gz",
                options, &common, &lm, &vm)) {
    return *exit;
  }
  if (!heldout_path.empty() && !text.empty())
    return UsageError("give --heldout or --text, not both", usage);
  std::vector<int32_t> heldout;
  if (!heldout_path.empty()) {
    auto ids = lm->EncodeFile(heldout_path);
    if (!ids.ok()) return ReportError(ids.status());
    heldout = std::move(*ids);
  } else if (!text.empty()) {
    heldout = eval::PromptWindow(*lm, ModelText(*lm, &common, text)).ids;
  }
  const std::vector<eval::HeadProfile> heads = eval::ProfileHeads(*lm, heldout, heads_options);
  if (common.json) {
    Json items = Json::array();
    for (const auto& h : heads) {
      items.push_back({{"layer", h.layer},
                       {"head", h.head},
                       {"role", h.role},
                       {"mean_distance", JsonValue(h.mean_distance)},
                       {"previous_token", JsonValue(h.previous_token)},
                       {"first_token", JsonValue(h.first_token)},
                       {"same_word", JsonValue(h.same_word)},
                       {"induction", JsonValue(h.induction)}});
    }
    Json out;
    out["model"] = common.model_path;
    // The held-out text read: a file, or --text (null: the random sequences only).
    out["input"] = !heldout_path.empty() ? Json(heldout_path)
                   : !text.empty()       ? Json("--text")
                                         : Json(nullptr);
    out["heads"] = std::move(items);
    std::cout << Dump(out) << "\n";
  } else {
    std::cout << "attention heads of " << common.model_path << " ("
              << (heldout.empty()
                      ? std::string("random repeated sequences only")
                      : absl::StrCat("held-out ", heldout_path.empty() ? "--text" : heldout_path))
              << "; induction on " << heads_options.induction_windows
              << " random repeated sequences)\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : heads) {
      rows.push_back({absl::StrCat(h.layer), absl::StrCat(h.head), h.role,
                      absl::StrFormat("%.2f", h.mean_distance),
                      absl::StrFormat("%.3f", h.previous_token),
                      absl::StrFormat("%.3f", h.first_token),
                      std::isnan(h.same_word) ? "n/a" : absl::StrFormat("%.3f", h.same_word),
                      absl::StrFormat("%.3f", h.induction)});
    }
    std::cout << FormatTable(
        {"layer", "head", "role", "distance", "previous", "first", "same word", "induction"}, rows,
        {true, true, false, true, true, true, true, true});
  }
  return WriteSvg(common, eval::HeadsSvg(heads, lm->context()));
}

// ---------------------------------------------------------------------------------------------
// inspect lens

int RunLens(int argc, char** argv) {
  const std::string usage =
      "wordspace inspect lens MODEL --text TEXT [--k 5] [--target WORD] [--position N] [--json] "
      "[--svg FILE]";
  Common common;
  std::string text, target;
  int k = 5, position = -1;
  po::options_description options("inspect lens options");
  AddCommon(&options, &common);
  // clang-format off
  options.add_options()
      ("text", po::value(&text), "the text to read (after a line start, </s>)")
      ("k", po::value(&k)->default_value(5), "top next words per layer")
      ("target", po::value(&target), "follow this word's rank and probability through the layers")
      ("position", po::value(&position)->default_value(-1), "position detailed in the table (-1: the last)");
  // clang-format on
  po::variables_map vm;
  std::optional<LanguageModel> lm;
  if (auto exit = Start(
          argc, argv, usage,
          "The logit lens (nostalgebraist 2020): the residual stream after the embeddings\n"
          "and after every block, read through the final LayerNorm and the output layer\n"
          "as if it were the last layer. The grid shows each layer's top next word at\n"
          "every position; the detail shows the top-k at one position, with the\n"
          "probability of the word the model finally predicts there (and of --target).\n\n"
          "  wordspace inspect lens model.lm --text \"the capital of france is\" --target paris",
          options, &common, &lm, &vm)) {
    return *exit;
  }
  if (text.empty()) return UsageError("--text is required", usage);
  if (k < 1) return UsageError("--k must be at least 1", usage);
  if (!target.empty()) target = ModelWord(*lm, &common, target);
  auto lens = eval::InspectLens(*lm, eval::PromptWindow(*lm, ModelText(*lm, &common, text)), k,
                                target);
  if (!lens.ok()) return ReportError(lens.status());
  const int T = static_cast<int>(lens->tokens.size());
  if (position >= T)
    return ReportError(absl::InvalidArgumentError(
        absl::StrCat("--position ", position, " is outside the window of ", T, " tokens")));
  const int p = position < 0 ? T - 1 : position;
  if (common.json) {
    std::cout << Dump(eval::LensJson(*lens, common.model_path)) << "\n";
  } else {
    const int L = static_cast<int>(lens->layers.size()) - 1;
    auto layer_name = [&](int l) {
      return l == 0 ? std::string("embeddings") : absl::StrCat(l, l == L ? " (out)" : "");
    };
    std::cout << "logit lens over \"" << Tokens(lens->tokens) << "\": top next word per layer\n";
    std::vector<std::string> header = {"layer"};
    for (const auto& t : lens->tokens) header.push_back(t);
    std::vector<std::vector<std::string>> rows;
    for (const auto& layer : lens->layers) {
      std::vector<std::string> row = {layer_name(layer.layer)};
      for (const auto& cell : layer.positions)
        row.push_back(absl::StrFormat("%s %.2f", cell.top[0].word, cell.top[0].prob));
      rows.push_back(std::move(row));
    }
    std::cout << FormatTable(header, rows, std::vector<bool>(header.size(), false));
    std::cout << "\nafter \"" << lens->tokens[p] << "\" (position " << p
              << "); the model predicts \"" << lens->final_top1[p].word << "\"\n";
    rows.clear();
    header = {"layer", absl::StrCat("top ", k), absl::StrCat("p(", lens->final_top1[p].word, ")")};
    // The target's probability is its own column unless it is the final word already.
    const bool target_column = lens->target_id >= 0 && lens->target_id != lens->final_top1[p].id;
    if (lens->target_id >= 0) header.push_back(absl::StrCat("rank(", target, ")"));
    if (target_column) header.push_back(absl::StrCat("p(", target, ")"));
    for (const auto& layer : lens->layers) {
      const auto& cell = layer.positions[p];
      std::vector<std::string> row = {layer_name(layer.layer), WordProbs(cell.top),
                                      absl::StrFormat("%.4f", cell.final_prob)};
      if (lens->target_id >= 0) row.push_back(absl::StrCat(cell.target_rank));
      if (target_column) row.push_back(absl::StrFormat("%.4f", cell.target_prob));
      rows.push_back(std::move(row));
    }
    std::vector<bool> right(header.size(), true);
    right[0] = right[1] = false;
    std::cout << FormatTable(header, rows, right);
  }
  return WriteSvg(common, eval::LensSvg(*lens));
}

// ---------------------------------------------------------------------------------------------
// inspect contributions

int RunContributions(int argc, char** argv) {
  const std::string usage =
      "wordspace inspect contributions MODEL --text TEXT [--position N] [--target WORD] [--json] "
      "[--svg FILE]";
  Common common;
  std::string text;
  eval::ContributionsOptions c;
  po::options_description options("inspect contributions options");
  AddCommon(&options, &common);
  // clang-format off
  options.add_options()
      ("text", po::value(&text), "the text to read (after a line start, </s>)")
      ("position", po::value(&c.position)->default_value(-1), "window position to explain (0 is </s>; -1: the last)")
      ("target", po::value(&c.target), "word whose logit is explained (default: the model's prediction)")
      ("k", po::value(&c.k)->default_value(5), "words promoted and demoted per update")
      ("neurons", po::value(&c.neurons)->default_value(10), "top feed-forward neurons listed");
  // clang-format on
  po::variables_map vm;
  std::optional<LanguageModel> lm;
  if (auto exit =
          Start(argc, argv, usage,
                "What each update of the residual stream does to the prediction at one position:\n"
                "its direct effect on the logits through the final LayerNorm (held at its\n"
                "scale), centred over the vocabulary: the effect on the target word, and the\n"
                "words it promotes and demotes most. The parts add up to the model's logits.\n"
                "Then the feed-forward neurons that raise the target most, with the words their\n"
                "output weights promote (Geva et al. 2021: feed-forward layers as key-value\n"
                "memories).\n\n"
                "  wordspace inspect contributions model.lm --text \"the capital of poland is\" "
                "--target warsaw",
                options, &common, &lm, &vm)) {
    return *exit;
  }
  if (text.empty()) return UsageError("--text is required", usage);
  if (!c.target.empty()) c.target = ModelWord(*lm, &common, c.target);
  auto r =
      eval::InspectContributions(*lm, eval::PromptWindow(*lm, ModelText(*lm, &common, text)), c);
  if (!r.ok()) return ReportError(r.status());
  auto scores = [](const std::vector<eval::WordScore>& list) {
    std::vector<std::string> parts;
    for (const auto& w : list) parts.push_back(absl::StrFormat("%s %+.2f", w.word, w.score));
    return absl::StrJoin(parts, ", ");
  };
  auto json_scores = [](const std::vector<eval::WordScore>& list) {
    Json items = Json::array();
    for (const auto& w : list) items.push_back({{"word", w.word}, {"score", JsonValue(w.score)}});
    return items;
  };
  if (common.json) {
    // promotes and demotes are ranked by their centred logit effect ("measure": "logit").
    Json comps = Json::array(), neurons = Json::array();
    for (const auto& comp : r->components) {
      comps.push_back({{"name", comp.name},
                       {"layer", comp.layer},
                       {"target_effect", JsonValue(comp.target_effect)},
                       {"measure", "logit"},
                       {"promotes", json_scores(comp.promotes)},
                       {"demotes", json_scores(comp.demotes)}});
    }
    for (const auto& n : r->neurons) {
      neurons.push_back({{"layer", n.layer},
                         {"neuron", n.neuron},
                         {"activation", JsonValue(n.activation)},
                         {"target_effect", JsonValue(n.target_effect)},
                         {"measure", "logit"},
                         {"promotes", json_scores(n.promotes)}});
    }
    Json out;
    out["model"] = common.model_path;
    out["tokens"] = r->tokens;
    out["position"] = r->position;
    out["target"] = r->target;
    out["target_prob"] = JsonValue(r->target_prob);
    out["measure"] = "probability";
    out["answers"] = eval::WordProbsJson(r->predicted);  // the model's top-k at the position
    out["components"] = std::move(comps);
    out["neurons"] = std::move(neurons);
    std::cout << Dump(out) << "\n";
  } else {
    std::cout << "after \""
              << Tokens(std::vector<std::string>(r->tokens.begin(),
                                                 r->tokens.begin() + r->position + 1))
              << "\" the model predicts " << WordProbs(r->predicted) << "\n"
              << "direct effect of each update on the logit of \"" << r->target
              << "\" (p = " << absl::StrFormat("%.4f", r->target_prob)
              << "), centred over the vocabulary\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& comp : r->components) {
      rows.push_back({comp.name, absl::StrFormat("%+.3f", comp.target_effect),
                      scores(comp.promotes), scores(comp.demotes)});
    }
    std::cout << FormatTable({"update", absl::StrCat("on ", r->target), "promotes", "demotes"},
                             rows, {false, true, false, false});
    std::cout << "\nfeed-forward neurons raising \"" << r->target
              << "\" most (activation x output weights)\n";
    rows.clear();
    for (const auto& n : r->neurons) {
      rows.push_back({absl::StrCat(n.layer), absl::StrCat(n.neuron),
                      absl::StrFormat("%+.3f", n.activation),
                      absl::StrFormat("%+.3f", n.target_effect), scores(n.promotes)});
    }
    std::cout << FormatTable({"layer", "neuron", "activation", absl::StrCat("on ", r->target),
                              "its value vector promotes"},
                             rows, {true, true, true, true, false});
  }
  return WriteSvg(common, eval::ContributionsSvg(*r));
}

// ---------------------------------------------------------------------------------------------
// inspect context

int RunContext(int argc, char** argv) {
  const std::string usage =
      "wordspace inspect context MODEL --word WORD --text TEXT --text TEXT... [--k 5] [--json] "
      "[--svg FILE]";
  Common common;
  std::string word;
  std::vector<std::string> texts;
  int k = 5;
  po::options_description options("inspect context options");
  AddCommon(&options, &common);
  // clang-format off
  options.add_options()
      ("word", po::value(&word), "the word to follow")
      ("text", po::value(&texts)->composing(), "a sentence containing it (repeat)")
      ("k", po::value(&k)->default_value(5), "nearest vocabulary words listed per vector");
  // clang-format on
  po::variables_map vm;
  std::optional<LanguageModel> lm;
  if (auto exit =
          Start(argc, argv, usage,
                "The word's contextual vector (the residual stream at its first occurrence) at\n"
                "each layer in each sentence: their cosines, and each vector's nearest words by\n"
                "cosine with the model's input embeddings. The static vector is the word's input\n"
                "embedding, the same in every sentence; layer 0 adds its position's embedding.\n\n"
                "  wordspace inspect context model.lm --word bank --text \"the river bank was "
                "muddy\" \\\n"
                "      --text \"the bank approved the loan\"",
                options, &common, &lm, &vm)) {
    return *exit;
  }
  if (word.empty() || texts.empty())
    return UsageError("--word and at least one --text are required", usage);
  word = ModelWord(*lm, &common, word);
  for (std::string& t : texts) t = ModelText(*lm, &common, t);
  auto r = eval::InspectContext(*lm, word, texts, k);
  if (!r.ok()) return ReportError(r.status());
  const size_t S = texts.size();
  if (common.json) {
    std::cout << Dump(eval::ContextJson(*r, common.model_path)) << "\n";
  } else {
    std::cout << "contextual vectors of \"" << word << "\"\n";
    for (size_t s = 0; s < S; ++s) {
      std::cout << "  s" << s + 1 << ": " << Tokens(r->sentences[s].tokens) << "  (position "
                << r->sentences[s].position << ")\n";
    }
    for (const auto& layer : r->layers) {
      std::cout << "\n"
                << (layer.layer < 0    ? std::string("static vector (input embedding)")
                    : layer.layer == 0 ? std::string("layer 0 (embeddings + position)")
                                       : absl::StrCat("layer ", layer.layer))
                << "\n";
      std::vector<std::string> header = {"", "nearest words (cosine)"};
      for (size_t b = 0; b < S; ++b) header.insert(header.end() - 1, absl::StrCat("s", b + 1));
      std::vector<std::vector<std::string>> rows;
      for (size_t a = 0; a < S; ++a) {
        std::vector<std::string> row = {absl::StrCat("s", a + 1)};
        for (size_t b = 0; b < S; ++b)
          row.push_back(absl::StrFormat("%.3f", layer.cosines[a * S + b]));
        row.push_back(WordProbs(layer.nearest[a]));
        rows.push_back(std::move(row));
      }
      std::vector<bool> right(header.size(), true);
      right[0] = right.back() = false;
      std::cout << FormatTable(header, rows, right);
    }
  }
  return WriteSvg(common, eval::ContextSvg(*r));
}

// ---------------------------------------------------------------------------------------------
// inspect senses

int RunSenses(int argc, char** argv) {
  const std::string usage =
      "wordspace inspect senses MODEL --word WORD --sense NAME=cue,cue... --sense ... --corpus "
      "TEXT "
      "[--max 300] [--hide-cues] [--vectors SKIPGRAM] [--json] [--svg FILE]";
  Common common;
  std::string corpus, vectors_path;
  common.inputs = {{&corpus, corpus::FileRole::kCorpus},
                   {&vectors_path, corpus::FileRole::kVectors}};
  std::vector<std::string> sense_specs;
  eval::SensesOptions s;
  po::options_description options("inspect senses options");
  AddCommon(&options, &common);
  // clang-format off
  options.add_options()
      ("word", po::value(&s.word), "the ambiguous word")
      ("sense", po::value(&sense_specs)->composing(), "NAME=cue,cue,... (repeat, at least two)")
      ("corpus", po::value(&corpus), "text to collect sentences from (plain or gzip)")
      ("max", po::value(&s.max_per_sense)->default_value(300), "sentences per sense at most")
      ("max-lines", po::value(&s.max_lines)->default_value(0), "corpus lines read at most (0: all)")
      ("hide-cues", po::bool_switch(&s.hide_cues), "replace the cue words by <unk> in every window")
      ("vectors", po::value(&vectors_path), "skip-gram vectors for the bag-of-words baseline (default: the model's input embeddings)");
  // clang-format on
  po::variables_map vm;
  std::optional<LanguageModel> lm;
  if (auto exit = Start(
          argc, argv, usage,
          "How well the contextual vectors of an ambiguous word separate its senses,\n"
          "layer by layer. Lines where the word follows cue words of exactly one sense\n"
          "(within the model's window, left context only: the model is causal) become\n"
          "examples; every sense keeps as many as the rarest has (at most --max), so\n"
          "chance is 1/senses. Per layer: leave-one-out nearest-centroid accuracy and\n"
          "the silhouette, by cosine on vectors centred on their mean. Baselines on the\n"
          "same windows: the static vector (one vector: chance) and the mean skip-gram\n"
          "vector of the window's context (a bag of words that sees what the model sees).\n"
          "--hide-cues turns the cues into <unk>, so only the rest of the context tells.\n\n"
          "  wordspace inspect senses model.lm --word bank --sense river=river,shore,water \\\n"
          "      --sense money=money,loan,deposit --corpus train.txt.gz --max 300",
          options, &common, &lm, &vm)) {
    return *exit;
  }
  if (s.word.empty() || corpus.empty())
    return UsageError("--word and --corpus are required", usage);
  s.word = ModelWord(*lm, &common, s.word);
  for (const std::string& spec : sense_specs) {
    absl::StatusOr<eval::Sense> sense = eval::ParseSense(spec);
    if (!sense.ok()) return UsageError(std::string(sense.status().message()), usage);
    for (std::string& cue : sense->cues) cue = ModelWord(*lm, &common, cue);
    s.senses.push_back(std::move(*sense));
  }
  if (s.senses.size() < 2) return UsageError("give at least two --sense", usage);
  if (s.max_per_sense < 2) return UsageError("--max must be at least 2", usage);
  std::optional<embeddings::WordVectors> vectors;
  if (!vectors_path.empty()) {
    auto read = embeddings::ReadVectors(vectors_path, embeddings::VectorFormat::kAuto);
    if (!read.ok()) return ReportError(read.status());
    vectors.emplace(std::move(*read));
  }
  ProgressLine progress(!common.quiet);
  s.progress = [&](double fraction, int64_t lines_read, std::span<const int> found) {
    std::vector<std::string> counts;
    for (size_t k = 0; k < found.size(); ++k) {
      counts.push_back(absl::StrCat(s.senses[k].name, " ", found[k]));
    }
    progress.Update(absl::StrFormat("reading %s  %5.1f%%  %s lines  found %s (of %d each)", corpus,
                                    100 * fraction, HumanCount(static_cast<double>(lines_read)),
                                    absl::StrJoin(counts, ", "), s.max_per_sense));
  };
  auto r = eval::InspectSenses(*lm, corpus, vectors ? &*vectors : nullptr, s);
  progress.Finish("");
  if (!r.ok()) return ReportError(r.status());
  if (vectors) r->bag_of_words_source = vectors_path;
  if (common.json) {
    Json senses = Json::array(), layers = Json::array();
    for (const auto& sense : r->senses) {
      senses.push_back({{"name", sense.name},
                        {"cues", sense.cues},
                        {"missing_cues", sense.missing_cues},
                        {"found", sense.found},
                        {"sentences", sense.used},
                        {"examples", sense.examples}});
    }
    for (const auto& layer : r->layers) {
      layers.push_back({{"layer", layer.layer},
                        {"accuracy", JsonValue(layer.separation.accuracy)},
                        {"silhouette", JsonValue(layer.separation.silhouette)}});
    }
    Json out;
    out["model"] = common.model_path;
    out["input"] = corpus;
    out["word"] = r->word;
    out["hide_cues"] = r->hide_cues;
    out["lines_read"] = r->lines_read;
    out["hidden_cue_tokens"] = r->hidden_cue_tokens;
    out["senses"] = std::move(senses);
    out["layers"] = std::move(layers);
    out["chance"] = JsonValue(r->chance);
    out["static_accuracy"] = JsonValue(r->static_vector.accuracy);
    out["static_silhouette"] = JsonValue(r->static_vector.silhouette);
    out["bag_of_words_accuracy"] = JsonValue(r->bag_of_words.accuracy);
    out["bag_of_words_silhouette"] = JsonValue(r->bag_of_words.silhouette);
    out["bag_of_words_source"] = r->bag_of_words_source;
    std::cout << Dump(out) << "\n";
  } else {
    std::cout << "senses of \"" << r->word << "\" in " << corpus << " (" << r->lines_read
              << " lines read"
              << (r->hide_cues ? absl::StrCat(", ", r->hidden_cue_tokens, " cue tokens hidden")
                               : std::string())
              << ")\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& sense : r->senses) {
      rows.push_back({sense.name, absl::StrJoin(sense.cues, ","), absl::StrCat(sense.found),
                      absl::StrCat(sense.used),
                      sense.missing_cues.empty() ? "" : absl::StrJoin(sense.missing_cues, ",")});
    }
    std::cout << FormatTable({"sense", "cues", "found", "used", "cues not in vocabulary"}, rows,
                             {false, false, true, true, false});
    for (const auto& sense : r->senses) {
      for (const auto& e : sense.examples) std::cout << "  " << sense.name << ": " << e << "\n";
    }
    std::cout << "\nseparation (chance " << absl::StrFormat("%.3f", r->chance) << ")\n";
    rows.clear();
    rows.push_back({"static vector", absl::StrFormat("%.3f", r->static_vector.accuracy),
                    absl::StrFormat("%.3f", r->static_vector.silhouette)});
    rows.push_back({absl::StrCat("bag of words (", r->bag_of_words_source, ")"),
                    absl::StrFormat("%.3f", r->bag_of_words.accuracy),
                    absl::StrFormat("%.3f", r->bag_of_words.silhouette)});
    for (const auto& layer : r->layers) {
      rows.push_back({layer.layer == 0 ? std::string("layer 0 (embeddings)")
                                       : absl::StrCat("layer ", layer.layer),
                      absl::StrFormat("%.3f", layer.separation.accuracy),
                      absl::StrFormat("%.3f", layer.separation.silhouette)});
    }
    std::cout << FormatTable({"vectors", "accuracy", "silhouette"}, rows, {false, true, true});
  }
  return WriteSvg(common, eval::SensesSvg(*r));
}

// ---------------------------------------------------------------------------------------------
// dispatch

struct Sub {
  const char* name;
  const char* summary;
  int (*run)(int, char**);
};

const Sub kSubs[] = {
    {"attention", "every head's attention weights over a text", RunAttention},
    {"heads", "a profile of every head: previous-token, induction, ... heads", RunHeads},
    {"lens", "the logit lens: the next word read at every layer", RunLens},
    {"contributions", "each update's direct effect on the prediction; top neurons",
     RunContributions},
    {"context", "a word's contextual vectors per layer across sentences", RunContext},
    {"senses", "how well each layer separates the senses of a word", RunSenses},
};

void PrintUsage(std::ostream& out) {
  out << "usage: wordspace inspect <attention|heads|lens|contributions|context|senses> MODEL "
         "[options]\n\n"
         "Look inside a transformer checkpoint written by lm-train. Each prints a table,\n"
         "JSON with --json, and draws its picture with --svg FILE.\n\n";
  for (const Sub& s : kSubs) out << absl::StrFormat("  %-14s %s\n", s.name, s.summary);
  out << "\n`wordspace inspect <study> --help` describes a study's options.\n";
}

int RunInspect(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  const std::string sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  for (const Sub& s : kSubs) {
    if (sub == s.name) return s.run(argc - 1, argv + 1);
  }
  const int exit = UsageError(absl::StrCat("unknown inspect study '", sub, "'"));
  PrintUsage(std::cerr);
  return exit;
}

const Registration kInspect{"inspect", "look inside a transformer: attention, heads, lens, ...",
                            RunInspect};

}  // namespace
}  // namespace wordspace::tools
