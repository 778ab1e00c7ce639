// FailureOf: what the producer's engine does with a PutRecords call that failed, from the
// client's classified error (wire/api_error.h) to the back-end's RequestFailure
// (include/kinesis/kinesis_backend.h).
//
// A failure is ambiguous when the request may have been carried out: no HTTP answer arrived
// after it was sent (a reset, a timeout, a connection lost before any answer byte, which the
// HTTP layer does not resend by itself), or a 200 answer came that does not parse (the service
// took the request; which records it wrote is unknown). The engine sends such records again and
// counts them in DuplicatesSent. Any other HTTP answer (throttling, 5xx) means nothing was
// written: retriable, not a duplicate.
//
// Thread safety: a pure function.
#ifndef KINESIS_BACKEND_REQUEST_FAILURE_H_
#define KINESIS_BACKEND_REQUEST_FAILURE_H_

#include "kinesis/kinesis_backend.h"
#include "wire/api_error.h"

namespace kinesis {

RequestFailure FailureOf(const wire::ApiError& error);

}  // namespace kinesis

#endif  // KINESIS_BACKEND_REQUEST_FAILURE_H_
