// Debian's Abseil is built with its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW 0),
// a type distinct from std::string_view. Our code uses std::string_view; these adapters cross
// over where Abseil wants its own (hash-map lookups, StrCat arguments).
#ifndef WORDSPACE_BASE_STRING_VIEW_H_
#define WORDSPACE_BASE_STRING_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace wordspace {

inline absl::string_view ToAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace wordspace

#endif  // WORDSPACE_BASE_STRING_VIEW_H_
