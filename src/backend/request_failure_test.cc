#include "backend/request_failure.h"

#include <gtest/gtest.h>

#include "kinesis/status.h"

namespace kinesis {
namespace {

TEST(RequestFailureTest, NoAnswerAfterSendingIsAmbiguous) {
  EXPECT_EQ(FailureOf(wire::TransportError(Status::Unavailable("reset"))),
            RequestFailure::kAmbiguous);
  EXPECT_EQ(FailureOf(wire::TransportError(Status::DeadlineExceeded("timeout"))),
            RequestFailure::kAmbiguous);
}

// A 200 answer was given: the service carried the request out. If it cannot be read (cut short,
// misparsed), resending writes the records that had succeeded a second time: counted.
TEST(RequestFailureTest, AnUnreadableSuccessAnswerIsAmbiguous) {
  EXPECT_EQ(FailureOf(wire::MalformedResponse(200, Status::Corruption("bad CBOR"))),
            RequestFailure::kAmbiguous);
}

TEST(RequestFailureTest, AnsweredErrorsWroteNothing) {
  EXPECT_EQ(FailureOf(wire::ApiError{wire::ErrorKind::kRetriable, 503, "ServiceUnavailable", ""}),
            RequestFailure::kRetriable);
  EXPECT_EQ(FailureOf(wire::ApiError{wire::ErrorKind::kRetriable, 500, "InternalFailure", ""}),
            RequestFailure::kRetriable);
  EXPECT_EQ(
      FailureOf(wire::ApiError{wire::ErrorKind::kThrottled, 400, "LimitExceededException", ""}),
      RequestFailure::kRetriable);
  EXPECT_EQ(
      FailureOf(wire::ApiError{wire::ErrorKind::kCredentials, 400, "ExpiredTokenException", ""}),
      RequestFailure::kRetriable);
  EXPECT_EQ(FailureOf(wire::ApiError{wire::ErrorKind::kFatal, 400, "ValidationException", ""}),
            RequestFailure::kFatal);
  EXPECT_EQ(FailureOf(wire::TransportError(Status::InvalidArgument("bad url"))),
            RequestFailure::kFatal);
}

}  // namespace
}  // namespace kinesis
