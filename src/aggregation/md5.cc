#include "aggregation/md5.h"

#include <openssl/evp.h>

#include <cstring>

#include "aggregation/md5_tables.h"

namespace kinesis {
namespace {

using md5_tables::kShift;
using md5_tables::kSine;

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

Md5 Md5::Resume(const uint32_t state[4], uint64_t length) {
  Md5 md5;
  std::memcpy(md5.state_, state, sizeof(md5.state_));
  md5.length_ = length;
  return md5;
}

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
