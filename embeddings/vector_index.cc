#include "embeddings/vector_index.h"

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVF.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <faiss/invlists/InvertedLists.h>
#include <omp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/output_file.h"
#include "base/binary_io.h"
#include "base/check.h"
#include "base/parallel_for.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "corpus/tokenizer.h"
#include "embeddings/inner_product_kernel.h"

namespace wordspace::embeddings {
namespace {

using internal::BestKernelIsa;
using internal::KernelIsa;
using internal::MultiplyPacked;
using internal::PackedPanel;
using internal::PackRows;

constexpr char kMagic[8] = {'W', 'S', 'V', 'I', 'N', 'D', 'E', 'X'};
constexpr uint32_t kFormatVersion = 1;
// Columns of the database per tile of the exact search: the tile's products for a block of
// queries (kQueryBlock × kTile floats) and the packed tile (d × kTile) stay in L2.
constexpr int64_t kTile = 256;
constexpr int64_t kQueryBlock = 48;
// Analogies: at most this many distinct question words per pass (their cosines with one tile,
// kMaxUnique × kTile floats, are kept per thread).
constexpr size_t kMaxUnique = 3072;
// Extra candidates fetched from an approximate index before exact re-ranking of analogies.
constexpr int kAnalogySlack = 50;

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

uint64_t ContentHash(const WordVectors& vectors) {
  uint32_t words_crc = 0;
  for (const std::string& w : vectors.words()) {
    words_crc = Crc32(w, words_crc);
    words_crc = Crc32("\n", 1, words_crc);
  }
  const uint32_t values_crc =
      Crc32(vectors.values().data(), vectors.values().size() * sizeof(float));
  return (static_cast<uint64_t>(words_crc) << 32) | static_cast<uint64_t>(values_crc);
}

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
bool UseOwnKernel(const faiss::Index* index) {
  static const bool force_faiss = [] {
    const char* env = std::getenv("WORDSPACE_KERNEL");
    return env != nullptr && std::string_view(env) == "faiss";
  }();
  return !force_faiss && dynamic_cast<const faiss::IndexFlat*>(index) != nullptr;
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

// The best k (score, row) per query, sorted by descending score then ascending row.
class TopK {
 public:
  TopK(int64_t queries, int k)
      : k_(k),
        scores_(static_cast<size_t>(queries) * k, kNegInf),
        rows_(static_cast<size_t>(queries) * k, -1),
        counts_(queries, 0) {}

  // Scores at or below this cannot enter query q's list.
  float Threshold(int64_t q) const { return counts_[q] < k_ ? kNegInf : scores_[q * k_ + k_ - 1]; }

  void Offer(int64_t q, float score, int64_t row) {
    float* s = scores_.data() + q * k_;
    int64_t* r = rows_.data() + q * k_;
    int n = counts_[q];
    int pos = n < k_ ? n : k_ - 1;
    if (n == k_ && !Better(score, row, s[k_ - 1], r[k_ - 1])) return;
    while (pos > 0 && Better(score, row, s[pos - 1], r[pos - 1])) {
      s[pos] = s[pos - 1];
      r[pos] = r[pos - 1];
      --pos;
    }
    s[pos] = score;
    r[pos] = row;
    if (n < k_) counts_[q] = n + 1;
  }

  int count(int64_t q) const { return counts_[q]; }
  float score(int64_t q, int i) const { return scores_[q * k_ + i]; }
  int64_t row(int64_t q, int i) const { return rows_[q * k_ + i]; }

  static bool Better(float s1, int64_t r1, float s2, int64_t r2) {
    return s1 > s2 || (s1 == s2 && r1 < r2);
  }

 private:
  int k_;
  std::vector<float> scores_;
  std::vector<int64_t> rows_;
  std::vector<int> counts_;
};

bool Contains(std::span<const int64_t> list, int64_t row) {
  return std::find(list.begin(), list.end(), row) != list.end();
}

// Offers scores[0, n) (rows row0 + j) to query q, skipping `exclude` and `exclude2`. Chunks of
// 16 are first tested against the threshold as a whole: once a list is full almost every chunk
// is below it, and that test vectorises.
void ScanScores(const float* scores, int64_t n, int64_t row0, int64_t q,
                std::span<const int64_t> exclude, std::span<const int64_t> exclude2, TopK* top) {
  for (int64_t j = 0; j < n; j += 16) {
    const int64_t e = std::min<int64_t>(16, n - j);
    const float threshold = top->Threshold(q);
    int any = 0;
    for (int64_t t = 0; t < e; ++t) any |= scores[j + t] > threshold;
    if (!any) continue;
    for (int64_t t = 0; t < e; ++t) {
      const float s = scores[j + t];
      if (!(s > top->Threshold(q))) continue;
      const int64_t row = row0 + j + t;
      if (Contains(exclude, row) || Contains(exclude2, row)) continue;
      top->Offer(q, s, row);
    }
  }
}

// Merges per-thread lists into sorted answers.
std::vector<std::vector<Neighbor>> MergeTopK(const std::vector<TopK>& parts, int64_t queries,
                                             int k) {
  std::vector<std::vector<Neighbor>> out(queries);
  for (int64_t q = 0; q < queries; ++q) {
    std::vector<Neighbor>& list = out[q];
    for (const TopK& part : parts) {
      for (int i = 0; i < part.count(q); ++i) list.push_back({part.row(q, i), part.score(q, i)});
    }
    std::sort(list.begin(), list.end(), [](const Neighbor& x, const Neighbor& y) {
      return TopK::Better(x.score, x.row, y.score, y.row);
    });
    if (static_cast<int>(list.size()) > k) list.resize(k);
  }
  return out;
}

// Splits the searchable rows [0, n) into whole tiles over the threads; body(thread, begin, end)
// gets row ranges.
template <typename Body>
void ForTileRanges(int64_t n, int threads, Body&& body) {
  const int64_t tiles = (n + kTile - 1) / kTile;
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<int64_t>(tiles, 1))));
  ParallelFor(static_cast<size_t>(tiles), threads, [&](int t, size_t b, size_t e) {
    body(t, static_cast<int64_t>(b) * kTile, std::min<int64_t>(static_cast<int64_t>(e) * kTile, n));
  });
}

int ThreadsFor(const IndexOptions& options) { return ResolveThreads(options.threads); }

// Levenshtein distance, or max + 1 when it exceeds `max`.
int EditDistance(std::string_view a, std::string_view b, int max) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  std::vector<int> prev(m + 1), cur(m + 1);
  std::iota(prev.begin(), prev.end(), 0);
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int best = cur[0];
    for (int j = 1; j <= m; ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      best = std::min(best, cur[j]);
    }
    if (best > max) return max + 1;
    std::swap(prev, cur);
  }
  return prev[m];
}

// Header fields of a saved index, in file order.
struct IndexHeader {
  uint32_t version = kFormatVersion;
  uint32_t dim = 0;
  int64_t count = 0;
  int64_t searchable = 0;
  uint64_t content_hash = 0;
  std::string factory;
};

// FAISS reads the index from the file's bytes in place (no copy); a read past the end returns
// short, which FAISS turns into an exception.
class SpanIOReader : public faiss::IOReader {
 public:
  explicit SpanIOReader(std::string_view data) : data_(data) {}
  size_t operator()(void* ptr, size_t size, size_t nitems) override {
    if (size == 0 || nitems == 0) return 0;
    const size_t n = std::min(nitems, (data_.size() - pos_) / size);
    std::memcpy(ptr, data_.data() + pos_, n * size);
    pos_ += n * size;
    return n;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

// FAISS's reader trusts the lengths in its own format: a vector length is only checked to be
// below 2^40 before it is resized (zero-filled gigabytes, then a read error), and inverted lists
// are sized from their stored counts. So the blob is walked first, for the layouts wordspace
// builds (FAISS 1.7: flat "IxFI"/"IxF2"/"IxFl", HNSW-flat "IHNf", IVF-flat "IwFl" with array
// lists "ilar"), and every length is checked against the bytes that follow. Another layout
// stops the walk (*known = false): the checksum is then the only guard.
class FaissBlobWalker {
 public:
  explicit FaissBlobWalker(BinaryReader* r) : r_(*r) {}

  absl::Status Walk(int64_t dim, int64_t ntotal, int depth = 0) {
    if (depth > 4) return r_.Error("FAISS sub-indexes nested too deeply");
    char fourcc[4];
    RETURN_IF_ERROR(r_.ReadBytes(fourcc, 4, "the FAISS index type"));
    const std::string_view type(fourcc, 4);
    if (type == "IxFI" || type == "IxF2" || type == "IxFl") {
      RETURN_IF_ERROR(Header(dim, ntotal));
      ASSIGN_OR_RETURN(uint64_t floats,
                       r_.ReadCount<uint64_t>("the FAISS vector data", sizeof(float)));
      if (floats != static_cast<uint64_t>(ntotal) * static_cast<uint64_t>(dim)) {
        return r_.Error(absl::StrCat("the FAISS vector data holds ", floats, " floats, for ",
                                     ntotal, " vectors of dimension ", dim));
      }
      return r_.Skip(floats * sizeof(float), "the FAISS vector data");
    }
    if (type == "IHNf") {
      RETURN_IF_ERROR(Header(dim, ntotal));
      const uint64_t n = static_cast<uint64_t>(ntotal);
      RETURN_IF_ERROR(Vector("the HNSW level probabilities", sizeof(double)));
      RETURN_IF_ERROR(Vector("the HNSW neighbour counts", sizeof(int32_t)));
      RETURN_IF_ERROR(Vector("the HNSW levels", sizeof(int32_t), n));
      RETURN_IF_ERROR(Vector("the HNSW offsets", sizeof(uint64_t), n + 1));
      RETURN_IF_ERROR(Vector("the HNSW links", sizeof(int32_t)));
      RETURN_IF_ERROR(r_.Skip(5 * sizeof(int32_t), "the HNSW settings"));
      return Walk(dim, ntotal, depth + 1);  // the storage
    }
    if (type == "IwFl") {
      RETURN_IF_ERROR(Header(dim, ntotal));
      uint64_t nlist = 0, nprobe = 0;
      RETURN_IF_ERROR(r_.Read(&nlist, "the IVF list count"));
      RETURN_IF_ERROR(r_.Read(&nprobe, "the IVF nprobe"));
      if (nlist == 0 || nlist > (uint64_t{1} << 24)) {
        return r_.Error(absl::StrCat("the IVF list count is ", nlist));
      }
      RETURN_IF_ERROR(Walk(dim, static_cast<int64_t>(nlist), depth + 1));  // the quantizer
      if (!known_) return absl::OkStatus();
      uint8_t map_type = 0;
      RETURN_IF_ERROR(r_.Read(&map_type, "the IVF direct map"));
      RETURN_IF_ERROR(Vector("the IVF direct map", sizeof(int64_t)));
      if (map_type == 2) RETURN_IF_ERROR(Vector("the IVF direct map", 2 * sizeof(int64_t)));
      return Lists(nlist, ntotal);
    }
    known_ = false;
    return absl::OkStatus();
  }

  bool known() const { return known_; }

 private:
  absl::Status Header(int64_t dim, int64_t ntotal) {
    int32_t d = 0, metric = 0;
    int64_t n = 0, unused = 0;
    bool trained = false;
    RETURN_IF_ERROR(r_.Read(&d, "the FAISS dimension"));
    RETURN_IF_ERROR(r_.Read(&n, "the FAISS vector count"));
    RETURN_IF_ERROR(r_.Read(&unused, "the FAISS header"));
    RETURN_IF_ERROR(r_.Read(&unused, "the FAISS header"));
    RETURN_IF_ERROR(r_.Read(&trained, "the FAISS header"));
    RETURN_IF_ERROR(r_.Read(&metric, "the FAISS metric"));
    // wordspace builds inner-product indexes (an IVF quantizer may be L2). Any other metric is
    // damage that FAISS would load and only refuse at search time ("metric type not
    // implemented"); an invalid one is not even a MetricType value.
    if (metric != faiss::METRIC_INNER_PRODUCT && metric != faiss::METRIC_L2) {
      return r_.Error(absl::StrCat("the FAISS metric is ", metric,
                                   "; wordspace writes inner product (0) or L2 (1) only"));
    }
    if (d != dim || n != ntotal) {
      return r_.Error(absl::StrCat("the FAISS index says ", n, " vectors of dimension ", d,
                                   " where ", ntotal, " of ", dim, " belong"));
    }
    return absl::OkStatus();
  }

  // FAISS's READVECTOR: a u64 count, then the elements; `expected` when the count is known.
  absl::Status Vector(std::string_view field, uint64_t element_size,
                      uint64_t expected = ~uint64_t{0}, std::vector<uint64_t>* values = nullptr) {
    ASSIGN_OR_RETURN(uint64_t n, r_.ReadCount<uint64_t>(field, element_size));
    if (expected != ~uint64_t{0} && n != expected) {
      return r_.Error(absl::StrCat(ToAbsl(field), " hold ", n, " entries, not ", expected));
    }
    if (values != nullptr) return r_.ReadArray(values, n, field);
    return r_.Skip(n * element_size, field);
  }

  // ArrayInvertedLists: "ilar", nlist, code_size, "full" sizes or "sprs" (list, size) pairs, then
  // per non-empty list its codes and ids.
  absl::Status Lists(uint64_t nlist, int64_t ntotal) {
    char fourcc[4];
    RETURN_IF_ERROR(r_.ReadBytes(fourcc, 4, "the IVF list type"));
    if (std::string_view(fourcc, 4) != "ilar") {
      known_ = false;
      return absl::OkStatus();
    }
    uint64_t n = 0, code_size = 0;
    RETURN_IF_ERROR(r_.Read(&n, "the IVF list count"));
    RETURN_IF_ERROR(r_.Read(&code_size, "the IVF code size"));
    if (n != nlist || code_size == 0 || code_size > (uint64_t{1} << 20)) {
      return r_.Error(absl::StrCat("IVF lists: ", n, " lists of ", code_size, "-byte codes"));
    }
    char layout[4];
    RETURN_IF_ERROR(r_.ReadBytes(layout, 4, "the IVF list layout"));
    std::vector<uint64_t> sizes;
    std::vector<uint64_t> entries;
    if (std::string_view(layout, 4) == "full") {
      RETURN_IF_ERROR(Vector("the IVF list sizes", sizeof(uint64_t), nlist, &sizes));
    } else if (std::string_view(layout, 4) == "sprs") {
      RETURN_IF_ERROR(Vector("the IVF list sizes", sizeof(uint64_t), ~uint64_t{0}, &entries));
      if (entries.size() % 2 != 0) return r_.Error("odd IVF sparse list sizes");
      for (size_t i = 0; i < entries.size(); i += 2) {
        if (entries[i] >= nlist) return r_.Error(absl::StrCat("IVF list ", entries[i]));
        sizes.push_back(entries[i + 1]);
      }
    } else {
      return r_.Error("unknown IVF list layout");
    }
    uint64_t total = 0;
    for (uint64_t size : sizes) {
      RETURN_IF_ERROR(r_.CheckCount("an IVF list size", size, code_size + sizeof(int64_t)));
      RETURN_IF_ERROR(r_.Skip(size * (code_size + sizeof(int64_t)), "the IVF lists"));
      total += size;
    }
    if (total != static_cast<uint64_t>(ntotal)) {
      return r_.Error(absl::StrCat("the IVF lists hold ", total, " vectors, not ", ntotal));
    }
    return absl::OkStatus();
  }

  BinaryReader& r_;
  bool known_ = true;
};

// FAISS checks a loaded index's checksum-free structure only loosely: an HNSW graph or an
// inverted list with an out-of-range id reads outside its arrays during search (a segfault, not
// an exception). The checksum rules out accidents; this rules out the rest for the index types
// wordspace builds (flat, HNSW, IVF with array lists, PQ/SQ codes). Other types pass unchecked.
// Returns "" or what is wrong.
std::string CheckFaissStructure(const faiss::Index* index, int64_t ntotal, int d, int depth = 0) {
  if (index == nullptr) return "a missing sub-index";
  if (index->d != d || index->ntotal != ntotal) {
    return absl::StrCat("a sub-index of ", index->ntotal, " vectors of dimension ", index->d,
                        " where ", ntotal, " of ", d, " belong");
  }
  if (depth > 4) return "sub-indexes nested too deeply";
  if (const auto* codes = dynamic_cast<const faiss::IndexFlatCodes*>(index)) {
    if (codes->code_size == 0 ||
        codes->codes.size() != static_cast<uint64_t>(ntotal) * codes->code_size) {
      return absl::StrCat(codes->codes.size(), " bytes of codes for ", ntotal, " vectors of ",
                          codes->code_size, " bytes");
    }
    return "";
  }
  if (const auto* hnsw_index = dynamic_cast<const faiss::IndexHNSW*>(index)) {
    const faiss::HNSW& h = hnsw_index->hnsw;
    const std::vector<int>& cum = h.cum_nneighbor_per_level;
    if (cum.empty() || cum[0] != 0) return "HNSW neighbour counts";
    for (size_t l = 1; l < cum.size(); ++l) {
      if (cum[l] < cum[l - 1]) return "HNSW neighbour counts";
    }
    if (h.levels.size() != static_cast<size_t>(ntotal) ||
        h.offsets.size() != static_cast<size_t>(ntotal) + 1 || h.offsets[0] != 0) {
      return "HNSW level and offset tables";
    }
    for (int64_t v = 0; v < ntotal; ++v) {
      const int levels = h.levels[v];
      if (levels < 1 || static_cast<size_t>(levels) >= cum.size() ||
          h.offsets[v + 1] < h.offsets[v] ||
          h.offsets[v + 1] - h.offsets[v] != static_cast<size_t>(cum[levels])) {
        return absl::StrCat("HNSW levels of vector ", v);
      }
    }
    if (h.offsets.back() != h.neighbors.size()) return "HNSW neighbour table size";
    // A neighbour at level L must itself reach level L: search reads its level-L links.
    for (int64_t v = 0; v < ntotal; ++v) {
      for (int l = 0; l < h.levels[v]; ++l) {
        for (size_t j = h.offsets[v] + cum[l]; j < h.offsets[v] + cum[l + 1]; ++j) {
          const int w = h.neighbors[j];
          if (w < -1 || w >= ntotal || (w >= 0 && h.levels[w] <= l)) {
            return absl::StrCat("HNSW link ", w, " of vector ", v);
          }
        }
      }
    }
    if (ntotal > 0 && (h.entry_point < 0 || h.entry_point >= ntotal || h.max_level < 0 ||
                       h.max_level >= h.levels[h.entry_point])) {
      return "HNSW entry point";
    }
    constexpr int kMaxEf = 1 << 16;
    if (h.efSearch < 1 || h.efSearch > kMaxEf || h.efConstruction < 1 ||
        h.efConstruction > kMaxEf || h.upper_beam < 1 || h.upper_beam > kMaxEf) {
      return "HNSW search parameters";
    }
    return CheckFaissStructure(hnsw_index->storage, ntotal, d, depth + 1);
  }
  if (const auto* ivf = dynamic_cast<const faiss::IndexIVF*>(index)) {
    if (ivf->nlist == 0 || ivf->nlist > (size_t{1} << 24) || ivf->quantizer == nullptr) {
      return "IVF list count";
    }
    // Search allocates queries × nprobe entries (FAISS stores nprobe above nlist at times).
    if (ivf->nprobe < 1 || ivf->nprobe > std::max<size_t>(ivf->nlist, 1 << 20)) {
      return "IVF nprobe";
    }
    std::string q =
        CheckFaissStructure(ivf->quantizer, static_cast<int64_t>(ivf->nlist), d, depth + 1);
    if (!q.empty()) return absl::StrCat("IVF quantizer: ", q);
    const faiss::InvertedLists* lists = ivf->invlists;
    if (lists == nullptr || lists->nlist != ivf->nlist || lists->code_size != ivf->code_size) {
      return "IVF inverted lists";
    }
    if (const auto* array = dynamic_cast<const faiss::ArrayInvertedLists*>(lists)) {
      if (array->ids.size() != ivf->nlist || array->codes.size() != ivf->nlist) {
        return "IVF inverted lists";
      }
      uint64_t total = 0;
      for (size_t l = 0; l < ivf->nlist; ++l) {
        if (array->codes[l].size() != array->ids[l].size() * ivf->code_size) {
          return absl::StrCat("IVF list ", l, " codes");
        }
        for (faiss::Index::idx_t id : array->ids[l]) {
          if (id < 0 || id >= ntotal) return absl::StrCat("IVF list ", l, " id ", id);
        }
        total += array->ids[l].size();
      }
      if (total != static_cast<uint64_t>(ntotal)) return "IVF list sizes";
    }
    return "";
  }
  return "";
}

}  // namespace

absl::StatusOr<AnalogyMethod> ParseAnalogyMethod(std::string_view name) {
  if (name == "add" || name == "3cosadd") return AnalogyMethod::kAdd;
  if (name == "mul" || name == "3cosmul") return AnalogyMethod::kMul;
  return absl::InvalidArgumentError(absl::StrCat("unknown analogy method '", ToAbsl(name),
                                                 "'; use add (3CosAdd) or mul (3CosMul)"));
}

std::string FoldCase(std::string_view word) {
  corpus::Tokenizer tokenizer({.lowercase = true});
  std::vector<std::string_view> parts;
  tokenizer.Tokenize(word, &parts);
  if (parts.size() == 1) return std::string(parts[0]);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ' ';
    out += parts[i];
  }
  return out;
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
  index.content_hash_ = ContentHash(vectors);
  index.options_ = options;
  index.searchable_ =
      options.restrict > 0 ? std::min(options.restrict, vectors.size()) : vectors.size();
  const int d = vectors.dim();
  for (int64_t r = 0; r < vectors.size(); ++r) NormalizeInPlace(vectors.mutable_row(r).data(), d);
  index.vectors_ = std::move(vectors);
  RETURN_IF_ERROR(index.BuildFaiss());
  return index;
}

absl::Status VectorIndex::BuildFaiss() {
  const int d = vectors_.dim();
  SetThreads(options_.threads);
  try {
    std::unique_ptr<faiss::Index> built(
        faiss::index_factory(d, options_.factory.c_str(), faiss::METRIC_INNER_PRODUCT));
    if (!built->is_trained) built->train(searchable_, vectors_.values().data());
    built->add(searchable_, vectors_.values().data());
    faiss_ = std::move(built);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("cannot build a FAISS '", options_.factory,
                                                   "' index over ", searchable_,
                                                   " vectors of dimension ", d, ": ", e.what()));
  }
  exact_ = UseOwnKernel(faiss_.get());
  return ApplySearchParams(faiss_.get(), options_.search_params);
}

absl::Status VectorIndex::Save(const std::string& path) const {
  faiss::VectorIOWriter writer;
  try {
    faiss::write_index(faiss_.get(), &writer);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat(path, ": FAISS cannot serialise the index: ", e.what()));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> file, OutputFile::Create(path));
  BinaryWriter w([&file](std::string_view bytes) { return file->Write(bytes); });
  w.PutBytes(kMagic, sizeof(kMagic));
  w.Put(kFormatVersion);
  w.Put(static_cast<uint32_t>(vectors_.dim()));
  w.Put(static_cast<int64_t>(vectors_.size()));
  w.Put(static_cast<int64_t>(searchable_));
  w.Put(content_hash_);
  w.PutString(options_.factory);
  w.Put(static_cast<uint64_t>(writer.data.size()));
  w.PutBytes(writer.data.data(), writer.data.size());
  w.PutCrc();
  RETURN_IF_ERROR(w.Flush());
  return file->Commit();
}

absl::StatusOr<VectorIndex> VectorIndex::Load(WordVectors vectors, const std::string& path,
                                              const IndexOptions& options) {
  absl::StatusOr<std::string> read = BinaryReader::ReadWholeFile(path);
  if (!read.ok()) return read.status();
  const std::string& bytes = *read;
  const std::string fix = "; delete it and it is rebuilt from the vectors";
  if (bytes.size() < sizeof(kMagic) + 4 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::DataLossError(absl::StrCat(path, ": not a wordspace index file (bad magic)", fix));
  }
  // The checksum covers every byte before it: a damaged file never reaches FAISS, which can
  // read a corrupt header without noticing (HNSW with two flipped bytes loaded as d=32623).
  uint32_t stored_crc;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  if (Crc32(bytes.data(), bytes.size() - 4) != stored_crc) {
    return absl::DataLossError(absl::StrCat(path, ": checksum mismatch, the file is corrupt", fix));
  }
  BinaryReader reader(
      path, std::string_view(bytes).substr(sizeof(kMagic), bytes.size() - sizeof(kMagic) - 4),
      sizeof(kMagic), bytes.size());
  reader.set_track_crc(false);  // checked above
  reader.set_fix(fix);
  IndexHeader h;
  RETURN_IF_ERROR(reader.Read(&h.version, "the format version"));
  if (h.version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": index format version ", h.version,
                                                      ", this build reads ", kFormatVersion, fix));
  }
  RETURN_IF_ERROR(reader.Read(&h.dim, "the dimension"));
  RETURN_IF_ERROR(reader.Read(&h.count, "the vector count"));
  RETURN_IF_ERROR(reader.Read(&h.searchable, "the searchable count"));
  RETURN_IF_ERROR(reader.Read(&h.content_hash, "the content hash"));
  RETURN_IF_ERROR(reader.ReadString(&h.factory, "the index factory string", 4096));
  ASSIGN_OR_RETURN(uint64_t faiss_size, reader.ReadCount<uint64_t>("the FAISS index size", 1));
  ASSIGN_OR_RETURN(std::string_view faiss_bytes, reader.View(faiss_size, "the FAISS index"));
  RETURN_IF_ERROR(reader.ExpectEnd("the FAISS index"));
  const uint64_t hash = ContentHash(vectors);
  if (h.dim != static_cast<uint32_t>(vectors.dim()) || h.count != vectors.size() ||
      h.content_hash != hash) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": stale index: it was built for ", h.count, " vectors of dimension ", h.dim,
        (h.count == vectors.size() && h.dim == static_cast<uint32_t>(vectors.dim())
             ? " with other values"
             : ""),
        ", these are ", vectors.size(), " of dimension ", vectors.dim()));
  }
  const int64_t searchable =
      options.restrict > 0 ? std::min(options.restrict, vectors.size()) : vectors.size();
  if (h.factory != options.factory || h.searchable != searchable) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": a different index: '", h.factory,
                                                      "' over ", h.searchable, " words, not '",
                                                      options.factory, "' over ", searchable));
  }
  const uint64_t faiss_offset = bytes.size() - 4 - faiss_size;
  {
    BinaryReader blob(path, faiss_bytes, faiss_offset, bytes.size());
    blob.set_track_crc(false);
    blob.set_fix(fix);
    FaissBlobWalker walker(&blob);
    RETURN_IF_ERROR(walker.Walk(vectors.dim(), searchable));
    if (walker.known()) RETURN_IF_ERROR(blob.ExpectEnd("the FAISS index"));
  }
  VectorIndex index;
  index.content_hash_ = hash;
  index.options_ = options;
  index.searchable_ = searchable;
  SpanIOReader faiss_reader(faiss_bytes);
  try {
    index.faiss_.reset(faiss::read_index(&faiss_reader));
  } catch (const std::exception& e) {
    return absl::DataLossError(
        absl::StrCat(path, ": FAISS cannot read the index: ", e.what(), fix));
  } catch (...) {
    return absl::DataLossError(absl::StrCat(path, ": FAISS cannot read the index", fix));
  }
  if (index.faiss_->d != vectors.dim() || index.faiss_->ntotal != searchable) {
    return absl::DataLossError(absl::StrCat(path, ": the FAISS index holds ", index.faiss_->ntotal,
                                            " vectors of dimension ", index.faiss_->d,
                                            ", its header says ", searchable, " of ", h.dim, fix));
  }
  if (std::string bad = CheckFaissStructure(index.faiss_.get(), searchable, vectors.dim());
      !bad.empty()) {
    return absl::DataLossError(
        absl::StrCat(path, ": the FAISS index is inconsistent (", bad, ")", fix));
  }
  index.exact_ = UseOwnKernel(index.faiss_.get());
  RETURN_IF_ERROR(ApplySearchParams(index.faiss_.get(), options.search_params));
  const int d = vectors.dim();
  for (int64_t r = 0; r < vectors.size(); ++r) NormalizeInPlace(vectors.mutable_row(r).data(), d);
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
  const std::string folded = FoldCase(word);
  std::vector<std::pair<int, int64_t>> found;  // (distance, row)
  for (int64_t r = 0; r < size(); ++r) {
    const std::string& w = vectors_.word(r);
    if (w == word) continue;
    if (std::abs(static_cast<int>(w.size()) - static_cast<int>(folded.size())) > 2) continue;
    const int dist = EditDistance(folded, FoldCase(w), 2);
    if (dist <= 2) found.emplace_back(dist, r);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < found.size() && static_cast<int>(i) < max; ++i) {
    out.push_back(vectors_.word(found[i].second));
  }
  return out;
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
    const KernelIsa isa = BestKernelIsa();
    std::vector<TopK> parts;
    const int64_t tiles = (searchable_ + kTile - 1) / kTile;
    const int used =
        std::max(1, std::min<int>(threads, static_cast<int>(std::max<int64_t>(tiles, 1))));
    parts.reserve(used);
    for (int t = 0; t < used; ++t) parts.emplace_back(nq, k);
    ForTileRanges(searchable_, used, [&](int t, int64_t begin, int64_t end) {
      TopK& top = parts[t];
      PackedPanel panel;
      std::vector<float> products(kQueryBlock * kTile);
      for (int64_t c0 = begin; c0 < end; c0 += kTile) {
        const int64_t nc = std::min(kTile, end - c0);
        PackRows(vectors_.values().data() + c0 * d, nc, d, d, &panel);
        for (int64_t q0 = 0; q0 < nq; q0 += kQueryBlock) {
          const int64_t m = std::min(kQueryBlock, nq - q0);
          MultiplyPacked(unit.data() + q0 * d, m, d, panel, products.data(), kTile, isa);
          for (int64_t i = 0; i < m; ++i) {
            ScanScores(products.data() + i * kTile, nc, c0, q0 + i, excluded(q0 + i), {}, &top);
          }
        }
      }
    });
    return MergeTopK(parts, nq, k);
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
    std::sort(list.begin(), list.end(), [](const Neighbor& x, const Neighbor& y) {
      return TopK::Better(x.score, x.row, y.score, y.row);
    });
    if (static_cast<int>(list.size()) > k) list.resize(k);
  }
  return out;
}

absl::StatusOr<std::vector<Neighbor>> VectorIndex::NeighborsOf(std::string_view word, int k) const {
  ASSIGN_OR_RETURN(int64_t row, Lookup(word));
  std::vector<std::vector<int64_t>> exclude = {{row}};
  ASSIGN_OR_RETURN(auto result, Search(vectors_.row(row), k, exclude));
  return std::move(result[0]);
}

absl::StatusOr<Expression> VectorIndex::ParseExpression(std::string_view text) const {
  Expression e;
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
    if (!pending_operator && !e.rows.empty()) {
      return error(absl::StrCat("missing '+' or '-' before '", ToAbsl(token), "'"));
    }
    ASSIGN_OR_RETURN(int64_t row, Lookup(token));
    e.rows.push_back(row);
    e.signs.push_back(sign);
    sign = 1;
    pending_operator = false;
  }
  if (pending_operator) return error("ends with an operator");
  if (e.rows.empty()) return error("no words");
  const int d = dim();
  e.vector.assign(d, 0.0f);
  for (size_t i = 0; i < e.rows.size(); ++i) {
    std::span<const float> row = vectors_.row(e.rows[i]);
    for (int j = 0; j < d; ++j) e.vector[j] += e.signs[i] * row[j];
  }
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
#if defined(__x86_64__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void CombineScores(const float* ta, const float* tb, const float* tc, int64_t n, bool mul,
                   float eps, float* out) {
  if (!mul) {
    for (int64_t j = 0; j < n; ++j) out[j] = tb[j] + tc[j] - ta[j];
  } else {
    for (int64_t j = 0; j < n; ++j) {
      out[j] = ((tb[j] + 1.0f) * 0.5f) * ((tc[j] + 1.0f) * 0.5f) / ((ta[j] + 1.0f) * 0.5f + eps);
    }
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
      std::sort(list.begin(), list.end(), [](const Neighbor& x, const Neighbor& y) {
        return TopK::Better(x.score, x.row, y.score, y.row);
      });
      if (static_cast<int>(list.size()) > k) list.resize(k);
    }
    return out;
  }

  // Exact: the answers depend on the questions only through the cosines of a, b and c with each
  // row, so compute those for the distinct question words (one blocked product, far smaller
  // than one product per question: the 19,544 Google questions use under 1,000 words) and
  // combine them per question. Questions go in chunks of at most kMaxUnique distinct words.
  const KernelIsa isa = BestKernelIsa();
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
    const int64_t tiles = (searchable_ + kTile - 1) / kTile;
    const int used =
        std::max(1, std::min<int>(threads, static_cast<int>(std::max<int64_t>(tiles, 1))));
    std::vector<TopK> parts;
    parts.reserve(used);
    for (int t = 0; t < used; ++t) parts.emplace_back(nc_q, k);
    ForTileRanges(searchable_, used, [&](int t, int64_t begin, int64_t end) {
      TopK& top = parts[t];
      PackedPanel panel;
      std::vector<float> cosines(static_cast<size_t>(nu) * kTile);
      std::vector<float> scores(kTile);
      for (int64_t c0 = begin; c0 < end; c0 += kTile) {
        const int64_t nc = std::min(kTile, end - c0);
        PackRows(vectors_.values().data() + c0 * d, nc, d, d, &panel);
        for (int64_t u0 = 0; u0 < nu; u0 += kQueryBlock) {
          MultiplyPacked(word_rows.data() + u0 * d, std::min(kQueryBlock, nu - u0), d, panel,
                         cosines.data() + u0 * kTile, kTile, isa);
        }
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
          ScanScores(scores.data(), nc, c0, q, skip_inputs, skip_more, &top);
        }
      }
    });
    std::vector<std::vector<Neighbor>> merged = MergeTopK(parts, nc_q, k);
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
