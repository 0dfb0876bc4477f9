// base/aligned_buffer.h: alignment, zeros, moves, grow-only Reserve, huge-page buffers.
#include "base/aligned_buffer.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <utility>

namespace wordspace {
namespace {

uintptr_t Address(const float* p) { return reinterpret_cast<uintptr_t>(p); }

TEST_CASE("AlignedBuffer starts on a cache line and holds zeros", "[base][buffer]") {
  for (size_t n : {1, 3, 16, 17, 1000}) {
    AlignedBuffer b(n);
    REQUIRE(b.data() != nullptr);
    CHECK(b.size() == n);
    CHECK(Address(b.data()) % AlignedBuffer::kCacheLine == 0);
    for (size_t i = 0; i < n; ++i) CHECK(b[i] == 0.0f);
  }
  AlignedBuffer empty(0);
  CHECK(empty.data() == nullptr);
  CHECK(empty.span().empty());
}

TEST_CASE("A moved AlignedBuffer hands over its memory", "[base][buffer]") {
  AlignedBuffer a(8);
  a[3] = 2.5f;
  float* p = a.data();
  AlignedBuffer b(std::move(a));
  CHECK(b.data() == p);
  CHECK(b[3] == 2.5f);
  CHECK(a.data() == nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is empty
  CHECK(a.size() == 0);
  AlignedBuffer c(4);
  c = std::move(b);
  CHECK(c.data() == p);
  CHECK(c.size() == 8);
}

TEST_CASE("Reserve reallocates only to grow", "[base][buffer]") {
  AlignedBuffer b;
  float* p = b.Reserve(100);
  REQUIRE(p != nullptr);
  CHECK(b.size() == 100);
  p[99] = 1.0f;
  CHECK(b.Reserve(50) == p);  // big enough: same memory, contents kept
  CHECK(b.Reserve(100) == p);
  CHECK(b[99] == 1.0f);
  float* q = b.Reserve(1000);
  CHECK(b.size() == 1000);
  CHECK(Address(q) % AlignedBuffer::kCacheLine == 0);
  CHECK(q[99] == 0.0f);  // grown: fresh zeros
}

TEST_CASE("HugePages buffers start on a 2 MB boundary and hold zeros", "[base][buffer]") {
  AlignedBuffer b = AlignedBuffer::HugePages(1000);
  REQUIRE(b.data() != nullptr);
  CHECK(b.size() == 1000);
  CHECK(Address(b.data()) % AlignedBuffer::kHugePage == 0);
  CHECK(b[0] == 0.0f);
  CHECK(b[999] == 0.0f);
}

}  // namespace
}  // namespace wordspace
