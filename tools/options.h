// Shared option parsing for the subcommands, on Boost.Program_options.
//
// ParseOptions accepts `--name value`, `--name=value` and word2vec.c's single-dash spellings
// (`-size 100`: long options in disguise). It prints --help (usage line, description, options)
// and returns the exit code to use when the command should stop now (help: 0, usage error: 2).
//
//   po::options_description opts("train options");
//   opts.add_options()("input", po::value(&input)->required(), "corpus file");
//   if (auto exit = ParseOptions(argc, argv, "wordspace train --input CORPUS ...",
//                                "Trains skip-gram vectors.", opts, {}, &vm)) return *exit;
#ifndef WORDSPACE_TOOLS_OPTIONS_H_
#define WORDSPACE_TOOLS_OPTIONS_H_

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wordspace::tools {

namespace po = boost::program_options;

// Earlier spellings of a command's options, {old, current} without dashes: {"out", "output"}.
// Saved scripts keep running; --help lists them.
using OptionAliases = std::vector<std::pair<std::string, std::string>>;

// `positional` maps bare arguments to option names (may be empty). `hidden` options are
// accepted but not listed by --help (options of their own, such as word2vec.c's -binary 1).
// `aliases` are read as the option they name, whatever the order (they are rewritten before
// parsing, so an alias never overrides the current name's default). Every command also gets
// `--isa auto|avx512|avx2|portable`, applied here (base/cpu_features.h's SetIsaLimit; without
// it, the environment's WORDSPACE_ISA applies). A value that spells another option
// (`--save-vocab --quiet`) is refused as a missing value.
std::optional<int> ParseOptions(int argc, char** argv, const std::string& usage,
                                const std::string& description,
                                const po::options_description& visible,
                                const po::positional_options_description& positional,
                                po::variables_map* vm,
                                const po::options_description* hidden = nullptr,
                                const OptionAliases& aliases = {});

// Caps the kernels at the instruction set `name` (an --isa value); a bad or unsupported name is
// a usage error (its exit code is returned).
std::optional<int> ApplyIsaOption(const std::string& name);

// Reports a usage error the one way every command does, and returns its exit code, 2: prints
// `error: <message>` to stderr (the message names the option and the fix, STYLE.md "Exit"),
// then, when `usage` is not empty, `usage: <usage>` and "(see --help)" on lines of their own.
//
//   if (k <= 0) return UsageError("--k must be positive");
[[nodiscard]] int UsageError(std::string_view message, std::string_view usage = {});

// True when stderr is a terminal (progress refreshes in place) .
bool StderrIsTerminal();

}  // namespace wordspace::tools

#endif  // WORDSPACE_TOOLS_OPTIONS_H_
