// AlignedBuffer: zero-initialised float storage that starts on a 64-byte boundary (a cache line
// and one AVX-512 register), or on a 2 MB boundary backed by transparent huge pages for the
// big, randomly accessed weight matrices. Move-only; owns its memory.
//
//   AlignedBuffer weights(rows * cols);                  // 64-byte aligned, zeros
//   AlignedBuffer matrix = AlignedBuffer::HugePages(n);  // 2 MB aligned, madvise(MADV_HUGEPAGE)
//   float* scratch = buffer.Reserve(floats);             // grow-only scratch; contents not kept
#ifndef WORDSPACE_BASE_ALIGNED_BUFFER_H_
#define WORDSPACE_BASE_ALIGNED_BUFFER_H_

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <utility>

namespace wordspace {

class AlignedBuffer {
 public:
  static constexpr size_t kCacheLine = 64;
  static constexpr size_t kHugePage = size_t{2} << 20;

  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t floats) { Allocate(floats, kCacheLine); }

  // A buffer whose pages the kernel may back with 2 MB huge pages: every skip-gram step touches
  // ~10 random rows of two matrices of tens of MB, and with 4 KB pages nearly each is a TLB
  // miss and a page walk (the profile showed the row prefetches stalling on them).
  static AlignedBuffer HugePages(size_t floats) {
    AlignedBuffer b;
    b.Allocate(floats, kHugePage);
#if defined(MADV_HUGEPAGE)
    if (b.data_ != nullptr) madvise(b.data_, b.bytes_, MADV_HUGEPAGE);  // advice only
#endif
    return b;
  }

  AlignedBuffer(AlignedBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        bytes_(std::exchange(other.bytes_, 0)) {}
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept {
    if (this != &other) {
      std::free(data_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { std::free(data_); }

  // At least `floats` floats, 64-byte aligned: reallocates (zeroed, old contents dropped) only
  // when the buffer is smaller. For scratch that is reused across calls.
  float* Reserve(size_t floats) {
    if (floats > size_) *this = AlignedBuffer(floats);
    return data_;
  }

  float& operator[](size_t i) { return data_[i]; }
  float operator[](size_t i) const { return data_[i]; }
  float* data() { return data_; }
  const float* data() const { return data_; }
  size_t size() const { return size_; }
  std::span<float> span() { return {data_, size_}; }
  std::span<const float> span() const { return {data_, size_}; }

 private:
  void Allocate(size_t floats, size_t alignment) {
    size_ = floats;
    if (floats == 0) return;
    bytes_ = (floats * sizeof(float) + alignment - 1) / alignment * alignment;
    data_ = static_cast<float*>(std::aligned_alloc(alignment, bytes_));
    if (data_ == nullptr) throw std::bad_alloc();
    std::memset(data_, 0, bytes_);
  }

  float* data_ = nullptr;
  size_t size_ = 0;
  size_t bytes_ = 0;  // allocated, a multiple of the alignment
};

}  // namespace wordspace

#endif  // WORDSPACE_BASE_ALIGNED_BUFFER_H_
