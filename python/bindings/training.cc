// wordspace.train: the `wordspace train` command's options as keyword arguments, over the same
// library calls (corpus::TokenIdFile::Encode, embeddings::TrainSkipGram), returning KeyedVectors.
//
// Training runs on a thread of its own while the calling (Python) thread waits with the GIL
// released, waking every 50 ms to hand progress reports to `callback` and to let Python run its
// signal handlers: Ctrl-C raises KeyboardInterrupt there, which sets the trainer's cancel flag,
// waits for the workers to stop (within about 65,000 words per thread) and propagates. An
// exception raised by the callback stops training the same way. Python code thus only ever runs
// on the calling thread.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "corpus/token_id_file.h"
#include "embeddings/sgns_trainer.h"
#include "embeddings/vector_io.h"
#include "python/bindings/bindings.h"

namespace wordspace::python {
namespace {

struct Report {
  std::string phase;  // "reading" or "training"
  embeddings::TrainProgress progress;
  uint64_t words_read = 0;
};

// What the training thread shares with the waiting one.
struct Shared {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Report> reports;
  bool done = false;
  std::atomic<bool> cancel{false};
};

py::dict ReportDict(const Report& r, int epochs) {
  py::dict d;
  d["phase"] = r.phase;
  d["fraction"] = r.progress.fraction;
  if (r.phase == "reading") {
    d["words"] = r.words_read;
    return d;
  }
  d["epoch"] = r.progress.epoch;
  d["epochs"] = epochs;
  d["alpha"] = r.progress.alpha;
  d["loss"] = r.progress.loss;
  d["words_per_second_per_thread"] = r.progress.words_per_second_per_thread;
  d["elapsed_seconds"] = r.progress.elapsed_seconds;
  d["eta_seconds"] = r.progress.eta_seconds;
  return d;
}

// The vectors of a subword run answer words outside the vocabulary from their n-gram rows, as
// vectors read from a fastText model do (WordVectors::NgramVector).
void AttachNgrams(embeddings::SgnsResult* result, int dim) {
  if (!result->matrices) return;
  const embeddings::TrainedMatrices& m = *result->matrices;
  auto ngrams = std::make_shared<embeddings::NgramRows>();
  ngrams->table = m.table;
  ngrams->dim = dim;
  ngrams->matrix.resize(static_cast<size_t>(m.table.rows()) * dim);
  for (size_t r = 0; r < m.table.rows(); ++r) {
    std::copy_n(m.input.data() + r * m.input_stride, dim, ngrams->matrix.data() + r * dim);
  }
  result->vectors.set_ngrams(std::move(ngrams));
  result->matrices.reset();
}

py::object Train(const std::filesystem::path& corpus_file, const py::object& output, int dim, int window,
                 int negative, double sample, int64_t min_count, int64_t max_vocab, int epochs,
                 const py::object& alpha, double min_alpha, int threads, uint64_t seed,
                 const std::string& model, const std::string& loss, const std::string& kernel,
                 const py::object& minn, const py::object& maxn, int bucket, bool lowercase,
                 bool strip_punct, const py::object& binary, const py::object& callback,
                 double progress_interval) {
  const std::string corpus_path = corpus_file.string();
  embeddings::SgnsOptions options;
  options.model = ValueOrThrow(embeddings::ParseWordModel(model));
  options.loss = ValueOrThrow(embeddings::ParseOutputLoss(loss));
  options.kernel = ValueOrThrow(embeddings::ParseSgnsKernel(kernel));
  options.dim = dim;
  options.window = window;
  options.negative = negative;
  options.sample = sample;
  options.epochs = epochs;
  options.alpha = alpha.is_none() ? 0.0 : alpha.cast<double>();  // 0: the model's default
  options.min_alpha = min_alpha;
  options.threads = threads;
  options.seed = seed;
  // As the command: --minn alone turns n-grams on with fastText's maxn 6.
  if (!minn.is_none()) options.subwords.minn = minn.cast<int>();
  if (!maxn.is_none()) {
    options.subwords.maxn = maxn.cast<int>();
  } else if (!minn.is_none()) {
    options.subwords.maxn = 6;
  }
  options.subwords.bucket = bucket;
  options.keep_matrices = embeddings::UsesSubwords(options);
  OkOrThrow(embeddings::CheckSgnsOptions(options));
  if (progress_interval <= 0) throw py::value_error("progress_interval must be positive");
  if (!callback.is_none() && !PyCallable_Check(callback.ptr())) {
    throw py::type_error("callback must be callable (it receives a dict of progress figures)");
  }
  std::optional<std::string> output_path;
  embeddings::VectorFormat format = embeddings::VectorFormat::kText;
  if (!output.is_none()) {
    if (!py::isinstance<py::str>(output) &&
        !py::isinstance(output, py::module_::import("os").attr("PathLike"))) {
      throw py::type_error("output must be a path (str or os.PathLike), not " +
                           py::str(py::type::of(output).attr("__name__")).cast<std::string>() +
                           "; the training options are keywords: train(corpus, dim=100, ...)");
    }
    output_path = py::str(py::module_::import("os").attr("fspath")(output)).cast<std::string>();
    format = binary.is_none() ? embeddings::FormatFromExtension(*output_path)
             : binary.cast<bool>() ? embeddings::VectorFormat::kBinary
                                   : embeddings::VectorFormat::kText;
  }
  corpus::EncodeOptions encode;
  encode.vocab.min_count = min_count;
  encode.vocab.max_vocab = max_vocab;
  encode.corpus.tokenizer.lowercase = lowercase;
  encode.corpus.tokenizer.strip_punct = strip_punct;

  Shared shared;
  options.cancel = &shared.cancel;
  encode.cancel = &shared.cancel;  // Ctrl-C while the corpus is read stops the reading too
  absl::StatusOr<embeddings::SgnsResult> result = absl::UnknownError("training did not run");
  absl::Status write_status;
  auto push = [&](Report r) {
    std::lock_guard<std::mutex> lock(shared.mutex);
    if (shared.reports.size() < 64) shared.reports.push_back(std::move(r));
    shared.wake.notify_one();
  };
  std::thread worker([&] {
    absl::StatusOr<corpus::TokenIdFile> ids = corpus::TokenIdFile::Encode(
        corpus_path, encode, nullptr, [&](double fraction, uint64_t words) {
          Report r;
          r.phase = "reading";
          r.progress.fraction = fraction;
          r.words_read = words;
          push(std::move(r));
        });
    if (!ids.ok()) {
      result = ids.status();
    } else if (shared.cancel.load()) {
      result = absl::CancelledError("training was stopped before it started");
    } else {
      result = embeddings::TrainSkipGram(
          *ids, options,
          [&](const embeddings::TrainProgress& p) { push({"training", p, 0}); },
          progress_interval);
      if (result.ok()) {
        AttachNgrams(&*result, options.dim);
        if (output_path) write_status = embeddings::WriteVectors(result->vectors, *output_path, format);
      }
    }
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.done = true;
    shared.wake.notify_one();
  });

  // Waits for the training thread, delivering reports and checking for Ctrl-C. A Python error
  // (from a signal handler or the callback) cancels training; it is raised once the thread ends.
  std::optional<py::error_already_set> python_error;
  for (;;) {
    std::deque<Report> reports;
    bool done = false;
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(shared.mutex);
      shared.wake.wait_for(lock, std::chrono::milliseconds(50),
                           [&] { return shared.done || !shared.reports.empty(); });
      reports.swap(shared.reports);
      done = shared.done;
    }
    if (!python_error) {
      try {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        if (!callback.is_none()) {
          for (const Report& r : reports) callback(ReportDict(r, options.epochs));
        }
      } catch (py::error_already_set& e) {
        python_error = std::move(e);
        shared.cancel.store(true);
      }
    }
    if (done) break;
  }
  {
    py::gil_scoped_release release;
    worker.join();
  }
  if (python_error) throw *python_error;
  OkOrThrow(result.status());
  OkOrThrow(write_status);
  return MakeKeyedVectors(std::move(result->vectors));
}

}  // namespace

void RegisterTraining(py::module_& m) {
  const embeddings::SgnsOptions d;
  m.def("train", &Train, py::arg("corpus"), py::arg("output") = py::none(), py::kw_only(),
        py::arg("dim") = d.dim, py::arg("window") = d.window, py::arg("negative") = d.negative,
        py::arg("sample") = d.sample, py::arg("min_count") = 5, py::arg("max_vocab") = 0,
        py::arg("epochs") = d.epochs, py::arg("alpha") = py::none(),
        py::arg("min_alpha") = d.min_alpha, py::arg("threads") = 0, py::arg("seed") = d.seed,
        py::arg("model") = "skipgram", py::arg("loss") = "ns", py::arg("kernel") = "batched",
        py::arg("minn") = py::none(), py::arg("maxn") = py::none(),
        py::arg("bucket") = d.subwords.bucket, py::arg("lowercase") = false,
        py::arg("strip_punct") = false, py::arg("binary") = py::none(),
        py::arg("callback") = py::none(), py::arg("progress_interval") = 0.5,
        R"doc(Trains word vectors on a plain or gzipped text corpus (one sentence or paragraph per
line), as `wordspace train` does, and returns them as KeyedVectors (also written to `output`
when given: binary for a .bin name or binary=True, else word2vec text).

model: "skipgram" or "cbow"; loss: "ns" (negative sampling) or "hs" (hierarchical softmax);
kernel: "batched" (fast) or "classic" (word2vec.c's loop). alpha None: 0.025 (0.05 for CBOW or
subwords). minn/maxn: fastText's character n-grams (minn alone means maxn 6), hashed into
`bucket` rows; the vectors then answer words outside the vocabulary (get_vector).
threads 0: all cores; one thread and a seed give the same vectors every time.

callback(progress) is called on this thread about every progress_interval seconds with a dict:
phase ("reading" or "training"), fraction, and while training epoch, epochs, alpha, loss,
words_per_second_per_thread, elapsed_seconds, eta_seconds. Ctrl-C (KeyboardInterrupt), or an
exception raised by the callback, stops training cleanly and propagates; no file is written.)doc");
}

}  // namespace wordspace::python
