// Test helper: the CPU flags the Linux kernel lists in /proc/cpuinfo, an account of the CPU's
// features independent of the cpuid-based detection the code under test uses.
//
//   const auto flags = testing::CpuinfoFlags();
//   if (!flags) { WARN("no /proc/cpuinfo"); return; }
//   CHECK(Supported(kAvx512) == flags->count("avx512f") > 0);
#ifndef WORDSPACE_TESTS_TESTING_CPUINFO_H_
#define WORDSPACE_TESTS_TESTING_CPUINFO_H_

#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>

namespace wordspace::testing {

// The words of the first "flags" line of /proc/cpuinfo (the boot CPU's; Linux lists only the
// features the kernel enabled, so AVX-512 is absent when the OS does not save its registers).
// nullopt when the file or the line is missing (not Linux, or a sandbox without /proc).
inline std::optional<std::set<std::string>> CpuinfoFlags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::istringstream words(line.substr(colon + 1));
    std::set<std::string> flags;
    for (std::string w; words >> w;) flags.insert(w);
    return flags;
  }
  return std::nullopt;
}

}  // namespace wordspace::testing

#endif  // WORDSPACE_TESTS_TESTING_CPUINFO_H_
