// Status and Result<T>: errors as values.
//
// Every fallible core call returns a Status (or a Result<T> holding either a
// value or a non-ok Status). No exception escapes the core. Messages name the
// offending field first, then the reason, e.g.
//   "candidates[3].embedding: expected 32 floats, got 16".
//
//   Result<int> r = Parse(s);
//   if (!r.ok()) return r.status();
//   Use(r.value());
#ifndef REELRANK_STATUS_H_
#define REELRANK_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace reelrank {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // malformed input; nothing was changed
  kNotFound,            // an id that the ranker does not know
  kFailedPrecondition,  // valid input at the wrong time (e.g. event too old)
  kDataLoss,            // corrupt or truncated serialized data
  kUnimplemented,       // unknown version or feature
  kInternal,            // a bug; please report
};

// Stable lower-case name of a code ("invalid_argument", ...). These names are
// the `code` of the JS RankerError and must not change.
const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  // "field: reason"
  static Status Invalid(const std::string& field, const std::string& reason) {
    return Status(StatusCode::kInvalidArgument, field + ": " + reason);
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: field: reason", or "ok".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a T or a non-ok Status. value() on an error is a contract violation.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok())
      status_ = Status(StatusCode::kInternal, "ok status without value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace reelrank

#endif  // REELRANK_STATUS_H_
