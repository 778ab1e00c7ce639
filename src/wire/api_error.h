// ApiError: a failed Kinesis call, classified for the retry policy, keeping what the service
// said (its error code and message) and the HTTP status.
//
// Classes (see ClassifyServiceError for the exact table):
//  - kThrottled:   the service asked to slow down (ProvisionedThroughputExceededException,
//                  ThrottlingException, LimitExceededException, KMSThrottlingException, HTTP 429).
//                  Retry after backoff.
//  - kRetriable:   InternalFailure, ServiceUnavailable, any 5xx, network errors, timeouts, and
//                  responses that do not parse (a truncated answer is almost always a dropped
//                  connection; the records are retried, Kinesis being at-least-once anyway).
//  - kCredentials: the signature's credentials were refused: ExpiredTokenException,
//                  ExpiredToken, UnrecognizedClientException, InvalidSignatureException,
//                  SignatureDoesNotMatch, MissingAuthenticationTokenException. Refresh the
//                  credentials, then retry; UnrecognizedClientException is here (not fatal)
//                  because a rotated key pair gives it until the provider refreshes.
//  - kFatal:       retrying cannot help: ValidationException, InvalidArgumentException,
//                  ResourceNotFoundException, ResourceInUseException, AccessDeniedException,
//                  KMS*Exception (but KMSThrottling), SerializationException, 413, and any
//                  other 4xx with an unknown code.
//
// Thread safety: values.
#ifndef KINESIS_WIRE_API_ERROR_H_
#define KINESIS_WIRE_API_ERROR_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "kinesis/error_codes.h"
#include "kinesis/status.h"

namespace kinesis::wire {

// The classes of the one table (kinesis/error_codes.h).
using ErrorKind = ErrorClass;

std::string_view ErrorKindName(ErrorKind kind);

struct ApiError {
  ErrorKind kind = ErrorKind::kRetriable;
  long http_status = 0;  // 0 when no HTTP response arrived
  std::string code;      // service code ("ResourceNotFoundException") or a local one
  std::string message;   // the service's message, or the local failure's

  bool retriable() const { return kind != ErrorKind::kFatal; }
  // "ResourceNotFoundException: Stream x not found (HTTP 400, fatal)".
  std::string ToString() const;
  // kUnavailable (throttled, retriable), kPermissionDenied (credentials, AccessDenied),
  // kNotFound (ResourceNotFound), kInvalidArgument (other fatal); message = ToString().
  Status ToStatus() const;
};

// Classifies a service error code (prefix such as "com.amazonaws...#" already removed) and the
// HTTP status it came with: ClassifyError, the one table.
ErrorKind ClassifyServiceError(std::string_view code, long http_status);

// Strips what may surround the code: "aws.prefix#Code" (in __type) and "Code:http://..." (in
// x-amzn-ErrorType).
std::string_view NormalizeErrorCode(std::string_view raw);

// An error built from a transport failure (no HTTP response): kUnavailable -> retriable
// "NetworkError", kDeadlineExceeded -> retriable "RequestTimeout", other -> fatal "ClientError".
ApiError TransportError(const Status& status);

// A response that does not parse: retriable "MalformedResponse".
ApiError MalformedResponse(long http_status, const Status& why);

// A value of T or the ApiError explaining why there is none.
template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  ApiResult(ApiError error) : v_(std::move(error)) {}   // NOLINT(google-explicit-constructor)
  bool ok() const { return std::holds_alternative<T>(v_); }
  // Precondition: !ok().
  const ApiError& error() const { return std::get<ApiError>(v_); }
  // Precondition: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_API_ERROR_H_
