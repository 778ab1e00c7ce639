// The error codes a user of the producer can receive, and the one table that says what each
// means for a retry.
//
// A record's failure (PutResult::error_code) carries the service's code for that record or for
// its request, or one of ours; a put refused at once returns a Status whose result_code() is
// QueueFull or ProducerClosed. docs/troubleshooting.md ("Result codes") explains each.
//
// Thread safety: constants and a pure function.
#ifndef KINESIS_ERROR_CODES_H_
#define KINESIS_ERROR_CODES_H_

#include <string_view>

namespace kinesis {
namespace errors {

// The service's codes a record's result can carry (others may come: they pass through).
inline constexpr std::string_view kThrottled = "ProvisionedThroughputExceededException";
inline constexpr std::string_view kInternalFailure = "InternalFailure";
inline constexpr std::string_view kResourceNotFound = "ResourceNotFoundException";
inline constexpr std::string_view kAccessDenied = "AccessDeniedException";
inline constexpr std::string_view kValidation = "ValidationException";
inline constexpr std::string_view kInvalidArgument = "InvalidArgumentException";

// Ours, in a record's result.
inline constexpr std::string_view kExpired = "Expired";                // RecordTtl passed
inline constexpr std::string_view kProducerClosed = "ProducerClosed";  // failed by Close
inline constexpr std::string_view kListShardsFailed = "ListShardsFailed";  // stream unreadable
inline constexpr std::string_view kNetworkError = "NetworkError";      // no answer (fatal only
                                                                       // when it ends a request)
inline constexpr std::string_view kRequestTimeout = "RequestTimeout";  // RequestTimeout passed
inline constexpr std::string_view kMalformedResponse = "MalformedResponse";
inline constexpr std::string_view kMissingCredentials = "MissingCredentials";
inline constexpr std::string_view kClientError = "ClientError";  // the request could not be made

// Ours, as a refused put's Status::result_code().
inline constexpr std::string_view kQueueFull = "QueueFull";  // the buffer budget is full
// (kProducerClosed too: the producer is closed)

}  // namespace errors

// What an error means for a retry.
enum class ErrorClass {
  kThrottled,    // the service asked to slow down: back off, slow the shard, retry
  kRetriable,    // a transient failure: retry with backoff until RecordTtl
  kCredentials,  // the signature's credentials were refused: refresh them, then retry
  kFatal,        // retrying cannot help: the record fails with the code
};

// The one classification of error codes, for a PutRecords entry (`http_status` 0) and for a
// whole call alike. Known codes by name; then HTTP 429 throttled, 5xx retriable; an unknown
// code is fatal in a 4xx answer (the request itself is wrong) and retriable otherwise (an
// entry of a 200 answer, or no answer at all): RecordTtl bounds its cost, and a new code from
// the service must not lose records.
ErrorClass ClassifyError(std::string_view code, long http_status);

}  // namespace kinesis

#endif  // KINESIS_ERROR_CODES_H_
