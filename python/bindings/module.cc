// The extension module wordspace._wordspace; python/wordspace/__init__.py re-exports it.
#include "python/bindings/bindings.h"

PYBIND11_MODULE(_wordspace, m) {
  m.doc() = "wordspace's C++ libraries for Python (see the package wordspace).";
  wordspace::python::RegisterErrors(m);
  wordspace::python::RegisterVectors(m);
  wordspace::python::RegisterEvaluation(m);
  wordspace::python::RegisterTraining(m);
  wordspace::python::RegisterBias(m);
  wordspace::python::RegisterLanguageModel(m);
}
