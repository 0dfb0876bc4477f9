// CPU time, for throughputs "per CPU-second": on a shared machine wall time depends on the
// neighbours, CPU time much less.
//
//   const double c0 = ProcessCpuSeconds();  ...  spent = ProcessCpuSeconds() - c0;
#ifndef WORDSPACE_BASE_CPU_TIME_H_
#define WORDSPACE_BASE_CPU_TIME_H_

#include <time.h>

namespace wordspace {

// User + system time of every thread of this process, in seconds.
inline double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// User + system time of the calling thread, in seconds.
inline double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace wordspace

#endif  // WORDSPACE_BASE_CPU_TIME_H_
