// KinesisClient with protocol CBOR against kinesis-sim: PutRecords and PutRecord go out as CBOR
// (raw bytes, no base64) and come back as CBOR answers the client parses; records read back
// with GetRecords (JSON) byte for byte; per-record faults and errors arrive as CBOR.
//
// Round trips run against the kinesis-sim program of the CTest fixture (shared with other
// tests: no faults there); faults against an in-process simulator of the test's own, as
// tests/producer/sim_contract_test.cc does.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "backend_client.h"
#include "kinesis/hash_key.h"
#include "sim/kinesis_sim.h"
#include "sim/stream_registry.h"
#include "wire/cbor_codec.h"

namespace kinesis::wire::testing {
namespace {

constexpr char kFixture[] = "kinesis_sim";
constexpr char kCborType[] = "application/x-amz-cbor-1.1";

std::string UniqueName(const std::string& prefix) {
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand());
}

// Sends `body` as a CBOR PutRecords with well-formed (unchecked) authorization.
Result<http::HttpResponse> SendRawCbor(Backend& b, std::string body) {
  http::HttpRequest request;
  request.url = b.url + "/";
  request.headers = {{"Content-Type", kCborType},
                     {"X-Amz-Target", "Kinesis_20131202.PutRecords"},
                     {"X-Amz-Date", "20260101T000000Z"},
                     {"Authorization",
                      "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, "
                      "SignedHeaders=host, Signature=00"}};
  request.body = std::move(body);
  std::promise<Result<http::HttpResponse>> promise;
  auto future = promise.get_future();
  b.transport->Send(std::move(request),
                    [&promise](Result<http::HttpResponse> r) { promise.set_value(std::move(r)); });
  return future.get();
}

TEST(SimCbor, PutRecordsAndPutRecordReadBackByteForByte) {
  Backend b(kFixture, Protocol::kCbor);
  std::string stream = UniqueName("cbor-put");
  b.CreateActiveStream(stream, 2);
  auto records = MakeRecords(60, 300);  // every byte value, NULs included
  auto entries = Entries(records);
  auto put = Wait<PutRecordsResult>([&](auto cb) {
    b.client->PutRecords({stream, ""}, entries, cb);
  });
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  EXPECT_EQ(put->failed_record_count, 0u);
  EXPECT_EQ(put->encryption_type, "NONE");
  ASSERT_EQ(put->records.size(), records.size());
  for (const auto& r : put->records) {
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.sequence_number.size(), 56u);
    EXPECT_TRUE(r.shard_id == "shardId-000000000000" || r.shard_id == "shardId-000000000001");
  }
  // PutRecord with an explicit hash key: the top of the range is the second shard's.
  std::string data("\xff\x00\x01 one", 7);
  PutRecordRequest one{
      {stream, ""}, {data, "pk-one", "340282366920938463463374607431768211455"}, ""};
  auto single = Wait<PutRecordResult>([&](auto cb) { b.client->PutRecord(one, cb); });
  ASSERT_TRUE(single.ok()) << single.error().ToString();
  EXPECT_EQ(single->shard_id, "shardId-000000000001");
  EXPECT_EQ(single->sequence_number.size(), 56u);
  records.emplace_back("pk-one", data);
  std::sort(records.begin(), records.end());
  EXPECT_EQ(b.ReadAll(stream), records);
}

TEST(SimCbor, ValidationAndUnknownStreamErrorsComeBackAsCbor) {
  Backend b(kFixture, Protocol::kCbor);
  std::vector<PutRecordsEntry> empty_key = {{"x", "", ""}};
  std::string stream = UniqueName("cbor-bad");
  b.CreateActiveStream(stream, 1);
  auto r = Wait<PutRecordsResult>([&](auto cb) {
    b.client->PutRecords({stream, ""}, empty_key, cb);
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ValidationException");
  EXPECT_NE(r.error().message.find("'records.1.member.partitionKey'"), std::string::npos)
      << r.error().message;
  std::vector<PutRecordsEntry> fine = {{"x", "k", ""}};
  r = Wait<PutRecordsResult>([&](auto cb) {
    b.client->PutRecords({"cbor-missing", ""}, fine, cb);
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ResourceNotFoundException");
  EXPECT_EQ(r.error().kind, ErrorKind::kFatal);
}

TEST(SimCbor, PutRecordsAnswerIsCbor) {
  Backend b(kFixture, Protocol::kCbor);
  std::string stream = UniqueName("cbor-answer");
  b.CreateActiveStream(stream, 1);
  std::vector<PutRecordsEntry> entries = {{"a", "k1", ""}, {"b", "k2", "0"}};
  std::string body;
  ASSERT_TRUE(BuildPutRecordsCbor({stream, ""}, entries, body).ok());
  auto response = SendRawCbor(b, body);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("content-type"), kCborType);
  auto parsed = ParsePutRecordsCbor(response->body, entries.size());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->failed_record_count, 0u);
  EXPECT_EQ(parsed->records[1].shard_id, "shardId-000000000000");
}

TEST(SimCbor, MalformedCborIsSerializationExceptionInCbor) {
  Backend b(kFixture, Protocol::kCbor);
  for (std::string body : {std::string("\xbf\x67Records\x9f", 10), std::string("{\"a\":1}"),
                           std::string("\xa1\x63"
                                       "abc\x7c",
                                       6)}) {
    auto response = SendRawCbor(b, body);
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->status, 400);
    EXPECT_TRUE(response->Header("content-type").starts_with(kCborType));
    auto parsed = ParseErrorCbor(response->body);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->type, "SerializationException");
    EXPECT_EQ(ErrorFromResponse(*response).code, "SerializationException");
  }
}

class SimCborFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    sim::SimOptions options;
    options.storage = true;
    options.limits = false;
    options.streams = {{"s", 2}};
    auto started = sim::KinesisSim::Start(options);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    sim_ = std::move(*started);
    backend_ = std::make_unique<Backend>(sim_->port(), Protocol::kCbor);
  }
  void TearDown() override {
    backend_.reset();
    if (sim_) sim_->Stop();
  }

  // 40 records (views into owned_); which of them hash into the second shard.
  std::vector<PutRecordsEntry> Records(std::vector<bool>* second_shard) {
    for (int i = 0; i < 40; ++i) {
      std::string key = "k" + std::to_string(i);
      second_shard->push_back(HashPartitionKey(key) >= sim::ShardStartingKey(1, 2));
      owned_.emplace_back(std::move(key), std::string("\0data-", 6) + std::to_string(i));
    }
    return Entries(owned_);
  }

  std::unique_ptr<sim::KinesisSim> sim_;
  std::unique_ptr<Backend> backend_;
  std::vector<std::pair<std::string, std::string>> owned_;  // (key, data)
};

TEST_F(SimCborFaults, PerRecordFailuresArriveAsTheirErrorCodes) {
  ASSERT_TRUE(sim_->SetFaults("fail_shards=shardId-000000000001").ok());
  std::vector<bool> second;
  auto entries = Records(&second);
  auto put = Wait<PutRecordsResult>([&](auto cb) {
    backend_->client->PutRecords({"s", ""}, entries, cb);
  });
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  size_t failed = 0;
  std::vector<std::pair<std::string, std::string>> accepted;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& r = put->records[i];
    if (second[i]) {
      ++failed;
      EXPECT_EQ(r.error_code, "InternalFailure") << i;
      EXPECT_EQ(r.error_message, "Internal service failure.");
    } else {
      EXPECT_TRUE(r.ok()) << i << " " << r.error_code;
      EXPECT_EQ(r.shard_id, "shardId-000000000000");
      accepted.emplace_back(entries[i].partition_key, entries[i].data);
    }
  }
  ASSERT_GT(failed, 0u);
  ASSERT_LT(failed, entries.size());
  EXPECT_EQ(put->failed_record_count, failed);
  // Only the accepted records were stored, with their raw bytes.
  std::vector<std::pair<std::string, std::string>> stored;
  for (const auto& r : sim_->Records("s")) stored.emplace_back(r.partition_key, r.data);
  std::sort(stored.begin(), stored.end());
  std::sort(accepted.begin(), accepted.end());
  EXPECT_EQ(stored, accepted);

  ASSERT_TRUE(sim_->SetFaults("fail_shards=,throttle_shards=shardId-000000000000").ok());
  put = Wait<PutRecordsResult>([&](auto cb) {
    backend_->client->PutRecords({"s", ""}, entries, cb);
  });
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (second[i]) {
      EXPECT_TRUE(put->records[i].ok()) << i << " " << put->records[i].error_code;
      continue;
    }
    EXPECT_EQ(put->records[i].error_code, "ProvisionedThroughputExceededException") << i;
    EXPECT_EQ(put->records[i].error_message,
              "Rate exceeded for shard shardId-000000000000 in stream s under account "
              "000000000000.");
  }
}

TEST_F(SimCborFaults, PutRecordFailuresArriveAsCborErrors) {
  ASSERT_TRUE(sim_->SetFaults("fail_shards=shardId-000000000000|shardId-000000000001").ok());
  PutRecordRequest request{{"s", ""}, {"payload", "pk", ""}, ""};
  auto r = Wait<PutRecordResult>([&](auto cb) { backend_->client->PutRecord(request, cb); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InternalFailure");
  EXPECT_EQ(r.error().http_status, 500);
  EXPECT_EQ(r.error().message, "Internal service failure.");
  ASSERT_TRUE(sim_->SetFaults("fail_shards=,record_throttle_rate=1").ok());
  r = Wait<PutRecordResult>([&](auto cb) { backend_->client->PutRecord(request, cb); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ProvisionedThroughputExceededException");
  EXPECT_EQ(r.error().kind, ErrorKind::kThrottled);
  // A whole-request fault is answered in CBOR too.
  ASSERT_TRUE(sim_->SetFaults("record_throttle_rate=0,error_next=1,error_status=503").ok());
  r = Wait<PutRecordResult>([&](auto cb) { backend_->client->PutRecord(request, cb); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ServiceUnavailable");
  EXPECT_EQ(r.error().message, "kinesis-sim injected ServiceUnavailable");
  EXPECT_EQ(sim_->Counters().records_accepted, 0u);
}

}  // namespace
}  // namespace kinesis::wire::testing
