#include "kinesis/hash_key.h"

#include "aggregation/md5.h"

namespace kinesis {
namespace {

__extension__ typedef unsigned __int128 Uint128;

Uint128 ToWide(const HashKey& k) { return (Uint128{k.high()} << 64) | k.low(); }
HashKey FromWide(Uint128 v) {
  return HashKey(static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v));
}

constexpr size_t kMaxDigits = 39;  // 2^128 - 1 = 340282366920938463463374607431768211455

std::string Quote(std::string_view s) {
  constexpr size_t kShown = 64;
  std::string out = "'";
  out.append(s.substr(0, kShown));
  if (s.size() > kShown) out += "...";
  out += "'";
  return out;
}

}  // namespace

Result<HashKey> HashKey::Parse(std::string_view decimal) {
  if (decimal.empty()) {
    return Status::InvalidArgument("explicit hash key is empty; expected a decimal 0 to 2^128-1");
  }
  if (decimal.size() > kMaxDigits) {
    return Status::OutOfRange("explicit hash key " + Quote(decimal) + " has " +
                              std::to_string(decimal.size()) +
                              " characters; the largest is 2^128-1 (39 digits)");
  }
  if (decimal.size() > 1 && decimal[0] == '0') {
    return Status::InvalidArgument("explicit hash key " + Quote(decimal) +
                                   " has a leading zero; expected a decimal 0 to 2^128-1");
  }
  Uint128 value = 0;
  constexpr Uint128 kMax = ~Uint128{0};
  for (char ch : decimal) {
    if (ch < '0' || ch > '9') {
      return Status::InvalidArgument("explicit hash key " + Quote(decimal) +
                                     " is not a decimal number 0 to 2^128-1");
    }
    unsigned digit = static_cast<unsigned>(ch - '0');
    if (value > (kMax - digit) / 10) {
      return Status::OutOfRange(
          "explicit hash key " + Quote(decimal) +
          " is greater than 2^128-1 (340282366920938463463374607431768211455)");
    }
    value = value * 10 + digit;
  }
  return FromWide(value);
}

HashKey HashKey::FromBigEndian(const uint8_t bytes[16]) {
  uint64_t high = 0, low = 0;
  for (int i = 0; i < 8; ++i) high = (high << 8) | bytes[i];
  for (int i = 8; i < 16; ++i) low = (low << 8) | bytes[i];
  return HashKey(high, low);
}

size_t HashKey::ToChars(char* out) const {
  char digits[kMaxDigits];
  size_t n = 0;
  Uint128 v = ToWide(*this);
  // Peel 19 digits at a time so most of the work is 64-bit division.
  constexpr uint64_t kTen19 = 10000000000000000000ull;
  while (v > ~uint64_t{0}) {
    uint64_t chunk = static_cast<uint64_t>(v % kTen19);
    v /= kTen19;
    for (int i = 0; i < 19; ++i, chunk /= 10) digits[n++] = static_cast<char>('0' + chunk % 10);
  }
  uint64_t rest = static_cast<uint64_t>(v);
  do {
    digits[n++] = static_cast<char>('0' + rest % 10);
    rest /= 10;
  } while (rest != 0);
  for (size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  return n;
}

std::string HashKey::ToString() const {
  char buf[kMaxDigits];
  return std::string(buf, ToChars(buf));
}

HashKey HashPartitionKey(std::string_view partition_key) {
  uint8_t digest[16];
  Md5Digest(partition_key.data(), partition_key.size(), digest);
  return HashKey::FromBigEndian(digest);
}

}  // namespace kinesis
