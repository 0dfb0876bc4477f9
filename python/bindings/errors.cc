// absl::Status -> Python exceptions. The message is the library's own (it names the file, the
// line and the fix, as the commands print it); only the exception type is chosen here.
#include <string>

#include "python/bindings/bindings.h"

namespace wordspace::python {
namespace {

// Created once by RegisterErrors; module attributes keep them alive.
PyObject* g_error = nullptr;
PyObject* g_data_loss = nullptr;
PyObject* g_key_not_found = nullptr;

}  // namespace

void ThrowStatus(const absl::Status& status, Missing missing) {
  const std::string message(status.message());
  PyObject* type = g_error;
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      type = missing == Missing::kWord ? g_key_not_found : PyExc_FileNotFoundError;
      break;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      type = PyExc_ValueError;
      break;
    case absl::StatusCode::kCancelled:
      type = PyExc_KeyboardInterrupt;
      break;
    case absl::StatusCode::kDataLoss:
      type = g_data_loss;
      break;
    default:
      break;
  }
  PyErr_SetString(type, message.c_str());
  throw py::error_already_set();
}

void RegisterErrors(py::module_& m) {
  g_error = PyErr_NewExceptionWithDoc(
      "wordspace.Error",
      "Base class of wordspace's own errors (a failed write, a FAISS failure, a stale index).",
      PyExc_Exception, nullptr);
  g_data_loss = PyErr_NewExceptionWithDoc(
      "wordspace.DataLossError",
      "A file is truncated or corrupt (a checksum or a length does not match); the message names "
      "the file and where.",
      g_error, nullptr);
  py::tuple key_bases = py::make_tuple(py::handle(PyExc_KeyError), py::handle(g_error));
  g_key_not_found = PyErr_NewExceptionWithDoc(
      "wordspace.KeyNotFoundError",
      "A word is not in the vocabulary (a KeyError, as gensim raises); the message suggests close "
      "spellings.",
      key_bases.ptr(), nullptr);
  m.attr("Error") = py::handle(g_error);
  m.attr("DataLossError") = py::handle(g_data_loss);
  m.attr("KeyNotFoundError") = py::handle(g_key_not_found);
}

}  // namespace wordspace::python
