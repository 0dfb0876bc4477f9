// CHECK(cond) aborts with file:line when a programming invariant is broken. It is for bugs,
// never for bad user input (that is an absl::Status), and it stays on in Release builds.
#ifndef WORDSPACE_BASE_CHECK_H_
#define WORDSPACE_BASE_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define CHECK(cond)                                                                    \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);    \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

#endif  // WORDSPACE_BASE_CHECK_H_
