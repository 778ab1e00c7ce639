#include "shard_map/shard_map.h"

#include <algorithm>

namespace kinesis {

Result<ShardMap> ShardMap::Create(std::vector<ShardListing> shards) {
  std::erase_if(shards, [](const ShardListing& s) { return s.closed; });
  if (shards.empty()) return Status::FailedPrecondition("the stream has no open shards");
  std::sort(shards.begin(), shards.end(), [](const ShardListing& a, const ShardListing& b) {
    return a.starting_hash_key < b.starting_hash_key;
  });
  if (shards.front().starting_hash_key != HashKey()) {
    return Status::FailedPrecondition("no open shard starts at hash key 0 (the first, " +
                                      shards.front().shard_id + ", starts at " +
                                      shards.front().starting_hash_key.ToString() + ")");
  }
  for (size_t i = 0; i < shards.size(); ++i) {
    const ShardListing& s = shards[i];
    if (s.ending_hash_key < s.starting_hash_key) {
      return Status::FailedPrecondition("shard " + s.shard_id + " ends before it starts");
    }
    if (i + 1 == shards.size()) break;
    const ShardListing& next = shards[i + 1];
    bool adjacent = s.ending_hash_key != HashKey::Max() &&
                    next.starting_hash_key ==
                        HashKey(s.ending_hash_key.high() + (s.ending_hash_key.low() == ~0ull),
                                s.ending_hash_key.low() + 1);
    if (!adjacent) {
      return Status::FailedPrecondition("open shards " + s.shard_id + " (ends at " +
                                        s.ending_hash_key.ToString() + ") and " + next.shard_id +
                                        " (starts at " + next.starting_hash_key.ToString() +
                                        ") leave a gap or overlap");
    }
  }
  if (shards.back().ending_hash_key != HashKey::Max()) {
    return Status::FailedPrecondition("no open shard ends at hash key 2^128-1 (the last, " +
                                      shards.back().shard_id + ", ends at " +
                                      shards.back().ending_hash_key.ToString() + ")");
  }
  return ShardMap(std::move(shards));
}

const ShardListing& ShardMap::Lookup(const HashKey& hash) const {
  // The first shard whose range ends at or after `hash`; the ranges tile the space.
  auto it =
      std::lower_bound(shards_.begin(), shards_.end(), hash,
                       [](const ShardListing& s, const HashKey& h) { return s.ending_hash_key < h; });
  return *it;
}

const ShardListing* ShardMap::Find(std::string_view shard_id) const {
  for (const ShardListing& s : shards_) {
    if (s.shard_id == shard_id) return &s;
  }
  return nullptr;
}

}  // namespace kinesis
