// The C API's per-thread last error (kinesis_last_error_code/_message), and the guard every
// exported function runs its body in so that no C++ exception crosses into C.
//
// Thread safety: the last error is thread-local; every function here may run on any thread.
#ifndef KINESIS_CAPI_LAST_ERROR_H_
#define KINESIS_CAPI_LAST_ERROR_H_

#include <new>
#include <string>

#include "kinesis/c/producer.h"
#include "kinesis/status.h"

namespace kinesis::capi {

// What kinesis_last_error_code and kinesis_last_error_message return on this thread.
struct LastError {
  kinesis_status code = KINESIS_OK;
  std::string message;
};
LastError& LastErrorOfThisThread();

// Records `status` as this thread's last error and returns its code.
kinesis_status Report(const Status& status);

// Records success as this thread's last error; returns KINESIS_OK.
kinesis_status ReportOk();

// The status of a NULL argument named `what`, e.g. "producer is NULL".
Status NullArgument(const char* what);

// Runs `body` (returning a Status) and reports its outcome; a C++ exception becomes
// KINESIS_RESOURCE_EXHAUSTED (out of memory) or KINESIS_INTERNAL, never an unwind into C.
template <typename Body>
kinesis_status Guarded(Body&& body) noexcept {
  try {
    return Report(body());
  } catch (const std::bad_alloc&) {
    return Report(Status::ResourceExhausted("out of memory"));
  } catch (const std::exception& e) {
    return Report(Status::Internal(std::string("unexpected exception: ") + e.what()));
  } catch (...) {
    return Report(Status::Internal("unexpected exception"));
  }
}

}  // namespace kinesis::capi

#endif  // KINESIS_CAPI_LAST_ERROR_H_
