// Status propagation macros. Debian's Abseil (20220623) ships no RETURN_IF_ERROR or
// ASSIGN_OR_RETURN, so base/ defines its own, in the spirit of abseil's internal ones.
//
//   RETURN_IF_ERROR(WriteHeader(out));
//   ASSIGN_OR_RETURN(Vocabulary vocab, BuildVocabulary(path, opts));
#ifndef WORDSPACE_BASE_STATUS_MACROS_H_
#define WORDSPACE_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define WS_CONCAT_INNER_(a, b) a##b
#define WS_CONCAT_(a, b) WS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    ::absl::Status ws_status_ = (expr);             \
    if (!ws_status_.ok()) return ws_status_;        \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  WS_ASSIGN_OR_RETURN_IMPL_(WS_CONCAT_(ws_statusor_, __LINE__), lhs, expr)

#define WS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  if (!statusor.ok()) return statusor.status();        \
  lhs = std::move(statusor).value()

#endif  // WORDSPACE_BASE_STATUS_MACROS_H_
