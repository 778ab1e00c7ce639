// ApiError: a Kinesis error answer (HTTP status, "__type", "message") before it is written.
//
// Thread safety: value type.
#ifndef KINESIS_SIM_API_ERROR_H_
#define KINESIS_SIM_API_ERROR_H_

#include <optional>
#include <string>
#include <utility>

namespace kinesis::sim {

struct ApiError {
  int http_status = 400;
  std::string type;
  std::string message;
};

// Empty when the call succeeded.
using MaybeError = std::optional<ApiError>;

inline ApiError ClientError(std::string type, std::string message) {
  return ApiError{400, std::move(type), std::move(message)};
}
// A body the service cannot read (malformed JSON or CBOR, a field of the wrong type).
inline ApiError SerializationError() {
  return ClientError("SerializationException",
                     "Start of structure or map found where not expected.");
}
// The service's "1 validation error detected: ..." shape.
inline ApiError ValidationError(const std::string& detail) {
  return ApiError{400, "ValidationException", "1 validation error detected: " + detail};
}

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_API_ERROR_H_
