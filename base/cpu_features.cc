#include "base/cpu_features.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "base/string_view.h"

namespace wordspace {
namespace {

#if defined(__x86_64__) || defined(__i386__)
// XCR0 (read with xgetbv) says which register states the operating system saves on a context
// switch: bits 1-2 for SSE/AVX, bits 5-7 for AVX-512's opmask and upper registers. A CPU that
// has AVX-512 under an OS that does not save those registers faults on the first instruction.
uint64_t ReadXcr0() {
  __builtin_cpu_init();
  unsigned eax, ebx, ecx, edx;
  __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1), "c"(0));
  const bool osxsave = (ecx >> 27) & 1;
  if (!osxsave) return 0;
  unsigned lo, hi;
  __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

Isa Detect() {
  __builtin_cpu_init();
  const uint64_t xcr0 = ReadXcr0();
  const bool avx_state = (xcr0 & 0x6) == 0x6;
  const bool avx512_state = avx_state && (xcr0 & 0xe0) == 0xe0;
  const bool avx2 = avx_state && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2 && avx512_state && __builtin_cpu_supports("avx512f")) return Isa::kAvx512;
  if (avx2) return Isa::kAvx2;
  return Isa::kPortable;
}
#else
Isa Detect() { return Isa::kPortable; }
#endif

// -1: no limit set yet (the environment decides on first use); else the limit's value.
std::atomic<int> g_limit{-1};
constexpr int kNoLimit = 100;

int LimitFromEnvironment() {
  const char* name = std::getenv("WORDSPACE_ISA");
  if (name == nullptr || *name == '\0') return kNoLimit;
  absl::StatusOr<Isa> isa = ParseIsa(name);
  // A bad value is ignored rather than fatal: a library call has no command line to report to.
  return isa.ok() ? static_cast<int>(*isa) : kNoLimit;
}

}  // namespace

const char* IsaName(Isa isa) {
  switch (isa) {
    case Isa::kPortable:
      return "portable";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
  }
  return "?";
}

Isa BestSupportedIsa() {
  static const Isa best = Detect();
  return best;
}

bool CpuHasAvx512Bf16() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool has = [] {
    if (BestSupportedIsa() != Isa::kAvx512) return false;
    unsigned eax, ebx, ecx, edx;
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0), "c"(0));
    if (eax < 7) return false;
    // Leaf 7, sub-leaf 1: EAX bit 5 is AVX512_BF16.
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(7), "c"(1));
    return ((eax >> 5) & 1) != 0;
  }();
  return has;
#else
  return false;
#endif
}

bool CpuSupports(Isa isa) { return static_cast<int>(isa) <= static_cast<int>(BestSupportedIsa()); }

Isa ActiveIsa() {
  int limit = g_limit.load(std::memory_order_acquire);
  if (limit < 0) {
    int expected = -1;
    g_limit.compare_exchange_strong(expected, LimitFromEnvironment(), std::memory_order_acq_rel);
    limit = g_limit.load(std::memory_order_acquire);
  }
  const int best = static_cast<int>(BestSupportedIsa());
  return static_cast<Isa>(limit < best ? limit : best);
}

absl::StatusOr<Isa> ParseIsa(std::string_view name) {
  if (name == "auto") return BestSupportedIsa();
  if (name == "portable" || name == "generic") return Isa::kPortable;
  if (name == "avx2") return Isa::kAvx2;
  if (name == "avx512") return Isa::kAvx512;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown instruction set '", ToAbsl(name), "'; use auto, avx512, avx2 or portable"));
}

std::string SupportedIsaList() {
  std::string out;
  for (Isa isa : kAllIsas) {
    if (!CpuSupports(isa)) continue;
    absl::StrAppend(&out, out.empty() ? "" : ", ", IsaName(isa));
  }
  return out;
}

absl::Status SetIsaLimit(Isa limit) {
  if (!CpuSupports(limit)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this CPU cannot run ", IsaName(limit), " kernels (it runs: ", SupportedIsaList(),
        "); choose one of those, or auto"));
  }
  g_limit.store(static_cast<int>(limit), std::memory_order_release);
  return absl::OkStatus();
}

void ClearIsaLimit() { g_limit.store(kNoLimit, std::memory_order_release); }

}  // namespace wordspace
