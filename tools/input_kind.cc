#include "tools/input_kind.h"

#include "tools/command.h"

namespace wordspace::tools {

std::optional<int> CheckInputs(std::initializer_list<Input> inputs, bool force) {
  for (const Input& input : inputs) {
    if (input.path.empty()) continue;
    if (absl::Status s = corpus::CheckFileKind(input.path, input.role, force); !s.ok()) {
      return ReportError(s);
    }
  }
  return std::nullopt;
}

}  // namespace wordspace::tools
