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
  explicit ShardMap(std::vector<ShardListing> shards) : shards_(std::move(shards)) {}
  std::vector<ShardListing> shards_;
};

}  // namespace kinesis

#endif  // KINESIS_SHARD_MAP_SHARD_MAP_H_
