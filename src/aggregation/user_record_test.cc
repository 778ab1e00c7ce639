#include "kinesis/user_record.h"

#include <gtest/gtest.h>

#include <string>

namespace kinesis {
namespace {

TEST(PartitionKeyTest, CountsCharactersAsTheServiceDoes) {
  EXPECT_EQ(*CountPartitionKeyChars("abc"), 3u);
  EXPECT_EQ(*CountPartitionKeyChars("\xc3\xa9"), 1u);          // é: 2 bytes, 1 character
  EXPECT_EQ(*CountPartitionKeyChars("\xe2\x82\xac"), 1u);      // €: 3 bytes
  EXPECT_EQ(*CountPartitionKeyChars("\xf0\x9f\x98\x80"), 2u);  // 😀: a UTF-16 surrogate pair
}

TEST(PartitionKeyTest, CountsAcrossTheEightByteAsciiRunsAndTheirEnds) {
  // The ASCII fast path takes eight bytes at a time: multibyte characters and invalid bytes
  // right after a run, inside the next word, and in a short tail are still read one by one.
  EXPECT_EQ(*CountPartitionKeyChars(std::string(32, 'k')), 32u);
  EXPECT_EQ(*CountPartitionKeyChars(std::string(8, 'k') + "\xc3\xa9" + "abcdefgh"), 17u);
  EXPECT_EQ(*CountPartitionKeyChars("abc\xe2\x82\xac"
                                    "defghijk"),
            12u);
  EXPECT_EQ(*CountPartitionKeyChars(std::string(16, 'k') + "\xf0\x9f\x98\x80"), 18u);
  EXPECT_FALSE(CountPartitionKeyChars(std::string(8, 'k') + "\xff" + std::string(8, 'k')).ok());
  EXPECT_FALSE(CountPartitionKeyChars(std::string(15, 'k') + "\xc3").ok());  // truncated
}

TEST(PartitionKeyTest, AcceptsOneTo256Characters) {
  EXPECT_TRUE(ValidatePartitionKey("k").ok());
  EXPECT_TRUE(ValidatePartitionKey(std::string(256, 'k')).ok());
  // 256 two-byte characters: 512 bytes, still 256 characters.
  std::string accented;
  for (int i = 0; i < 256; ++i) accented += "\xc3\xa9";
  EXPECT_TRUE(ValidatePartitionKey(accented).ok());
}

TEST(PartitionKeyTest, RejectsEmptyLongAndInvalidKeys) {
  Status empty = ValidatePartitionKey("");
  EXPECT_EQ(empty.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(empty.message().find("1 to 256"), std::string::npos);

  Status long_key = ValidatePartitionKey(std::string(257, 'k'));
  EXPECT_EQ(long_key.code(), StatusCode::kOutOfRange);
  EXPECT_NE(long_key.message().find("257 characters; the limit is 256"), std::string::npos);

  std::string emoji;
  for (int i = 0; i < 129; ++i) emoji += "\xf0\x9f\x98\x80";  // 258 UTF-16 units
  EXPECT_EQ(ValidatePartitionKey(emoji).code(), StatusCode::kOutOfRange);

  for (const char* bad :
       {"\xff", "a\x80", "\xc3", "\xc0\xaf" /* overlong '/' */, "\xed\xa0\x80" /* surrogate */,
        "\xf4\x90\x80\x80" /* > U+10FFFF */, "\xe2\x82" /* truncated */}) {
    Status s = ValidatePartitionKey(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find("not valid UTF-8"), std::string::npos);
  }
}

TEST(UserRecordTest, ReturnsTheRoutingHash) {
  RecordLimits limits;
  Result<HashKey> by_key = ValidateUserRecord({"a", "data", std::nullopt}, limits);
  ASSERT_TRUE(by_key.ok());
  EXPECT_EQ(*by_key, HashPartitionKey("a"));
  Result<HashKey> explicit_key = ValidateUserRecord({"a", "data", "12345"}, limits);
  ASSERT_TRUE(explicit_key.ok());
  EXPECT_EQ(*explicit_key, HashKey(0, 12345));
}

TEST(UserRecordTest, CountsDataPlusPartitionKeyAgainstTheLimit) {
  RecordLimits limits;
  std::string data(kMiB - 3, 'x');
  EXPECT_TRUE(ValidateUserRecord({"abc", data, std::nullopt}, limits).ok());
  Result<HashKey> over = ValidateUserRecord({"abcd", data, std::nullopt}, limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(
      over.status().message().find("1048577 bytes (data + partition key); the limit is 1048576"),
      std::string::npos)
      << over.status().message();

  limits.max_record_bytes = 10 * kMiB;
  std::string big(5 * kMiB, 'x');
  EXPECT_TRUE(ValidateUserRecord({"k", big, std::nullopt}, limits).ok());
}

TEST(UserRecordTest, RejectsBadExplicitHashKey) {
  Result<HashKey> r = ValidateUserRecord({"k", "d", "-5"}, RecordLimits{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'-5'"), std::string::npos);
}

TEST(RecordLimitsTest, AllowsOneByteToTenMiB) {
  EXPECT_TRUE(RecordLimits{}.Validate().ok());
  EXPECT_TRUE(RecordLimits{10 * kMiB}.Validate().ok());
  EXPECT_EQ(RecordLimits{10 * kMiB + 1}.Validate().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(RecordLimits{0}.Validate().code(), StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace kinesis
