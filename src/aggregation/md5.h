// MD5 (RFC 1321), our own implementation.
//
// Kinesis needs MD5 twice on the hot path: once per user record to route its partition key, and
// once per aggregated record for the 16-byte trailer. Partition keys are short (one 64-byte
// block for keys up to 55 bytes), where OpenSSL's EVP layer costs more than the compression
// itself; bench/aggregation/hashing_benchmark.cc compares the two. Not for security.
//
// Thread safety: Md5 objects are not shared; Md5Digest may be called from any thread.
#ifndef KINESIS_AGGREGATION_MD5_H_
#define KINESIS_AGGREGATION_MD5_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace kinesis {

// Incremental MD5: Update any number of times, then Final once.
class Md5 {
 public:
  Md5();
  // Continues a digest whose first `length` bytes (a multiple of 64) left `state`.
  static Md5 Resume(const uint32_t state[4], uint64_t length);
  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // Writes the 16-byte digest. The object must not be used afterwards.
  void Final(uint8_t digest[16]);

 private:
  uint32_t state_[4];
  uint64_t length_ = 0;  // bytes seen so far
  uint8_t buffer_[64];   // a partial block
  size_t buffered_ = 0;  // bytes in buffer_
};

// One-shot MD5 of `size` bytes at `data` (through OpenSSL for long inputs).
void Md5Digest(const void* data, size_t size, uint8_t digest[16]);

// Many one-shot digests (md5_many.cc): up to sixteen messages at a time in AVX2 lanes when the
// CPU has AVX2 (with AVX-512VL's rotate and three-input logic when it has those), for messages
// of one block (up to 55 bytes: partition keys) and long ones (aggregates), several times
// faster than one by one.
struct Md5Job {
  const void* data;
  size_t size;
  uint8_t* digest;  // 16 bytes
};
void Md5DigestMany(std::span<const Md5Job> jobs);

namespace md5_testing {
// Md5DigestMany with the AVX2 lane code even where the CPU has AVX-512VL (for tests).
void DigestManyWithAvx2(std::span<const Md5Job> jobs);
}  // namespace md5_testing

}  // namespace kinesis

#endif  // KINESIS_AGGREGATION_MD5_H_
