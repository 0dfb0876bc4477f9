// base/cpu_features.h and base/isa_dispatch.h: detection checked against the kernel's own
// report (/proc/cpuinfo), the names --isa takes, the process-wide limit, and the table's
// fallback to a narrower variant.
#include "base/cpu_features.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "base/isa_dispatch.h"

namespace wordspace {
namespace {

// The flags of the first processor in /proc/cpuinfo (Linux lists only the features the kernel
// enabled, so AVX-512 is absent when the OS does not save its registers). Empty if unreadable.
std::set<std::string> CpuinfoFlags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::set<std::string> flags;
    for (std::string w; words >> w;) flags.insert(w);
    return flags;
  }
  return {};
}

struct LimitGuard {
  ~LimitGuard() { ClearIsaLimit(); }
};

TEST_CASE("The detected instruction set matches what /proc/cpuinfo reports", "[base][cpu]") {
  const std::set<std::string> flags = CpuinfoFlags();
  if (flags.empty()) {
    WARN("skipping: /proc/cpuinfo has no flags line on this machine");
    return;
  }
  const bool avx2 = flags.count("avx2") && flags.count("fma");
  const bool avx512 = avx2 && flags.count("avx512f");
  const Isa expected = avx512 ? Isa::kAvx512 : avx2 ? Isa::kAvx2 : Isa::kPortable;
  INFO("cpuinfo says " << IsaName(expected) << ", detection says " << IsaName(BestSupportedIsa()));
  CHECK(BestSupportedIsa() == expected);
  CHECK(CpuSupports(Isa::kAvx2) == avx2);
  CHECK(CpuSupports(Isa::kAvx512) == avx512);
  CHECK(CpuSupports(Isa::kPortable));
}

TEST_CASE("ParseIsa takes the --isa names and refuses others", "[base][cpu]") {
  for (Isa isa : kAllIsas) {
    auto parsed = ParseIsa(IsaName(isa));
    REQUIRE(parsed.ok());
    CHECK(*parsed == isa);
  }
  CHECK(*ParseIsa("auto") == BestSupportedIsa());
  CHECK(*ParseIsa("generic") == Isa::kPortable);  // WORDSPACE_KERNEL's old spelling
  auto bad = ParseIsa("avx1024");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad.status().message()).find("avx1024") != std::string::npos);
}

TEST_CASE("The limit lowers the active level, never raises it, and clears", "[base][cpu]") {
  LimitGuard guard;
  ClearIsaLimit();
  CHECK(ActiveIsa() == BestSupportedIsa());
  REQUIRE(SetIsaLimit(Isa::kPortable).ok());
  CHECK(ActiveIsa() == Isa::kPortable);
  if (CpuSupports(Isa::kAvx2)) {
    REQUIRE(SetIsaLimit(Isa::kAvx2).ok());
    CHECK(ActiveIsa() == Isa::kAvx2);
  }
  for (Isa isa : kAllIsas) {
    if (CpuSupports(isa)) continue;
    absl::Status s = SetIsaLimit(isa);
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(std::string(s.message()).find(SupportedIsaList()) != std::string::npos);
    CHECK(ActiveIsa() != isa);
  }
  ClearIsaLimit();
  CHECK(ActiveIsa() == BestSupportedIsa());
}

int One() { return 1; }
int Two() { return 2; }
int Three() { return 3; }

TEST_CASE("IsaKernels falls back to the next narrower variant", "[base][cpu]") {
  const IsaKernels<int (*)()> all{One, Two, Three};
  const IsaKernels<int (*)()> no_avx2{One, nullptr, Three};
  const IsaKernels<int (*)()> portable_only{One};
  CHECK(all.For(Isa::kPortable)() == 1);
  CHECK(portable_only.For(BestSupportedIsa())() == 1);
  if (CpuSupports(Isa::kAvx2)) {
    CHECK(all.For(Isa::kAvx2)() == 2);
    CHECK(no_avx2.For(Isa::kAvx2)() == 1);
  }
  if (CpuSupports(Isa::kAvx512)) {
    CHECK(all.For(Isa::kAvx512)() == 3);
    CHECK(no_avx2.For(Isa::kAvx512)() == 3);
  }
  LimitGuard guard;
  REQUIRE(SetIsaLimit(Isa::kPortable).ok());
  CHECK(all.Active()() == 1);
}

// A kernel written once with WORDSPACE_ISA_VARIANTS gives the same bits at every level (integer
// arithmetic: no rounding differences), and the dispatcher follows the limit.
WORDSPACE_ALWAYS_INLINE long SumSquaresBody(const int* x, int n) {
  long s = 0;
  for (int i = 0; i < n; ++i) s += static_cast<long>(x[i]) * x[i];
  return s;
}
WORDSPACE_ISA_VARIANTS("avx512f", "avx2", long, SumSquares, (const int* x, int n), (x, n))

TEST_CASE("WORDSPACE_ISA_VARIANTS defines one variant per level and a dispatcher", "[base][cpu]") {
  int x[1000];
  for (int i = 0; i < 1000; ++i) x[i] = i - 300;
  long expected = 0;
  for (int v : x) expected += static_cast<long>(v) * v;
  LimitGuard guard;
  for (Isa isa : kAllIsas) {
    if (!CpuSupports(isa)) continue;
    INFO(IsaName(isa));
    CHECK(kSumSquaresVariants.For(isa)(x, 1000) == expected);
    REQUIRE(SetIsaLimit(isa).ok());
    CHECK(SumSquares(x, 1000) == expected);
  }
}

}  // namespace
}  // namespace wordspace
