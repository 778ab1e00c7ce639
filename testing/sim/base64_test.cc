#include "sim/base64.h"

#include <gtest/gtest.h>

namespace kinesis::sim {
namespace {

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, DecodesAndRoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len < all.size(); len += 7) {
    std::string text = Base64Encode(all.substr(0, len));
    std::string out;
    ASSERT_TRUE(Base64Decode(text, &out));
    EXPECT_EQ(out, all.substr(0, len));
    EXPECT_EQ(Base64DecodedSize(text), static_cast<long long>(len));
    EXPECT_TRUE(Base64Valid(text));
  }
}

TEST(Base64Test, RejectsBadLengthCharactersAndPadding) {
  std::string out;
  EXPECT_EQ(Base64DecodedSize("abc"), -1);
  EXPECT_FALSE(Base64Decode("abc", &out));
  EXPECT_FALSE(Base64Decode("ab!d", &out));
  EXPECT_FALSE(Base64Valid("ab!d"));
  EXPECT_FALSE(Base64Valid("a=bc"));
  EXPECT_FALSE(Base64Decode("a===", &out));
  EXPECT_FALSE(Base64Valid("Zm9v\\/==") );
}

}  // namespace
}  // namespace kinesis::sim
