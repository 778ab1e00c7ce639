#include "aggregation/md5.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <random>
#include <string>
#include <vector>

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

void ExpectManyEqualsOpenSslWith(void (*many)(std::span<const Md5Job>),
                                 const std::vector<std::string>& messages,
                                 const std::string& what) {
  std::vector<std::array<uint8_t, 16>> digests(messages.size());
  std::vector<Md5Job> jobs;
  for (size_t i = 0; i < messages.size(); ++i) {
    jobs.push_back(Md5Job{messages[i].data(), messages[i].size(), digests[i].data()});
  }
  many(jobs);
  for (size_t i = 0; i < messages.size(); ++i) {
    uint8_t expected[16];
    unsigned int n = 0;
    EVP_Digest(messages[i].data(), messages[i].size(), expected, &n, EVP_md5(), nullptr);
    ASSERT_EQ(0, std::memcmp(digests[i].data(), expected, 16))
        << what << ", message " << i << " of " << messages.size() << ", " << messages[i].size()
        << " bytes";
  }
}

// The lane code this CPU gets (AVX-512VL where it has it), and the AVX2 one.
using ManyFunction = void (*)(std::span<const Md5Job>);
constexpr ManyFunction kMany[] = {Md5DigestMany, md5_testing::DigestManyWithAvx2};

// Digests `messages` with both and checks each against OpenSSL's one-shot MD5.
void ExpectManyEqualsOpenSsl(const std::vector<std::string>& messages, const std::string& what) {
  for (ManyFunction many : kMany) {
    ExpectManyEqualsOpenSslWith(many, messages, what);
  }
}

std::string RandomBytes(std::mt19937_64& rng, size_t size) {
  std::string s(size, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

TEST(Md5DigestManyTest, EqualsOneAtATimeForAnySizesAndCounts) {
  // Groups of 1 to 40 messages (one or two sets of eight lanes, and what is left): empty, short,
  // around the lane thresholds and block edges, and long ones of equal and of very different
  // sizes (lanes then stop at the shortest).
  std::mt19937_64 rng(21);
  std::vector<size_t> sizes = {0, 1, 55, 56, 63, 64, 65, 1023, 1024, 1025, 4095, 4096, 51200};
  for (int group = 0; group < 40; ++group) {
    std::vector<std::string> messages(1 + rng() % 40);
    for (std::string& m : messages) {
      size_t size = rng() % 3 == 0   ? sizes[rng() % sizes.size()]
                    : rng() % 2 == 0 ? 50000 + rng() % 1200
                                     : rng() % 70000;
      m = RandomBytes(rng, size);
    }
    ExpectManyEqualsOpenSsl(messages, "group " + std::to_string(group));
  }
  Md5DigestMany({});  // nothing to do
}

TEST(Md5DigestManyTest, OneBlockMessagesInLanes) {
  // Partition keys: 0 to 55 bytes pad to one block and go up to sixteen at a time; 56 does not.
  std::mt19937_64 rng(22);
  for (size_t count = 1; count <= 40; ++count) {
    std::vector<std::string> keys(count);
    for (std::string& k : keys) k = RandomBytes(rng, rng() % 57);
    ExpectManyEqualsOpenSsl(keys, std::to_string(count) + " keys");
  }
}

TEST(Md5DigestManyTest, ResumeFromTheInitialStateIsAFreshDigest) {
  // (Resuming from a state after whole blocks is what every lane of the test above does.)
  std::string message(1000, 'q');
  uint8_t whole[16], resumed[16];
  Md5Digest(message.data(), message.size(), whole);
  const uint32_t initial[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  Md5 fresh = Md5::Resume(initial, 0);
  fresh.Update(message);
  fresh.Final(resumed);
  EXPECT_EQ(0, std::memcmp(whole, resumed, 16));
}

}  // namespace
}  // namespace kinesis
