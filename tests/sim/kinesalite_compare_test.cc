// The same raw requests to kinesalite (FIXTURES kinesalite) and to kinesis-sim; the answers
// must agree where kinesalite is faithful to the service: hash-key layout, routing, sequence
// ordering, error types and HTTP statuses, request limits.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "sim/base64.h"
#include "sim_test_util.h"

namespace kinesis::sim::testing {
namespace {

uint16_t KinesalitePort() {
  const char* dir = std::getenv("KP_BACKEND_DIR");
  if (!dir) return 0;
  std::ifstream in(std::string(dir) + "/kinesalite.port");
  int port = 0;
  in >> port;
  return static_cast<uint16_t>(port);
}

class CompareTest : public SimTest {
 protected:
  void SetUp() override {
    StartSim([](SimOptions& o) { o.limits = false; });
    uint16_t port = KinesalitePort();
    ASSERT_NE(port, 0) << "no $KP_BACKEND_DIR/kinesalite.port";
    lite_ = std::make_unique<RawClient>(port);
    prefix_ = "cmp" + std::to_string(getpid()) + "-";
  }

  // Creates `name` on both and waits until kinesalite reports it ACTIVE.
  void CreateBoth(const std::string& name, int shards) {
    std::string body = "{\"StreamName\":\"" + name + "\",\"ShardCount\":" + std::to_string(shards) + "}";
    ASSERT_EQ(Call("CreateStream", body).status, 200);
    RawResponse r = lite_->Call("CreateStream", body);
    ASSERT_EQ(r.status, 200) << r.body;
    for (int i = 0; i < 200; ++i) {
      r = lite_->Call("DescribeStreamSummary", "{\"StreamName\":\"" + name + "\"}");
      if (JsonString(r.body, "StreamStatus") == "ACTIVE") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "kinesalite stream " << name << " never became ACTIVE: " << r.body;
  }

  // Both answers, asserting the same status and error type.
  void ExpectSameError(const std::string& action, const std::string& body) {
    RawResponse ours = Call(action, body);
    RawResponse theirs = lite_->Call(action, body);
    EXPECT_EQ(ours.status, theirs.status) << action << " " << body.substr(0, 200) << "\nours: "
                                          << ours.body << "\nkinesalite: " << theirs.body;
    EXPECT_EQ(JsonString(ours.body, "__type"), JsonString(theirs.body, "__type"))
        << action << " " << body.substr(0, 200) << "\nours: " << ours.body.substr(0, 300)
        << "\nkinesalite: " << theirs.body.substr(0, 300);
  }

  std::unique_ptr<RawClient> lite_;
  std::string prefix_;
  simdjson::dom::parser lite_parser_;
};

TEST_F(CompareTest, HashKeyRangesForOneToSevenShards) {
  for (int n = 1; n <= 7; ++n) {
    std::string name = prefix_ + "ranges" + std::to_string(n);
    CreateBoth(name, n);
    std::string body = "{\"StreamName\":\"" + name + "\"}";
    auto ours = Json(Call("ListShards", body))["Shards"].get_array();
    RawResponse r = lite_->Call("ListShards", body);
    auto theirs = lite_parser_.parse(r.body)["Shards"].get_array();
    ASSERT_EQ(ours.size(), theirs.size()) << r.body;
    for (size_t i = 0; i < ours.size(); ++i) {
      for (const char* field : {"StartingHashKey", "EndingHashKey"}) {
        EXPECT_EQ(ours.at(i)["HashKeyRange"][field].get_string().value(),
                  theirs.at(i)["HashKeyRange"][field].get_string().value())
            << n << " shards, shard " << i << " " << field;
      }
      EXPECT_EQ(ours.at(i)["ShardId"].get_string().value(),
                theirs.at(i)["ShardId"].get_string().value());
    }
  }
}

TEST_F(CompareTest, RoutingAndSequenceOrderAgree) {
  std::string name = prefix_ + "routing";
  CreateBoth(name, 5);
  std::string body = "{\"StreamName\":\"" + name + "\",\"Records\":[";
  for (int i = 0; i < 300; ++i) {
    if (i) body += ",";
    body += "{\"Data\":\"" + Base64Encode("r" + std::to_string(i)) + "\",\"PartitionKey\":\"" +
            (i % 7 == 0 ? std::string("\xc3\xa9t\xc3\xa9-") : std::string("user-")) +
            std::to_string(i * 7919) + "\"" +
            (i % 10 == 9 ? ",\"ExplicitHashKey\":\"" + std::to_string(i) + "000000000000000000000000000000000000\"" : "") +
            "}";
  }
  body += "]}";
  for (int round = 0; round < 2; ++round) {
    auto ours = Json(Call("PutRecords", body))["Records"].get_array();
    RawResponse r = lite_->Call("PutRecords", body);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    auto theirs = lite_parser_.parse(r.body)["Records"].get_array();
    ASSERT_EQ(ours.size(), theirs.size());
    std::map<std::string, std::string> last_ours, last_theirs;
    for (size_t i = 0; i < ours.size(); ++i) {
      std::string shard(ours.at(i)["ShardId"].get_string().value());
      EXPECT_EQ(shard, std::string(theirs.at(i)["ShardId"].get_string().value())) << "record " << i;
      std::string seq(ours.at(i)["SequenceNumber"].get_string().value());
      std::string lite_seq(theirs.at(i)["SequenceNumber"].get_string().value());
      EXPECT_EQ(seq.size(), lite_seq.size());
      EXPECT_GT(seq, last_ours[shard]);
      EXPECT_GT(lite_seq, last_theirs[shard]);
      last_ours[shard] = seq;
      last_theirs[shard] = lite_seq;
    }
  }
}

TEST_F(CompareTest, ErrorTypesAndStatusesAgree) {
  std::string name = prefix_ + "errors";
  CreateBoth(name, 2);
  std::string s = "\"StreamName\":\"" + name + "\"";
  auto records = [](int n, size_t bytes, const std::string& key) {
    std::string data = Base64Encode(std::string(bytes, 'd'));
    std::string out = "[";
    for (int i = 0; i < n; ++i) {
      out += (i ? "," : "") + std::string("{\"Data\":\"") + data + "\",\"PartitionKey\":\"" + key + "\"}";
    }
    return out + "]";
  };
  ExpectSameError("PutRecords", "{" + s + ",\"Records\":" + records(501, 1, "k") + "}");
  ExpectSameError("PutRecords", "{" + s + ",\"Records\":[]}");
  ExpectSameError("PutRecords", "{" + s + ",\"Records\":" + records(1, 1024 * 1024 + 1, "k") + "}");
  ExpectSameError("PutRecords", "{" + s + ",\"Records\":" + records(2, 1024 * 1024, "k") + "}");
  ExpectSameError("PutRecords", "{" + s + ",\"Records\":" + records(1, 1, std::string(257, 'k')) + "}");
  ExpectSameError("PutRecords", "{" + s + ",\"Records\":" + records(1, 1, "") + "}");
  ExpectSameError("PutRecords", "{\"StreamName\":\"" + prefix_ + "missing\",\"Records\":" + records(1, 1, "k") + "}");
  ExpectSameError("PutRecord", "{" + s + ",\"Data\":\"AA==\",\"PartitionKey\":\"k\",\"ExplicitHashKey\":\"340282366920938463463374607431768211456\"}");
  ExpectSameError("PutRecord", "{" + s + ",\"Data\":\"AA==\",\"PartitionKey\":\"k\",\"ExplicitHashKey\":\"abc\"}");
  ExpectSameError("PutRecord", "{" + s + ",\"Data\":\"AA==\",\"PartitionKey\":\"" + std::string(256, 'k') + "\"}");
  ExpectSameError("PutRecord", "{" + s + ",\"Data\":\"AA==\"}");
  ExpectSameError("PutRecord", "{" + s + ",\"Data\":");
  ExpectSameError("DescribeStreamSummary", "{\"StreamName\":\"" + prefix_ + "missing\"}");
  ExpectSameError("CreateStream", "{" + s + ",\"ShardCount\":1}");
  ExpectSameError("ListShards", "{" + s + ",\"NextToken\":\"abc\"}");
  ExpectSameError("SplitShard", "{" + s + ",\"ShardToSplit\":\"shardId-000000000000\",\"NewStartingHashKey\":\"0\"}");
  ExpectSameError("MergeShards", "{" + s + ",\"ShardToMerge\":\"shardId-000000000000\",\"AdjacentShardToMerge\":\"shardId-000000000007\"}");
  ExpectSameError("NoSuchAction", "{}");
}

}  // namespace
}  // namespace kinesis::sim::testing
