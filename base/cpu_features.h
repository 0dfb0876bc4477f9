// What this CPU runs, and the one process-wide choice of instruction set that every kernel
// (matrix products, the skip-gram kernels, the inner-product search, the element-wise ops)
// follows. Kernels come in three levels, each including the one below:
//   portable  the compiler's baseline (SSE2 on x86-64; any CPU) — the reference path
//   avx2      AVX2 + FMA (Haswell, Zen 1 and later)
//   avx512    AVX-512F + AVX2 + FMA (Skylake-SP, Ice Lake, Zen 4 and later)
// A level counts as supported only when the CPU has it and the operating system saves its
// registers (XCR0), so a kernel never faults on a kernel-disabled AVX-512.
//
// ActiveIsa() is the best supported level, lowered by SetIsaLimit (every command's `--isa`) or,
// before any limit is set, by the environment variable WORDSPACE_ISA (for library users, such
// as the Python module). base/isa_dispatch.h picks a kernel's variant from it.
//
//   if (absl::Status s = SetIsaLimit(*ParseIsa("avx2")); !s.ok()) ...;  // avx2 or portable now
//   switch (ActiveIsa()) { ... }
#ifndef WORDSPACE_BASE_CPU_FEATURES_H_
#define WORDSPACE_BASE_CPU_FEATURES_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wordspace {

enum class Isa { kPortable = 0, kAvx2 = 1, kAvx512 = 2 };
inline constexpr Isa kAllIsas[] = {Isa::kAvx512, Isa::kAvx2, Isa::kPortable};  // widest first

// "portable", "avx2" or "avx512" (the names --isa takes).
const char* IsaName(Isa isa);

// True when this CPU and its operating system run `isa` (portable: always).
bool CpuSupports(Isa isa);

// The widest level this CPU runs, whatever the limit.
Isa BestSupportedIsa();

// The level kernels use now: BestSupportedIsa(), lowered to the limit if one is set.
Isa ActiveIsa();

// Parses an --isa value: "auto" (the best supported), "portable" (also "generic", the old
// WORDSPACE_KERNEL spelling), "avx2" or "avx512". InvalidArgument names the choices.
[[nodiscard]] absl::StatusOr<Isa> ParseIsa(std::string_view name);

// Caps every kernel at `limit` from now on. FailedPrecondition when this CPU cannot run
// `limit` (the message says which levels it runs). Set it before the work starts: a product
// packed for one level must not be used by another (gemm.h's PackedMatrix checks this).
[[nodiscard]] absl::Status SetIsaLimit(Isa limit);

// Removes the limit set by SetIsaLimit (tests use it to restore the default).
void ClearIsaLimit();

// True when this CPU runs avx512 and has AVX512_BF16 (vdpbf16ps: bf16 pairs multiplied into
// fp32), which the transformer's bf16 matrix products need (transformer/gemm.h). Not a level of
// its own: it is a precision choice on top of avx512, made by the caller.
bool CpuHasAvx512Bf16();

// "avx512, avx2, portable": the levels this CPU runs, widest first, for messages.
std::string SupportedIsaList();

}  // namespace wordspace

#endif  // WORDSPACE_BASE_CPU_FEATURES_H_
