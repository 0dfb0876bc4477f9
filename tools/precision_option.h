// `--precision auto|bf16|fp32` for the commands that run the transformer: which operands its
// matrix products take (transformer/gemm.h's SetGemmPrecision). Training defaults to auto (bf16
// where the CPU has AVX512_BF16: about 1.5x the tokens per second); the commands that score or
// read a model default to fp32, so that their numbers are the same on every CPU.
//
//   std::string precision;
//   AddPrecisionOption(options, &precision, "fp32");
//   ... ParseOptions ...
//   if (auto exit = ApplyPrecisionOption(precision)) return *exit;
#ifndef WORDSPACE_TOOLS_PRECISION_OPTION_H_
#define WORDSPACE_TOOLS_PRECISION_OPTION_H_

#include <optional>
#include <string>

#include "tools/options.h"

namespace wordspace::tools {

void AddPrecisionOption(po::options_description& options, std::string* name,
                        const char* default_name);

// Applies `name`; a bad name, or bf16 on a CPU without AVX512_BF16, is a usage error whose exit
// code is returned.
std::optional<int> ApplyPrecisionOption(const std::string& name);

}  // namespace wordspace::tools

#endif  // WORDSPACE_TOOLS_PRECISION_OPTION_H_
