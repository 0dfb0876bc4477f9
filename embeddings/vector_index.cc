#include "embeddings/vector_index.h"

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/index_factory.h>
#include <omp.h>

#include <algorithm>
#include <optional>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/isa_dispatch.h"
#include "base/parallel_for.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "corpus/spelling.h"
#include "embeddings/exact_top_k.h"
#include "embeddings/inner_product_kernel.h"
#include "embeddings/vector_index_io.h"

namespace wordspace::embeddings {
namespace {

using internal::Contains;
using internal::kQueryBlock;
using internal::kTile;
using internal::MultiplyPacked;
using internal::PackedPanel;
using internal::PackRows;
using internal::ScanScores;
using internal::SortAndTruncate;
using internal::TopK;

// Analogies: at most this many distinct question words per pass (their cosines with one tile,
// kMaxUnique × kTile floats, are kept per thread).
constexpr size_t kMaxUnique = 3072;
// Extra candidates fetched from an approximate index before exact re-ranking of analogies.
constexpr int kAnalogySlack = 50;

float Dot(const float* x, const float* y, int d) {
  float s = 0;
#pragma omp simd reduction(+ : s)
  for (int i = 0; i < d; ++i) s += x[i] * y[i];
  return s;
}

void NormalizeInPlace(float* x, int d) {
  const float norm = std::sqrt(Dot(x, x, d));
  if (norm > 0) {
    const float inv = 1.0f / norm;
    for (int i = 0; i < d; ++i) x[i] *= inv;
  }
}

// A flat index is searched with our kernel, unless WORDSPACE_KERNEL=faiss asks for FAISS's own
// search (BLAS sgemm), which bench/query_bench.sh uses for comparison.
bool ForceFaissSearch() {
  static const bool force_faiss = [] {
    const char* env = std::getenv("WORDSPACE_KERNEL");
    return env != nullptr && std::string_view(env) == "faiss";
  }();
  return force_faiss;
}

bool UseOwnKernel(const faiss::Index* index) {
  return !ForceFaissSearch() && dynamic_cast<const faiss::IndexFlat*>(index) != nullptr;
}

// Sets the user's search parameters, or, when there are none, defaults wider than FAISS's own
// (HNSW efSearch 16 and IVF nprobe 1 miss many true neighbours of arithmetic queries).
absl::Status ApplySearchParams(faiss::Index* index, const std::string& params) {
  faiss::ParameterSpace space;
  if (params.empty()) {
    for (const char* fallback : {"efSearch=128", "nprobe=16"}) {
      try {
        space.set_index_parameters(index, fallback);
      } catch (const std::exception&) {
        // Not a parameter of this index type.
      }
    }
    return absl::OkStatus();
  }
  try {
    space.set_index_parameters(index, params.c_str());
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad index search parameters '", params, "': ", e.what()));
  }
  return absl::OkStatus();
}

void SetThreads(int threads) { omp_set_num_threads(ResolveThreads(threads)); }

int ThreadsFor(const IndexOptions& options) { return ResolveThreads(options.threads); }

}  // namespace

absl::StatusOr<AnalogyMethod> ParseAnalogyMethod(std::string_view name) {
  if (name == "add" || name == "3cosadd") return AnalogyMethod::kAdd;
  if (name == "mul" || name == "3cosmul") return AnalogyMethod::kMul;
  return absl::InvalidArgumentError(absl::StrCat("unknown analogy method '", ToAbsl(name),
                                                 "'; use add (3CosAdd) or mul (3CosMul)"));
}

std::string DefaultIndexPath(const std::string& vectors_path, const std::string& factory,
                             int64_t max_rows) {
  std::string name = factory;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  if (max_rows > 0) absl::StrAppend(&name, ".first", max_rows);
  return absl::StrCat(vectors_path, ".", name, ".faiss");
}

VectorIndex::VectorIndex() = default;
VectorIndex::VectorIndex(VectorIndex&&) noexcept = default;
VectorIndex& VectorIndex::operator=(VectorIndex&&) noexcept = default;
VectorIndex::~VectorIndex() = default;

absl::StatusOr<VectorIndex> VectorIndex::Build(WordVectors vectors, const IndexOptions& options) {
  if (vectors.size() == 0 || vectors.dim() <= 0) {
    return absl::InvalidArgumentError("cannot index an empty vector set");
  }
  if (options.restrict < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("restrict must be 0 (all words) or positive, not ", options.restrict));
  }
  VectorIndex index;
  index.options_ = options;
  index.searchable_ =
      options.restrict > 0 ? std::min(options.restrict, vectors.size()) : vectors.size();
  const int d = vectors.dim();
  for (int64_t r = 0; r < vectors.size(); ++r) NormalizeInPlace(vectors.mutable_row(r).data(), d);
  index.vectors_ = std::move(vectors);
  if (options.factory == "Flat" && !ForceFaissSearch()) {
    // Our kernel searches the unit rows themselves, so FAISS's copy of them would only be
    // written by Save: it is made there. (Building it here cost a first query in Python more
    // than gensim's whole first most_similar.)
    index.exact_ = true;
    return index;
  }
  ASSIGN_OR_RETURN(index.faiss_, index.MakeFaiss());
  index.exact_ = UseOwnKernel(index.faiss_.get());
  RETURN_IF_ERROR(ApplySearchParams(index.faiss_.get(), options.search_params));
  return index;
}

absl::StatusOr<std::unique_ptr<faiss::Index>> VectorIndex::MakeFaiss() const {
  const int d = vectors_.dim();
  SetThreads(options_.threads);
  try {
    std::unique_ptr<faiss::Index> built(
        faiss::index_factory(d, options_.factory.c_str(), faiss::METRIC_INNER_PRODUCT));
    const auto& progress = options_.build_progress;
    if (!built->is_trained) {
      if (progress) progress(IndexBuildPhase::kTraining, 0, searchable_);
      built->train(searchable_, vectors_.values().data());
    }
    // Rows go in blocks so the progress can be reported; a block is large enough that FAISS's
    // threads stay busy (HNSW inserts a block's rows in parallel).
    const int64_t block = std::max<int64_t>(16384, (searchable_ + 49) / 50);
    for (int64_t first = 0; first < searchable_; first += block) {
      const int64_t rows = std::min(block, searchable_ - first);
      built->add(rows, vectors_.values().data() + first * static_cast<int64_t>(d));
      if (progress) progress(IndexBuildPhase::kAdding, first + rows, searchable_);
    }
    return built;
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("cannot build a FAISS '", options_.factory,
                                                   "' index over ", searchable_,
                                                   " vectors of dimension ", d, ": ", e.what()));
  }
}

absl::Status VectorIndex::Save(const std::string& path) const {
  std::unique_ptr<faiss::Index> made;
  if (faiss_ == nullptr) {
    ASSIGN_OR_RETURN(made, MakeFaiss());
  }
  return WriteIndexFile(path,
                        {.dim = vectors_.dim(),
                         .count = vectors_.size(),
                         .searchable = searchable_,
                         .content_hash = ContentHash(vectors_),
                         .factory = options_.factory},
                        faiss_ != nullptr ? *faiss_ : *made);
}

absl::StatusOr<VectorIndex> VectorIndex::Load(WordVectors vectors, const std::string& path,
                                              const IndexOptions& options) {
  const int64_t searchable =
      options.restrict > 0 ? std::min(options.restrict, vectors.size()) : vectors.size();
  const int d = vectors.dim();
  // The file's content hash is of the unit rows (what the index holds), as Save computes it.
  for (int64_t r = 0; r < vectors.size(); ++r) NormalizeInPlace(vectors.mutable_row(r).data(), d);
  VectorIndex index;
  index.options_ = options;
  index.searchable_ = searchable;
  ASSIGN_OR_RETURN(index.faiss_, ReadIndexFile(path, {.dim = vectors.dim(),
                                                      .count = vectors.size(),
                                                      .searchable = searchable,
                                                      .content_hash = ContentHash(vectors),
                                                      .factory = options.factory}));
  index.exact_ = UseOwnKernel(index.faiss_.get());
  RETURN_IF_ERROR(ApplySearchParams(index.faiss_.get(), options.search_params));
  index.vectors_ = std::move(vectors);
  return index;
}

absl::StatusOr<VectorIndex> VectorIndex::LoadOrBuild(WordVectors vectors, const std::string& path,
                                                     const IndexOptions& options,
                                                     std::string* note) {
  std::string why;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
    // Load consumes its argument; keep a copy in case it refuses the file.
    absl::StatusOr<VectorIndex> loaded = Load(vectors, path, options);
    if (loaded.ok()) {
      if (note != nullptr) *note = absl::StrCat("loaded the index from ", path);
      return loaded;
    }
    if (loaded.status().code() != absl::StatusCode::kFailedPrecondition) return loaded.status();
    why = absl::StrCat(loaded.status().message(), "; rebuilt it");
  } else {
    why = absl::StrCat("built the index and saved it to ", path);
  }
  ASSIGN_OR_RETURN(VectorIndex index, Build(std::move(vectors), options));
  RETURN_IF_ERROR(index.Save(path));
  if (note != nullptr) *note = why;
  return index;
}

absl::StatusOr<int64_t> VectorIndex::Lookup(std::string_view word) const {
  const int64_t row = Find(word);
  if (row >= 0) return row;
  std::vector<std::string> near = Suggest(word);
  std::string message = absl::StrCat("'", ToAbsl(word), "' is not in the vocabulary");
  if (!near.empty()) absl::StrAppend(&message, "; did you mean: ", absl::StrJoin(near, ", "), "?");
  return absl::NotFoundError(message);
}

std::vector<std::string> VectorIndex::Suggest(std::string_view word, int max) const {
  return corpus::SuggestSpellings(vectors_.words(), word, max);
}

absl::StatusOr<std::vector<std::vector<Neighbor>>> VectorIndex::Search(
    std::span<const float> queries, int k, std::span<const std::vector<int64_t>> exclude) const {
  const int d = dim();
  if (k <= 0) return absl::InvalidArgumentError(absl::StrCat("k must be positive, not ", k));
  if (queries.size() % d != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("query floats (", queries.size(), ") are not a multiple of dim ", d));
  }
  const int64_t nq = static_cast<int64_t>(queries.size() / d);
  if (!exclude.empty() && static_cast<int64_t>(exclude.size()) != nq) {
    return absl::InvalidArgumentError(
        absl::StrCat("exclude has ", exclude.size(), " lists for ", nq, " queries"));
  }
  std::vector<float> unit(queries.begin(), queries.end());
  for (int64_t q = 0; q < nq; ++q) NormalizeInPlace(unit.data() + q * d, d);
  const int threads = ThreadsFor(options_);
  auto excluded = [&](int64_t q) {
    return exclude.empty() ? std::span<const int64_t>() : std::span<const int64_t>(exclude[q]);
  };

  if (exact_) {
    return internal::ExactTopK(vectors_.values().data(), searchable_, d, unit.data(), nq, k,
                               exclude, threads);
  }

  // Approximate: one FAISS call for all queries, with room for the excluded rows.
  size_t most_excluded = 0;
  for (const auto& list : exclude) most_excluded = std::max(most_excluded, list.size());
  // Fetch extra candidates, then rank them by their exact cosines: a compressed index (PQ, SQ)
  // only approximates inner products.
  const int64_t fetch =
      std::min<int64_t>(std::max(2 * k, k + 10) + static_cast<int64_t>(most_excluded), searchable_);
  std::vector<float> distances(static_cast<size_t>(nq) * fetch);
  std::vector<faiss::Index::idx_t> labels(static_cast<size_t>(nq) * fetch);
  SetThreads(options_.threads);
  try {
    faiss_->search(nq, unit.data(), fetch, distances.data(), labels.data());
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("FAISS search failed: ", e.what()));
  }
  std::vector<std::vector<Neighbor>> out(nq);
  for (int64_t q = 0; q < nq; ++q) {
    std::vector<Neighbor>& list = out[q];
    for (int64_t i = 0; i < fetch; ++i) {
      const int64_t row = labels[q * fetch + i];
      if (row < 0 || row >= searchable_ || Contains(excluded(q), row)) continue;
      list.push_back({row, Dot(unit.data() + q * d, vectors_.row(row).data(), d)});
    }
    SortAndTruncate(&list, k);
  }
  return out;
}

absl::StatusOr<std::vector<Neighbor>> VectorIndex::NeighborsOf(std::string_view word, int k) const {
  ASSIGN_OR_RETURN(int64_t row, Lookup(word));
  std::vector<std::vector<int64_t>> exclude = {{row}};
  ASSIGN_OR_RETURN(auto result, Search(vectors_.row(row), k, exclude));
  return std::move(result[0]);
}

absl::StatusOr<Expression> VectorIndex::ParseExpression(std::string_view text,
                                                        bool ngrams) const {
  Expression e;
  const int d = dim();
  e.vector.assign(d, 0.0f);
  float sign = 1;
  bool pending_operator = false;
  size_t pos = 0;
  auto error = [&](std::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat("expression '", ToAbsl(text), "': ", ToAbsl(what),
                     "; write words separated by ' + ' and ' - ', e.g. 'king - man + woman'"));
  };
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == text.size()) break;
    size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    const std::string_view token = text.substr(pos, end - pos);
    pos = end;
    if (token == "+" || token == "-") {
      if (pending_operator) return error("two operators in a row");
      pending_operator = true;
      sign = token == "-" ? -1.0f : 1.0f;
      continue;
    }
    if (!pending_operator && (!e.rows.empty() || !e.unseen.empty())) {
      return error(absl::StrCat("missing '+' or '-' before '", ToAbsl(token), "'"));
    }
    absl::StatusOr<int64_t> row = Lookup(token);
    std::optional<std::vector<float>> unseen;
    if (!row.ok() && absl::IsNotFound(row.status()) && ngrams) unseen = vectors_.NgramVector(token);
    if (unseen.has_value()) {
      NormalizeInPlace(unseen->data(), d);
      for (int j = 0; j < d; ++j) e.vector[j] += sign * (*unseen)[j];
      e.unseen.emplace_back(token);
    } else {
      if (!row.ok()) return row.status();
      e.rows.push_back(*row);
      e.signs.push_back(sign);
      std::span<const float> values = vectors_.row(*row);
      for (int j = 0; j < d; ++j) e.vector[j] += sign * values[j];
    }
    sign = 1;
    pending_operator = false;
  }
  if (pending_operator) return error("ends with an operator");
  if (e.rows.empty() && e.unseen.empty()) return error("no words");
  NormalizeInPlace(e.vector.data(), d);
  return e;
}

absl::StatusOr<std::vector<Neighbor>> VectorIndex::Evaluate(const Expression& expression,
                                                            int k) const {
  if (static_cast<int>(expression.vector.size()) != dim()) {
    return absl::InvalidArgumentError("expression vector has the wrong dimension");
  }
  std::vector<std::vector<int64_t>> exclude = {expression.rows};
  ASSIGN_OR_RETURN(auto result, Search(expression.vector, k, exclude));
  return std::move(result[0]);
}

namespace {

// Scores every database row of one tile for one analogy question, from the cosines of the
// tile's rows with a, b and c: 3CosAdd ranks by cos(d,b) - cos(d,a) + cos(d,c) (the same order
// as the cosine with unit(b) - unit(a) + unit(c), since d is unit length); 3CosMul as Levy
// and Goldberg. Compiled for AVX2 as well where the CPU has it (ifunc).
WORDSPACE_ALWAYS_INLINE void CombineScoresBody(const float* ta, const float* tb, const float* tc,
                                               int64_t n, bool mul, float eps, float* out) {
  if (!mul) {
    for (int64_t j = 0; j < n; ++j) out[j] = tb[j] + tc[j] - ta[j];
  } else {
    for (int64_t j = 0; j < n; ++j) {
      out[j] = ((tb[j] + 1.0f) * 0.5f) * ((tc[j] + 1.0f) * 0.5f) / ((ta[j] + 1.0f) * 0.5f + eps);
    }
  }
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", void, CombineScores,
                       (const float* ta, const float* tb, const float* tc, int64_t n, bool mul,
                        float eps, float* out),
                       (ta, tb, tc, n, mul, eps, out))

// The inner products of `n_terms` rows (`terms`, d floats each) with the table's rows
// [c0, c0 + nc) (one tile), into cosines[t * kTile + j]: the tile is packed once into `panel`
// and the terms multiplied against it a query block at a time (Analogies and CosMul).
void TileCosines(const float* table, int64_t c0, int64_t nc, int d, const float* terms,
                 int64_t n_terms, Isa isa, PackedPanel* panel, float* cosines) {
  PackRows(table + c0 * d, nc, d, d, panel);
  for (int64_t t0 = 0; t0 < n_terms; t0 += kQueryBlock) {
    MultiplyPacked(terms + t0 * d, std::min(kQueryBlock, n_terms - t0), d, *panel,
                   cosines + t0 * kTile, kTile, isa);
  }
}

}  // namespace

absl::StatusOr<std::vector<std::vector<Neighbor>>> VectorIndex::Analogies(
    std::span<const AnalogyQuestion> questions, const AnalogyOptions& options,
    std::span<const std::vector<int64_t>> exclude) const {
  const int d = dim();
  const int k = options.k;
  if (k <= 0) return absl::InvalidArgumentError(absl::StrCat("k must be positive, not ", k));
  const int64_t nq = static_cast<int64_t>(questions.size());
  if (!exclude.empty() && static_cast<int64_t>(exclude.size()) != nq) {
    return absl::InvalidArgumentError(
        absl::StrCat("exclude has ", exclude.size(), " lists for ", nq, " questions"));
  }
  for (const AnalogyQuestion& q : questions) {
    for (int64_t row : {q.a, q.b, q.c}) {
      if (row < 0 || row >= size()) {
        return absl::InvalidArgumentError(absl::StrCat("analogy row ", row, " is out of range"));
      }
    }
  }
  const bool mul = options.method == AnalogyMethod::kMul;
  const float eps = options.mul_epsilon;
  auto inputs = [&](int64_t q, int64_t out[3]) {
    out[0] = questions[q].a;
    out[1] = questions[q].b;
    out[2] = questions[q].c;
  };
  // 1 / |unit(b) - unit(a) + unit(c)|, to turn the 3CosAdd sum into a cosine.
  std::vector<float> inv_norm(nq, 1.0f);
  {
    std::vector<float> v(d);
    for (int64_t q = 0; q < nq; ++q) {
      const float* a = vectors_.row(questions[q].a).data();
      const float* b = vectors_.row(questions[q].b).data();
      const float* c = vectors_.row(questions[q].c).data();
      for (int j = 0; j < d; ++j) v[j] = b[j] - a[j] + c[j];
      const float norm = std::sqrt(Dot(v.data(), v.data(), d));
      inv_norm[q] = norm > 0 ? 1.0f / norm : 0.0f;
    }
  }
  std::vector<std::vector<Neighbor>> out(nq);

  if (!exact_) {
    // Candidates from the index for the 3CosAdd vector, then exact re-ranking.
    std::vector<float> query(static_cast<size_t>(nq) * d);
    for (int64_t q = 0; q < nq; ++q) {
      const float* a = vectors_.row(questions[q].a).data();
      const float* b = vectors_.row(questions[q].b).data();
      const float* c = vectors_.row(questions[q].c).data();
      for (int j = 0; j < d; ++j) query[q * d + j] = b[j] - a[j] + c[j];
    }
    ASSIGN_OR_RETURN(auto candidates, Search(query, k + 3 + kAnalogySlack));
    for (int64_t q = 0; q < nq; ++q) {
      int64_t in[3];
      inputs(q, in);
      std::vector<Neighbor>& list = out[q];
      for (const Neighbor& cand : candidates[q]) {
        if (options.exclude_inputs && Contains(in, cand.row)) continue;
        if (!exclude.empty() && Contains(exclude[q], cand.row)) continue;
        const float* w = vectors_.row(cand.row).data();
        float ta = Dot(w, vectors_.row(in[0]).data(), d);
        float tb = Dot(w, vectors_.row(in[1]).data(), d);
        float tc = Dot(w, vectors_.row(in[2]).data(), d);
        float score;
        CombineScores(&ta, &tb, &tc, 1, mul, eps, &score);
        list.push_back({cand.row, mul ? score : score * inv_norm[q]});
      }
      SortAndTruncate(&list, k);
    }
    return out;
  }

  // Exact: the answers depend on the questions only through the cosines of a, b and c with each
  // row, so compute those for the distinct question words (one blocked product, far smaller
  // than one product per question: the 19,544 Google questions use under 1,000 words) and
  // combine them per question. Questions go in chunks of at most kMaxUnique distinct words.
  const Isa isa = ActiveIsa();
  const int threads = ThreadsFor(options_);
  int64_t chunk_begin = 0;
  while (chunk_begin < nq) {
    absl::flat_hash_map<int64_t, int32_t> slot;  // row -> index among the chunk's words
    std::vector<int64_t> words;
    int64_t chunk_end = chunk_begin;
    std::vector<std::array<int32_t, 3>> slots;
    while (chunk_end < nq) {
      int64_t in[3];
      inputs(chunk_end, in);
      size_t added = 0;
      for (int64_t row : in) added += !slot.contains(row);
      if (words.size() + added > kMaxUnique && !words.empty()) break;
      std::array<int32_t, 3> s;
      for (int i = 0; i < 3; ++i) {
        auto [it, inserted] = slot.try_emplace(in[i], static_cast<int32_t>(words.size()));
        if (inserted) words.push_back(in[i]);
        s[i] = it->second;
      }
      slots.push_back(s);
      ++chunk_end;
    }
    const int64_t nu = static_cast<int64_t>(words.size());
    const int64_t nc_q = chunk_end - chunk_begin;
    std::vector<float> word_rows(static_cast<size_t>(nu) * d);
    for (int64_t u = 0; u < nu; ++u) {
      std::copy_n(vectors_.row(words[u]).data(), d, word_rows.data() + u * d);
    }
    auto score_range = [&](int64_t begin, int64_t end, TopK* top) {
      PackedPanel panel;
      std::vector<float> cosines(static_cast<size_t>(nu) * kTile);
      std::vector<float> scores(kTile);
      for (int64_t c0 = begin; c0 < end; c0 += kTile) {
        const int64_t nc = std::min(kTile, end - c0);
        TileCosines(vectors_.values().data(), c0, nc, d, word_rows.data(), nu, isa, &panel,
                    cosines.data());
        for (int64_t q = 0; q < nc_q; ++q) {
          const auto& s = slots[q];
          CombineScores(cosines.data() + s[0] * kTile, cosines.data() + s[1] * kTile,
                        cosines.data() + s[2] * kTile, nc, mul, eps, scores.data());
          int64_t in[3];
          inputs(chunk_begin + q, in);
          std::span<const int64_t> skip_inputs =
              options.exclude_inputs ? std::span<const int64_t>(in, 3) : std::span<const int64_t>();
          std::span<const int64_t> skip_more =
              exclude.empty() ? std::span<const int64_t>()
                              : std::span<const int64_t>(exclude[chunk_begin + q]);
          ScanScores(scores.data(), nc, c0, q, skip_inputs, skip_more, top);
        }
      }
    };
    std::vector<std::vector<Neighbor>> merged =
        internal::TiledTopK(searchable_, nc_q, k, threads, score_range);
    for (int64_t q = 0; q < nc_q; ++q) {
      if (!mul) {
        for (Neighbor& n : merged[q]) n.score *= inv_norm[chunk_begin + q];
      }
      out[chunk_begin + q] = std::move(merged[q]);
    }
    chunk_begin = chunk_end;
  }
  return out;
}

absl::StatusOr<std::vector<Neighbor>> VectorIndex::CosMul(std::span<const float> positive,
                                                         std::span<const float> negative, int k,
                                                         std::span<const int64_t> exclude,
                                                         float epsilon) const {
  const int d = dim();
  if (k <= 0) return absl::InvalidArgumentError(absl::StrCat("k must be positive, not ", k));
  if (positive.empty() || positive.size() % d != 0 || negative.size() % d != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "3CosMul needs at least one positive term, each of ", d, " floats"));
  }
  const int64_t np = static_cast<int64_t>(positive.size() / d);
  const int64_t nt = np + static_cast<int64_t>(negative.size() / d);
  std::vector<float> terms(positive.begin(), positive.end());
  terms.insert(terms.end(), negative.begin(), negative.end());
  const Isa isa = ActiveIsa();
  // One "query" whose scores are combined from the cosines of every term with each row.
  auto score_range = [&](int64_t begin, int64_t end, TopK* top) {
    PackedPanel panel;
    std::vector<float> cosines(static_cast<size_t>(nt) * kTile);
    std::vector<float> scores(kTile);
    for (int64_t c0 = begin; c0 < end; c0 += kTile) {
      const int64_t nc = std::min(kTile, end - c0);
      TileCosines(vectors_.values().data(), c0, nc, d, terms.data(), nt, isa, &panel,
                  cosines.data());
      for (int64_t j = 0; j < nc; ++j) {
        float numerator = 1.0f, denominator = 1.0f;
        for (int64_t t = 0; t < nt; ++t) {
          const float s = (cosines[t * kTile + j] + 1.0f) * 0.5f;
          (t < np ? numerator : denominator) *= s;
        }
        scores[j] = numerator / (denominator + epsilon);  // no negative term: 1 + epsilon, as gensim
      }
      ScanScores(scores.data(), nc, c0, 0, exclude, {}, top);
    }
  };
  std::vector<std::vector<Neighbor>> merged =
      internal::TiledTopK(searchable_, 1, k, ThreadsFor(options_), score_range);
  return std::move(merged[0]);
}

absl::StatusOr<VectorIndex::AnalogyResult> VectorIndex::Analogy(
    std::string_view a, std::string_view b, std::string_view c,
    const AnalogyOptions& options) const {
  AnalogyQuestion q;
  ASSIGN_OR_RETURN(q.a, Lookup(a));
  ASSIGN_OR_RETURN(q.b, Lookup(b));
  ASSIGN_OR_RETURN(q.c, Lookup(c));
  ASSIGN_OR_RETURN(auto answers, Analogies(std::span<const AnalogyQuestion>(&q, 1), options));
  AnalogyResult result;
  result.answers = std::move(answers[0]);
  return result;
}

}  // namespace wordspace::embeddings
