// wordspace.KeyedVectors: gensim 4's KeyedVectors names and return shapes over WordVectors and
// VectorIndex (embeddings/). The vectors are the file's (not normalised), viewed by numpy
// without a copy; queries run on a FAISS index built on first use (exact "Flat" by default),
// with the GIL released.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <functional>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "embeddings/vector_io.h"
#include "eval/vectors/similarity_eval.h"
#include "python/bindings/bindings.h"

namespace wordspace::python {

using embeddings::Neighbor;
using embeddings::VectorIndex;
using embeddings::WordVectors;

absl::StatusOr<std::shared_ptr<const VectorIndex>> KeyedVectorsCore::Index(int64_t restrict) const {
  if (restrict <= 0 || restrict >= vectors_.size()) restrict = 0;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = indexes_.find(restrict);
  if (it != indexes_.end()) return it->second;
  embeddings::IndexOptions options;
  options.factory = factory_;
  options.search_params = search_params_;
  options.restrict = restrict;
  options.threads = threads_;
  absl::StatusOr<VectorIndex> index = VectorIndex::Build(vectors_, options);
  if (!index.ok()) return index.status();
  auto shared = std::make_shared<const VectorIndex>(std::move(*index));
  indexes_[restrict] = shared;
  return shared;
}

void KeyedVectorsCore::DropIndexes() {
  std::lock_guard<std::mutex> lock(mutex_);
  indexes_.clear();
}

void KeyedVectorsCore::set_factory(std::string factory, std::string search_params) {
  factory_ = std::move(factory);
  search_params_ = std::move(search_params);
  DropIndexes();
}

absl::StatusOr<int64_t> KeyedVectorsCore::Lookup(std::string_view key) const {
  const int64_t row = vectors_.Find(key);
  if (row >= 0) return row;
  // The index's lookup gives the message with close spellings; building one only for an error
  // message would be slow, so an index already built is asked, else a plain message.
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!indexes_.empty()) return indexes_.begin()->second->Lookup(key);
  }
  return absl::NotFoundError("Key '" + std::string(key) + "' not present in vocabulary");
}

py::array_t<float> ViewArray(const float* data, int64_t rows, int64_t cols, py::handle owner,
                             bool writable) {
  py::array_t<float> array({rows, cols},
                           {cols * static_cast<int64_t>(sizeof(float)),
                            static_cast<int64_t>(sizeof(float))},
                           data, owner);
  if (!writable) array.attr("flags").attr("writeable") = false;
  return array;
}

py::array_t<float> CopyArray(const float* values, std::initializer_list<int64_t> shape) {
  std::vector<py::ssize_t> dims(shape.begin(), shape.end());
  py::array_t<float> array(dims);
  std::copy_n(values, array.size(), array.mutable_data());
  return array;
}

namespace {

py::class_<KeyedVectorsCore, KeyedVectorsPtr>* g_class = nullptr;

// `v` scaled to unit length (a zero vector stays zero), as gensim's get_vector(norm=True).
std::vector<float> Unit(std::vector<float> v) {
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  norm = std::sqrt(norm);
  if (norm > 0) {
    for (float& x : v) x = static_cast<float>(x / norm);
  }
  return v;
}
std::vector<float> UnitRow(const WordVectors& vectors, int64_t row) {
  return Unit(std::vector<float>(vectors.row(row).begin(), vectors.row(row).end()));
}

std::vector<float> ToVector(const py::array_t<float, py::array::c_style | py::array::forcecast>& a,
                            int dim) {
  if (a.ndim() != 1 || a.shape(0) != dim) {
    throw py::value_error("a vector of " + std::to_string(dim) + " floats was expected, not shape " +
                          py::str(a.attr("shape")).cast<std::string>());
  }
  return std::vector<float>(a.data(), a.data() + dim);
}

// gensim's most_similar terms: a word, a vector, or (word or vector, weight); a lone word or
// vector stands for a list of one.
struct Terms {
  std::vector<float> mean;           // the weighted mean, unit length
  std::vector<int64_t> input_rows;   // the words among the terms (never answers)
};

// One term's vector: a word's unit row (its row added to *input_rows: never an answer), or a
// vector as given.
std::vector<float> TermVector(const KeyedVectorsCore& core, const py::object& key,
                              std::vector<int64_t>* input_rows) {
  if (py::isinstance<py::str>(key)) {
    const int64_t row = ValueOrThrow(core.Lookup(key.cast<std::string>()), Missing::kWord);
    input_rows->push_back(row);
    return UnitRow(core.vectors(), row);
  }
  return ToVector(key.cast<py::array_t<float, py::array::c_style | py::array::forcecast>>(),
                  core.vectors().dim());
}

std::vector<py::object> AsTermList(const py::object& terms) {
  std::vector<py::object> list;
  if (terms.is_none()) return list;
  if (py::isinstance<py::str>(terms) || py::isinstance<py::array>(terms)) return {terms};
  for (py::handle item : terms) list.push_back(py::reinterpret_borrow<py::object>(item));
  return list;
}

// As gensim's get_mean_vector(pre_normalize=True, post_normalize=True): words contribute their
// unit vectors, vectors themselves, each times its weight; the sum over the total |weight|,
// then made unit length.
Terms MeanOfTerms(const KeyedVectorsCore& core, const py::object& positive,
                  const py::object& negative) {
  const int dim = core.vectors().dim();
  Terms terms;
  std::vector<double> sum(dim, 0.0);
  double total_weight = 0;
  auto add = [&](const py::object& item, double weight) {
    py::object key = item;
    if (py::isinstance<py::tuple>(item) && py::len(item) == 2) {
      key = item[py::int_(0)];
      weight = item[py::int_(1)].cast<double>();
    }
    const std::vector<float> v = TermVector(core, key, &terms.input_rows);
    for (int j = 0; j < dim; ++j) sum[j] += weight * v[j];
    total_weight += std::abs(weight);
  };
  for (const py::object& item : AsTermList(positive)) add(item, 1.0);
  for (const py::object& item : AsTermList(negative)) add(item, -1.0);
  if (total_weight == 0) throw py::value_error("cannot compute similarity with no input");
  double norm = 0;
  for (double& x : sum) {
    x /= total_weight;
    norm += x * x;
  }
  norm = std::sqrt(norm);
  terms.mean.resize(dim);
  for (int j = 0; j < dim; ++j) terms.mean[j] = static_cast<float>(norm > 0 ? sum[j] / norm : 0.0);
  return terms;
}

int64_t RestrictOf(const py::object& restrict_vocab) {
  if (restrict_vocab.is_none()) return 0;
  const int64_t r = restrict_vocab.cast<int64_t>();
  if (r <= 0) throw py::value_error("restrict_vocab must be positive (or None for every word)");
  return r;
}

std::shared_ptr<const VectorIndex> IndexOrThrow(const KeyedVectorsCore& core, int64_t restrict) {
  absl::StatusOr<std::shared_ptr<const VectorIndex>> index;
  {
    py::gil_scoped_release release;
    index = core.Index(restrict);
  }
  return ValueOrThrow(std::move(index));
}

py::list Pairs(const VectorIndex& index, const std::vector<Neighbor>& found) {
  py::list out;
  for (const Neighbor& n : found) out.append(py::make_tuple(index.word(n.row), n.score));
  return out;
}

// The cosine of every searchable row with unit `query` (gensim's most_similar(topn=None)).
py::array_t<float> AllCosines(const VectorIndex& index, const std::vector<float>& query) {
  const int64_t n = index.searchable();
  const int d = index.dim();
  py::array_t<float> out(n);
  float* o = out.mutable_data();
  const float* rows = index.vectors().values().data();
  {
    py::gil_scoped_release release;
    for (int64_t r = 0; r < n; ++r) {
      float dot = 0;
      for (int j = 0; j < d; ++j) dot += rows[r * d + j] * query[j];
      o[r] = dot;
    }
  }
  return out;
}

// Batch answers as arrays: rows (n, k) int64, -1 past the answers found, and scores (n, k).
py::tuple BatchArrays(const std::vector<std::vector<Neighbor>>& found, int k) {
  const int64_t n = static_cast<int64_t>(found.size());
  py::array_t<int64_t> rows({n, static_cast<int64_t>(k)});
  py::array_t<float> scores({n, static_cast<int64_t>(k)});
  int64_t* r = rows.mutable_data();
  float* s = scores.mutable_data();
  for (int64_t q = 0; q < n; ++q) {
    for (int i = 0; i < k; ++i) {
      const bool have = i < static_cast<int>(found[q].size());
      r[q * k + i] = have ? found[q][i].row : -1;
      s[q * k + i] = have ? found[q][i].score : std::nanf("");
    }
  }
  return py::make_tuple(rows, scores);
}

std::vector<std::vector<Neighbor>> SearchOrThrow(const VectorIndex& index,
                                                 const std::vector<float>& queries, int k,
                                                 const std::vector<std::vector<int64_t>>& exclude) {
  absl::StatusOr<std::vector<std::vector<Neighbor>>> found;
  {
    py::gil_scoped_release release;
    found = index.Search(queries, k, exclude);
  }
  return ValueOrThrow(std::move(found));
}

void CheckTopn(int topn) {
  if (topn <= 0) throw py::value_error("topn must be positive (or None for every cosine)");
}

py::object MostSimilar(const KeyedVectorsPtr& self, const py::object& positive,
                       const py::object& negative, const py::object& topn,
                       const py::object& restrict_vocab) {
  Terms terms = MeanOfTerms(*self, positive, negative);
  auto index = IndexOrThrow(*self, RestrictOf(restrict_vocab));
  if (topn.is_none()) return AllCosines(*index, terms.mean);
  const int k = topn.cast<int>();
  CheckTopn(k);
  auto found = SearchOrThrow(*index, terms.mean, k, {terms.input_rows});
  return Pairs(*index, found[0]);
}

py::object MostSimilarCosmul(const KeyedVectorsPtr& self, const py::object& positive,
                             const py::object& negative, int topn,
                             const py::object& restrict_vocab) {
  CheckTopn(topn);
  std::vector<int64_t> inputs;
  auto gather = [&](const py::object& list) {
    std::vector<float> flat;
    for (const py::object& item : AsTermList(list)) {
      const std::vector<float> v = TermVector(*self, item, &inputs);
      flat.insert(flat.end(), v.begin(), v.end());
    }
    return flat;
  };
  const std::vector<float> pos = gather(positive);
  const std::vector<float> neg = gather(negative);
  if (pos.empty()) throw py::value_error("cannot compute similarity with no input");
  auto index = IndexOrThrow(*self, RestrictOf(restrict_vocab));
  absl::StatusOr<std::vector<Neighbor>> found;
  {
    py::gil_scoped_release release;
    // gensim's epsilon for most_similar_cosmul.
    found = index->CosMul(pos, neg, topn, inputs, 1e-6f);
  }
  return Pairs(*index, ValueOrThrow(std::move(found)));
}

py::tuple MostSimilarBatch(const KeyedVectorsPtr& self, const std::vector<std::string>& keys,
                           int topn, const py::object& restrict_vocab) {
  CheckTopn(topn);
  const int dim = self->vectors().dim();
  std::vector<int64_t> rows;
  for (const std::string& key : keys) rows.push_back(ValueOrThrow(self->Lookup(key), Missing::kWord));
  auto index = IndexOrThrow(*self, RestrictOf(restrict_vocab));
  std::vector<float> queries(rows.size() * dim);
  std::vector<std::vector<int64_t>> exclude(rows.size());
  for (size_t q = 0; q < rows.size(); ++q) {
    std::span<const float> unit = index->vectors().row(rows[q]);
    std::copy(unit.begin(), unit.end(), queries.begin() + q * dim);
    exclude[q] = {rows[q]};
  }
  return BatchArrays(SearchOrThrow(*index, queries, topn, exclude), topn);
}

py::object SimilarByVector(const KeyedVectorsPtr& self,
                           const py::array_t<float, py::array::c_style | py::array::forcecast>& v,
                           int topn, const py::object& restrict_vocab) {
  CheckTopn(topn);
  const int dim = self->vectors().dim();
  if ((v.ndim() != 1 && v.ndim() != 2) || v.shape(v.ndim() - 1) != dim) {
    throw py::value_error("similar_by_vector takes a vector of " + std::to_string(dim) +
                          " floats or an (n, " + std::to_string(dim) + ") array");
  }
  auto index = IndexOrThrow(*self, RestrictOf(restrict_vocab));
  std::vector<float> queries(v.data(), v.data() + v.size());
  auto found = SearchOrThrow(*index, queries, topn, {});
  if (v.ndim() == 1) return Pairs(*index, found[0]);
  return BatchArrays(found, topn);
}

std::string DoesntMatch(const KeyedVectorsPtr& self, const std::vector<std::string>& words) {
  const WordVectors& vectors = self->vectors();
  std::vector<std::string> used;
  std::vector<std::vector<float>> units;
  for (const std::string& w : words) {
    const int64_t row = vectors.Find(w);
    if (row < 0) continue;  // gensim leaves unknown words out (with a warning in its log)
    used.push_back(w);
    units.push_back(UnitRow(vectors, row));
  }
  if (used.empty()) throw py::value_error("cannot select a word from an empty list");
  const int dim = vectors.dim();
  std::vector<double> mean(dim, 0.0);
  for (const auto& u : units) {
    for (int j = 0; j < dim; ++j) mean[j] += u[j];
  }
  double best = 0;
  size_t worst = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    double dot = 0;
    for (int j = 0; j < dim; ++j) dot += units[i][j] * mean[j];  // the mean's norm ranks nothing
    if (i == 0 || dot < best || (dot == best && used[i] < used[worst])) {
      best = dot;
      worst = i;
    }
  }
  return used[worst];
}

py::object Similarity(const KeyedVectorsPtr& self, const py::object& w1, const py::object& w2) {
  const WordVectors& vectors = self->vectors();
  auto row = [&](const py::handle& w) {
    return ValueOrThrow(self->Lookup(w.cast<std::string>()), Missing::kWord);
  };
  if (py::isinstance<py::str>(w1) && py::isinstance<py::str>(w2)) {
    return py::float_(static_cast<float>(eval::RowCosine(vectors, row(w1), row(w2))));
  }
  const py::list a(w1), b(w2);
  if (a.size() != b.size()) {
    throw py::value_error("similarity of two lists needs lists of equal length, not " +
                          std::to_string(a.size()) + " and " + std::to_string(b.size()));
  }
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (size_t i = 0; i < a.size(); ++i) rows.push_back({row(a[i]), row(b[i])});
  py::array_t<float> out(static_cast<py::ssize_t>(rows.size()));
  float* o = out.mutable_data();
  {
    py::gil_scoped_release release;
    for (size_t i = 0; i < rows.size(); ++i) {
      o[i] = static_cast<float>(eval::RowCosine(vectors, rows[i].first, rows[i].second));
    }
  }
  return out;
}

py::object GetItem(const py::object& self_object, const py::object& key) {
  const KeyedVectorsPtr& self = self_object.cast<KeyedVectorsPtr>();
  const WordVectors& vectors = self->vectors();
  if (py::isinstance<py::str>(key)) {
    const int64_t row = ValueOrThrow(self->Lookup(key.cast<std::string>()), Missing::kWord);
    py::array_t<float> view =
        ViewArray(vectors.row(row).data(), 1, vectors.dim(), self_object, false);
    return view.attr("reshape")(vectors.dim());
  }
  std::vector<int64_t> rows;
  for (py::handle item : key) {
    rows.push_back(ValueOrThrow(self->Lookup(item.cast<std::string>()), Missing::kWord));
  }
  py::array_t<float> out({static_cast<int64_t>(rows.size()), static_cast<int64_t>(vectors.dim())});
  float* o = out.mutable_data();
  for (size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(vectors.row(rows[i]).data(), vectors.dim(), o + i * vectors.dim());
  }
  return out;
}

// Cached in the instance's __dict__: building a list of 100,000 strings per access would make
// `kv.index_to_key[i]` in a loop quadratic.
py::object Cached(const py::object& self, const char* name,
                  const std::function<py::object(const KeyedVectorsCore&)>& make) {
  py::dict d = self.attr("__dict__");
  if (d.contains(name)) return d[name];
  py::object value = make(*self.cast<KeyedVectorsPtr>());
  d[name] = value;
  return value;
}

}  // namespace

py::class_<KeyedVectorsCore, KeyedVectorsPtr>& KeyedVectorsClass() { return *g_class; }

py::object MakeKeyedVectors(WordVectors vectors) {
  return py::cast(std::make_shared<KeyedVectorsCore>(std::move(vectors)));
}

void RegisterVectors(py::module_& m) {
  g_class = new py::class_<KeyedVectorsCore, KeyedVectorsPtr>(m, "KeyedVectors", py::dynamic_attr(), R"doc(
Word vectors with gensim 4's KeyedVectors names: a vocabulary (index_to_key, key_to_index) and
one row per word (vectors, a float32 numpy array that views wordspace's own memory).

    kv = wordspace.KeyedVectors.load("vectors.bin")      # word2vec text/binary, GloVe, .vec,
                                                         # fastText .bin, gzipped or not
    kv.most_similar("king", topn=5)                      # [(word, cosine), ...]
    kv.most_similar(positive=["paris", "germany"], negative=["france"])
    rows, scores = kv.most_similar_batch(["king", "queen"], topn=10)   # numpy arrays
    score, sections = kv.evaluate_word_analogies("data/questions-words.txt")

Queries run on a FAISS index built on first use: exact ("Flat") unless `index` says otherwise
("HNSW32", "IVF1024,PQ16", any index_factory string). Queries release the GIL and may come from
several threads at once.)doc");
  py::class_<KeyedVectorsCore, KeyedVectorsPtr>& c = *g_class;
  c.def(py::init([](const std::vector<std::string>& keys,
                    const py::array_t<float, py::array::c_style | py::array::forcecast>& vectors) {
          if (vectors.ndim() != 2 || static_cast<size_t>(vectors.shape(0)) != keys.size()) {
            throw py::value_error("vectors must be a (len(keys), dim) array");
          }
          const int dim = static_cast<int>(vectors.shape(1));
          return std::make_shared<KeyedVectorsCore>(WordVectors(
              keys, dim, std::vector<float>(vectors.data(), vectors.data() + vectors.size())));
        }),
        py::arg("keys"), py::arg("vectors"),
        "Vectors from a list of words and a (len(keys), dim) array (copied).");
  c.def_static(
      "load",
      [](const std::filesystem::path& file, const py::object& limit, bool writable,
         const std::string& index, const std::string& search_params, int threads) {
        const std::string path = file.string();
        const int64_t max_rows = limit.is_none() ? 0 : limit.cast<int64_t>();
        absl::StatusOr<WordVectors> vectors;
        {
          py::gil_scoped_release release;
          vectors = embeddings::ReadVectors(path, embeddings::VectorFormat::kAuto, max_rows);
        }
        auto core = std::make_shared<KeyedVectorsCore>(ValueOrThrow(std::move(vectors)));
        core->writable = writable;
        core->set_factory(index, search_params);
        core->set_threads(threads);
        return core;
      },
      py::arg("path"), py::arg("limit") = py::none(), py::arg("writable") = false,
      py::arg("index") = "Flat", py::arg("search_params") = "", py::arg("threads") = 0,
      R"doc(Reads a vector file in any format the command line reads: word2vec text or binary,
GloVe, fastText's .vec or .bin model (then words outside the vocabulary get vectors from their
character n-grams: get_vector), each possibly gzipped; the format is told from the content.
limit: read only the first rows (gensim's `limit`). writable: `vectors` may be written into
(reading `kv.vectors` then drops the search indexes; call fill_norms(force=True) after writing
into an array you kept). index / search_params: the FAISS index for queries ("Flat" is exact).
threads: cores for building and searching (0: all).
FileNotFoundError for a missing file; ValueError or wordspace.DataLossError naming the file and
line of a malformed one.)doc");
  c.def_static(
      "load_word2vec_format",
      [](const std::filesystem::path& file, const py::object& binary, const py::object& limit) {
        const std::string path = file.string();
        (void)binary;  // the format is read from the content, as `load` does
        const int64_t max_rows = limit.is_none() ? 0 : limit.cast<int64_t>();
        absl::StatusOr<WordVectors> vectors;
        {
          py::gil_scoped_release release;
          vectors = embeddings::ReadVectors(path, embeddings::VectorFormat::kAuto, max_rows);
        }
        return std::make_shared<KeyedVectorsCore>(ValueOrThrow(std::move(vectors)));
      },
      py::arg("fname"), py::arg("binary") = py::none(), py::arg("limit") = py::none(),
      "gensim's spelling of load: `binary` is accepted and not needed (the content tells).");
  c.def("save_word2vec_format",
        [](const KeyedVectorsPtr& self, const std::filesystem::path& file, bool binary) {
          const std::string path = file.string();
          absl::Status status;
          {
            py::gil_scoped_release release;
            status = embeddings::WriteVectors(
                self->vectors(), path,
                binary ? embeddings::VectorFormat::kBinary : embeddings::VectorFormat::kText);
          }
          OkOrThrow(status);
        },
        py::arg("fname"), py::arg("binary") = false,
        "Writes word2vec text (or binary with binary=True), atomically; gzipped when the name ends "
        "in .gz.");
  c.def_property_readonly(
      "vectors",
      [](const py::object& self) {
        KeyedVectorsCore& core = *self.cast<KeyedVectorsPtr>();
        const WordVectors& v = core.writable ? core.mutable_vectors() : core.vectors();
        return ViewArray(v.values().data(), v.size(), v.dim(), self, core.writable);
      },
      "The (len, vector_size) float32 rows, viewing wordspace's memory (no copy); read-only unless "
      "loaded with writable=True. The array keeps the vectors alive.");
  c.def_property_readonly("vector_size", [](const KeyedVectorsPtr& self) { return self->vectors().dim(); });
  c.def_property_readonly(
      "index_to_key",
      [](const py::object& self) {
        return Cached(self, "_index_to_key", [](const KeyedVectorsCore& core) {
          return py::cast(core.vectors().words());
        });
      },
      "The words, in row order (for our own files, most frequent first).");
  c.def_property_readonly(
      "key_to_index",
      [](const py::object& self) {
        return Cached(self, "_key_to_index", [](const KeyedVectorsCore& core) {
          py::dict d;
          const WordVectors& v = core.vectors();
          for (int64_t r = v.size() - 1; r >= 0; --r) d[py::str(v.word(r))] = r;  // first row wins
          return py::object(d);
        });
      },
      "word -> row.");
  c.def("__len__", [](const KeyedVectorsPtr& self) { return self->vectors().size(); });
  c.def("__contains__", [](const KeyedVectorsPtr& self, const std::string& key) {
    return self->vectors().Find(key) >= 0;
  });
  c.def("__getitem__", &GetItem, py::arg("key_or_keys"),
        "kv['cat'] is the word's row (a read-only view); kv[['cat', 'dog']] a (2, dim) copy.");
  c.def("__repr__", [](const KeyedVectorsPtr& self) {
    return "<wordspace.KeyedVectors: " + std::to_string(self->vectors().size()) + " words, dim " +
           std::to_string(self->vectors().dim()) + ", index " + self->factory() + ">";
  });
  c.def("get_index",
        [](const KeyedVectorsPtr& self, const std::string& key, const py::object& fallback) -> py::object {
          const int64_t row = self->vectors().Find(key);
          if (row >= 0) return py::int_(row);
          if (!fallback.is_none()) return fallback;
          ThrowStatus(absl::NotFoundError("Key '" + key + "' not present"), Missing::kWord);
        },
        py::arg("key"), py::arg("default") = py::none());
  c.def("has_index_for", [](const KeyedVectorsPtr& self, const std::string& key) {
    return self->vectors().Find(key) >= 0;
  });
  c.def("get_vector",
        [](const KeyedVectorsPtr& self, const std::string& key, bool norm) {
          const WordVectors& v = self->vectors();
          const int64_t row = v.Find(key);
          std::vector<float> out;
          if (row >= 0) {
            out = norm ? UnitRow(v, row) : std::vector<float>(v.row(row).begin(), v.row(row).end());
          } else if (std::optional<std::vector<float>> ngram = v.NgramVector(key)) {
            // fastText's vector for a word outside the vocabulary.
            out = norm ? Unit(std::move(*ngram)) : std::move(*ngram);
          } else {
            ThrowStatus(self->Lookup(key).status(), Missing::kWord);
          }
          return CopyArray(out.data(), {static_cast<int64_t>(out.size())});
        },
        py::arg("key"), py::arg("norm") = false,
        "The word's vector (a copy; unit length with norm=True). For vectors read from a fastText "
        "model with n-grams, a word outside the vocabulary gets the mean of its n-gram rows.");
  c.def_property_readonly("has_ngrams", [](const KeyedVectorsPtr& self) { return self->vectors().has_ngrams(); },
                          "Whether words outside the vocabulary have vectors (fastText n-grams).");
  c.def("get_normed_vectors",
        [](const KeyedVectorsPtr& self) {
          auto index = IndexOrThrow(*self, 0);
          // The capsule holds the index, so the array outlives a later fill_norms(force=True).
          auto* keep = new std::shared_ptr<const VectorIndex>(index);
          py::capsule owner(keep, [](void* p) { delete static_cast<std::shared_ptr<const VectorIndex>*>(p); });
          const WordVectors& unit = index->vectors();
          return ViewArray(unit.values().data(), unit.size(), unit.dim(), owner, false);
        },
        "The rows scaled to unit length (read-only; the exact index's own copy).");
  c.def("fill_norms",
        [](const KeyedVectorsPtr& self, bool force) {
          if (force) self->DropIndexes();
        },
        py::arg("force") = false,
        "gensim's name for refreshing the unit rows: with force=True the search indexes are dropped "
        "and rebuilt from `vectors` on the next query (after writing into a writable array).");
  c.def_property(
      "index", [](const KeyedVectorsPtr& self) { return self->factory(); },
      [](const KeyedVectorsPtr& self, const std::string& factory) { self->set_factory(factory, ""); },
      "The FAISS index_factory string queries use (\"Flat\": exact). Setting it drops built indexes.");
  c.def("most_similar", &MostSimilar, py::arg("positive") = py::none(),
        py::arg("negative") = py::none(), py::arg("topn") = 10,
        py::arg("restrict_vocab") = py::none(),
        R"doc(The topn words closest by cosine to the mean of the unit vectors of `positive` minus
those of `negative` (words, vectors, or (word, weight) pairs), never an input word, as gensim:
a list of (word, cosine), best first. topn=None gives every cosine as an array.
restrict_vocab: answers only from the first rows. KeyNotFoundError for an unknown word.)doc");
  c.def("most_similar_cosmul", &MostSimilarCosmul, py::arg("positive") = py::none(),
        py::arg("negative") = py::none(), py::arg("topn") = 10,
        py::arg("restrict_vocab") = py::none(),
        "3CosMul (Levy and Goldberg 2014), as gensim: the words maximising the product of the "
        "shifted cosines (cos+1)/2 with `positive` over that with `negative` (+1e-6).");
  c.def("most_similar_batch", &MostSimilarBatch, py::arg("keys"), py::arg("topn") = 10,
        py::arg("restrict_vocab") = py::none(),
        "The topn neighbours of each word in one pass: (rows, scores), numpy arrays of shape "
        "(len(keys), topn) (rows int64, -1 where fewer answers exist; scores float32 cosines). "
        "kv.index_to_key[row] is the word.");
  c.def("similar_by_vector", &SimilarByVector, py::arg("vector"), py::arg("topn") = 10,
        py::arg("restrict_vocab") = py::none(),
        "The words closest to a vector: [(word, cosine)]; for an (n, dim) array, (rows, scores) "
        "arrays as most_similar_batch.");
  c.def("similar_by_word",
        [](const KeyedVectorsPtr& self, const py::object& word, const py::object& topn,
           const py::object& restrict_vocab) {
          return MostSimilar(self, py::make_tuple(word), py::none(), topn, restrict_vocab);
        },
        py::arg("word"), py::arg("topn") = 10, py::arg("restrict_vocab") = py::none());
  c.attr("similar_by_key") = c.attr("similar_by_word");
  c.def("doesnt_match", &DoesntMatch, py::arg("words"),
        "The word furthest from the mean of the others' unit vectors (unknown words left out).");
  c.def("similarity", &Similarity, py::arg("w1"), py::arg("w2"),
        "The cosine of two words; of two equal-length lists of words, an array of cosines.");
  c.def("distance",
        [](const KeyedVectorsPtr& self, const std::string& w1, const std::string& w2) {
          return 1.0f - Similarity(self, py::str(w1), py::str(w2)).cast<float>();
        },
        py::arg("w1"), py::arg("w2"), "1 - similarity(w1, w2).");
}

}  // namespace wordspace::python
