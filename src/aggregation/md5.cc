#include "aggregation/md5.h"

#include <openssl/evp.h>

#include <cstring>

namespace kinesis {
namespace {

// floor(2^32 * |sin(i + 1)|), RFC 1321 section 3.4.
constexpr uint32_t kSine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

inline uint32_t Rotl(uint32_t x, int c) { return (x << c) | (x >> (32 - c)); }

inline uint32_t LoadLe32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);  // x86 and every target we build for are little-endian
  return v;
}

// One 64-byte block. The loops are unrolled so that every shift, constant and message index is
// an immediate.
void Compress(uint32_t state[4], const uint8_t* block) {
  uint32_t m[16];
  for (size_t i = 0; i < 16; ++i) m[i] = LoadLe32(block + 4 * i);
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) {
    uint32_t f = d ^ (b & (c ^ d));
    uint32_t t = Rotl(a + f + m[i] + kSine[i], kShift[0][i % 4]);
    a = d;
    d = c;
    c = b;
    b = b + t;
  }
#pragma GCC unroll 16
  for (int i = 16; i < 32; ++i) {
    uint32_t f = c ^ (d & (b ^ c));
    uint32_t t = Rotl(a + f + m[(5 * i + 1) % 16] + kSine[i], kShift[1][i % 4]);
    a = d;
    d = c;
    c = b;
    b = b + t;
  }
#pragma GCC unroll 16
  for (int i = 32; i < 48; ++i) {
    uint32_t f = b ^ c ^ d;
    uint32_t t = Rotl(a + f + m[(3 * i + 5) % 16] + kSine[i], kShift[2][i % 4]);
    a = d;
    d = c;
    c = b;
    b = b + t;
  }
#pragma GCC unroll 16
  for (int i = 48; i < 64; ++i) {
    uint32_t f = c ^ (b | ~d);
    uint32_t t = Rotl(a + f + m[(7 * i) % 16] + kSine[i], kShift[3][i % 4]);
    a = d;
    d = c;
    c = b;
    b = b + t;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

}  // namespace

Md5::Md5() : state_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476} {}

void Md5::Update(const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  length_ += size;
  if (buffered_ > 0) {
    size_t take = std::min(size, 64 - buffered_);
    std::memcpy(buffer_ + buffered_, p, take);
    buffered_ += take;
    p += take;
    size -= take;
    if (buffered_ < 64) return;
    Compress(state_, buffer_);
    buffered_ = 0;
  }
  for (; size >= 64; p += 64, size -= 64) Compress(state_, p);
  std::memcpy(buffer_, p, size);
  buffered_ = size;
}

void Md5::Final(uint8_t digest[16]) {
  uint64_t bits = length_ * 8;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > 56) {
    std::memset(buffer_ + buffered_, 0, 64 - buffered_);
    Compress(state_, buffer_);
    buffered_ = 0;
  }
  std::memset(buffer_ + buffered_, 0, 56 - buffered_);
  for (int i = 0; i < 8; ++i) buffer_[56 + i] = static_cast<uint8_t>(bits >> (8 * i));
  Compress(state_, buffer_);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) digest[4 * i + j] = static_cast<uint8_t>(state_[i] >> (8 * j));
  }
}

void Md5Digest(const void* data, size_t size, uint8_t digest[16]) {
  // Past a few blocks OpenSSL's assembly is about 10% faster (aggregation_benchmark,
  // BM_Md5Throughput); for short partition keys its EVP call overhead loses.
  constexpr size_t kOpenSslFrom = 4096;
  if (size >= kOpenSslFrom) {
    static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
    unsigned int n = 0;
    if (md5 != nullptr && EVP_Digest(data, size, digest, &n, md5, nullptr) == 1) return;
  }
  Md5 md5;
  md5.Update(data, size);
  md5.Final(digest);
}

}  // namespace kinesis
