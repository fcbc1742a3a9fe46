// Status and Result<T>: kholuu's error values.
//
// Functions that can fail for reasons outside the program (bad input, the
// file system, a library) return Status or Result<T>. Programmer errors use
// KHOLUU_CHECK, which aborts. The codes follow abseil's canonical set; choose
// by what the caller should do next:
//   kInvalidArgument    bad input; retrying will not help
//   kNotFound           the named thing does not exist
//   kAlreadyExists      it exists and must not be replaced
//   kFailedPrecondition the state forbids it until fixed (e.g. not an archive,
//                       newer schema, legal hold)
//   kPermissionDenied   the caller or the OS refuses access
//   kResourceExhausted  disk full, file size limit, LMDB map cannot grow
//   kDataLoss           stored bytes are corrupt or missing
//   kUnavailable        transient; retry the same call
//   kAborted            concurrency conflict; redo the read-modify-write
//   kUnimplemented      not supported
//   kInternal           an unexpected library or system failure
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kholuu {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kResourceExhausted,
  kDataLoss,
  kUnavailable,
  kAborted,
  kUnimplemented,
  kInternal,
};

// Stable lower-case name of a code ("not_found"), used in JSON output.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with context: "open catalog: <message>". No-op on OK.
  Status& Annotate(std::string_view context) &;
  Status&& Annotate(std::string_view context) &&;

  // "not_found: <message>" or "ok".
  std::string ToString() const;

  // Explicitly ignores a status whose failure does not matter (best-effort cleanup).
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) {
  return Status(StatusCode::kNotFound, std::move(m));
}
inline Status AlreadyExistsError(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status PermissionDeniedError(std::string m) {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
inline Status ResourceExhaustedError(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
inline Status DataLossError(std::string m) {
  return Status(StatusCode::kDataLoss, std::move(m));
}
inline Status UnimplementedError(std::string m) {
  return Status(StatusCode::kUnimplemented, std::move(m));
}
inline Status InternalError(std::string m) {
  return Status(StatusCode::kInternal, std::move(m));
}

// Maps an errno value to a Status: ENOENT -> kNotFound, EACCES/EPERM/EROFS ->
// kPermissionDenied, ENOSPC/EDQUOT/EFBIG -> kResourceExhausted, EIO -> kDataLoss,
// EEXIST -> kAlreadyExists, else kInternal. `what` names the operation and path.
Status ErrnoError(int errno_value, std::string_view what);

// A T, or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit on purpose
    if (std::get<Status>(v_).ok()) {
      v_ = Status(StatusCode::kInternal, "Result constructed from an OK Status");
    }
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace kholuu

#define KHOLUU_CONCAT_INNER_(a, b) a##b
#define KHOLUU_CONCAT_(a, b) KHOLUU_CONCAT_INNER_(a, b)

// The variable name is unique per expansion so that nested uses (a lambda
// inside the expression) do not shadow each other.
#define KHOLUU_RETURN_IF_ERROR(expr) \
  KHOLUU_RETURN_IF_ERROR_IMPL_(KHOLUU_CONCAT_(kholuu_status_, __COUNTER__), expr)
#define KHOLUU_RETURN_IF_ERROR_IMPL_(var, expr) \
  do {                                          \
    ::kholuu::Status var = (expr);              \
    if (!var.ok()) return var;                  \
  } while (0)

// Expands to several statements: never the unbraced body of an if/else.
#define KHOLUU_ASSIGN_OR_RETURN(lhs, expr) \
  KHOLUU_ASSIGN_OR_RETURN_IMPL_(KHOLUU_CONCAT_(kholuu_result_, __COUNTER__), lhs, expr)
#define KHOLUU_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

// Aborts with a message when an invariant of the program is broken. Never
// reachable from user input.
#define KHOLUU_CHECK(cond)                                              \
  do {                                                                  \
    if (!(cond)) ::kholuu::internal::CheckFailed(__FILE__, __LINE__, #cond); \
  } while (0)

namespace kholuu::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* expr);
}  // namespace kholuu::internal
