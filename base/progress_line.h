// ProgressLine: a live status line on stderr. On a terminal it is redrawn in place (carriage
// return, clear to end of line); otherwise (a log file, CI) it prints a plain line at most every
// `log_interval_seconds`, so logs stay readable. Disabled, it prints nothing (--quiet).
//
//   ProgressLine progress(!quiet);
//   progress.Update("12.5%  words/s/thread 310k  ...");   // call as often as you like
//   progress.Finish("done in 12.3 s");
#ifndef WORDSPACE_BASE_PROGRESS_LINE_H_
#define WORDSPACE_BASE_PROGRESS_LINE_H_

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

namespace wordspace {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled, double log_interval_seconds = 10.0)
      : enabled_(enabled),
        terminal_(isatty(STDERR_FILENO) != 0),
        log_interval_(log_interval_seconds) {}

  bool enabled() const { return enabled_; }

  void Update(std::string_view text) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    double since = std::chrono::duration<double>(now - last_).count();
    if (terminal_) {
      if (since < 0.1) return;
      std::fprintf(stderr, "\r%.*s\033[K", static_cast<int>(text.size()), text.data());
      std::fflush(stderr);
      drawn_ = true;
    } else {
      if (printed_once_ && since < log_interval_) return;
      std::fprintf(stderr, "%.*s\n", static_cast<int>(text.size()), text.data());
      printed_once_ = true;
    }
    last_ = now;
  }

  // Ends the live line and prints `text` (if not empty) on a line of its own.
  void Finish(std::string_view text) {
    if (!enabled_) return;
    if (terminal_ && drawn_) std::fprintf(stderr, "\r\033[K");
    if (!text.empty()) std::fprintf(stderr, "%.*s\n", static_cast<int>(text.size()), text.data());
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  bool enabled_;
  bool terminal_;
  double log_interval_;
  bool drawn_ = false;
  bool printed_once_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// "1.2M", "340k", "12": compact counts for progress lines.
inline std::string HumanCount(double n) {
  char buf[32];
  if (n >= 1e9) std::snprintf(buf, sizeof(buf), "%.2fG", n / 1e9);
  else if (n >= 1e6) std::snprintf(buf, sizeof(buf), "%.2fM", n / 1e6);
  else if (n >= 1e4) std::snprintf(buf, sizeof(buf), "%.0fk", n / 1e3);
  else std::snprintf(buf, sizeof(buf), "%.0f", n);
  return buf;
}

// "1h02m", "3m05s", "12s".
inline std::string HumanDuration(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "?";
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof(buf), "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60) std::snprintf(buf, sizeof(buf), "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buf, sizeof(buf), "%lds", s);
  return buf;
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_PROGRESS_LINE_H_
