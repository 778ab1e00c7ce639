#include "kinesis/user_record.h"

#include <cstring>
#include <string>

namespace kinesis {
namespace {

std::string Preview(std::string_view s) {
  constexpr size_t kShown = 40;
  std::string out = "'";
  for (char c : s.substr(0, kShown)) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  if (s.size() > kShown) out += "...";
  out += "'";
  return out;
}

}  // namespace

Status RecordLimits::Validate() const {
  if (max_record_bytes == 0 || max_record_bytes > kLargestMaxRecordBytes) {
    return Status::OutOfRange("max record size " + std::to_string(max_record_bytes) +
                              " bytes is outside 1 to " + std::to_string(kLargestMaxRecordBytes));
  }
  return Status::Ok();
}

Result<size_t> CountPartitionKeyChars(std::string_view key) {
  size_t units = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(key.data());
  const auto* end = p + key.size();
  // ASCII, one unit a byte, eight bytes at a time (most keys are ASCII throughout).
  while (end - p >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
    p += 8;
    units += 8;
  }
  while (p < end) {
    unsigned char b = *p;
    if (b < 0x80) {
      ++p;
      ++units;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((b & 0xe0) == 0xc0) {
      len = 2, cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3, cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4, cp = b & 0x07;
    } else {
      len = 0, cp = 0;
    }
    bool ok = len != 0 && static_cast<size_t>(end - p) >= len;
    for (size_t i = 1; ok && i < len; ++i) {
      ok = (p[i] & 0xc0) == 0x80;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    static constexpr uint32_t kSmallest[5] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kSmallest[len] && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    if (!ok) {
      return Status::InvalidArgument(
          "partition key " + Preview(key) + " is not valid UTF-8 (bad byte at offset " +
          std::to_string(p - reinterpret_cast<const unsigned char*>(key.data())) + ")");
    }
    units += cp > 0xffff ? 2 : 1;
    p += len;
  }
  return units;
}

Status ValidatePartitionKey(std::string_view key) {
  if (key.empty()) {
    return Status::InvalidArgument("partition key is empty; it must have 1 to 256 characters");
  }
  Result<size_t> chars = CountPartitionKeyChars(key);
  if (!chars.ok()) return chars.status();
  if (*chars > kMaxPartitionKeyChars) {
    return Status::OutOfRange("partition key " + Preview(key) + " has " + std::to_string(*chars) +
                              " characters; the limit is 256");
  }
  return Status::Ok();
}

Status ValidateUserRecordSize(const UserRecordView& record, const RecordLimits& limits) {
  KINESIS_RETURN_IF_ERROR(ValidatePartitionKey(record.partition_key));
  size_t size = record.data.size() + record.partition_key.size();
  if (size > limits.max_record_bytes) {
    return Status::OutOfRange("record with partition key " + Preview(record.partition_key) +
                              " is " + std::to_string(size) +
                              " bytes (data + partition key); the limit is " +
                              std::to_string(limits.max_record_bytes));
  }
  return Status::Ok();
}

Result<HashKey> ValidateUserRecord(const UserRecordView& record, const RecordLimits& limits) {
  KINESIS_RETURN_IF_ERROR(ValidateUserRecordSize(record, limits));
  if (record.explicit_hash_key) return HashKey::Parse(*record.explicit_hash_key);
  return HashPartitionKey(record.partition_key);
}

}  // namespace kinesis
