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

ShardMap::ShardMap(std::vector<ShardListing> shards) : shards_(std::move(shards)) {
  for (const ShardListing& s : shards_) ends_.push_back(s.ending_hash_key);
  constexpr uint64_t kBuckets = uint64_t{1} << kPrefixBits;
  first_.resize(kBuckets + 1);
  uint32_t i = 0;
  for (uint64_t p = 0; p < kBuckets; ++p) {
    HashKey smallest(p << (64 - kPrefixBits), 0);
    while (ends_[i] < smallest) ++i;
    first_[p] = i;
  }
  first_[kBuckets] = static_cast<uint32_t>(ends_.size() - 1);
}

const ShardListing& ShardMap::Lookup(const HashKey& hash) const {
  // The first shard whose range ends at or after `hash`; the ranges tile the space. The
  // shard holding the bucket's largest key is first_[p + 1] or before it.
  uint64_t p = hash.high() >> (64 - kPrefixBits);
  uint32_t i = first_[p];
  uint32_t last = first_[p + 1];
  if (ends_[i] < hash) {
    i = static_cast<uint32_t>(std::lower_bound(ends_.begin() + i + 1, ends_.begin() + last, hash) -
                              ends_.begin());
  }
  return shards_[i];
}

const ShardListing* ShardMap::Find(std::string_view shard_id) const {
  for (const ShardListing& s : shards_) {
    if (s.shard_id == shard_id) return &s;
  }
  return nullptr;
}

}  // namespace kinesis
