#include "sim/stream_registry.h"

#include <gtest/gtest.h>

namespace kinesis::sim {
namespace {

TEST(StreamRegistryTest, LayoutCoversTheSpaceWithoutGaps) {
  for (size_t n : {1u, 2u, 3u, 6u, 7u, 64u}) {
    SimOptions options;
    StreamRegistry registry(options);
    ASSERT_FALSE(registry.Create("s", static_cast<int>(n), 0, 0));
    Stream* s = registry.Find("s");
    ASSERT_EQ(s->shards.size(), n);
    EXPECT_EQ(s->shards[0].start, HashKey(0, 0));
    EXPECT_EQ(s->shards[n - 1].end, HashKey::Max());
    for (size_t i = 1; i < n; ++i) {
      HashKey prev = s->shards[i - 1].end;
      HashKey next_expected = prev.low() == ~uint64_t{0} ? HashKey(prev.high() + 1, 0)
                                                         : HashKey(prev.high(), prev.low() + 1);
      EXPECT_EQ(s->shards[i].start, next_expected) << n << " " << i;
    }
  }
  EXPECT_EQ(ShardStartingKey(1, 2).ToString(), "170141183460469231731687303715884105728");
  EXPECT_EQ(ShardStartingKey(2, 3).ToString(), "226854911280625642308916404954512140970");
}

TEST(StreamRegistryTest, RoutesToTheShardHoldingTheKey) {
  SimOptions options;
  StreamRegistry registry(options);
  ASSERT_FALSE(registry.Create("s", 4, 0, 0));
  Stream* s = registry.Find("s");
  EXPECT_EQ(s->Route(HashKey(0, 0)), 0);
  EXPECT_EQ(s->Route(ShardStartingKey(2, 4)), 2);
  EXPECT_EQ(s->Route(HashKey::Max()), 3);
  ASSERT_FALSE(registry.Split(*s, "shardId-000000000003", ShardStartingKey(7, 8).ToString(), 0, 0));
  EXPECT_EQ(s->Route(HashKey::Max()), 5);
  EXPECT_EQ(s->Route(ShardStartingKey(6, 8)), 4);
}

TEST(StreamRegistryTest, RejectsBadNamesCountsAndReshards) {
  SimOptions options;
  StreamRegistry registry(options);
  EXPECT_EQ(registry.Create("bad name", 1, 0, 0)->type, "ValidationException");
  EXPECT_EQ(registry.Create("s", 0, 0, 0)->type, "ValidationException");
  EXPECT_EQ(registry.Create("s", 10001, 0, 0)->type, "LimitExceededException");
  ASSERT_FALSE(registry.Create("s", 2, 0, 0));
  EXPECT_EQ(registry.Create("s", 2, 0, 0)->type, "ResourceInUseException");
  Stream* s = registry.Find("s");
  EXPECT_EQ(registry.Split(*s, "shardId-000000000000", "0", 0, 0)->type, "InvalidArgumentException");
  EXPECT_EQ(registry.Split(*s, "shardId-000000000000", "x", 0, 0)->type, "InvalidArgumentException");
  EXPECT_EQ(registry.Merge(*s, "shardId-000000000000", "shardId-000000000005", 0, 0)->type,
            "ResourceNotFoundException");
  ASSERT_FALSE(registry.Merge(*s, "shardId-000000000001", "shardId-000000000000", 0, 0));
  EXPECT_EQ(registry.Merge(*s, "shardId-000000000001", "shardId-000000000002", 0, 0)->type,
            "InvalidArgumentException");
  EXPECT_EQ(s->open.size(), 1u);
  EXPECT_EQ(s->shards[2].start, HashKey(0, 0));
  EXPECT_EQ(s->shards[2].end, HashKey::Max());
  EXPECT_EQ(registry.Scale(*s, 0, 0, 0)->type, "ValidationException");
  EXPECT_EQ(registry.Delete("nope")->type, "ResourceNotFoundException");
}

TEST(StreamRegistryTest, SequenceNumbersAre56DigitsAndIncrease) {
  SimOptions options;
  StreamRegistry registry(options);
  ASSERT_FALSE(registry.Create("s", 2, 0, 0));
  Stream* s = registry.Find("s");
  std::string a = s->NextSequence(1);
  std::string b;
  s->AppendNextSequenceHead(&b);
  b += s->shards[1].result_tail.substr(0, 30);
  EXPECT_EQ(a.size(), 56u);
  EXPECT_EQ(b.size(), 56u);
  EXPECT_LT(a, b);
  EXPECT_EQ(s->shards[1].result_tail.substr(30), "\",\"ShardId\":\"shardId-000000000001\"}");
}

}  // namespace
}  // namespace kinesis::sim
