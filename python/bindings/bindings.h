// The pieces the binding files share: the C++ side of wordspace.KeyedVectors, the translation of
// absl::Status into Python exceptions, and one Register function per area (one file each:
// vectors.cc, training.cc, evaluation.cc, bias.cc, language_model.cc), which module.cc calls.
//
// The binding is thin on purpose: every result comes from the same library call a command makes
// (tools/ and python/ are siblings over eval/, embeddings/ and transformer/); this layer only
// converts arguments and results (numpy arrays, lists of tuples and dicts) and releases the GIL
// around the work.
#ifndef WORDSPACE_PYTHON_BINDINGS_BINDINGS_H_
#define WORDSPACE_PYTHON_BINDINGS_BINDINGS_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "embeddings/vector_index.h"
#include "embeddings/word_vectors.h"

namespace wordspace::python {

namespace py = pybind11;

// What a NotFound status means where it arises: a file that is not there (FileNotFoundError) or
// a word outside the vocabulary (wordspace.KeyNotFoundError, a KeyError as in gensim).
enum class Missing { kFile, kWord };

// Raises the Python exception for `status` (which must not be OK), with its message:
// NotFound -> FileNotFoundError or KeyNotFoundError (per `missing`), InvalidArgument and
// OutOfRange -> ValueError, Cancelled -> KeyboardInterrupt, DataLoss -> wordspace.DataLossError,
// anything else -> wordspace.Error. Call with the GIL held.
[[noreturn]] void ThrowStatus(const absl::Status& status, Missing missing = Missing::kFile);

// Unwraps `value` or raises as ThrowStatus.
template <typename T>
T ValueOrThrow(absl::StatusOr<T> value, Missing missing = Missing::kFile) {
  if (!value.ok()) ThrowStatus(value.status(), missing);
  return *std::move(value);
}
inline void OkOrThrow(const absl::Status& status, Missing missing = Missing::kFile) {
  if (!status.ok()) ThrowStatus(status, missing);
}

// The C++ object behind wordspace.KeyedVectors: the vectors as read (gensim's `vectors`, not
// normalised) and the FAISS indexes built from them on first use, one per restrict_vocab asked
// for (each index owns unit-length copies of the rows). Queries may come from several Python
// threads at once (the GIL is released): the indexes are built under a mutex and are read-only
// afterwards.
class KeyedVectorsCore {
 public:
  explicit KeyedVectorsCore(embeddings::WordVectors vectors) : vectors_(std::move(vectors)) {}

  const embeddings::WordVectors& vectors() const { return vectors_; }
  // For writing into the rows: the indexes are dropped (rebuilt on the next query).
  embeddings::WordVectors& mutable_vectors() {
    DropIndexes();
    return vectors_;
  }

  // The index whose first `restrict` rows are searchable (0 or >= size: all rows), built on first
  // use with the factory and threads set below. Errors as VectorIndex::Build.
  absl::StatusOr<std::shared_ptr<const embeddings::VectorIndex>> Index(int64_t restrict) const;
  void DropIndexes();

  // FAISS index_factory string ("Flat", "HNSW32", ...) and search parameters for new indexes.
  void set_factory(std::string factory, std::string search_params);
  const std::string& factory() const { return factory_; }
  void set_threads(int threads) { threads_ = threads; }
  int threads() const { return threads_; }

  // The row of `key`: its exact spelling, or NotFound naming it with close spellings.
  absl::StatusOr<int64_t> Lookup(std::string_view key) const;

  bool writable = false;  // whether `vectors` is handed out writable

 private:
  embeddings::WordVectors vectors_;
  std::string factory_ = "Flat";
  std::string search_params_;
  int threads_ = 0;
  mutable std::mutex mutex_;
  mutable std::map<int64_t, std::shared_ptr<const embeddings::VectorIndex>> indexes_;
};

using KeyedVectorsPtr = std::shared_ptr<KeyedVectorsCore>;

// A float32 (rows, cols) array viewing `data` without a copy; `owner` keeps the memory alive for
// as long as the array lives.
py::array_t<float> ViewArray(const float* data, int64_t rows, int64_t cols, py::handle owner,
                             bool writable);
// A new array holding a copy of `values` with the given shape.
py::array_t<float> CopyArray(const float* values, std::initializer_list<int64_t> shape);

// wordspace.KeyedVectors, defined in vectors.cc; evaluation.cc, bias.cc and training.cc add to
// it or return it.
py::class_<KeyedVectorsCore, KeyedVectorsPtr>& KeyedVectorsClass();
// A Python KeyedVectors owning `vectors`.
py::object MakeKeyedVectors(embeddings::WordVectors vectors);

void RegisterErrors(py::module_& m);
void RegisterVectors(py::module_& m);
void RegisterEvaluation(py::module_& m);
void RegisterTraining(py::module_& m);
void RegisterBias(py::module_& m);
void RegisterLanguageModel(py::module_& m);

}  // namespace wordspace::python

#endif  // WORDSPACE_PYTHON_BINDINGS_BINDINGS_H_
