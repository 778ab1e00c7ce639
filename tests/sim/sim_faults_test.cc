// kinesis-sim's per-shard limits and injected faults, each through the C++ API or the wire.
#include <algorithm>
#include <chrono>
#include <string>

#include "kinesis/hash_key.h"
#include "sim/base64.h"
#include "sim/control_api.h"
#include "sim/stream_registry.h"
#include "sim_test_util.h"

namespace kinesis::sim::testing {
namespace {

std::string Batch(const std::string& stream, int n, size_t data_bytes = 1) {
  std::string data = Base64Encode(std::string(data_bytes, 'x'));
  std::string out = "{\"StreamName\":\"" + stream + "\",\"Records\":[";
  for (int i = 0; i < n; ++i) {
    if (i) out += ",";
    out += "{\"Data\":\"" + data + "\",\"PartitionKey\":\"k" + std::to_string(i) + "\"}";
  }
  return out + "]}";
}

// Error codes of a PutRecords answer, one character per record: '.' ok, 'T' throttled,
// 'F' internal failure.
std::string Outcomes(simdjson::dom::element answer) {
  std::string out;
  for (auto r : answer["Records"].get_array()) {
    std::string_view code;
    if (r["ErrorCode"].get(code)) out += '.';
    else out += code == "InternalFailure" ? 'F' : 'T';
  }
  return out;
}

TEST_F(SimTest, RecordLimitThrottlesPerRecordAndRefills) {
  CreateStream("s", 1);
  EXPECT_EQ(Outcomes(Json(Call("PutRecords", Batch("s", 500)))), std::string(500, '.'));
  EXPECT_EQ(Outcomes(Json(Call("PutRecords", Batch("s", 500)))), std::string(500, '.'));
  auto answer = Json(Call("PutRecords", Batch("s", 10)));
  EXPECT_EQ(Outcomes(answer), std::string(10, 'T'));
  EXPECT_EQ(answer["FailedRecordCount"].get_int64().value(), 10);
  EXPECT_EQ(std::string(answer["Records"].at(0)["ErrorMessage"].get_string().value()),
            "Rate exceeded for shard shardId-000000000000 in stream s under account "
            "000000000000.");
  now_us_ += 5'000;  // 5 ms: 5 records
  EXPECT_EQ(Outcomes(Json(Call("PutRecords", Batch("s", 10)))), ".....TTTTT");
  RawResponse r = Call("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"p\"}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "__type"), "ProvisionedThroughputExceededException");
  SimCounters c = sim_->Counters();
  EXPECT_EQ(c.records_throttled, 16u);
  EXPECT_EQ(c.shards["s/shardId-000000000000"].records_throttled, 16u);
}

TEST_F(SimTest, ByteLimitCountsDataAndKey) {
  CreateStream("s", 1);
  EXPECT_EQ(Outcomes(Json(Call("PutRecords", Batch("s", 2, 600 * 1024)))), ".T");
}

TEST_F(SimTest, LimitsOffAcceptsEverything) {
  sim_.reset();
  StartSim([](SimOptions& o) { o.limits = false; });
  CreateStream("s", 1);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Outcomes(Json(Call("PutRecords", Batch("s", 500)))), std::string(500, '.'));
  }
}

TEST_F(SimTest, InternalFailureRateIsSeededAndRepeatable) {
  CreateStream("s", 4);
  ASSERT_TRUE(sim_->SetFaults("seed=42,record_internal_failure_rate=0.3").ok());
  std::string first = Outcomes(Json(Call("PutRecords", Batch("s", 100))));
  ASSERT_TRUE(sim_->SetFaults("seed=42").ok());  // reseeds, keeps the rate
  std::string second = Outcomes(Json(Call("PutRecords", Batch("s", 100))));
  EXPECT_EQ(first, second);
  size_t failed = std::count(first.begin(), first.end(), 'F');
  EXPECT_GT(failed, 10u);
  EXPECT_LT(failed, 60u);
  EXPECT_EQ(sim_->Counters().errors_by_code["InternalFailure"], 2 * failed);
  sim_->ClearFaults();
  RawResponse r = Call("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"p\"}");
  EXPECT_EQ(r.status, 200);
  ASSERT_TRUE(sim_->SetFaults("fail_shards=shardId-000000000000|shardId-000000000001|"
                              "shardId-000000000002|shardId-000000000003").ok());
  r = Call("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"p\"}");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(JsonString(r.body, "__type"), "InternalFailure");
}

TEST_F(SimTest, ThrottleNamedShardOnly) {
  CreateStream("s", 2);
  ASSERT_TRUE(sim_->SetFaults("throttle_shards=shardId-000000000001").ok());
  auto answer = Json(Call("PutRecords", Batch("s", 40)));
  size_t i = 0;
  for (auto r : answer["Records"].get_array()) {
    std::string_view code;
    bool failed = !r["ErrorCode"].get(code);
    HashKey h = HashPartitionKey("k" + std::to_string(i++));
    bool second_half = h >= ShardStartingKey(1, 2);
    EXPECT_EQ(failed, second_half) << i;
  }
  ASSERT_TRUE(sim_->SetFaults("throttle_shards=,record_throttle_rate=1").ok());
  EXPECT_EQ(Outcomes(Json(Call("PutRecords", Batch("s", 3)))), "TTT");
}

TEST_F(SimTest, WholeRequestErrorsNextN) {
  CreateStream("s", 1);
  ASSERT_TRUE(sim_->SetFaults("error_next=2,error_status=500").ok());
  EXPECT_EQ(JsonString(Call("ListStreams", "{}").body, "__type"), "InternalFailure");
  EXPECT_EQ(Call("ListStreams", "{}").status, 500);
  EXPECT_EQ(Call("ListStreams", "{}").status, 200);
  ASSERT_TRUE(sim_->SetFaults("error_next=1,error_status=400,error_type=ThrottlingException").ok());
  RawResponse r = Call("PutRecords", Batch("s", 1));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "__type"), "ThrottlingException");
  EXPECT_EQ(sim_->Counters().records_accepted, 0u);
  ASSERT_TRUE(sim_->SetFaults("error_rate=1,error_status=503").ok());
  EXPECT_EQ(Call("ListStreams", "{}").status, 503);
  EXPECT_FALSE(sim_->SetFaults("error_status=200").ok());
}

TEST_F(SimTest, ResetBeforeLosesTheRequest) {
  CreateStream("s", 1);
  ASSERT_TRUE(sim_->SetFaults("reset_before_next=1").ok());
  RawResponse r = Call("PutRecords", Batch("s", 3));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(sim_->Counters().records_accepted, 0u);
  EXPECT_EQ(Call("PutRecords", Batch("s", 3)).status, 200);  // reconnects
  EXPECT_EQ(sim_->Counters().resets, 1u);
}

TEST_F(SimTest, ResetAfterKeepsTheRecordsButLosesTheAnswer) {
  CreateStream("s", 1);
  ASSERT_TRUE(sim_->SetFaults("reset_after_next=1").ok());
  RawResponse r = Call("PutRecords", Batch("s", 3));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(sim_->Counters().records_accepted, 3u);
  EXPECT_EQ(sim_->Records("s").size(), 3u);
}

// The records of a lost answer are counted apart, written or not: a client that sends them all
// again duplicates only the written ones.
TEST_F(SimTest, ResetAfterCountsTheRecordsWrittenAndNotWritten) {
  CreateStream("s", 1);
  ASSERT_TRUE(sim_->SetFaults("reset_after_next=1,record_throttle_rate=0.5,seed=3").ok());
  EXPECT_EQ(Call("PutRecords", Batch("s", 40)).status, 0);
  SimCounters c = sim_->Counters();
  EXPECT_EQ(c.answer_lost_records_written, c.records_accepted);
  EXPECT_EQ(c.answer_lost_records_not_written, c.records_throttled);
  EXPECT_GT(c.answer_lost_records_written, 0u);
  EXPECT_GT(c.answer_lost_records_not_written, 0u);
  EXPECT_EQ(c.answer_lost_records_written + c.answer_lost_records_not_written, 40u);
  EXPECT_EQ(Call("PutRecords", Batch("s", 5)).status, 200);  // answered: not counted
  ASSERT_TRUE(sim_->SetFaults("reset_after_next=1").ok());
  EXPECT_EQ(
      Call("PutRecord", "{\"StreamName\":\"s\",\"Data\":\"AA==\",\"PartitionKey\":\"p\"}").status,
      0);
  SimCounters after = sim_->Counters();
  EXPECT_EQ(after.answer_lost_records_written, c.answer_lost_records_written + 1);
  EXPECT_EQ(after.answer_lost_records_not_written, c.answer_lost_records_not_written);
  EXPECT_NE(CountersJson(after).find("\"answer_lost_records_written\":" +
                                     std::to_string(after.answer_lost_records_written)),
            std::string::npos);
}

TEST_F(SimTest, StallForeverHoldsTheAnswer) {
  CreateStream("s", 1);
  ASSERT_TRUE(sim_->SetFaults("stall_next=1").ok());
  client_->set_timeout_ms(200);
  RawResponse r = Call("ListStreams", "{}");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, "timeout");
  client_->set_timeout_ms(10000);
  EXPECT_EQ(Call("ListStreams", "{}").status, 200);  // a new connection is served
  EXPECT_EQ(sim_->Counters().stalls, 1u);
}

TEST_F(SimTest, StallForAWhileAndLatencyStillAnswer) {
  CreateStream("s", 1);
  ASSERT_TRUE(sim_->SetFaults("stall_next=1,stall_ms=30").ok());
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Call("ListStreams", "{}").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
  ASSERT_TRUE(sim_->SetFaults("latency_ms=20,latency_jitter_ms=5").ok());
  start = std::chrono::steady_clock::now();
  EXPECT_EQ(Call("ListStreams", "{}").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
}

TEST_F(SimTest, ReshardAfterRequestsAndAtTime) {
  CreateStream("s", 2);
  ASSERT_TRUE(sim_->SetFaults("reshard=split:s:shardId-000000000000,reshard_after_requests=2").ok());
  auto open = [this] {
    return Json(Call("ListShards", "{\"StreamName\":\"s\",\"ShardFilter\":{\"Type\":"
                                   "\"AT_LATEST\"}}"))["Shards"].get_array().size();
  };
  EXPECT_EQ(open(), 2u);  // request 1
  EXPECT_EQ(open(), 3u);  // request 2 runs the split first
  ASSERT_TRUE(sim_->SetFaults("reshard=merge:s:shardId-000000000002:shardId-000000000003,"
                              "reshard_after_requests=0,reshard_at_ms=1000").ok());
  EXPECT_EQ(open(), 3u);
  now_us_ += 1'000'000;
  EXPECT_EQ(open(), 2u);
  ASSERT_TRUE(sim_->SetFaults("reshard=scale:s:5,reshard_at_ms=0,reshard_after_requests=1").ok());
  EXPECT_EQ(open(), 5u);
}

TEST_F(SimTest, StreamVanishes) {
  CreateStream("s", 1);
  ASSERT_TRUE(sim_->SetFaults("vanish_stream=s,vanish_after_requests=2").ok());
  EXPECT_EQ(Call("PutRecords", Batch("s", 1)).status, 200);
  RawResponse r = Call("PutRecords", Batch("s", 1));
  EXPECT_EQ(JsonString(r.body, "__type"), "ResourceNotFoundException");
}

TEST_F(SimTest, FaultsFromStartOptions) {
  sim_.reset();
  StartSim([](SimOptions& o) {
    o.streams = {{"s", 1}};
    o.faults.error_next = 1;
  });
  EXPECT_EQ(Call("ListStreams", "{}").status, 500);
  EXPECT_EQ(Call("ListStreams", "{}").status, 200);
}

}  // namespace
}  // namespace kinesis::sim::testing
