#include "kinesis/error_codes.h"

#include <gtest/gtest.h>

#include "kinesis/status.h"

namespace kinesis {
namespace {

TEST(ErrorCodesTest, OneTableForEntriesAndWholeCalls) {
  EXPECT_EQ(ClassifyError(errors::kThrottled, 0), ErrorClass::kThrottled);
  EXPECT_EQ(ClassifyError(errors::kThrottled, 400), ErrorClass::kThrottled);
  EXPECT_EQ(ClassifyError("KMSThrottlingException", 0), ErrorClass::kThrottled);
  EXPECT_EQ(ClassifyError(errors::kInternalFailure, 0), ErrorClass::kRetriable);
  EXPECT_EQ(ClassifyError(errors::kInternalFailure, 500), ErrorClass::kRetriable);
  EXPECT_EQ(ClassifyError("ExpiredTokenException", 400), ErrorClass::kCredentials);
  for (std::string_view fatal : {errors::kResourceNotFound, errors::kAccessDenied,
                                 errors::kValidation, errors::kInvalidArgument}) {
    EXPECT_EQ(ClassifyError(fatal, 0), ErrorClass::kFatal) << fatal;
    EXPECT_EQ(ClassifyError(fatal, 400), ErrorClass::kFatal) << fatal;
  }
  EXPECT_EQ(ClassifyError("KMSDisabledException", 0), ErrorClass::kFatal);
  // Unknown codes: by the HTTP status; an entry's (0) is retried.
  EXPECT_EQ(ClassifyError("SomethingNew", 0), ErrorClass::kRetriable);
  EXPECT_EQ(ClassifyError("SomethingNew", 400), ErrorClass::kFatal);
  EXPECT_EQ(ClassifyError("SomethingNew", 413), ErrorClass::kFatal);
  EXPECT_EQ(ClassifyError("SomethingNew", 429), ErrorClass::kThrottled);
  EXPECT_EQ(ClassifyError("", 503), ErrorClass::kRetriable);
}

TEST(ErrorCodesTest, RefusedPutsCarryTheirCode) {
  Status full = Status::QueueFull("the buffer holds 10 records");
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(full.result_code(), errors::kQueueFull);
  EXPECT_EQ(full.message(), "the buffer holds 10 records");
  EXPECT_EQ(full.ToString(), "ResourceExhausted: QueueFull: the buffer holds 10 records");
  Status closed = Status::ProducerClosed("the producer is closed");
  EXPECT_EQ(closed.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(closed.result_code(), errors::kProducerClosed);
  EXPECT_TRUE(Status::FailedPrecondition("x").result_code().empty());
}

}  // namespace
}  // namespace kinesis
