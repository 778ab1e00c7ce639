// How the engine treats an error code from a PutRecords entry.
#ifndef KINESIS_PIPELINE_ERROR_CLASS_H_
#define KINESIS_PIPELINE_ERROR_CLASS_H_

#include <string_view>

namespace kinesis {

enum class ErrorClass {
  kThrottled,  // the shard's write limit: slow the shard down, retry (or fail: FailIfThrottled)
  kRetriable,  // InternalFailure, KMS throttling, unknown codes: retry with backoff until TTL
  kFatal,      // retrying cannot help: validation, not found, access denied, KMS configuration
};

inline ErrorClass ClassifyRecordError(std::string_view code) {
  if (code == "ProvisionedThroughputExceededException") return ErrorClass::kThrottled;
  for (std::string_view fatal :
       {"ResourceNotFoundException", "InvalidArgumentException", "ValidationException",
        "AccessDeniedException", "KMSDisabledException", "KMSInvalidStateException",
        "KMSAccessDeniedException", "KMSNotFoundException", "KMSOptInRequired"}) {
    if (code == fatal) return ErrorClass::kFatal;
  }
  // Unknown codes are retried: the record's TTL bounds the cost, and a new code from the
  // service must not lose records.
  return ErrorClass::kRetriable;
}

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_ERROR_CLASS_H_
