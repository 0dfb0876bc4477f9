#include "serve/explorer.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/string_view.h"
#include "corpus/spelling.h"
#include "eval/bias/bias_json.h"
#include "eval/lm/inspect_attention.h"
#include "eval/lm/inspect_context.h"
#include "eval/lm/inspect_json.h"
#include "eval/lm/inspect_lens.h"
#include "eval/lm/next_words.h"
#include "eval/lm/prompt_words.h"
#include "eval/vectors/vectors_json.h"
#include "eval/vectors/word_map.h"

namespace wordspace::serve {
namespace {

ApiReply Error(int status, const std::string& message) {
  return {status, Json{{"error", message}}};
}

// The HTTP status for a library error: bad input 400, an unknown word 404.
ApiReply ErrorFor(const absl::Status& s, const std::string& query = {}) {
  const int status = absl::IsInvalidArgument(s) ? 400 : absl::IsNotFound(s) ? 404 : 500;
  Json body;
  if (!query.empty()) body["query"] = query;
  body["error"] = std::string(ToStd(s.message()));
  return {status, std::move(body)};
}

// Reads a request's parameters against what its endpoint takes: an unknown name, a repeated
// single parameter, a missing required one, a value too long or out of bounds is the first
// error kept (InvalidArgument naming the parameter), and every getter after it returns its
// fallback, so an endpoint reads all it needs and checks ok() once.
class Params {
 public:
  Params(const ApiParams& params, std::vector<std::string_view> single,
         std::vector<std::string_view> repeated = {})
      : params_(params) {
    for (const auto& [name, value] : params) {
      const bool is_single = std::find(single.begin(), single.end(), name) != single.end();
      const bool is_repeated =
          std::find(repeated.begin(), repeated.end(), name) != repeated.end();
      if (!is_single && !is_repeated) {
        std::vector<std::string> all(single.begin(), single.end());
        all.insert(all.end(), repeated.begin(), repeated.end());
        Fail(absl::StrCat("unknown parameter '", name.substr(0, kMaxWordBytes), "'",
                          all.empty() ? std::string(" (this endpoint takes none)")
                                      : absl::StrCat(" (this endpoint takes ",
                                                     absl::StrJoin(all, ", "), ")")));
      } else if (is_single && params.count(name) > 1) {
        Fail(absl::StrCat("'", name, "' is given more than once"));
      }
    }
  }

  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }

  // The value of `name`; `fallback` when absent (an error if `required`).
  std::string Text(const std::string& name, size_t max_bytes, bool required,
                   std::string fallback = "") {
    auto it = params_.find(name);
    if (it == params_.end()) {
      if (required) Fail(absl::StrCat("'", name, "' is required"));
      return fallback;
    }
    return Checked(name, it->second, max_bytes, required);
  }

  // An integer in [lo, hi]; `fallback` when absent.
  int Int(const std::string& name, int lo, int hi, int fallback) {
    auto it = params_.find(name);
    if (it == params_.end()) return fallback;
    const std::string& v = it->second;
    int value = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc() || end != v.data() + v.size() || value < lo || value > hi) {
      Fail(absl::StrCat("'", name, "' must be an integer from ", lo, " to ", hi, ", not '",
                        v.substr(0, 20), "'"));
      return fallback;
    }
    return value;
  }

  // "1"/"true" or "0"/"false"; false when absent.
  bool Bool(const std::string& name) {
    auto it = params_.find(name);
    if (it == params_.end()) return false;
    if (it->second == "1" || it->second == "true") return true;
    if (it->second != "0" && it->second != "false") {
      Fail(absl::StrCat("'", name, "' must be 0 or 1"));
    }
    return false;
  }

  // Every value of `name` (repeatable), each split at spaces and commas when `split`: at least
  // one item when `required`, at most `max_items`, each at most `max_bytes`.
  std::vector<std::string> List(const std::string& name, int max_items, size_t max_bytes,
                                bool required, bool split) {
    std::vector<std::string> items;
    auto [first, last] = params_.equal_range(name);
    for (auto it = first; it != last; ++it) {
      if (split) {
        for (absl::string_view w : absl::StrSplit(it->second, absl::ByAnyChar(" ,\t"),
                                                  absl::SkipEmpty())) {
          items.emplace_back(w.data(), w.size());
        }
      } else {
        items.push_back(it->second);
      }
    }
    if (static_cast<int>(items.size()) > max_items) {
      Fail(absl::StrCat("'", name, "' lists ", items.size(), " items; at most ", max_items));
      return {};
    }
    if (required && items.empty()) Fail(absl::StrCat("'", name, "' is required"));
    for (std::string& item : items) item = Checked(name, item, max_bytes, true);
    return items;
  }

 private:
  std::string Checked(const std::string& name, const std::string& value, size_t max_bytes,
                      bool required) {
    if (value.size() > max_bytes) {
      Fail(absl::StrCat("'", name, "' is ", value.size(), " bytes long; at most ", max_bytes));
      return "";
    }
    if (required && value.find_first_not_of(" \t") == std::string::npos) {
      Fail(absl::StrCat("'", name, "' is empty"));
    }
    return value;
  }
  void Fail(std::string message) {
    if (status_.ok()) status_ = absl::InvalidArgumentError(message);
  }

  const ApiParams& params_;
  absl::Status status_;
};

}  // namespace

Explorer::Explorer(embeddings::WordVectors vectors, embeddings::VectorIndex index,
                   std::optional<transformer::LanguageModel> lm, ExplorerOptions options)
    : vectors_(std::move(vectors)),
      index_(std::move(index)),
      lm_(std::move(lm)),
      options_(std::move(options)) {
  if (lm_) lowercase_vocabulary_ = eval::IsLowercaseVocabulary(*lm_);
}

absl::StatusOr<std::unique_ptr<Explorer>> Explorer::Create(
    embeddings::WordVectors vectors, std::optional<transformer::LanguageModel> lm,
    ExplorerOptions options) {
  embeddings::IndexOptions index_options;
  // Requests run side by side on the server's workers: each search on one thread.
  index_options.threads = 1;
  absl::StatusOr<embeddings::VectorIndex> index =
      embeddings::VectorIndex::Build(vectors, index_options);
  if (!index.ok()) return index.status();
  return std::unique_ptr<Explorer>(
      new Explorer(std::move(vectors), std::move(*index), std::move(lm), std::move(options)));
}

// The endpoints: path, the member that answers it, and whether it needs the model. Handle and
// Endpoints both read this one table.
struct Explorer::Route {
  std::string_view path;
  ApiReply (Explorer::*handler)(const ApiParams&);
  bool needs_model;
};

const Explorer::Route Explorer::kRoutes[] = {
    {"/api/info", &Explorer::Info, false},
    {"/api/complete", &Explorer::Complete, false},
    {"/api/neighbors", &Explorer::Neighbors, false},
    {"/api/analogy", &Explorer::Analogy, false},
    {"/api/map", &Explorer::Map, false},
    {"/api/bias", &Explorer::Bias, false},
    {"/api/lm/next", &Explorer::LmNext, true},
    {"/api/lm/attention", &Explorer::LmAttention, true},
    {"/api/lm/lens", &Explorer::LmLens, true},
    {"/api/lm/context", &Explorer::LmContext, true},
};

std::vector<std::string> Explorer::Endpoints() const {
  std::vector<std::string> out;
  for (const Route& r : kRoutes) {
    if (!r.needs_model || lm_) out.emplace_back(r.path);
  }
  return out;
}

ApiReply Explorer::Handle(std::string_view path, const ApiParams& params) {
  for (const Route& r : kRoutes) {
    if (path != r.path) continue;
    if (r.needs_model && !lm_) {
      return Error(404, "no language model: start wordspace serve with --model MODEL");
    }
    return (this->*r.handler)(params);
  }
  return Error(404, absl::StrCat("no endpoint ", std::string(path.substr(0, kMaxWordBytes)),
                                 "; the API is ", absl::StrJoin(Endpoints(), ", ")));
}

ApiReply Explorer::Info(const ApiParams& params) {
  Params p(params, {});
  if (!p.ok()) return ErrorFor(p.status());
  Json out;
  out["vectors"] = options_.vectors_label;
  out["vocab_size"] = index_.size();
  out["dim"] = index_.dim();
  if (lm_) {
    const transformer::ModelConfig& c = lm_->config();
    out["model"] = {{"model", options_.model_label}, {"vocab_size", c.vocab_size},
                    {"context", c.context},          {"d_model", c.d_model},
                    {"layers", c.layers},            {"heads", c.heads}};
  } else {
    out["model"] = nullptr;
  }
  out["endpoints"] = Endpoints();
  return {200, std::move(out)};
}

ApiReply Explorer::Complete(const ApiParams& params) {
  Params p(params, {"prefix", "k"});
  const std::string prefix = p.Text("prefix", kMaxWordBytes, true);
  const int k = p.Int("k", 1, kMaxK, 10);
  if (!p.ok()) return ErrorFor(p.status());
  // Rows are in the file's order, most frequent first for word2vec files, so the first matches
  // are the likeliest completions. Case folded, as lookups fall back to lowercase.
  const std::string folded = corpus::FoldCase(prefix);
  Json words = Json::array();
  for (int64_t r = 0; r < index_.size() && static_cast<int>(words.size()) < k; ++r) {
    const std::string& w = index_.word(r);
    if (w.size() >= prefix.size() && corpus::FoldCase(w).starts_with(folded)) words.push_back(w);
  }
  return {200, Json{{"query", prefix}, {"words", std::move(words)}}};
}

ApiReply Explorer::Neighbors(const ApiParams& params) {
  Params p(params, {"q", "k"});
  const std::string q = p.Text("q", kMaxQueryBytes, true);
  const int k = p.Int("k", 1, kMaxK, 10);
  if (!p.ok()) return ErrorFor(p.status());
  bool lowercased = false;
  absl::StatusOr<embeddings::Expression> e = corpus::FindAsSpelledOrLowercase(
      q, /*case_sensitive=*/false,
      [&](const std::string& text) { return index_.ParseExpression(text); },
      [](const auto& r) { return r.ok() || !absl::IsNotFound(r.status()); }, &lowercased);
  // A fastText model answers words outside its vocabulary from their n-grams, as `neighbors`.
  if (!e.ok() && absl::IsNotFound(e.status()) && index_.vectors().has_ngrams()) {
    e = index_.ParseExpression(q, /*ngrams=*/true);
  }
  if (!e.ok()) return ErrorFor(e.status(), q);
  absl::StatusOr<std::vector<embeddings::Neighbor>> found = index_.Evaluate(*e, k);
  if (!found.ok()) return ErrorFor(found.status(), q);
  Json out = {{"query", q}, {"measure", "cosine"}, {"answers", eval::AnswersJson(index_, *found)}};
  if (lowercased) out["note"] = absl::StrCat("'", q, "' is not in the vocabulary; read in lowercase");
  return {200, std::move(out)};
}

ApiReply Explorer::Analogy(const ApiParams& params) {
  Params p(params, {"a", "b", "c", "k", "method", "include_inputs"});
  const std::string words[3] = {p.Text("a", kMaxWordBytes, true), p.Text("b", kMaxWordBytes, true),
                                p.Text("c", kMaxWordBytes, true)};
  const int k = p.Int("k", 1, kMaxK, 10);
  const std::string method_name = p.Text("method", 10, false, "add");
  const bool include_inputs = p.Bool("include_inputs");
  if (!p.ok()) return ErrorFor(p.status());
  absl::StatusOr<embeddings::AnalogyMethod> method = embeddings::ParseAnalogyMethod(method_name);
  if (!method.ok()) return ErrorFor(method.status());
  const std::string query = absl::StrCat(words[0], " ", words[1], " ", words[2]);
  embeddings::AnalogyQuestion question;
  int64_t* rows[3] = {&question.a, &question.b, &question.c};
  for (int j = 0; j < 3; ++j) {
    bool lowercased = false;
    absl::StatusOr<int64_t> row = corpus::FindAsSpelledOrLowercase(
        words[j], /*case_sensitive=*/false,
        [&](const std::string& w) { return index_.Lookup(w); },
        [](const auto& r) { return r.ok() || !absl::IsNotFound(r.status()); }, &lowercased);
    if (!row.ok()) return ErrorFor(row.status(), query);
    *rows[j] = *row;
  }
  embeddings::AnalogyOptions options;
  options.method = *method;
  options.k = k;
  auto filtered = index_.Analogies({&question, 1}, options);
  if (!filtered.ok()) return ErrorFor(filtered.status(), query);
  Json out = {{"query", query},
              {"a", words[0]},
              {"b", words[1]},
              {"c", words[2]},
              {"method", eval::AnalogyMethodName(*method)},
              {"measure", eval::AnalogyMeasure(*method)},
              {"answers", eval::AnswersJson(index_, (*filtered)[0])}};
  if (include_inputs) {
    options.exclude_inputs = false;
    auto raw = index_.Analogies({&question, 1}, options);
    if (!raw.ok()) return ErrorFor(raw.status(), query);
    out["unfiltered"] = eval::AnswersJson(index_, (*raw)[0]);
  }
  return {200, std::move(out)};
}

ApiReply Explorer::Map(const ApiParams& params) {
  Params p(params, {"k"}, {"words"});
  const std::vector<std::string> words = p.List("words", kMaxWords, kMaxWordBytes, true, true);
  const int k = p.Int("k", 0, 30, 8);
  if (!p.ok()) return ErrorFor(p.status());
  absl::StatusOr<eval::WordMap> map = eval::MapWords(vectors_, words, k);
  if (!map.ok()) return ErrorFor(map.status());
  return {200, eval::MapJson(*map, options_.vectors_label)};
}

ApiReply Explorer::Bias(const ApiParams& params) {
  Params p(params, {"k"}, {"pair", "words"});
  const std::vector<std::string> pair_texts =
      p.List("pair", kMaxPairs, 2 * kMaxWordBytes + 1, true, true);
  const std::vector<std::string> words = p.List("words", kMaxWords, kMaxWordBytes, false, true);
  const int k = p.Int("k", 0, kMaxK, 10);
  if (!p.ok()) return ErrorFor(p.status());
  std::vector<eval::WordPair> pairs;
  for (const std::string& text : pair_texts) {
    std::vector<std::string> two = absl::StrSplit(text, ':');
    if (two.size() != 2 || two[0].empty() || two[1].empty()) {
      return Error(400, absl::StrCat("'pair' must be two words a:b, not '", text, "'"));
    }
    pairs.push_back({two[0], two[1]});
  }
  absl::StatusOr<eval::DirectionProbe> probe =
      eval::ProbeDirection(vectors_, pairs, words, {}, k, /*restrict=*/0);
  if (!probe.ok()) return ErrorFor(probe.status());
  return {200, eval::DirectionProbeJson(*probe, options_.vectors_label)};
}

ApiReply Explorer::LmNext(const ApiParams& params) {
  Params p(params, {"text", "k", "length", "seed"});
  const std::string text = p.Text("text", kMaxTextBytes, false);
  eval::NextWordsOptions options;
  options.k = p.Int("k", 1, kMaxK, 10);
  options.length = p.Int("length", 0, 50, 0);
  options.sample.top_k = 40;
  options.sample.seed = static_cast<uint64_t>(p.Int("seed", 0, 1 << 30, 1));
  if (!p.ok()) return ErrorFor(p.status());
  std::lock_guard<std::mutex> lock(lm_mu_);
  const eval::NextWords next = eval::PredictNextWords(*lm_, text, options, lowercase_vocabulary_);
  return {200, eval::NextWordsJson(*lm_, next)};
}

ApiReply Explorer::LmAttention(const ApiParams& params) {
  Params p(params, {"text"});
  const std::string text = p.Text("text", kMaxTextBytes, true);
  if (!p.ok()) return ErrorFor(p.status());
  std::lock_guard<std::mutex> lock(lm_mu_);
  auto map = eval::InspectAttention(
      *lm_, eval::PromptWindow(*lm_, eval::TextInModelCase(*lm_, text, nullptr)));
  if (!map.ok()) return ErrorFor(map.status(), text);
  return {200, eval::AttentionJson(*map, options_.model_label)};
}

ApiReply Explorer::LmLens(const ApiParams& params) {
  Params p(params, {"text", "k", "target"});
  const std::string text = p.Text("text", kMaxTextBytes, true);
  const int k = p.Int("k", 1, 20, 5);
  std::string target = p.Text("target", kMaxWordBytes, false);
  if (!p.ok()) return ErrorFor(p.status());
  std::lock_guard<std::mutex> lock(lm_mu_);
  bool lowercased = false;
  if (!target.empty()) target = eval::WordInModelCase(*lm_, target, &lowercased);
  auto lens = eval::InspectLens(
      *lm_, eval::PromptWindow(*lm_, eval::TextInModelCase(*lm_, text, nullptr)), k, target);
  if (!lens.ok()) return ErrorFor(lens.status(), text);
  return {200, eval::LensJson(*lens, options_.model_label)};
}

ApiReply Explorer::LmContext(const ApiParams& params) {
  Params p(params, {"word", "k"}, {"text"});
  std::string word = p.Text("word", kMaxWordBytes, true);
  std::vector<std::string> texts = p.List("text", kMaxTexts, kMaxTextBytes, true, false);
  const int k = p.Int("k", 1, 20, 5);
  if (!p.ok()) return ErrorFor(p.status());
  std::lock_guard<std::mutex> lock(lm_mu_);
  bool lowercased = false;
  word = eval::WordInModelCase(*lm_, word, &lowercased);
  for (std::string& t : texts) t = eval::TextInModelCase(*lm_, t, nullptr);
  auto report = eval::InspectContext(*lm_, word, texts, k);
  if (!report.ok()) return ErrorFor(report.status(), word);
  return {200, eval::ContextJson(*report, options_.model_label)};
}

}  // namespace wordspace::serve
