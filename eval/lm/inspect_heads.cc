#include "eval/lm/inspect_heads.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "base/check.h"

namespace wordspace::eval {
namespace {

const char* const kRoles[] = {"previous-token", "induction", "first-token",
                              "same-word",      "local",     "mixed"};

int RoleOrder(const std::string& role) {
  for (int i = 0; i < 6; ++i) {
    if (role == kRoles[i]) return i;
  }
  return 6;
}

double RoleScore(const HeadProfile& p) {
  if (p.role == "previous-token") return p.previous_token;
  if (p.role == "induction") return p.induction;
  if (p.role == "first-token") return p.first_token;
  if (p.role == "same-word") return p.same_word;
  return -p.mean_distance;
}

// Running sums per head.
struct Sums {
  double distance = 0, previous = 0, first = 0, queries = 0;
  double same = 0, same_queries = 0;
  double induction = 0, induction_queries = 0;
};

}  // namespace

std::vector<std::vector<int32_t>> RepeatedRandomWindows(int vocab_size, int context, int count,
                                                        uint64_t seed) {
  const int n = std::max(1, (context - 1) / 2);
  const int available = vocab_size - 2;
  CHECK(available >= 1);
  std::mt19937_64 rng(seed);
  std::vector<std::vector<int32_t>> windows;
  std::vector<int32_t> pool(available);
  for (int i = 0; i < available; ++i) pool[i] = i + 2;
  for (int w = 0; w < count; ++w) {
    std::vector<int32_t> r(n);
    if (available >= n) {
      // A partial Fisher-Yates shuffle: n distinct ids.
      for (int i = 0; i < n; ++i) {
        std::uniform_int_distribution<int> pick(i, available - 1);
        std::swap(pool[i], pool[pick(rng)]);
        r[i] = pool[i];
      }
    } else {
      std::uniform_int_distribution<int> pick(0, available - 1);
      for (int32_t& id : r) id = pool[pick(rng)];
    }
    std::vector<int32_t> window = {transformer::kEosId};
    window.insert(window.end(), r.begin(), r.end());
    window.insert(window.end(), r.begin(), r.end());
    windows.push_back(std::move(window));
  }
  return windows;
}

std::vector<HeadProfile> ProfileHeads(transformer::LanguageModel& lm,
                                      std::span<const int32_t> heldout,
                                      const HeadsOptions& options) {
  const int L = lm.config().layers, NH = lm.config().heads, context = lm.context();
  std::vector<Sums> sums(static_cast<size_t>(L) * NH);
  const std::vector<std::vector<int32_t>> random =
      RepeatedRandomWindows(lm.vocab_size(), context, options.induction_windows, options.seed);

  // Distance, previous, first and same-word scores from one window.
  auto profile_window = [&](std::span<const int32_t> ids) {
    auto trace = lm.Trace(ids);
    CHECK(trace.ok());
    const int T = trace->T;
    for (int l = 0; l < L; ++l) {
      for (int h = 0; h < NH; ++h) {
        Sums& s = sums[static_cast<size_t>(l) * NH + h];
        for (int q = 1; q < T; ++q) {
          auto row = trace->AttentionRow(l, h, q);
          double distance = 0, same = 0;
          bool seen = false;
          for (int k = 0; k <= q; ++k) {
            distance += row[k] * (q - k);
            if (k < q && ids[k] == ids[q]) {
              same += row[k];
              seen = true;
            }
          }
          s.distance += distance;
          s.previous += row[q - 1];
          s.first += row[0];
          s.queries += 1;
          if (seen) {
            s.same += same;
            s.same_queries += 1;
          }
        }
      }
    }
  };
  int windows = 0;
  if (!heldout.empty()) {
    const size_t T = std::min<size_t>(context, heldout.size());
    for (size_t start = 0; start + T <= heldout.size() && windows < options.max_windows;
         start += T, ++windows) {
      for (size_t i = start; i < start + T; ++i)
        CHECK(heldout[i] >= 0 && heldout[i] < lm.vocab_size());
      profile_window(heldout.subspan(start, T));
    }
  }
  for (const std::vector<int32_t>& window : random) {
    if (windows == 0) profile_window(window);
    auto trace = lm.Trace(window);
    CHECK(trace.ok());
    const int n = (trace->T - 1) / 2;
    for (int l = 0; l < L; ++l) {
      for (int h = 0; h < NH; ++h) {
        Sums& s = sums[static_cast<size_t>(l) * NH + h];
        // Query 1+n+i holds R[i]; its first copy sits at 1+i, followed by
        // position 2+i.
        for (int i = 0; i < n; ++i) {
          s.induction += trace->AttentionRow(l, h, 1 + n + i)[2 + i];
          s.induction_queries += 1;
        }
      }
    }
  }

  std::vector<HeadProfile> heads;
  for (int l = 0; l < L; ++l) {
    for (int h = 0; h < NH; ++h) {
      const Sums& s = sums[static_cast<size_t>(l) * NH + h];
      HeadProfile p;
      p.layer = l;
      p.head = h;
      const double q = std::max(1.0, s.queries);
      p.mean_distance = s.distance / q;
      p.previous_token = s.previous / q;
      p.first_token = s.first / q;
      p.same_word =
          s.same_queries > 0 ? s.same / s.same_queries : std::numeric_limits<double>::quiet_NaN();
      p.induction = s.induction / std::max(1.0, s.induction_queries);
      const std::pair<const char*, double> candidates[] = {
          {"previous-token", p.previous_token},
          {"induction", p.induction},
          {"first-token", p.first_token},
          {"same-word", std::isnan(p.same_word) ? 0.0 : p.same_word}};
      double best = options.role_threshold;
      p.role = p.mean_distance < 2 ? "local" : "mixed";
      for (const auto& [role, score] : candidates) {
        if (score > best) {
          best = score;
          p.role = role;
        }
      }
      heads.push_back(p);
    }
  }
  std::stable_sort(heads.begin(), heads.end(), [](const HeadProfile& a, const HeadProfile& b) {
    if (RoleOrder(a.role) != RoleOrder(b.role)) return RoleOrder(a.role) < RoleOrder(b.role);
    return RoleScore(a) > RoleScore(b);
  });
  return heads;
}

}  // namespace wordspace::eval
