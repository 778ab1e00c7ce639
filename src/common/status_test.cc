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

// value() on an error throws BadResultAccess naming the status (the README's
// LoadProducerConfig("kpl.properties").value() on a missing file must say which file).
std::string WhatValueThrows(auto&& call) {
  try {
    call();
  } catch (const BadResultAccess& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not BadResultAccess: ") + e.what();
  }
  return "nothing thrown";
}

TEST(ResultTest, ValueOnErrorThrowsTheStatus) {
  Result<std::string> bad(Status::NotFound("cannot open kpl.properties: No such file"));
  const Result<std::string>& const_bad = bad;
  const std::string expected =
      "Result::value() on an error: NotFound: cannot open kpl.properties: No such file";
  EXPECT_EQ(WhatValueThrows([&] { (void)bad.value(); }), expected);
  EXPECT_EQ(WhatValueThrows([&] { (void)const_bad.value(); }), expected);
  EXPECT_EQ(WhatValueThrows([&] { (void)std::move(bad).value(); }), expected);
  EXPECT_EQ(WhatValueThrows([&] { (void)*bad; }), expected);
  EXPECT_EQ(WhatValueThrows([&] { (void)bad->size(); }), expected);
  try {
    (void)const_bad.value();
  } catch (const BadResultAccess& e) {
    EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
  }
}

}  // namespace
}  // namespace kinesis
