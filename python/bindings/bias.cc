// wordspace.bias: WEAT, bias directions and projections, and hard debiasing over eval/bias (the
// code `wordspace bias` runs), with plain Python and numpy results.
#include <pybind11/stl.h>

#include <array>
#include <string>
#include <vector>

#include "eval/bias/bias_direction.h"
#include "eval/bias/bias_words.h"
#include "eval/bias/debias.h"
#include "eval/bias/weat.h"
#include "python/bindings/bindings.h"

namespace wordspace::python {
namespace {

bool IsPath(const py::handle& h) {
  return py::isinstance<py::str>(h) ||
         py::isinstance(h, py::module_::import("os").attr("PathLike"));
}
std::string PathOf(const py::handle& h) {
  return py::str(py::module_::import("os").attr("fspath")(h)).cast<std::string>();
}

// A test given as {"X": [...], "Y": [...], "A": [...], "B": [...]} (set names optional, as
// {"X": ("Flowers", [...]), ...}).
eval::WeatTest TestFromDict(const std::string& name, const py::dict& sets) {
  eval::WeatTest test;
  test.name = name;
  for (int role = 0; role < 4; ++role) {
    const char* key = eval::WeatRoleName(role);
    if (!sets.contains(key)) {
      throw py::value_error("WEAT test '" + name + "' has no '" + key +
                            "' word list (it needs X, Y, A and B)");
    }
    py::object value = sets[key];
    if (py::isinstance<py::tuple>(value) && py::len(value) == 2 &&
        py::isinstance<py::str>(value[py::int_(0)])) {
      test.set_names[role] = value[py::int_(0)].cast<std::string>();
      value = value[py::int_(1)];
    } else {
      test.set_names[role] = key;
    }
    test.words[role] = value.cast<std::vector<std::string>>();
    if (test.words[role].empty()) {
      throw py::value_error("WEAT test '" + name + "': the " + key + " word list is empty");
    }
  }
  return test;
}

py::dict WeatDict(const eval::WeatResult& r) {
  py::dict d;
  d["test"] = r.test;
  d["set_names"] = py::cast(std::vector<std::string>(r.set_names.begin(), r.set_names.end()));
  d["sizes"] = py::cast(std::vector<int>(r.sizes.begin(), r.sizes.end()));
  d["missing"] = r.missing;
  d["computed"] = r.computed;
  d["problem"] = r.problem;
  d["effect_size"] = r.effect_size;
  d["statistic"] = r.statistic;
  d["p_value"] = r.p.p_value;
  d["exact"] = r.p.exact;
  d["partitions"] = r.p.partitions;
  py::array_t<double> associations(static_cast<py::ssize_t>(r.associations.size()));
  std::copy(r.associations.begin(), r.associations.end(), associations.mutable_data());
  d["associations"] = associations;
  d["notes"] = r.notes;
  d["warnings"] = r.warnings;
  return d;
}

py::object Weat(const KeyedVectorsPtr& kv, const py::object& tests, const py::object& names,
                int64_t permutations, uint64_t seed, double exact_limit, int threads,
                bool case_sensitive, bool all_words) {
  std::vector<eval::WeatTest> list;
  bool single = false;
  if (IsPath(tests)) {
    const std::string path = PathOf(tests);
    absl::StatusOr<std::vector<eval::WeatTest>> read;
    {
      py::gil_scoped_release release;
      read = eval::ReadWeatTests(path, {.all_words = all_words});
    }
    list = ValueOrThrow(std::move(read));
    if (!names.is_none()) {
      list = ValueOrThrow(eval::SelectWeatTests(std::move(list),
                                                names.cast<std::vector<std::string>>(), path));
    }
  } else if (py::isinstance<py::dict>(tests) && py::dict(tests).contains("X")) {
    list.push_back(TestFromDict("test", tests));
    single = true;
  } else if (py::isinstance<py::dict>(tests)) {
    for (auto [name, sets] : py::dict(tests)) {
      list.push_back(TestFromDict(py::str(name).cast<std::string>(), sets.cast<py::dict>()));
    }
  } else {
    throw py::type_error(
        "tests: a tests file (data/weat.tsv), a dict {'X': [...], 'Y': [...], 'A': [...], "
        "'B': [...]}, or a dict of such dicts by test name");
  }
  eval::WeatOptions options;
  options.permutations = permutations;
  options.seed = seed;
  options.exact_limit = exact_limit;
  options.threads = threads;
  options.case_sensitive = case_sensitive;
  if (permutations <= 0) throw py::value_error("permutations must be positive");
  std::vector<eval::WeatResult> results;
  {
    py::gil_scoped_release release;
    for (const eval::WeatTest& t : list) results.push_back(eval::RunWeat(kv->vectors(), t, options));
  }
  if (single) return WeatDict(results[0]);
  py::list out;
  for (const eval::WeatResult& r : results) out.append(WeatDict(r));
  return out;
}

std::vector<eval::WordPair> PairsOf(const py::object& pairs) {
  if (IsPath(pairs)) return ValueOrThrow(eval::ReadWordPairs(PathOf(pairs)));
  std::vector<eval::WordPair> out;
  for (py::handle p : pairs) {
    if (py::isinstance<py::str>(p)) {
      out.push_back(ValueOrThrow(eval::ParseWordPair(p.cast<std::string>())));  // "he:she"
    } else {
      auto t = p.cast<std::pair<std::string, std::string>>();
      out.push_back({t.first, t.second});
    }
  }
  return out;
}

std::vector<std::string> WordsOf(const py::object& words) {
  if (IsPath(words)) return ValueOrThrow(eval::ReadWordList(PathOf(words)));
  return words.cast<std::vector<std::string>>();
}

py::list PairList(const std::vector<eval::WordPair>& pairs) {
  py::list out;
  for (const eval::WordPair& p : pairs) out.append(py::make_tuple(p.first, p.second));
  return out;
}

py::dict DirectionDict(const eval::BiasDirection& g) {
  py::dict d;
  py::array_t<double> direction(static_cast<py::ssize_t>(g.direction.size()));
  std::copy(g.direction.begin(), g.direction.end(), direction.mutable_data());
  d["direction"] = direction;
  d["variance_shares"] = g.variance_shares;
  d["used_pairs"] = PairList(g.used_pairs);
  d["missing"] = g.missing;
  return d;
}

std::vector<double> DirectionOf(const KeyedVectorsPtr& kv, const py::object& direction) {
  py::object array = direction;
  if (py::isinstance<py::dict>(direction)) array = direction["direction"];
  auto values = array.cast<std::vector<double>>();
  if (static_cast<int>(values.size()) != kv->vectors().dim()) {
    throw py::value_error("the direction has " + std::to_string(values.size()) +
                          " entries; the vectors have dimension " +
                          std::to_string(kv->vectors().dim()));
  }
  return values;
}

}  // namespace

void RegisterBias(py::module_& m) {
  py::module_ bias = m.def_submodule("bias", R"doc(Bias probes on word vectors (eval/bias):
WEAT with permutation tests (Caliskan et al. 2017), bias directions as the first principal
component of definitional pairs, and hard debiasing (Bolukbasi et al. 2016). Word lists and
pairs may be given as Python lists or as files in data/'s formats.)doc");
  bias.def("weat", &Weat, py::arg("kv"), py::arg("tests"), py::kw_only(),
           py::arg("names") = py::none(), py::arg("permutations") = 100000, py::arg("seed") = 1,
           py::arg("exact_limit") = 1e6, py::arg("threads") = 0,
           py::arg("case_sensitive") = false, py::arg("all_words") = false,
           R"doc(WEAT effect sizes and one-sided permutation p-values. tests: a tests file
(data/weat.tsv; `names` picks tests), one test {'X': [...], 'Y': [...], 'A': [...], 'B': [...]}
(a set may be (name, words)), or a dict of such tests by name. Returns a dict per test (one
dict for one test): test, set_names, sizes, missing, computed, problem, effect_size (d),
statistic, p_value, exact, partitions, associations (numpy: s(w, A, B) for X then Y), notes,
warnings. Exact when C(|X|+|Y|, |X|) <= exact_limit, else `permutations` seeded draws.)doc");
  bias.def(
      "direction",
      [](const KeyedVectorsPtr& kv, const py::object& pairs, int components, bool case_sensitive) {
        const std::vector<eval::WordPair> list = PairsOf(pairs);
        absl::StatusOr<eval::BiasDirection> g;
        {
          py::gil_scoped_release release;
          g = eval::ComputeBiasDirection(kv->vectors(), list,
                                         {.case_sensitive = case_sensitive, .components = components});
        }
        return DirectionDict(ValueOrThrow(std::move(g)));
      },
      py::arg("kv"), py::arg("pairs"), py::kw_only(), py::arg("components") = 10,
      py::arg("case_sensitive") = false,
      R"doc(The bias direction of definitional pairs ([("she", "he"), ...], "she:he" strings, or
a pairs file such as data/bolukbasi/definitional_pairs.tsv): a dict with direction (unit numpy
vector, from each pair's second word towards its first), variance_shares (of the first
`components` principal components), used_pairs and missing.)doc");
  bias.def(
      "project",
      [](const KeyedVectorsPtr& kv, const py::object& words, const py::object& direction,
         bool case_sensitive) {
        const std::vector<std::string> list = WordsOf(words);
        const std::vector<double> g = DirectionOf(kv, direction);
        std::vector<std::string> missing;
        std::vector<eval::ProjectedWord> projected =
            eval::ProjectWords(kv->vectors(), list, g, case_sensitive, &missing);
        py::dict out;
        for (const eval::ProjectedWord& p : projected) out[py::str(p.word)] = p.projection;
        py::dict result;
        result["projections"] = out;
        result["missing"] = missing;
        return result;
      },
      py::arg("kv"), py::arg("words"), py::arg("direction"), py::kw_only(),
      py::arg("case_sensitive") = false,
      "The cosine of each word with a direction (a vector, or the dict direction() returns): "
      "{'projections': {word: cosine}, 'missing': [words not in the vectors]}.");
  bias.def(
      "extremes",
      [](const KeyedVectorsPtr& kv, const py::object& direction, int top,
         const py::object& restrict_vocab) {
        const std::vector<double> g = DirectionOf(kv, direction);
        const int64_t restrict = restrict_vocab.is_none() ? 0 : restrict_vocab.cast<int64_t>();
        std::vector<eval::ProjectedWord> positive, negative;
        {
          py::gil_scoped_release release;
          eval::ExtremeProjections(kv->vectors(), g, top, restrict, &positive, &negative);
        }
        auto list = [](const std::vector<eval::ProjectedWord>& words) {
          py::list out;
          for (const eval::ProjectedWord& p : words) out.append(py::make_tuple(p.word, p.projection));
          return out;
        };
        py::dict result;
        result["positive"] = list(positive);
        result["negative"] = list(negative);
        return result;
      },
      py::arg("kv"), py::arg("direction"), py::arg("top") = 20,
      py::arg("restrict_vocab") = py::none(),
      "The `top` words furthest along the direction each way: {'positive': [(word, cosine)], "
      "'negative': [...]} (most extreme first), among the first restrict_vocab rows.");
  bias.def(
      "debias",
      [](const KeyedVectorsPtr& kv, const py::object& definitional, const py::object& specific,
         const py::object& equalize, bool case_sensitive, const std::vector<std::string>& report_words) {
        const std::vector<eval::WordPair> pairs = PairsOf(definitional);
        const std::vector<std::string> specific_words = WordsOf(specific);
        const std::vector<eval::WordPair> equalize_pairs = PairsOf(equalize);
        embeddings::WordVectors copy = kv->vectors();
        eval::DebiasOptions options;
        options.case_sensitive = case_sensitive;
        options.report_words = report_words;
        absl::StatusOr<eval::DebiasReport> report;
        {
          py::gil_scoped_release release;
          report = eval::HardDebias(&copy, pairs, specific_words, equalize_pairs, options);
        }
        eval::DebiasReport r = ValueOrThrow(std::move(report));
        py::dict d;
        d["direction"] = DirectionDict(r.direction);
        d["neutralized"] = r.neutralized;
        d["specific"] = r.specific;
        d["equalized"] = PairList(r.equalized);
        d["not_found"] = PairList(r.not_found);
        d["mean_abs_projection_before"] = r.mean_abs_projection_before;
        d["mean_abs_projection_after"] = r.mean_abs_projection_after;
        d["max_abs_projection_after"] = r.max_abs_projection_after;
        py::list shifts;
        for (const eval::ProjectionShift& s : r.words) {
          py::dict w;
          w["word"] = s.word;
          w["before"] = s.before;
          w["after"] = s.after;
          shifts.append(w);
        }
        d["words"] = shifts;
        d["missing_words"] = r.missing_words;
        return py::make_tuple(MakeKeyedVectors(std::move(copy)), d);
      },
      py::arg("kv"), py::arg("definitional"), py::arg("specific"), py::arg("equalize"),
      py::kw_only(), py::arg("case_sensitive") = false,
      py::arg("report_words") = std::vector<std::string>{},
      R"doc(Hard debiasing (neutralize, then equalize) of a copy of kv: returns (debiased
KeyedVectors, report dict). definitional and equalize: pairs (lists or files, as direction());
specific: the gender-specific words left alone (a list or a word-list file such as
data/bolukbasi/gender_specific_full.txt). report_words: words whose projections before and
after the report lists.)doc");
}

}  // namespace wordspace::python
