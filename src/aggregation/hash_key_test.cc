#include "kinesis/hash_key.h"

#include <gtest/gtest.h>

#include <random>

namespace kinesis {
namespace {

constexpr const char* kMaxDecimal = "340282366920938463463374607431768211455";

TEST(HashKeyTest, ParsesAndFormatsTheWholeRange) {
  for (const char* s : {"0", "1", "9", "10", "18446744073709551615", "18446744073709551616",
                        "170141183460469231731687303715884105728", kMaxDecimal}) {
    Result<HashKey> k = HashKey::Parse(s);
    ASSERT_TRUE(k.ok()) << s << ": " << k.status().ToString();
    EXPECT_EQ(k->ToString(), s);
  }
  EXPECT_EQ(*HashKey::Parse(kMaxDecimal), HashKey::Max());
  EXPECT_EQ(*HashKey::Parse("18446744073709551616"), HashKey(1, 0));
}

TEST(HashKeyTest, RoundTripsRandomValues) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 10000; ++i) {
    HashKey k(rng() >> (rng() % 64), rng());
    Result<HashKey> back = HashKey::Parse(k.ToString());
    ASSERT_TRUE(back.ok()) << k.ToString();
    ASSERT_EQ(*back, k);
  }
}

TEST(HashKeyTest, RejectsBadInputNamingTheValue) {
  struct Case {
    const char* input;
    StatusCode code;
  } cases[] = {
      {"", StatusCode::kInvalidArgument},
      {"-1", StatusCode::kInvalidArgument},
      {"+1", StatusCode::kInvalidArgument},
      {" 1", StatusCode::kInvalidArgument},
      {"1 ", StatusCode::kInvalidArgument},
      {"0x10", StatusCode::kInvalidArgument},
      {"01", StatusCode::kInvalidArgument},
      {"12a", StatusCode::kInvalidArgument},
      {"340282366920938463463374607431768211456", StatusCode::kOutOfRange},  // 2^128
      {"999999999999999999999999999999999999999", StatusCode::kOutOfRange},
      {"1000000000000000000000000000000000000000", StatusCode::kOutOfRange},  // 40 digits
  };
  for (const Case& c : cases) {
    Result<HashKey> k = HashKey::Parse(c.input);
    ASSERT_FALSE(k.ok()) << "accepted '" << c.input << "'";
    EXPECT_EQ(k.status().code(), c.code) << c.input;
    if (*c.input != '\0') {
      EXPECT_NE(k.status().message().find(std::string("'") + c.input), std::string::npos)
          << k.status().message();
    }
  }
}

TEST(HashKeyTest, OrdersAsUnsignedIntegers) {
  EXPECT_LT(HashKey(0, ~uint64_t{0}), HashKey(1, 0));
  EXPECT_LT(HashKey(1, 0), HashKey(1, 1));
  EXPECT_EQ(HashKey(5, 6), HashKey(5, 6));
  EXPECT_GT(HashKey::Max(), HashKey(~uint64_t{0}, 0));
}

TEST(HashKeyTest, PartitionKeyHashIsBigEndianMd5) {
  // MD5("a") = 0cc175b9c0f1b6a831c399e269772661
  EXPECT_EQ(HashPartitionKey("a").ToString(), "16955237001963240173058271559858726497");
  EXPECT_EQ(HashPartitionKey("a"), HashKey(0x0cc175b9c0f1b6a8ull, 0x31c399e269772661ull));
  // MD5("") = d41d8cd98f00b204e9800998ecf8427e
  EXPECT_EQ(HashPartitionKey(""), HashKey(0xd41d8cd98f00b204ull, 0xe9800998ecf8427eull));
  // The key's UTF-8 bytes are hashed, not some other encoding of its characters.
  EXPECT_NE(HashPartitionKey("\xc3\xa9"), HashPartitionKey("\xe9"));
}

}  // namespace
}  // namespace kinesis
