#include "shard_map/shard_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

namespace kinesis {
namespace {

// N shards laid out the way the service does for a new stream: equal ranges, the last one
// taking the remainder.
std::vector<ShardListing> Uniform(int n) {
  __extension__ typedef unsigned __int128 U128;
  std::vector<ShardListing> shards;
  U128 max = ~U128{0};
  U128 step = max / static_cast<U128>(n);
  for (int i = 0; i < n; ++i) {
    U128 first = step * static_cast<U128>(i);
    U128 last = i + 1 == n ? max : first + step - 1;
    char id[32];
    std::snprintf(id, sizeof(id), "shardId-%012d", i);
    ShardListing shard;
    shard.shard_id = id;
    shard.starting_hash_key =
        HashKey(static_cast<uint64_t>(first >> 64), static_cast<uint64_t>(first));
    shard.ending_hash_key = HashKey(static_cast<uint64_t>(last >> 64), static_cast<uint64_t>(last));
    shards.push_back(shard);
  }
  return shards;
}

TEST(ShardMapTest, LooksUpEveryHashInItsShard) {
  for (int n : {1, 2, 3, 7, 64}) {
    Result<ShardMap> map = ShardMap::Create(Uniform(n));
    ASSERT_TRUE(map.ok()) << map.status().ToString();
    std::mt19937_64 rng(n);
    for (int i = 0; i < 2000; ++i) {
      HashKey h(rng(), rng());
      const ShardListing& s = map->Lookup(h);
      ASSERT_LE(s.starting_hash_key, h);
      ASSERT_GE(s.ending_hash_key, h);
    }
    EXPECT_EQ(map->Lookup(HashKey()).shard_id, "shardId-000000000000");
    EXPECT_EQ(&map->Lookup(HashKey::Max()), &map->shards().back());
    // Boundaries: the last key of a shard and the first of the next.
    for (size_t i = 0; i + 1 < map->shards().size(); ++i) {
      EXPECT_EQ(&map->Lookup(map->shards()[i].ending_hash_key), &map->shards()[i]);
      EXPECT_EQ(&map->Lookup(map->shards()[i + 1].starting_hash_key), &map->shards()[i + 1]);
    }
  }
}

// Shards ending at the given keys (the last must be Max), each starting after the previous.
std::vector<ShardListing> EndingAt(const std::vector<HashKey>& ends) {
  std::vector<ShardListing> shards;
  HashKey start;
  for (size_t i = 0; i < ends.size(); ++i) {
    ShardListing shard;
    shard.shard_id = "shardId-" + std::to_string(i);
    shard.starting_hash_key = start;
    shard.ending_hash_key = ends[i];
    shards.push_back(shard);
    start = HashKey(ends[i].high() + (ends[i].low() == ~0ull), ends[i].low() + 1);
  }
  return shards;
}

// Routing goes through a table of hash-key prefixes: uneven maps (many shards inside one
// prefix, shards ending exactly at or next to a prefix's edges, one huge shard) must route
// every key as a plain search over the ranges does.
TEST(ShardMapTest, LooksUpUnevenRangesAsASearchDoes) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<HashKey> ends;
    int n = 1 + static_cast<int>(rng() % 200);
    uint64_t base = rng() & 0xffc0000000000000ull;  // a prefix edge (10-bit prefixes)
    for (int i = 0; i < n; ++i) {
      switch (rng() % 4) {
        case 0:
          ends.push_back(HashKey(base + rng() % 4096, rng()));
          break;  // crowded
        case 1:
          ends.push_back(HashKey((rng() & 0xffc0000000000000ull) - 1, ~0ull));
          break;
        case 2:
          ends.push_back(HashKey(rng() & 0xffc0000000000000ull, 0));
          break;
        default:
          ends.push_back(HashKey(rng(), rng()));
          break;
      }
    }
    ends.push_back(HashKey::Max());
    std::sort(ends.begin(), ends.end());
    ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
    Result<ShardMap> map = ShardMap::Create(EndingAt(ends));
    ASSERT_TRUE(map.ok()) << map.status().ToString();
    std::vector<HashKey> probes = {HashKey(), HashKey::Max()};
    for (const HashKey& e : ends) {
      probes.push_back(e);
      probes.push_back(HashKey(e.high(), e.low() - 1));
      probes.push_back(HashKey(e.high() + (e.low() == ~0ull), e.low() + 1));
    }
    for (int i = 0; i < 500; ++i) probes.push_back(HashKey(base + rng() % 8192, rng()));
    for (int i = 0; i < 500; ++i) probes.push_back(HashKey(rng(), rng()));
    for (const HashKey& h : probes) {
      size_t want =
          static_cast<size_t>(std::lower_bound(ends.begin(), ends.end(), h) - ends.begin());
      ASSERT_EQ(&map->Lookup(h), &map->shards()[want]) << h.ToString() << " in round " << round;
    }
  }
}

TEST(ShardMapTest, IgnoresClosedShardsAfterASplit) {
  std::vector<ShardListing> shards = Uniform(2);
  ShardListing parent = shards[0];
  parent.shard_id = "shardId-000000000009";
  parent.closed = true;
  shards.insert(shards.begin(), parent);  // the closed parent overlaps its children
  Result<ShardMap> map = ShardMap::Create(shards);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->shards().size(), 2u);
  EXPECT_EQ(map->Find("shardId-000000000009"), nullptr);
  ASSERT_NE(map->Find("shardId-000000000001"), nullptr);
}

TEST(ShardMapTest, RejectsGapsOverlapsAndMissingEnds) {
  std::vector<ShardListing> gap = Uniform(3);
  gap.erase(gap.begin() + 1);
  Status s = ShardMap::Create(gap).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("gap or overlap"), std::string::npos) << s.message();

  std::vector<ShardListing> overlap = Uniform(2);
  overlap[1].starting_hash_key = overlap[0].ending_hash_key;
  EXPECT_NE(ShardMap::Create(overlap).status().message().find("gap or overlap"), std::string::npos);

  std::vector<ShardListing> no_start = Uniform(2);
  no_start.erase(no_start.begin());
  EXPECT_NE(ShardMap::Create(no_start).status().message().find("starts at hash key 0"),
            std::string::npos);

  std::vector<ShardListing> no_end = Uniform(2);
  no_end.pop_back();
  EXPECT_NE(ShardMap::Create(no_end).status().message().find("2^128-1"), std::string::npos);

  EXPECT_EQ(ShardMap::Create({}).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace kinesis
