#include "wire/api_error.h"

namespace kinesis::wire {

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kThrottled: return "throttled";
    case ErrorKind::kRetriable: return "retriable";
    case ErrorKind::kCredentials: return "credentials";
    case ErrorKind::kFatal: return "fatal";
  }
  return "unknown";
}

std::string ApiError::ToString() const {
  std::string s = code;
  if (!message.empty()) s += ": " + message;
  s += " (";
  if (http_status != 0) s += "HTTP " + std::to_string(http_status) + ", ";
  s += std::string(ErrorKindName(kind)) + ")";
  return s;
}

Status ApiError::ToStatus() const {
  switch (kind) {
    case ErrorKind::kThrottled:
    case ErrorKind::kRetriable:
      return code == "RequestTimeout" ? Status::DeadlineExceeded(ToString())
                                      : Status::Unavailable(ToString());
    case ErrorKind::kCredentials:
      return Status::PermissionDenied(ToString());
    case ErrorKind::kFatal:
      if (code == "ResourceNotFoundException") return Status::NotFound(ToString());
      if (code == "AccessDeniedException") return Status::PermissionDenied(ToString());
      return Status::InvalidArgument(ToString());
  }
  return Status::Internal(ToString());
}

std::string_view NormalizeErrorCode(std::string_view raw) {
  if (size_t hash = raw.rfind('#'); hash != std::string_view::npos) raw.remove_prefix(hash + 1);
  if (size_t colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
  return raw;
}

ErrorKind ClassifyServiceError(std::string_view code, long http_status) {
  return ClassifyError(code, http_status);
}

ApiError TransportError(const Status& status) {
  ApiError error;
  error.message = status.message();
  switch (status.code()) {
    case StatusCode::kUnavailable:
      error.kind = ErrorKind::kRetriable;
      error.code = "NetworkError";
      break;
    case StatusCode::kDeadlineExceeded:
      error.kind = ErrorKind::kRetriable;
      error.code = "RequestTimeout";
      break;
    default:
      error.kind = ErrorKind::kFatal;
      error.code = "ClientError";
      break;
  }
  return error;
}

ApiError MalformedResponse(long http_status, const Status& why) {
  return ApiError{ErrorKind::kRetriable, http_status, "MalformedResponse", why.message()};
}

}  // namespace kinesis::wire
