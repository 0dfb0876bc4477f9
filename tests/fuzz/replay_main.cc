// Replays fuzz inputs through a target's LLVMFuzzerTestOneInput without libFuzzer, so that the
// normal (g++) build runs every committed crash input and seed as a regular CTest test:
//
//   vectors_text_fuzz_replay [--optional DIR]... PATH...
//
// A PATH is a file or a folder (its files, in name order); it must exist. `--optional DIR` is
// a folder that may be absent: tests/data/fuzz/<target>/ exists only once a crash was found.
// Exits 0 when every input returned (a crash aborts, as under libFuzzer), 1 on a usage error.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

bool Collect(const std::filesystem::path& path, bool optional, std::vector<std::string>* out) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    out->insert(out->end(), files.begin(), files.end());
    return true;
  }
  if (std::filesystem::is_regular_file(path, ec)) {
    out->push_back(path.string());
    return true;
  }
  if (optional) return true;
  std::fprintf(stderr, "error: %s: no such file or folder\n", path.c_str());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool optional = arg == "--optional";
    if (optional && ++i == argc) {
      std::fprintf(stderr, "usage: %s [--optional DIR]... PATH...\n", argv[0]);
      return 1;
    }
    if (!Collect(argv[i], optional, &inputs)) return 1;
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "error: no inputs to replay\n");
    return 1;
  }
  for (const std::string& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::fprintf(stderr, "error: %s: cannot read\n", path.c_str());
      return 1;
    }
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "replayed %zu inputs\n", inputs.size());
  return 0;
}
