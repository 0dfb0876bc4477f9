// The `wordspace` binary's subcommands. Each lives in its own tools/<name>_command.cc and
// registers itself with a static Registration; main() dispatches on the first argument.
// A command parses its options, calls one library function and prints; it returns the exit
// code: 0 on success, 1 for an error (printed as `error: <message>`), 2 for a usage error.
//
//   int RunVocab(int argc, char** argv);   // argv[0] is "vocab"
//   static const Registration kVocab{"vocab", "count the words of a corpus", RunVocab};
#ifndef WORDSPACE_TOOLS_COMMAND_H_
#define WORDSPACE_TOOLS_COMMAND_H_

#include <map>
#include <string>

#include "absl/status/status.h"

namespace wordspace::tools {

using CommandMain = int (*)(int argc, char** argv);

struct Command {
  std::string summary;
  CommandMain run;
};

// Commands by name, sorted for `wordspace --help`.
std::map<std::string, Command>& Commands();

struct Registration {
  Registration(const std::string& name, const std::string& summary, CommandMain run) {
    Commands()[name] = Command{summary, run};
  }
};

// Prints `error: <message>` to stderr and returns the exit code 1.
int ReportError(const absl::Status& status);

}  // namespace wordspace::tools

#endif  // WORDSPACE_TOOLS_COMMAND_H_
