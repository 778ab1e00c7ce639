// kinesis-sim over HTTP: every action, routing, validation and error shapes, storage read-back.
#include <memory>
#include <string>
#include <vector>

#include "kinesis/hash_key.h"
#include "sim/base64.h"
#include "sim/stream_registry.h"
#include "sim_test_util.h"

namespace kinesis::sim::testing {
namespace {

std::string Records(int n, const std::string& prefix, size_t data_bytes = 3) {
  std::string data = Base64Encode(std::string(data_bytes, 'x'));
  std::string out = "[";
  for (int i = 0; i < n; ++i) {
    if (i) out += ",";
    out += "{\"Data\":\"" + data + "\",\"PartitionKey\":\"" + prefix + std::to_string(i) + "\"}";
  }
  return out + "]";
}

TEST_F(SimTest, MissingAuthorizationIsRejected) {
  RawResponse r = client_->Send("POST", "/", "X-Amz-Target: Kinesis_20131202.ListStreams\r\n", "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "__type"), "MissingAuthenticationTokenException");
  r = client_->Send("POST", "/",
                    "X-Amz-Target: Kinesis_20131202.ListStreams\r\nAuthorization: Basic eA==\r\n",
                    "{}");
  EXPECT_EQ(JsonString(r.body, "__type"), "IncompleteSignatureException");
  r = client_->Send("POST", "/",
                    "X-Amz-Target: Kinesis_20131202.ListStreams\r\nAuthorization: " +
                        std::string(kDummyAuthorization) + "\r\n",
                    "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("X-Amz-Date"), std::string::npos) << r.body;
}

TEST_F(SimTest, UnknownActionAndMalformedJson) {
  EXPECT_EQ(JsonString(Call("Frobnicate", "{}").body, "__type"), "UnknownOperationException");
  RawResponse r = Call("ListStreams", "{\"Limit\":");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "__type"), "SerializationException");
  r = Call("PutRecords", "[1,2]");
  EXPECT_EQ(JsonString(r.body, "__type"), "SerializationException");
  r = Call("CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":\"two\"}");
  EXPECT_EQ(JsonString(r.body, "__type"), "SerializationException");
}

TEST_F(SimTest, CreateListDescribeDeleteStream) {
  CreateStream("alpha", 2);
  CreateStream("beta", 1);
  RawResponse r = Call("CreateStream", "{\"StreamName\":\"alpha\",\"ShardCount\":1}");
  EXPECT_EQ(JsonString(r.body, "__type"), "ResourceInUseException");
  EXPECT_EQ(JsonString(Call("CreateStream", "{\"StreamName\":\"a b\",\"ShardCount\":1}").body,
                       "__type"),
            "ValidationException");
  auto list = Json(Call("ListStreams", "{\"Limit\":1}"));
  EXPECT_EQ(list["StreamNames"].get_array().size(), 1u);
  EXPECT_TRUE(list["HasMoreStreams"].get_bool().value());
  list = Json(Call("ListStreams", "{\"ExclusiveStartStreamName\":\"alpha\"}"));
  EXPECT_EQ(std::string(list["StreamNames"].at(0).get_string().value()), "beta");
  auto summary = Json(Call("DescribeStreamSummary", "{\"StreamName\":\"alpha\"}"));
  EXPECT_EQ(summary["StreamDescriptionSummary"]["OpenShardCount"].get_int64().value(), 2);
  EXPECT_EQ(std::string(summary["StreamDescriptionSummary"]["StreamARN"].get_string().value()),
            "arn:aws:kinesis:us-east-1:000000000000:stream/alpha");
  EXPECT_EQ(Call("DeleteStream", "{\"StreamName\":\"alpha\"}").status, 200);
  r = Call("DescribeStreamSummary", "{\"StreamName\":\"alpha\"}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "__type"), "ResourceNotFoundException");
  EXPECT_EQ(JsonString(Call("DeleteStream", "{\"StreamName\":\"alpha\"}").body, "__type"),
            "ResourceNotFoundException");
  EXPECT_EQ(JsonString(Call("DescribeStreamSummary", "{}").body, "__type"), "ValidationException");
}

TEST_F(SimTest, ListShardsLayoutMatchesServiceFormula) {
  CreateStream("s", 5);
  auto shards = Json(Call("ListShards", "{\"StreamName\":\"s\"}"))["Shards"].get_array();
  ASSERT_EQ(shards.size(), 5u);
  size_t i = 0;
  for (auto shard : shards) {
    EXPECT_EQ(std::string(shard["ShardId"].get_string().value()), ShardIdOf(i));
    EXPECT_EQ(std::string(shard["HashKeyRange"]["StartingHashKey"].get_string().value()),
              ShardStartingKey(i, 5).ToString());
    ++i;
  }
  EXPECT_EQ(std::string(shards.at(4)["HashKeyRange"]["EndingHashKey"].get_string().value()),
            HashKey::Max().ToString());
}

TEST_F(SimTest, ListShardsPagesAndFilters) {
  CreateStream("s", 3);
  auto page = Json(Call("ListShards", "{\"StreamName\":\"s\",\"MaxResults\":2}"));
  ASSERT_EQ(page["Shards"].get_array().size(), 2u);
  std::string token(page["NextToken"].get_string().value());
  RawResponse r = Call("ListShards", "{\"StreamName\":\"s\",\"NextToken\":\"" + token + "\"}");
  EXPECT_EQ(JsonString(r.body, "__type"), "InvalidArgumentException");
  page = Json(Call("ListShards", "{\"NextToken\":\"" + token + "\"}"));
  ASSERT_EQ(page["Shards"].get_array().size(), 1u);
  EXPECT_EQ(std::string(page["Shards"].at(0)["ShardId"].get_string().value()), ShardIdOf(2));
  EXPECT_TRUE(page["NextToken"].error());

  ASSERT_EQ(Call("SplitShard", "{\"StreamName\":\"s\",\"ShardToSplit\":\"shardId-000000000000\","
                               "\"NewStartingHashKey\":\"1000\"}").status, 200);
  auto all = Json(Call("ListShards", "{\"StreamName\":\"s\"}"))["Shards"].get_array();
  EXPECT_EQ(all.size(), 5u);
  auto latest = Json(Call("ListShards", "{\"StreamName\":\"s\",\"ShardFilter\":{\"Type\":"
                                        "\"AT_LATEST\"}}"))["Shards"].get_array();
  EXPECT_EQ(latest.size(), 4u);
  auto horizon = Json(Call("ListShards", "{\"StreamName\":\"s\",\"ShardFilter\":{\"Type\":"
                                         "\"AT_TRIM_HORIZON\"}}"))["Shards"].get_array();
  EXPECT_EQ(horizon.size(), 3u);
  auto after = Json(Call("ListShards", "{\"StreamName\":\"s\",\"ShardFilter\":{\"Type\":"
                                       "\"AFTER_SHARD_ID\",\"ShardId\":\"shardId-000000000002\"}}"))
                   ["Shards"].get_array();
  EXPECT_EQ(after.size(), 2u);
  r = Call("ListShards", "{\"StreamName\":\"s\",\"ShardFilter\":{\"Type\":\"AT_TIMESTAMP\"}}");
  EXPECT_EQ(JsonString(r.body, "__type"), "InvalidArgumentException");
}

TEST_F(SimTest, SplitMergeAndUpdateShardCountLinkParents) {
  CreateStream("s", 2);
  std::string mid = ShardStartingKey(1, 4).ToString();
  ASSERT_EQ(Call("SplitShard", "{\"StreamName\":\"s\",\"ShardToSplit\":\"shardId-000000000000\","
                               "\"NewStartingHashKey\":\"" + mid + "\"}").status, 200);
  RawResponse r = Call("SplitShard", "{\"StreamName\":\"s\",\"ShardToSplit\":"
                                     "\"shardId-000000000000\",\"NewStartingHashKey\":\"5\"}");
  EXPECT_EQ(JsonString(r.body, "__type"), "InvalidArgumentException");
  r = Call("SplitShard", "{\"StreamName\":\"s\",\"ShardToSplit\":\"shardId-000000000009\","
                         "\"NewStartingHashKey\":\"5\"}");
  EXPECT_EQ(JsonString(r.body, "__type"), "ResourceNotFoundException");
  auto shards = Json(Call("ListShards", "{\"StreamName\":\"s\"}"))["Shards"].get_array();
  ASSERT_EQ(shards.size(), 4u);
  EXPECT_FALSE(shards.at(0)["SequenceNumberRange"]["EndingSequenceNumber"].error());
  EXPECT_EQ(std::string(shards.at(2)["ParentShardId"].get_string().value()), ShardIdOf(0));
  EXPECT_EQ(std::string(shards.at(3)["HashKeyRange"]["StartingHashKey"].get_string().value()), mid);
  std::string parent_end(shards.at(0)["SequenceNumberRange"]["EndingSequenceNumber"].get_string().value());
  std::string child_start(shards.at(2)["SequenceNumberRange"]["StartingSequenceNumber"].get_string().value());
  EXPECT_LT(parent_end, child_start);

  r = Call("MergeShards", "{\"StreamName\":\"s\",\"ShardToMerge\":\"shardId-000000000002\","
                          "\"AdjacentShardToMerge\":\"shardId-000000000001\"}");
  EXPECT_EQ(JsonString(r.body, "__type"), "InvalidArgumentException");  // not adjacent
  ASSERT_EQ(Call("MergeShards", "{\"StreamName\":\"s\",\"ShardToMerge\":\"shardId-000000000003\","
                                "\"AdjacentShardToMerge\":\"shardId-000000000001\"}").status, 200);
  shards = Json(Call("ListShards", "{\"StreamName\":\"s\"}"))["Shards"].get_array();
  ASSERT_EQ(shards.size(), 5u);
  EXPECT_EQ(std::string(shards.at(4)["ParentShardId"].get_string().value()), ShardIdOf(3));
  EXPECT_EQ(std::string(shards.at(4)["AdjacentParentShardId"].get_string().value()), ShardIdOf(1));

  auto update = Json(Call("UpdateShardCount", "{\"StreamName\":\"s\",\"TargetShardCount\":3,"
                                              "\"ScalingType\":\"UNIFORM_SCALING\"}"));
  EXPECT_EQ(update["CurrentShardCount"].get_int64().value(), 2);
  auto open = Json(Call("ListShards", "{\"StreamName\":\"s\",\"ShardFilter\":{\"Type\":"
                                      "\"AT_LATEST\"}}"))["Shards"].get_array();
  ASSERT_EQ(open.size(), 3u);
  EXPECT_EQ(std::string(open.at(1)["HashKeyRange"]["StartingHashKey"].get_string().value()),
            ShardStartingKey(1, 3).ToString());
}

TEST_F(SimTest, PutRecordsRoutesByMd5AndExplicitHashKey) {
  CreateStream("s", 4);
  std::string body = "{\"StreamName\":\"s\",\"Records\":[";
  for (int i = 0; i < 50; ++i) body += "{\"Data\":\"AA==\",\"PartitionKey\":\"key" + std::to_string(i) + "\"},";
  body += "{\"Data\":\"AA==\",\"PartitionKey\":\"x\",\"ExplicitHashKey\":\"" +
          HashKey::Max().ToString() + "\"}]}";
  auto answer = Json(Call("PutRecords", body));
  EXPECT_EQ(answer["FailedRecordCount"].get_int64().value(), 0);
  auto records = answer["Records"].get_array();
  ASSERT_EQ(records.size(), 51u);
  for (int i = 0; i < 50; ++i) {
    HashKey h = HashPartitionKey("key" + std::to_string(i));
    size_t expected = 0;
    while (expected + 1 < 4 && ShardStartingKey(expected + 1, 4) <= h) ++expected;
    EXPECT_EQ(std::string(records.at(i)["ShardId"].get_string().value()), ShardIdOf(expected)) << i;
    EXPECT_EQ(records.at(i)["SequenceNumber"].get_string().value().size(), 56u);
  }
  EXPECT_EQ(std::string(records.at(50)["ShardId"].get_string().value()), ShardIdOf(3));
}

TEST_F(SimTest, SequenceNumbersIncreasePerShard) {
  CreateStream("s", 1);
  std::string last;
  for (int i = 0; i < 3; ++i) {
    auto answer = Json(Call("PutRecords", "{\"StreamName\":\"s\",\"Records\":" + Records(10, "k") + "}"));
    for (auto r : answer["Records"].get_array()) {
      std::string seq(r["SequenceNumber"].get_string().value());
      EXPECT_GT(seq, last);
      last = seq;
    }
  }
  RawResponse r = Call("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"p\"}");
  EXPECT_EQ(r.status, 200);
  EXPECT_GT(JsonString(r.body, "SequenceNumber"), last);
}

TEST_F(SimTest, PutValidationErrors) {
  CreateStream("s", 1);
  auto type = [this](const std::string& action, const std::string& body) {
    return JsonString(Call(action, body).body, "__type");
  };
  EXPECT_EQ(type("PutRecords", "{\"StreamName\":\"s\",\"Records\":" + Records(501, "k") + "}"),
            "ValidationException");
  EXPECT_EQ(type("PutRecords", "{\"StreamName\":\"s\",\"Records\":[]}"), "ValidationException");
  EXPECT_EQ(type("PutRecords", "{\"StreamName\":\"s\",\"Records\":" +
                                   Records(1, "k", 1024 * 1024 + 1) + "}"),
            "ValidationException");
  EXPECT_EQ(type("PutRecords", "{\"StreamName\":\"s\",\"Records\":" +
                                   Records(6, "k", 1024 * 1024) + "}"),
            "InvalidArgumentException");
  EXPECT_EQ(type("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"" +
                                  std::string(257, 'k') + "\"}"),
            "ValidationException");
  // 256 characters of 2 bytes each: within the limit, which counts characters.
  std::string wide;
  for (int i = 0; i < 256; ++i) wide += "\xc3\xa9";
  EXPECT_EQ(Call("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"" + wide +
                                  "\"}").status, 200);
  EXPECT_EQ(type("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"k\","
                              "\"ExplicitHashKey\":\"340282366920938463463374607431768211456\"}"),
            "InvalidArgumentException");
  EXPECT_EQ(type("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"k\","
                              "\"ExplicitHashKey\":\"-1\"}"),
            "ValidationException");
  EXPECT_EQ(type("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"A\",\"PartitionKey\":\"k\"}"),
            "SerializationException");
  EXPECT_EQ(type("PutRecord", "{\"StreamName\":\"s\",\"PartitionKey\":\"k\"}"), "ValidationException");
  EXPECT_EQ(type("PutRecords", "{\"StreamName\":\"zz\",\"Records\":" + Records(1, "k") + "}"),
            "ResourceNotFoundException");
  EXPECT_EQ(sim_->Counters().records_accepted, 1u);
}

TEST_F(SimTest, StorageReadBackAndGetRecords) {
  CreateStream("s", 2);
  ASSERT_EQ(Call("PutRecords", "{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"" +
                                   Base64Encode("hello") + "\",\"PartitionKey\":\"a\"},{\"Data\":\"" +
                                   Base64Encode(std::string("\0\1\2", 3)) +
                                   "\",\"PartitionKey\":\"b\",\"ExplicitHashKey\":\"7\"}]}").status,
            200);
  auto stored = sim_->Records("s");
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].data, "hello");
  EXPECT_EQ(stored[0].partition_key, "a");
  EXPECT_EQ(stored[1].data, std::string("\0\1\2", 3));
  EXPECT_EQ(stored[1].explicit_hash_key, "7");
  EXPECT_EQ(stored[1].shard_id, ShardIdOf(0));

  std::string it = JsonString(Call("GetShardIterator",
                                   "{\"StreamName\":\"s\",\"ShardId\":\"shardId-000000000000\","
                                   "\"ShardIteratorType\":\"TRIM_HORIZON\"}").body,
                              "ShardIterator");
  auto got = Json(Call("GetRecords", "{\"ShardIterator\":\"" + it + "\"}"));
  size_t in_shard0 = stored[0].shard_id == ShardIdOf(0) ? 2 : 1;
  EXPECT_EQ(got["Records"].get_array().size(), in_shard0);
  std::string after = JsonString(Call("GetShardIterator",
                                      "{\"StreamName\":\"s\",\"ShardId\":\"shardId-000000000000\","
                                      "\"ShardIteratorType\":\"AFTER_SEQUENCE_NUMBER\","
                                      "\"StartingSequenceNumber\":\"" + stored[1].sequence_number +
                                      "\"}").body, "ShardIterator");
  EXPECT_EQ(Json(Call("GetRecords", "{\"ShardIterator\":\"" + after + "\"}"))["Records"]
                .get_array().size(), 0u);
  EXPECT_EQ(JsonString(Call("GetRecords", "{\"ShardIterator\":\"!!\"}").body, "__type"),
            "InvalidArgumentException");
}

TEST_F(SimTest, StorageOffOnlyCounts) {
  sim_.reset();
  StartSim([](SimOptions& o) { o.storage = false; });
  CreateStream("s", 1);
  ASSERT_EQ(Call("PutRecords", "{\"StreamName\":\"s\",\"Records\":" + Records(5, "k", 10) + "}").status, 200);
  EXPECT_TRUE(sim_->Records("s").empty());
  SimCounters c = sim_->Counters();
  EXPECT_EQ(c.records_accepted, 5u);
  EXPECT_EQ(c.bytes_accepted, 5u * 10 + 5 * 2);
  EXPECT_EQ(c.shards["s/shardId-000000000000"].records_accepted, 5u);
  EXPECT_EQ(JsonString(Call("GetShardIterator", "{\"StreamName\":\"s\",\"ShardId\":"
                                                "\"shardId-000000000000\",\"ShardIteratorType\":"
                                                "\"LATEST\"}").body, "__type"),
            "InvalidArgumentException");
}

TEST_F(SimTest, ControlApiCountersRecordsAndFaults) {
  CreateStream("s", 1);
  ASSERT_EQ(Call("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"p\"}").status, 200);
  RawResponse r = client_->Send("GET", "/_sim/counters", "", "");
  ASSERT_EQ(r.status, 200);
  auto counters = Json(r);
  EXPECT_EQ(counters["records_accepted"].get_int64().value(), 1);
  EXPECT_EQ(counters["shards"]["s/shardId-000000000000"]["records_accepted"].get_int64().value(), 1);
  r = client_->Send("GET", "/_sim/records?stream=s", "", "");
  EXPECT_EQ(std::string(Json(r)["Records"].at(0)["PartitionKey"].get_string().value()), "p");
  r = client_->Send("POST", "/_sim/faults", "", "{\"error_next\":1,\"error_status\":503}");
  ASSERT_EQ(r.status, 200) << r.body;
  r = Call("ListStreams", "{}");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(JsonString(r.body, "__type"), "ServiceUnavailable");
  EXPECT_EQ(Call("ListStreams", "{}").status, 200);
  r = client_->Send("POST", "/_sim/faults", "", "no_such_fault=1");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(client_->Send("GET", "/_sim/nothing", "", "").status, 404);
}

TEST_F(SimTest, PipelinedRequestsAnswerInOrder) {
  CreateStream("s", 1);
  std::string one = "POST / HTTP/1.1\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\n"
                    "X-Amz-Date: 20260101T000000Z\r\nAuthorization: " +
                    std::string(kDummyAuthorization) + "\r\nContent-Length: 2\r\n\r\n{}";
  std::string two = "POST / HTTP/1.1\r\nX-Amz-Target: Kinesis_20131202.Nope\r\n"
                    "X-Amz-Date: 20260101T000000Z\r\nAuthorization: " +
                    std::string(kDummyAuthorization) + "\r\nContent-Length: 2\r\n\r\n{}";
  RawResponse first = client_->SendRaw(one + two);
  EXPECT_EQ(first.status, 200);
  RawResponse second = client_->SendRaw("");
  EXPECT_EQ(JsonString(second.body, "__type"), "UnknownOperationException");
}

TEST_F(SimTest, SeveralWorkerThreadsShareOnePort) {
  sim_.reset();
  StartSim([](SimOptions& o) {
    o.threads = 3;
    o.limits = false;
  });
  CreateStream("s", 2);
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<RawClient>(sim_->port()));
  for (int round = 0; round < 3; ++round) {
    for (auto& c : clients) {
      RawResponse r = c->Call("PutRecords", "{\"StreamName\":\"s\",\"Records\":" + Records(5, "k") + "}");
      ASSERT_EQ(r.status, 200) << r.error << r.body;
    }
  }
  EXPECT_EQ(sim_->Counters().records_accepted, 8u * 3 * 5);
  EXPECT_EQ(sim_->Records("s").size(), 8u * 3 * 5);
}

TEST_F(SimTest, OversizedAndChunkedBodiesCloseTheConnection) {
  sim_.reset();
  StartSim([](SimOptions& o) { o.max_body_bytes = 1000; });
  RawResponse r = client_->SendRaw("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(client_->SendRaw("").error, "closed");  // the server closed after answering
  r = client_->SendRaw("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(r.status, 501);
  client_->Close();
  r = client_->SendRaw("NONSENSE\r\n\r\n");
  EXPECT_EQ(r.status, 400);
}

}  // namespace
}  // namespace kinesis::sim::testing
