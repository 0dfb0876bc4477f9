#include "tools/options.h"

#include <unistd.h>

#include <iostream>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "base/cpu_features.h"

namespace wordspace::tools {
namespace {

// The option that `arg` spells (`--name`, `-name` in word2vec.c's style, or `-h`), or null.
// `--name=value` spells none: its value is attached.
const po::option_description* OptionSpelledBy(const po::options_description& all,
                                              std::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-' || arg.find('=') != std::string_view::npos) return nullptr;
  if (arg == "-h") return all.find_nothrow("help", false);
  const std::string_view name = arg.substr(arg[1] == '-' ? 2 : 1);
  if (name.empty()) return nullptr;
  return all.find_nothrow(std::string(name), false);
}

// Boost takes the argument after an option that needs a value as that value whatever it is, so
// `--save-vocab --quiet` would write a file named `--quiet`. A value that spells another of the
// command's options is refused instead (a negative number or `-` spells none); `--opt=--x`
// still passes such a value on purpose.
std::optional<int> RefuseOptionsAsValues(int argc, char** argv,
                                         const po::options_description& all,
                                         const std::string& usage) {
  for (int i = 1; i + 1 < argc; ++i) {
    const po::option_description* option = OptionSpelledBy(all, argv[i]);
    if (option == nullptr || option->semantic()->min_tokens() == 0) continue;
    if (OptionSpelledBy(all, argv[i + 1]) != nullptr) {
      return UsageError(absl::StrCat(argv[i], " needs a value, but the next argument is the option ",
                                     argv[i + 1], " (for a value that starts with a dash, write ",
                                     argv[i], "=VALUE)"),
                        usage);
    }
    ++i;  // the value
  }
  return std::nullopt;
}

// argv with every alias spelling (`--out`, `-out`, `--out=x`) replaced by its current name.
std::vector<std::string> RewriteAliases(int argc, char** argv, const OptionAliases& aliases) {
  std::vector<std::string> args(argv, argv + argc);
  if (aliases.empty()) return args;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') continue;
    const size_t dashes = arg[1] == '-' ? 2 : 1;
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(dashes, equals == std::string::npos ? std::string::npos
                                                                            : equals - dashes);
    for (const auto& [old_name, current] : aliases) {
      if (name != old_name) continue;
      args[i] = "--" + current + (equals == std::string::npos ? "" : arg.substr(equals));
      break;
    }
  }
  return args;
}

// "earlier names, still accepted: --train (--input), --out (--output)", for --help.
std::string AliasHelp(const OptionAliases& aliases) {
  std::string text;
  for (const auto& [old_name, current] : aliases) {
    absl::StrAppend(&text, text.empty() ? "earlier names, still accepted: " : ", ", "--",
                    old_name, " (--", current, ")");
  }
  return text;
}

}  // namespace

std::optional<int> ParseOptions(int argc, char** argv, const std::string& usage,
                                const std::string& description,
                                const po::options_description& visible,
                                const po::positional_options_description& positional,
                                po::variables_map* vm, const po::options_description* hidden,
                                const OptionAliases& aliases) {
  std::vector<std::string> args = RewriteAliases(argc, argv, aliases);
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  argv = arg_pointers.data();
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
  // --threads and --quiet mean the same on every command, so a script can pass them to any;
  // a command that runs on one core or prints no notes takes them as no-ops, and says so.
  po::options_description uniform_options("taken by every command");
  if (visible.find_nothrow("threads", false) == nullptr) {
    uniform_options.add_options()("threads", po::value<int>()->default_value(0),
                                  "this command runs on one core (accepted for uniformity)");
  }
  if (visible.find_nothrow("quiet", false) == nullptr) {
    uniform_options.add_options()("quiet", po::bool_switch(),
                                  "this command prints no progress or notes (accepted for uniformity)");
  }
  isa_option.add(uniform_options);
  po::options_description all;
  all.add(visible).add(isa_option).add(help_only);
  if (hidden != nullptr) all.add(*hidden);
  if (auto exit = RefuseOptionsAsValues(argc, argv, all, usage)) return exit;
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
      if (!aliases.empty()) std::cout << "\n" << AliasHelp(aliases) << "\n";
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
