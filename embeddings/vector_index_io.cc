#include "embeddings/vector_index_io.h"

#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVF.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/binary_io.h"
#include "base/output_file.h"
#include "base/status_macros.h"
#include "base/string_view.h"
#include "corpus/file_kind.h"

namespace wordspace::embeddings {
namespace {

constexpr char kMagic[8] = {'W', 'S', 'V', 'I', 'N', 'D', 'E', 'X'};
static_assert(std::string_view(kMagic, sizeof(kMagic)) == corpus::kIndexFileMagic,
              "the file sniffer must know the index file's magic");
// 2: the content hash is of the unit-length rows (version 1 hashed the rows as given, which
// every index build paid for, even one never saved).
constexpr uint32_t kFormatVersion = 2;

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

absl::Status WriteIndexFile(const std::string& path, const IndexFileHeader& header,
                            const faiss::Index& index) {
  faiss::VectorIOWriter writer;
  try {
    faiss::write_index(&index, &writer);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat(path, ": FAISS cannot serialise the index: ", e.what()));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> file, OutputFile::Create(path));
  BinaryWriter w([&file](std::string_view bytes) { return file->Write(bytes); });
  w.PutBytes(kMagic, sizeof(kMagic));
  w.Put(kFormatVersion);
  w.Put(static_cast<uint32_t>(header.dim));
  w.Put(static_cast<int64_t>(header.count));
  w.Put(static_cast<int64_t>(header.searchable));
  w.Put(header.content_hash);
  w.PutString(header.factory);
  w.Put(static_cast<uint64_t>(writer.data.size()));
  w.PutBytes(writer.data.data(), writer.data.size());
  w.PutCrc();
  RETURN_IF_ERROR(w.Flush());
  return file->Commit();
}

absl::StatusOr<std::unique_ptr<faiss::Index>> ReadIndexFile(const std::string& path,
                                                            const IndexFileHeader& expected) {
  absl::StatusOr<std::string> read = BinaryReader::ReadWholeFile(path);
  if (!read.ok()) return read.status();
  const std::string& bytes = *read;
  const std::string fix = "; delete it and it is rebuilt from the vectors";
  if (bytes.size() < sizeof(kMagic) + 4 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    // Another kind of file (say the vectors, given as --index-file) is named as such, in the
    // words every command uses (corpus/file_kind.h), rather than called a damaged index.
    RETURN_IF_ERROR(corpus::CheckKind(
        path,
        corpus::SniffContent(std::string_view(bytes).substr(0, corpus::kSniffBytes),
                             bytes.size() <= corpus::kSniffBytes),
        corpus::FileRole::kIndexFile));
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
  uint32_t version = 0, dim = 0;
  IndexFileHeader h;
  RETURN_IF_ERROR(reader.Read(&version, "the format version"));
  if (version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": index format version ", version,
                                                      ", this build reads ", kFormatVersion, fix));
  }
  RETURN_IF_ERROR(reader.Read(&dim, "the dimension"));
  RETURN_IF_ERROR(reader.Read(&h.count, "the vector count"));
  RETURN_IF_ERROR(reader.Read(&h.searchable, "the searchable count"));
  RETURN_IF_ERROR(reader.Read(&h.content_hash, "the content hash"));
  RETURN_IF_ERROR(reader.ReadString(&h.factory, "the index factory string", 4096));
  ASSIGN_OR_RETURN(uint64_t faiss_size, reader.ReadCount<uint64_t>("the FAISS index size", 1));
  ASSIGN_OR_RETURN(std::string_view faiss_bytes, reader.View(faiss_size, "the FAISS index"));
  RETURN_IF_ERROR(reader.ExpectEnd("the FAISS index"));
  if (dim != static_cast<uint32_t>(expected.dim) || h.count != expected.count ||
      h.content_hash != expected.content_hash) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": stale index: it was built for ", h.count, " vectors of dimension ", dim,
        (h.count == expected.count && dim == static_cast<uint32_t>(expected.dim)
             ? " with other values"
             : ""),
        ", these are ", expected.count, " of dimension ", expected.dim));
  }
  const int64_t searchable = expected.searchable;
  if (h.factory != expected.factory || h.searchable != searchable) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": a different index: '", h.factory,
                                                      "' over ", h.searchable, " words, not '",
                                                      expected.factory, "' over ", searchable));
  }
  const uint64_t faiss_offset = bytes.size() - 4 - faiss_size;
  {
    BinaryReader blob(path, faiss_bytes, faiss_offset, bytes.size());
    blob.set_track_crc(false);
    blob.set_fix(fix);
    FaissBlobWalker walker(&blob);
    RETURN_IF_ERROR(walker.Walk(expected.dim, searchable));
    if (walker.known()) RETURN_IF_ERROR(blob.ExpectEnd("the FAISS index"));
  }
  std::unique_ptr<faiss::Index> index;
  SpanIOReader faiss_reader(faiss_bytes);
  try {
    index.reset(faiss::read_index(&faiss_reader));
  } catch (const std::exception& e) {
    return absl::DataLossError(
        absl::StrCat(path, ": FAISS cannot read the index: ", e.what(), fix));
  } catch (...) {
    return absl::DataLossError(absl::StrCat(path, ": FAISS cannot read the index", fix));
  }
  if (index->d != expected.dim || index->ntotal != searchable) {
    return absl::DataLossError(absl::StrCat(path, ": the FAISS index holds ", index->ntotal,
                                            " vectors of dimension ", index->d,
                                            ", its header says ", searchable, " of ", dim, fix));
  }
  if (std::string bad = CheckFaissStructure(index.get(), searchable, expected.dim); !bad.empty()) {
    return absl::DataLossError(
        absl::StrCat(path, ": the FAISS index is inconsistent (", bad, ")", fix));
  }
  return index;
}

}  // namespace wordspace::embeddings
