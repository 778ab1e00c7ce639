// ShardMap: which open shard of a stream owns a hash key.
//
// Built from ListShards (open shards only: a closed shard takes no writes). The producer
// predicts each record's shard with Lookup() so that aggregates never mix shards, and compares
// the prediction with the ShardId the service answers; a mismatch means the map is stale.
//
// Thread safety: immutable after Create(). Share it as std::shared_ptr<const ShardMap> and
// replace the pointer to refresh; readers keep the map they started with.
#ifndef KINESIS_SHARD_MAP_SHARD_MAP_H_
#define KINESIS_SHARD_MAP_SHARD_MAP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kinesis/hash_key.h"
#include "kinesis/kinesis_backend.h"
#include "kinesis/status.h"

namespace kinesis {

class ShardMap {
 public:
  // Keeps the open shards. They must cover 0 .. 2^128-1 exactly once; a gap or an overlap
  // (a half-finished split seen mid-listing, for instance) is FailedPrecondition naming the
  // shards and keys involved, so the caller lists again rather than routing by a broken map.
  static Result<ShardMap> Create(std::vector<ShardListing> shards);

  // The open shard whose range holds `hash`. Never fails on a map Create() accepted.
  const ShardListing& Lookup(const HashKey& hash) const;
  // The open shard with this id, if it is in the map.
  const ShardListing* Find(std::string_view shard_id) const;

  const std::vector<ShardListing>& shards() const { return shards_; }  // sorted by range

 private:
  // Routing reads only two small arrays: every record is routed, and a binary search over the
  // listings (a shard id string and four keys each) missed the cache at every step.
  // kPrefixBits of a hash key index `first_`: the first shard whose range ends at or after the
  // smallest key with that prefix; the shard holding a key is then between first_[p] and
  // first_[p + 1], usually first_[p] itself.
  static constexpr int kPrefixBits = 10;
  explicit ShardMap(std::vector<ShardListing> shards);
  std::vector<ShardListing> shards_;
  std::vector<HashKey> ends_;    // shards_[i].ending_hash_key
  std::vector<uint32_t> first_;  // 2^kPrefixBits + 1 entries
};

}  // namespace kinesis

#endif  // KINESIS_SHARD_MAP_SHARD_MAP_H_
