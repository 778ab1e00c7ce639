#include "wire/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace kinesis::wire {
namespace {

std::string Encode(std::string_view s) {
  std::string out;
  AppendBase64(s, out);
  return out;
}

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(Encode(""), "");
  EXPECT_EQ(Encode("f"), "Zg==");
  EXPECT_EQ(Encode("fo"), "Zm8=");
  EXPECT_EQ(Encode("foo"), "Zm9v");
  EXPECT_EQ(Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Encode(std::string_view("\xff\xfe\xfd\x00\x01\x02\x03\x04\x05", 9)), "//79AAECAwQF");
}

// Checks the fast paths (AVX-512 VBMI or AVX2 where the CPU has them, then 6 bytes a step)
// against a plain bit-by-bit encoder for every length up to several 48-byte steps.
TEST(Base64, MatchesReferenceForAllLengthsAndRoundTrips) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::mt19937 rng(7);
  for (size_t n = 0; n < 400; ++n) {
    std::string data(n, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    std::string expected;
    for (size_t i = 0; i < n; i += 3) {
      uint32_t v = 0;
      size_t k = std::min<size_t>(3, n - i);
      for (size_t j = 0; j < 3; ++j) {
        v = v << 8 | (j < k ? static_cast<unsigned char>(data[i + j]) : 0u);
      }
      for (size_t j = 0; j < 4; ++j) {
        expected.push_back(j <= k ? kAlphabet[(v >> (18 - 6 * j)) & 63] : '=');
      }
    }
    ASSERT_EQ(Encode(data), expected) << n;
    std::string portable(Base64EncodedSize(n), '\0');
    Base64EncodePortable(data.data(), n, portable.data());
    ASSERT_EQ(portable, expected) << n;
    auto back = Base64Decode(expected);
    ASSERT_TRUE(back.ok()) << n;
    EXPECT_EQ(*back, data);
  }
}

TEST(Base64, DecodeRejectsBadInputNamingPosition) {
  EXPECT_EQ(Base64Decode("abc").status().code(), StatusCode::kCorruption);
  auto bad = Base64Decode("ab!d");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("position 2"), std::string::npos);
  EXPECT_FALSE(Base64Decode("a===").ok());
  EXPECT_FALSE(Base64Decode("ab=d").ok());
  EXPECT_FALSE(Base64Decode("Zg==Zg==").ok());
}

}  // namespace
}  // namespace kinesis::wire
