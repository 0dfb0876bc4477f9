// wordspace: word vectors, their query engine, bias probes and a tiny transformer.
// `wordspace <command> [options]`; `wordspace <command> --help` explains each command.
#include <cstring>
#include <iostream>

#include "base/cpu_features.h"
#include "tools/command.h"

namespace wordspace::tools {

std::map<std::string, Command>& Commands() {
  static auto* commands = new std::map<std::string, Command>();
  return *commands;
}

int ReportError(const absl::Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  return 1;
}

namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: wordspace <command> [options]\n\n"
         "Word vectors on one machine: train skip-gram vectors, query them, probe their\n"
         "biases, and train a tiny transformer on top of them.\n\ncommands:\n";
  for (const auto& [name, command] : Commands()) {
    out << "  " << name << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ')
        << command.summary << "\n";
  }
  out << "\n`wordspace <command> --help` describes a command's options; `wordspace --version`\n"
         "prints the version, the build and the instruction sets in use.\n";
}

// The version, how this binary was built, and the instruction sets its kernels use here, so a
// bug report or a benchmark line says what ran.
void PrintVersion() {
  const char* build_type = WORDSPACE_BUILD_TYPE[0] != '\0' ? WORDSPACE_BUILD_TYPE : "unspecified";
  std::cout << "wordspace " << WORDSPACE_VERSION << " (" << build_type << " build, compiler " << __VERSION__
            << ")\n"
            << "instruction sets: " << wordspace::IsaName(wordspace::ActiveIsa())
            << " in use; this CPU runs " << wordspace::SupportedIsaList()
            << " (--isa or WORDSPACE_ISA chooses)\n";
}

}  // namespace
}  // namespace wordspace::tools

int main(int argc, char** argv) {
  using namespace wordspace::tools;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    PrintUsage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "version") == 0) {
    PrintVersion();
    return 0;
  }
  auto it = Commands().find(argv[1]);
  if (it == Commands().end()) {
    std::cerr << "error: unknown command '" << argv[1] << "'\n";
    PrintUsage(std::cerr);
    return 2;
  }
  return it->second.run(argc - 1, argv + 1);
}
