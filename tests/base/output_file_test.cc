#include "base/output_file.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/testing/temp_dir.h"

namespace wordspace {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;
using Kind = OutputTarget::Kind;

absl::Status WriteAll(const std::string& path, const std::string& bytes) {
  absl::StatusOr<std::unique_ptr<OutputFile>> file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  if (absl::Status s = (*file)->Write(bytes); !s.ok()) return s;
  return (*file)->Commit();
}

bool IsLink(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

// Guards a character device the test writes to: Intact() says whether it is still the device
// it was, and the destructor puts it back with mknod if a bug replaced it, so that a failing
// test never leaves the machine without /dev/null or /dev/full.
class DeviceGuard {
 public:
  DeviceGuard(std::string path, unsigned major_number, unsigned minor_number)
      : path_(std::move(path)), device_(makedev(major_number, minor_number)) {}
  ~DeviceGuard() {
    if (!Intact()) Restore();
  }
  // True when the node is the expected character device.
  bool Intact() const {
    struct stat st;
    return lstat(path_.c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == device_;
  }
  // Replaces whatever is at the path by the device node, mode 666.
  void Restore() const {
    std::fprintf(stderr, "%s was replaced by the test; restoring the device node\n", path_.c_str());
    unlink(path_.c_str());
    if (mknod(path_.c_str(), S_IFCHR | 0666, device_) != 0 || chmod(path_.c_str(), 0666) != 0) {
      std::perror(("cannot restore " + path_).c_str());
    }
  }

 private:
  std::string path_;
  dev_t device_;
};

TEST_CASE("a new file appears under its name only at Commit", "[base]") {
  TempDir dir;
  const std::string path = dir.File("v.txt");
  auto file = OutputFile::Create(path);
  REQUIRE(file.ok());
  CHECK((*file)->target().kind == Kind::kReplace);
  REQUIRE((*file)->Write("hello\n").ok());
  CHECK_FALSE(std::filesystem::exists(path));
  REQUIRE((*file)->Commit().ok());
  CHECK(ReadFile(path) == "hello\n");
  CHECK(dir.EntryCount() == 1);  // no temporary file left
  CHECK((*file)->Write("more").code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("an existing file is replaced, and kept whole when the write is abandoned", "[base]") {
  TempDir dir;
  const std::string path = dir.File("v.txt");
  WriteFile(path, "old\n");
  {
    auto file = OutputFile::Create(path);
    REQUIRE(file.ok());
    REQUIRE((*file)->Write("new, never committed\n").ok());
  }
  CHECK(ReadFile(path) == "old\n");
  CHECK(dir.EntryCount() == 1);
  REQUIRE(WriteAll(path, "new\n").ok());
  CHECK(ReadFile(path) == "new\n");
  CHECK(dir.EntryCount() == 1);
}

TEST_CASE("a failed write to a regular file names it and leaves the old file", "[base]") {
  TempDir dir;
  const std::string path = dir.File("v.bin");
  const std::string old_bytes(1000, 'o');
  WriteFile(path, old_bytes);
  // A file-size limit makes write() fail with EFBIG past 64 KiB: a real write error on a
  // regular file, without a full disk. SIGXFSZ would kill the process instead; ignore it.
  struct rlimit saved;
  REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
  struct sigaction ignore = {}, previous = {};
  ignore.sa_handler = SIG_IGN;
  REQUIRE(sigaction(SIGXFSZ, &ignore, &previous) == 0);
  struct rlimit small = saved;
  small.rlim_cur = 64 << 10;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  absl::Status status = WriteAll(path, std::string(4 << 20, 'n'));
  setrlimit(RLIMIT_FSIZE, &saved);
  sigaction(SIGXFSZ, &previous, nullptr);
  REQUIRE_FALSE(status.ok());
  INFO(status.message());
  CHECK(status.message().find(path + ": write failed (File too large)") == 0);
  CHECK(ReadFile(path) == old_bytes);
  CHECK(dir.EntryCount() == 1);  // the temporary file is gone
}

TEST_CASE("a symlink stays a link and the file it points to is replaced", "[base]") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "runs");
  const std::string target = dir.File("runs/v.txt");
  const std::string link = dir.File("v.txt");
  WriteFile(target, "old\n");
  std::filesystem::create_symlink("runs/v.txt", link);  // relative, as `ln -s` users write
  auto resolved = ResolveOutputPath(link);
  REQUIRE(resolved.ok());
  CHECK(resolved->kind == Kind::kReplace);
  CHECK(std::filesystem::equivalent(resolved->file, target));
  REQUIRE(WriteAll(link, "new\n").ok());
  CHECK(IsLink(link));
  CHECK(ReadFile(target) == "new\n");
  CHECK(std::filesystem::read_symlink(link) == "runs/v.txt");
  // The temporary file was made beside the target, and is gone.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path() / "runs"),
                      std::filesystem::directory_iterator()) == 1);
  CHECK(dir.EntryCount() == 2);

  SECTION("a dangling link, through a chain of links, creates the file it points to") {
    const std::string second = dir.File("second.txt");
    std::filesystem::create_symlink(dir.File("runs/new.txt"), dir.File("first.txt"));
    std::filesystem::create_symlink("first.txt", second);
    REQUIRE(OutputFile::CheckCanCreate(second).ok());
    REQUIRE(WriteAll(second, "fresh\n").ok());
    CHECK(IsLink(second));
    CHECK(IsLink(dir.File("first.txt")));
    CHECK(ReadFile(dir.File("runs/new.txt")) == "fresh\n");
  }
  SECTION("a loop of links is an error naming the path") {
    std::filesystem::create_symlink("b", dir.File("a"));
    std::filesystem::create_symlink("a", dir.File("b"));
    absl::Status status = OutputFile::CheckCanCreate(dir.File("a"));
    CHECK(status.code() == absl::StatusCode::kNotFound);
    CHECK(status.message().find(dir.File("a")) == 0);
    CHECK(OutputFile::Create(dir.File("a")).status() == status);
  }
}

TEST_CASE("a FIFO is written through, not replaced", "[base]") {
  TempDir dir;
  const std::string fifo = dir.File("pipe");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  // No reader yet: the check must not open the FIFO, which would block.
  REQUIRE(OutputFile::CheckCanCreate(fifo).ok());
  auto resolved = ResolveOutputPath(fifo);
  REQUIRE(resolved.ok());
  CHECK(resolved->kind == Kind::kDirect);
  const std::string bytes(3 << 20, 'x');  // more than a pipe buffer and the stdio buffer
  // Our own read-write end keeps the FIFO open, so neither the reader's open nor the writer's
  // waits for the other, and the reader sees the end only once we close it too: the test
  // cannot hang, even if a bug replaced the FIFO by a regular file.
  const int hold = open(fifo.c_str(), O_RDWR);
  REQUIRE(hold >= 0);
  std::string received;
  std::thread reader([&] { received = ReadFile(fifo); });
  absl::Status status = WriteAll(fifo, bytes);
  close(hold);
  reader.join();
  REQUIRE(status.ok());
  CHECK(received.size() == bytes.size());
  const bool same = received == bytes;  // not in CHECK: Catch would print 3 MB of x
  CHECK(same);
  struct stat st;
  REQUIRE(lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(dir.EntryCount() == 1);
}

TEST_CASE("/dev/null takes the bytes and stays a character device", "[base]") {
  DeviceGuard guard("/dev/null", 1, 3);
  if (!guard.Intact()) {
    WARN("/dev/null is not the character device 1:3 before the test; not touching it");
    return;
  }
  REQUIRE(OutputFile::CheckCanCreate("/dev/null").ok());
  CHECK(WriteAll("/dev/null", std::string(2 << 20, 'x')).ok());
  CHECK(guard.Intact());
}

TEST_CASE("/dev/full is an error naming it, and stays a character device", "[base]") {
  DeviceGuard guard("/dev/full", 1, 7);
  if (!guard.Intact()) {
    WARN("/dev/full is not the character device 1:7 before the test; not touching it");
    return;
  }
  REQUIRE(OutputFile::CheckCanCreate("/dev/full").ok());
  SECTION("a large write fails in Write") {
    absl::Status status = WriteAll("/dev/full", std::string(4 << 20, 'x'));
    INFO(status.message());
    CHECK(status.message() == "/dev/full: write failed (No space left on device)");
  }
  SECTION("a small write fails when Commit flushes it") {
    absl::Status status = WriteAll("/dev/full", "a few bytes\n");
    INFO(status.message());
    CHECK(status.message() == "/dev/full: write failed (No space left on device)");
  }
  CHECK(guard.Intact());
}

// Points descriptor 1 at `fd` for the life of the object.
class StdoutRedirect {
 public:
  explicit StdoutRedirect(int fd) {
    std::fflush(stdout);
    saved_ = dup(STDOUT_FILENO);
    dup2(fd, STDOUT_FILENO);
  }
  ~StdoutRedirect() {
    std::fflush(stdout);
    dup2(saved_, STDOUT_FILENO);
    close(saved_);
  }

 private:
  int saved_;
};

TEST_CASE("\"-\" writes to standard output and leaves it open", "[base]") {
  TempDir dir;
  const std::string path = dir.File("stdout.txt");
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  {
    StdoutRedirect redirect(fd);
    REQUIRE(OutputFile::CheckCanCreate("-").ok());
    auto file = OutputFile::Create("-");
    REQUIRE(file.ok());
    CHECK((*file)->target().kind == Kind::kStdout);
    REQUIRE((*file)->Write("vectors\n").ok());
    REQUIRE((*file)->Commit().ok());
    CHECK(fcntl(STDOUT_FILENO, F_GETFD) != -1);  // descriptor 1 is still open
    REQUIRE(WriteAll("-", "again\n").ok());
  }
  close(fd);
  CHECK(ReadFile(path) == "vectors\nagain\n");
  CHECK(dir.EntryCount() == 1);
}

TEST_CASE("\"-\" on a full standard output is an error", "[base]") {
  DeviceGuard guard("/dev/full", 1, 7);
  if (!guard.Intact()) {
    WARN("/dev/full is not the character device 1:7 before the test; not touching it");
    return;
  }
  const int fd = open("/dev/full", O_WRONLY);
  REQUIRE(fd >= 0);
  absl::Status status;
  {
    StdoutRedirect redirect(fd);
    status = WriteAll("-", "vectors\n");
  }
  close(fd);
  CHECK(status.message() == "standard output: write failed (No space left on device)");
  CHECK(guard.Intact());
}

TEST_CASE("a descriptor name appends to the file behind it, never replacing it", "[base]") {
  TempDir dir;
  const std::string path = dir.File("log.txt");
  WriteFile(path, "header\n");
  struct stat before;
  REQUIRE(stat(path.c_str(), &before) == 0);
  // As `>> log.txt` would leave it for `--output /dev/stdout`.
  const int fd = open(path.c_str(), O_WRONLY | O_APPEND);
  REQUIRE(fd >= 0);
  const std::string name = "/proc/self/fd/" + std::to_string(fd);
  auto resolved = ResolveOutputPath(name);
  REQUIRE(resolved.ok());
  CHECK(resolved->kind == Kind::kDirect);
  CHECK(resolved->append);
  absl::Status status = WriteAll(name, "data\n");
  close(fd);
  REQUIRE(status.ok());
  CHECK(ReadFile(path) == "header\ndata\n");
  struct stat after;
  REQUIRE(stat(path.c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);
  CHECK(dir.EntryCount() == 1);
}

TEST_CASE("CheckCanCreate and Create refuse the same paths with the same message", "[base]") {
  TempDir dir;
  SECTION("a missing folder") {
    const std::string path = dir.File("no/such/v.txt");
    absl::Status check = OutputFile::CheckCanCreate(path);
    CHECK(check.code() == absl::StatusCode::kNotFound);
    CHECK(check.message().find(path + ": cannot create a file there") == 0);
    CHECK(OutputFile::Create(path).status() == check);
  }
  SECTION("a folder") {
    absl::Status check = OutputFile::CheckCanCreate(dir.path().string());
    CHECK(check.code() == absl::StatusCode::kInvalidArgument);
    CHECK(check.message().find("is a folder") != std::string::npos);
    CHECK(OutputFile::Create(dir.path().string()).status() == check);
  }
  SECTION("an empty path") {
    CHECK(OutputFile::CheckCanCreate("").code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(dir.EntryCount() == 0);
}

}  // namespace
}  // namespace wordspace
