#include "tools/options.h"

#include <unistd.h>

#include <iostream>

namespace wordspace::tools {

std::optional<int> ParseOptions(int argc, char** argv, const std::string& usage,
                                const std::string& description,
                                const po::options_description& visible,
                                const po::positional_options_description& positional,
                                po::variables_map* vm, const po::options_description* hidden) {
  po::options_description help_only;
  help_only.add_options()("help,h", "show this help and exit");
  po::options_description all;
  all.add(visible).add(help_only);
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
      std::cout << "usage: " << usage << "\n\n" << description << "\n\n" << visible << help_only;
      return 0;
    }
    po::notify(*vm);
  } catch (const po::error& e) {
    return UsageError(e.what(), usage);
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
