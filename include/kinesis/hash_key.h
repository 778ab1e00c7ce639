// HashKey: the unsigned 128-bit integer Kinesis uses to route a record to a shard.
//
// A record's hash key is its explicit hash key when it has one, otherwise the MD5 digest of its
// partition key (UTF-8 bytes) read as a big-endian unsigned integer. Each shard owns a closed
// range [starting_hash_key, ending_hash_key] of the space 0 .. 2^128 - 1.
//
// Thread safety: HashKey is a value type. HashPartitionKey may be called from any thread.
#ifndef KINESIS_HASH_KEY_H_
#define KINESIS_HASH_KEY_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "kinesis/status.h"

namespace kinesis {

class HashKey {
 public:
  constexpr HashKey() = default;
  constexpr HashKey(uint64_t high, uint64_t low) : high_(high), low_(low) {}

  static constexpr HashKey Max() { return HashKey(~uint64_t{0}, ~uint64_t{0}); }

  // Parses a decimal explicit hash key as the service accepts it: "0", or 1 to 39 digits with no
  // leading zero, no sign and no spaces, at most 2^128 - 1. The error names the value.
  static Result<HashKey> Parse(std::string_view decimal);

  // Reads 16 bytes as a big-endian integer (an MD5 digest, for instance).
  static HashKey FromBigEndian(const uint8_t bytes[16]);

  uint64_t high() const { return high_; }
  uint64_t low() const { return low_; }

  // Decimal, no leading zeros: the form the service uses in ListShards and ExplicitHashKey.
  std::string ToString() const;
  // Writes the decimal form into `out` (at least 39 bytes); returns the number of bytes written.
  size_t ToChars(char* out) const;

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted operator.
  friend constexpr auto operator<=>(const HashKey&, const HashKey&) = default;

 private:
  uint64_t high_ = 0;
  uint64_t low_ = 0;
};

// MD5 of the partition key's bytes as a big-endian unsigned 128-bit integer, as Kinesis routes.
HashKey HashPartitionKey(std::string_view partition_key);

}  // namespace kinesis

#endif  // KINESIS_HASH_KEY_H_
