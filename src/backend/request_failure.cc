#include "backend/request_failure.h"

namespace kinesis {

RequestFailure FailureOf(const wire::ApiError& e) {
  switch (e.kind) {
    case wire::ErrorKind::kFatal:
      return RequestFailure::kFatal;
    case wire::ErrorKind::kThrottled:
    case wire::ErrorKind::kCredentials:
      return RequestFailure::kRetriable;
    case wire::ErrorKind::kRetriable:
      if (e.http_status == 0) return RequestFailure::kAmbiguous;    // no answer after sending
      if (e.http_status == 200) return RequestFailure::kAmbiguous;  // answered, unreadable
      return RequestFailure::kRetriable;
  }
  return RequestFailure::kRetriable;
}

}  // namespace kinesis
