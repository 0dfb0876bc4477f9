#include "tools/precision_option.h"

#include "absl/strings/str_cat.h"
#include "transformer/gemm.h"

namespace wordspace::tools {

void AddPrecisionOption(po::options_description& options, std::string* name,
                        const char* default_name) {
  options.add_options()(
      "precision", po::value(name)->default_value(default_name),
      "matrix products' operands: auto (bf16 where the CPU has AVX512_BF16, else fp32), bf16 "
      "(twice the multiply-adds per instruction; weights, optimizer state and sums stay fp32) or "
      "fp32 (the reference)");
}

std::optional<int> ApplyPrecisionOption(const std::string& name) {
  absl::StatusOr<transformer::GemmPrecision> precision = transformer::ParseGemmPrecision(name);
  if (!precision.ok()) return UsageError(absl::StrCat("--precision: ", precision.status().message()));
  if (absl::Status s = transformer::SetGemmPrecision(*precision); !s.ok()) {
    return UsageError(absl::StrCat("--precision ", name, ": ", s.message()));
  }
  return std::nullopt;
}

}  // namespace wordspace::tools
