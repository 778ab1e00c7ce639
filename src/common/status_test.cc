#include "kinesis/status.h"

#include <gtest/gtest.h>

namespace kinesis {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::OutOfRange("data is 2000000 bytes; the limit is 1048576");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.ToString(), "OutOfRange: data is 2000000 bytes; the limit is 1048576");
}

Status FailIfNegative(int v) {
  if (v < 0) return Status::InvalidArgument("negative: " + std::to_string(v));
  return Status::Ok();
}

Status Chain(int v) {
  KINESIS_RETURN_IF_ERROR(FailIfNegative(v));
  return Status::Internal("reached the end");
}

TEST(StatusTest, ReturnIfErrorStopsAtFirstFailure) {
  EXPECT_EQ(Chain(-1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Chain(1).code(), StatusCode::kInternal);
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good(42);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  EXPECT_TRUE(good.status().ok());
  Result<int> bad(Status::NotFound("stream 'x'"));
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace kinesis
