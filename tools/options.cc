#include "tools/options.h"

#include <unistd.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "base/cpu_features.h"

namespace wordspace::tools {

std::optional<int> ParseOptions(int argc, char** argv, const std::string& usage,
                                const std::string& description,
                                const po::options_description& visible,
                                const po::positional_options_description& positional,
                                po::variables_map* vm, const po::options_description* hidden) {
  po::options_description help_only;
  help_only.add_options()("help,h", "show this help and exit");
  // Every command takes --isa, so that one spelling pins the kernels of any command.
  std::string isa_name;
  po::options_description isa_option("instruction set");
  isa_option.add_options()(
      "isa", po::value(&isa_name)->default_value("auto"),
      absl::StrCat("kernels' instruction set: auto (the best this CPU runs: ",
                   IsaName(BestSupportedIsa()),
                   "), avx512, avx2 or portable (the reference); results agree up to rounding")
          .c_str());
  po::options_description all;
  all.add(visible).add(isa_option).add(help_only);
  if (hidden != nullptr) all.add(*hidden);
  try {
    auto style = po::command_line_style::default_style |
                 po::command_line_style::allow_long_disguise;
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(positional)
                  .style(style)
                  .run(),
              *vm);
    if (vm->count("help")) {
      std::cout << "usage: " << usage << "\n\n"
                << description << "\n\n"
                << visible << isa_option << help_only;
      return 0;
    }
    po::notify(*vm);
  } catch (const po::error& e) {
    return UsageError(e.what(), usage);
  }
  // Without --isa, the environment's WORDSPACE_ISA (if any) stays in charge.
  if ((*vm)["isa"].defaulted()) return std::nullopt;
  return ApplyIsaOption(isa_name);
}

std::optional<int> ApplyIsaOption(const std::string& name) {
  absl::StatusOr<Isa> isa = ParseIsa(name);
  if (!isa.ok()) return UsageError(absl::StrCat("--isa: ", isa.status().message()));
  if (absl::Status s = SetIsaLimit(*isa); !s.ok()) {
    return UsageError(absl::StrCat("--isa ", name, ": ", s.message()));
  }
  return std::nullopt;
}

int UsageError(std::string_view message, std::string_view usage) {
  std::cerr << "error: " << message << "\n";
  if (!usage.empty()) std::cerr << "usage: " << usage << "\n(see --help)\n";
  return 2;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }

}  // namespace wordspace::tools
