// Status and Result<T>: how every fallible call in kinesis-producer reports failure.
//
// No exceptions cross the data path. A call that can fail returns a Status (no value) or a
// Result<T> (a value or a Status). The message names the offending value and the limit it broke,
// so it can be shown to a user as it is. Messages never contain secrets.
//
// Thread safety: values; copy and move freely between threads.
#ifndef KINESIS_STATUS_H_
#define KINESIS_STATUS_H_

#include <cassert>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kinesis {

// What kind of failure a Status is. Coarse on purpose: callers branch on the code and show the
// message. Kinesis service error codes (e.g. "ProvisionedThroughputExceededException") travel in
// the message or in richer types of the client layer.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input breaks a documented rule
  kOutOfRange,          // a number or size outside its limit
  kCorruption,          // untrusted bytes that do not parse (e.g. a damaged aggregated record)
  kNotFound,            // a stream, file, profile... that does not exist
  kIoError,             // the operating system refused (file, socket)
  kUnavailable,         // retriable: network, 5xx, throttling
  kPermissionDenied,    // credentials refused or missing
  kDeadlineExceeded,    // a deadline passed before the work was done
  kResourceExhausted,   // a bounded buffer is full
  kFailedPrecondition,  // the object is in the wrong state for the call (e.g. closed)
  kInternal,            // a bug: an invariant did not hold
};

// Returns the code's name, e.g. "InvalidArgument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status OutOfRange(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  // A put refused because the buffer budget is full: ResourceExhausted, result_code()
  // "QueueFull" (kinesis/error_codes.h).
  static Status QueueFull(std::string m) {
    Status s(StatusCode::kResourceExhausted, std::move(m));
    s.result_code_ = "QueueFull";
    return s;
  }
  // A put (or flush) refused because the producer is closed: FailedPrecondition, result_code()
  // "ProducerClosed".
  static Status ProducerClosed(std::string m) {
    Status s(StatusCode::kFailedPrecondition, std::move(m));
    s.result_code_ = "ProducerClosed";
    return s;
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The producer's code for a refused put ("QueueFull", "ProducerClosed"), empty otherwise.
  std::string_view result_code() const { return result_code_; }

  // "OK", or "<CodeName>: <message>", or "<CodeName>: <result code>: <message>".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string_view result_code_;  // a static string, or empty
};

// What Result<T>::value() (and *, ->) throws when there is no value: a programming error, as
// std::bad_optional_access is. what() is "Result::value() on an error: " + status().ToString(),
// so an unchecked LoadProducerConfig("kpl.properties").value() that ends the program names
// the file. Check ok() first where a failure is expected.
class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(Status status)
      : std::logic_error("Result::value() on an error: " + status.ToString()),
        status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

// A value of type T, or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result built from an OK status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The failure; OK when there is a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // The value; throws BadResultAccess (naming the status) when there is none.
  T& value() & {
    CheckHasValue();
    return std::get<T>(v_);
  }
  const T& value() const& {
    CheckHasValue();
    return std::get<T>(v_);
  }
  T&& value() && {
    CheckHasValue();
    return std::get<T>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void CheckHasValue() const {
    if (!ok()) throw BadResultAccess(std::get<Status>(v_));
  }

  std::variant<T, Status> v_;
};

}  // namespace kinesis

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define KINESIS_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::kinesis::Status kinesis_status_ = (expr);        \
    if (!kinesis_status_.ok()) return kinesis_status_; \
  } while (0)

#endif  // KINESIS_STATUS_H_
