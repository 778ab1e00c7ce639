#include "capi/last_error.h"

#include "kinesis/c/producer.h"
#include "kinesis/version.h"

namespace kinesis::capi {

LastError& LastErrorOfThisThread() {
  thread_local LastError last;
  return last;
}

kinesis_status Report(const Status& status) {
  LastError& last = LastErrorOfThisThread();
  last.code = static_cast<kinesis_status>(status.code());
  try {
    // The C API has no field for a refused put's result code: it leads the message.
    last.message = status.result_code().empty()
                       ? status.message()
                       : std::string(status.result_code()) + ": " + status.message();
  } catch (...) {
    // Out of memory for the message: the code alone still says what happened.
    last.message.clear();
  }
  return last.code;
}

kinesis_status ReportOk() { return Report(Status::Ok()); }

Status NullArgument(const char* what) {
  return Status::InvalidArgument(std::string(what) + " is NULL");
}

}  // namespace kinesis::capi

extern "C" {

kinesis_status kinesis_last_error_code(void) { return kinesis::capi::LastErrorOfThisThread().code; }

const char* kinesis_last_error_message(void) {
  return kinesis::capi::LastErrorOfThisThread().message.c_str();
}

const char* kinesis_status_name(kinesis_status code) {
  if (code < KINESIS_OK || code > KINESIS_INTERNAL) return "Unknown";
  // The names are string literals: NUL-terminated.
  return kinesis::StatusCodeName(static_cast<kinesis::StatusCode>(code)).data();
}

const char* kinesis_version(void) { return KINESIS_PRODUCER_VERSION; }

void kinesis_string_free(char* s) { delete[] s; }

}  // extern "C"
