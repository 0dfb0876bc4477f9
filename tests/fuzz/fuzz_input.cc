#include "tests/fuzz/fuzz_input.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "base/binary_io.h"

namespace wordspace::fuzz {
namespace {

struct MemFile {
  int fd = -1;
  std::string path;
};

MemFile& Input() {
  static MemFile* file = [] {
    auto* f = new MemFile;
    f->fd = memfd_create("wordspace-fuzz-input", MFD_CLOEXEC);
    if (f->fd < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    f->path = "/proc/self/fd/" + std::to_string(f->fd);
    return f;
  }();
  return *file;
}

}  // namespace

const std::string& InputPath(const uint8_t* data, size_t size) {
  MemFile& file = Input();
  if (ftruncate(file.fd, 0) != 0) {
    std::perror("ftruncate");
    std::abort();
  }
  size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(file.fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) {
      std::perror("pwrite");
      std::abort();
    }
    done += static_cast<size_t>(n);
  }
  return file.path;
}

const std::string& InputPath(std::string_view bytes) {
  return InputPath(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

std::string WithCrc32(const uint8_t* data, size_t size) {
  std::string out(reinterpret_cast<const char*>(data), size);
  const uint32_t crc = Crc32(data, size);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  return out;
}

}  // namespace wordspace::fuzz
