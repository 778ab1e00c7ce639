#include "wire/json_requests.h"

#include <gtest/gtest.h>

#include <vector>

namespace kinesis::wire {
namespace {

TEST(JsonRequests, PutRecordsWithNameAndExplicitHashKey) {
  std::vector<PutRecordsEntry> records = {{"foo", "k1", ""}, {"", "k\"2", "123"}};
  std::string out = "stale";
  ASSERT_TRUE(BuildPutRecordsJson({"s", ""}, records, out).ok());
  EXPECT_EQ(out,
            R"({"Records":[{"Data":"Zm9v","PartitionKey":"k1"},)"
            R"({"Data":"","PartitionKey":"k\"2","ExplicitHashKey":"123"}],"StreamName":"s"})");
}

// A recycled body (BodyBuffers) holds an earlier, longer body: it is replaced, not appended to.
TEST(JsonRequests, PutRecordsReplacesALongerStaleBody) {
  std::vector<PutRecordsEntry> records = {{"foo", "k1", ""}};
  std::string out(10000, '#');
  ASSERT_TRUE(BuildPutRecordsJson({"s", ""}, records, out).ok());
  EXPECT_EQ(out, R"({"Records":[{"Data":"Zm9v","PartitionKey":"k1"}],"StreamName":"s"})");
}

TEST(JsonRequests, PutRecordsWithArn) {
  std::vector<PutRecordsEntry> records = {{"a", "k", ""}};
  std::string out;
  ASSERT_TRUE(BuildPutRecordsJson({"", "arn:aws:kinesis:us-east-1:1:stream/s"}, records, out).ok());
  EXPECT_EQ(out, R"({"Records":[{"Data":"YQ==","PartitionKey":"k"}],)"
                 R"("StreamARN":"arn:aws:kinesis:us-east-1:1:stream/s"})");
}

TEST(JsonRequests, StreamNeedsExactlyOneOfNameAndArn) {
  std::string out;
  EXPECT_EQ(BuildPutRecordsJson({"", ""}, {}, out).code(), StatusCode::kInvalidArgument);
  Status both = BuildDescribeStreamSummaryJson({"s", "arn"}, out);
  EXPECT_EQ(both.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(both.message().find("'s'"), std::string::npos);
}

TEST(JsonRequests, PutRecordWithOrdering) {
  std::string out;
  ASSERT_TRUE(BuildPutRecordJson({{"s", ""}, {"hi", "pk", ""}, "42"}, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s","Data":"aGk=","PartitionKey":"pk",)"
                 R"("SequenceNumberForOrdering":"42"})");
}

TEST(JsonRequests, ListShardsFirstPageAndNextTokenPage) {
  std::string out;
  ListShardsRequest first{{"s", ""}, "", 2, "", "AT_LATEST", ""};
  ASSERT_TRUE(BuildListShardsJson(first, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s","MaxResults":2,"ShardFilter":{"Type":"AT_LATEST"}})");
  ListShardsRequest next{{"s", ""}, "tok", 2, "", "", ""};
  ASSERT_TRUE(BuildListShardsJson(next, out).ok());
  EXPECT_EQ(out, R"({"NextToken":"tok","MaxResults":2})");  // no StreamName with a token
  ListShardsRequest bad{{"s", ""}, "", -1, "", "", ""};
  EXPECT_EQ(BuildListShardsJson(bad, out).code(), StatusCode::kInvalidArgument);
}

TEST(JsonRequests, ControlPlaneBodies) {
  std::string out;
  ASSERT_TRUE(BuildCreateStreamJson({"s", 3, false}, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s","ShardCount":3})");
  ASSERT_TRUE(BuildCreateStreamJson({"s", 0, true}, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s","StreamModeDetails":{"StreamMode":"ON_DEMAND"}})");
  EXPECT_FALSE(BuildCreateStreamJson({"s", 0, false}, out).ok());
  EXPECT_FALSE(BuildCreateStreamJson({"", 1, false}, out).ok());
  ASSERT_TRUE(BuildDeleteStreamJson({"s", ""}, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s"})");
  ASSERT_TRUE(BuildSplitShardJson({{"s", ""}, "shardId-0", "5"}, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s","ShardToSplit":"shardId-0","NewStartingHashKey":"5"})");
  EXPECT_FALSE(BuildSplitShardJson({{"s", ""}, "", "5"}, out).ok());
  ASSERT_TRUE(BuildMergeShardsJson({{"s", ""}, "a", "b"}, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s","ShardToMerge":"a","AdjacentShardToMerge":"b"})");
  ASSERT_TRUE(BuildUpdateShardCountJson({{"s", ""}, 4}, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s","TargetShardCount":4,"ScalingType":"UNIFORM_SCALING"})");
  EXPECT_FALSE(BuildUpdateShardCountJson({{"s", ""}, 0}, out).ok());
  ASSERT_TRUE(BuildGetShardIteratorJson({{"s", ""}, "shardId-1", "TRIM_HORIZON", ""}, out).ok());
  EXPECT_EQ(out, R"({"StreamName":"s","ShardId":"shardId-1","ShardIteratorType":"TRIM_HORIZON"})");
  ASSERT_TRUE(BuildGetRecordsJson({"it", 10}, out).ok());
  EXPECT_EQ(out, R"({"ShardIterator":"it","Limit":10})");
  EXPECT_FALSE(BuildGetRecordsJson({"", 0}, out).ok());
  EXPECT_EQ(TargetHeader(Operation::kPutRecords), "Kinesis_20131202.PutRecords");
}

}  // namespace
}  // namespace kinesis::wire
