#include "aggregation/md5.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>
#include <string>

namespace kinesis {
namespace {

std::string Hex(const uint8_t* d, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[d[i] >> 4];
    out += kDigits[d[i] & 15];
  }
  return out;
}

std::string Md5Hex(std::string_view s) {
  uint8_t d[16];
  Md5Digest(s.data(), s.size(), d);
  return Hex(d, 16);
}

TEST(Md5Test, Rfc1321TestSuite) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(Md5Hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(Md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(Md5Hex("1234567890123456789012345678901234567890123456789012345678901234567890"
                   "1234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

// Every length across the padding boundaries (55, 56, 63, 64...) and split updates, against
// OpenSSL.
TEST(Md5Test, MatchesOpenSslForEveryLengthAndSplit) {
  std::mt19937 rng(7);
  std::string data(1100, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  for (size_t len = 0; len <= data.size(); len += (len < 200 ? 1 : 37)) {
    uint8_t expected[16];
    unsigned int n = 0;
    ASSERT_EQ(EVP_Digest(data.data(), len, expected, &n, EVP_md5(), nullptr), 1);
    uint8_t got[16];
    Md5Digest(data.data(), len, got);
    ASSERT_EQ(Hex(got, 16), Hex(expected, 16)) << "length " << len;
    size_t split = len == 0 ? 0 : rng() % len;
    Md5 md5;
    md5.Update(data.data(), split);
    md5.Update(data.data() + split, len - split);
    md5.Final(got);
    ASSERT_EQ(Hex(got, 16), Hex(expected, 16)) << "length " << len << " split " << split;
  }
}

}  // namespace
}  // namespace kinesis
