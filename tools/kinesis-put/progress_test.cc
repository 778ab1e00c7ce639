#include "progress.h"

#include <gtest/gtest.h>

namespace kinesis::put {
namespace {

MetricValue Value(std::string name, std::string stream, std::string shard, double sum) {
  MetricValue v;
  v.name = std::move(name);
  v.dimensions["StreamName"] = std::move(stream);
  if (!shard.empty()) v.dimensions["ShardId"] = std::move(shard);
  v.sum = sum;
  v.seconds = 5;
  return v;
}

TEST(ProgressTest, StreamLinesShowTheHotAndTheThrottledShards) {
  std::vector<MetricValue> metrics = {
      Value("UserRecordsPut", "logs", "", 50000),
      Value("UserRecordsDataPut", "logs", "", 5e6),
      Value("ThrottledRecords", "logs", "", 600),
      Value("UserRecordsPut", "logs", "shardId-000000000000", 38000),
      Value("ThrottledRecords", "logs", "shardId-000000000000", 600),
      Value("UserRecordsPut", "logs", "shardId-000000000001", 4000),
      Value("UserRecordsPut", "logs", "shardId-000000000002", 4000),
      Value("UserRecordsPut", "logs", "shardId-000000000003", 4000),
      Value("UserRecordsPut", "quiet", "", 0),
  };
  std::vector<std::string> lines = StreamLines(metrics);
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0], "  stream logs  10,000 records/s  1.0 MB/s  throttled 120/s");
  EXPECT_EQ(lines[1],
            "    shard shardId-000000000000  7,600 records/s  0.0 MB/s  throttled 120/s  76% of "
            "the stream  hot");
}

TEST(ProgressTest, EvenShardsGetNoShardLines) {
  std::vector<MetricValue> metrics = {Value("UserRecordsPut", "s", "", 400)};
  for (int i = 0; i < 4; ++i) {
    metrics.push_back(Value("UserRecordsPut", "s", "shardId-00000000000" + std::to_string(i), 100));
  }
  std::vector<std::string> lines = StreamLines(metrics);
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0], "  stream s  80 records/s  0.0 MB/s  throttled 0/s");
  EXPECT_TRUE(StreamLines({}).empty());
}

TEST(ProgressTest, AShardAtItsLimitIsShownAlone) {
  std::vector<MetricValue> metrics = {
      Value("UserRecordsPut", "s", "", 4750),
      Value("UserRecordsPut", "s", "shardId-000000000001", 4750),
      Value("KinesisRecordsPut", "s", "shardId-000000000001", 4750),
  };
  std::vector<std::string> lines = StreamLines(metrics);
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[1],
            "    shard shardId-000000000001  950 records/s  0.0 MB/s  throttled 0/s  100% of the "
            "stream  at the shard's limit");
}

}  // namespace
}  // namespace kinesis::put
