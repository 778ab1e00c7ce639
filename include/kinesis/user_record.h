// User records and the rules the service applies to them.
//
// A user record is what an application puts: a partition key, data, and optionally an explicit
// hash key. These checks run in the caller's thread before anything is queued, so a bad record
// fails at once with a message that names the value and the limit, and nothing else is affected.
//
// Thread safety: free functions on values; call from any thread.
#ifndef KINESIS_USER_RECORD_H_
#define KINESIS_USER_RECORD_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "kinesis/hash_key.h"
#include "kinesis/status.h"

namespace kinesis {

// A borrowed view of one user record. An empty optional means "no explicit hash key"; the
// record is then routed by the MD5 of its partition key.
struct UserRecordView {
  std::string_view partition_key;
  std::string_view data;
  std::optional<std::string_view> explicit_hash_key;
};

inline constexpr size_t kMiB = size_t{1024} * 1024;
// Partition keys are 1 to 256 characters as the service counts them (UTF-16 code units).
inline constexpr size_t kMaxPartitionKeyChars = 256;
// The service's record limit is 1 MiB by default; a stream may raise it to 10 MiB.
inline constexpr size_t kDefaultMaxRecordBytes = 1 * kMiB;
inline constexpr size_t kLargestMaxRecordBytes = 10 * kMiB;

struct RecordLimits {
  // Largest record: data bytes plus partition-key bytes, as the service counts it. Default
  // 1 MiB; 1 to 10 MiB allowed (streams may raise their limit to 10 MiB).
  size_t max_record_bytes = kDefaultMaxRecordBytes;

  // OutOfRange when max_record_bytes is 0 or above 10 MiB.
  Status Validate() const;
};

// The number of characters of a partition key as the service counts them: UTF-16 code units,
// so a character beyond U+FFFF (an emoji, say) counts as two. InvalidArgument when `key` is not
// valid UTF-8 (overlong forms, surrogates and values past U+10FFFF are invalid).
Result<size_t> CountPartitionKeyChars(std::string_view key);

// 1 to 256 characters of valid UTF-8.
Status ValidatePartitionKey(std::string_view key);

// The partition key, the explicit hash key when there is one (decimal 0 to 2^128-1), and the
// size (data + partition key <= limits.max_record_bytes). On success returns the record's hash
// key: the explicit one, or the MD5 of the partition key.
Result<HashKey> ValidateUserRecord(const UserRecordView& record, const RecordLimits& limits);
// The partition key and the size only: what ValidateUserRecord checks before it parses the
// explicit hash key or hashes the partition key (the producer hashes keys in batches).
Status ValidateUserRecordSize(const UserRecordView& record, const RecordLimits& limits);

}  // namespace kinesis

#endif  // KINESIS_USER_RECORD_H_
