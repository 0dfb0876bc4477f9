// Central finite differences against an analytic gradient, for the op and model tests.
//
// The forward passes run in float32, so a finite difference carries rounding noise of about
// 1e-7 * |loss| / h; with h = 1e-2 on inputs of order one that is ~1e-5. The truncation error
// of a central difference, h^2 f'''/6, is removed by Richardson extrapolation
// (4 D(h/2) - D(h)) / 3, which leaves O(h^4). Both are two to three orders below the errors of a
// wrong backward pass. An element passes when
//   |fd - analytic| <= atol + rtol * |fd|,
// and each test also checks that the same comparison REJECTS the analytic gradient with one
// checked element off by a few percent, so the tolerance is shown to be tight enough to catch
// a wrong backward.
#ifndef WORDSPACE_TESTS_TRANSFORMER_GRAD_CHECK_H_
#define WORDSPACE_TESTS_TRANSFORMER_GRAD_CHECK_H_

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace wordspace::transformer::testing {

struct GradCheckResult {
  int checked = 0;
  int failed = 0;
  double max_abs_error = 0;
  double max_rel_error = 0;   // relative to max(|fd|, atol)
  std::string first_failure;  // "index 12: fd 0.1234 analytic 0.2345"
};

// `loss` recomputes the loss (in double) from the current contents of x. `analytic` holds the
// gradient with respect to x (same length). Checks the elements listed in `indices`.
inline GradCheckResult CheckGradient(const std::function<double()>& loss, float* x,
                                     const float* analytic, const std::vector<size_t>& indices,
                                     float h, double rtol, double atol) {
  GradCheckResult r;
  auto central = [&](size_t i, float step_size) {
    const float saved = x[i];
    x[i] = saved + step_size;
    const double up = loss();
    x[i] = saved - step_size;
    const double down = loss();
    x[i] = saved;
    // The actual step, after float rounding of saved +- h.
    const double step =
        static_cast<double>(saved + step_size) - static_cast<double>(saved - step_size);
    return (up - down) / step;
  };
  for (size_t i : indices) {
    const double fd = (4.0 * central(i, 0.5f * h) - central(i, h)) / 3.0;
    const double err = std::fabs(fd - analytic[i]);
    r.checked++;
    r.max_abs_error = std::max(r.max_abs_error, err);
    r.max_rel_error = std::max(r.max_rel_error, err / std::max(std::fabs(fd), atol));
    if (err > atol + rtol * std::fabs(fd)) {
      if (r.failed == 0) {
        char buf[160];
        std::snprintf(buf, sizeof(buf), "index %zu: fd %.7g analytic %.7g", i, fd, analytic[i]);
        r.first_failure = buf;
      }
      r.failed++;
    }
  }
  return r;
}

// Up to `count` distinct indices in [0, n), always including 0 and n-1.
inline std::vector<size_t> SampleIndices(size_t n, size_t count, uint32_t seed) {
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  if (n <= count) return all;
  std::mt19937 rng(seed);
  std::shuffle(all.begin() + 1, all.end() - 1, rng);
  std::vector<size_t> out(all.begin(), all.begin() + (count - 1));
  out.push_back(n - 1);
  return out;
}

inline void FillUniform(std::vector<float>& v, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  for (float& x : v) x = u(rng);
}

}  // namespace wordspace::transformer::testing

#endif  // WORDSPACE_TESTS_TRANSFORMER_GRAD_CHECK_H_
