// KinesisClient against kinesis-mock: ListShards paging and filters, StreamARN, CBOR, HTTP/2
// (h2c), resharding, and the error classes as kinesis-mock answers them. Small volumes only:
// kinesis-mock is slow.
#include <gtest/gtest.h>

#include "backend_client.h"

namespace kinesis::wire::testing {
namespace {

constexpr char kName[] = "kinesis_mock";

TEST(KinesisMock, ListShardsPagesWithSmallMaxResultsAndFilters) {
  Backend b(kName, Protocol::kJson);
  b.CreateActiveStream("mock-list", 3);
  auto paged = b.AllShards("mock-list", /*page_size=*/1);
  ASSERT_EQ(paged.size(), 3u);
  EXPECT_EQ(paged[0].shard_id, "shardId-000000000000");
  EXPECT_EQ(paged[2].shard_id, "shardId-000000000002");
  ListShardsRequest filtered;
  filtered.stream.name = "mock-list";
  filtered.shard_filter_type = "AFTER_SHARD_ID";
  filtered.shard_filter_shard_id = "shardId-000000000000";
  auto r = Wait<ListShardsResult>([&](auto cb) { b.client->ListShards(filtered, cb); });
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->shards.size(), 2u);
  EXPECT_EQ(r->shards[0].shard_id, "shardId-000000000001");
}

void PutAndReadBack(Protocol protocol, http::HttpVersion version, const std::string& stream,
                    bool by_arn) {
  Backend b(kName, protocol, version);
  b.CreateActiveStream(stream, 2);
  auto summary = Wait<StreamSummary>([&](auto cb) { b.client->DescribeStreamSummary({stream, ""}, cb); });
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  EXPECT_EQ(summary->stream_mode, "PROVISIONED");
  auto records = MakeRecords(20, 200);
  auto entries = Entries(records);
  StreamRef ref{by_arn ? std::string_view() : std::string_view(stream),
                by_arn ? std::string_view(summary->stream_arn) : std::string_view()};
  auto put = Wait<PutRecordsResult>([&](auto cb) { b.client->PutRecords(ref, entries, cb); });
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  EXPECT_EQ(put->failed_record_count, 0u);
  ASSERT_EQ(put->records.size(), 20u);
  for (const auto& r : put->records) EXPECT_TRUE(r.ok()) << r.error_code;
  auto one = Wait<PutRecordResult>([&](auto cb) {
    b.client->PutRecord({ref, {std::string_view("\x00\xff", 2), "zz-single", ""}, ""}, cb);
  });
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  records.emplace_back("zz-single", std::string("\x00\xff", 2));
  EXPECT_EQ(b.ReadAll(stream), records);
}

TEST(KinesisMock, PutRecordsJsonReadBack) {
  PutAndReadBack(Protocol::kJson, http::HttpVersion::kHttp1, "mock-json", false);
}

TEST(KinesisMock, PutRecordsCborReadBack) {
  PutAndReadBack(Protocol::kCbor, http::HttpVersion::kHttp1, "mock-cbor", false);
}

TEST(KinesisMock, PutRecordsByStreamArn) {
  PutAndReadBack(Protocol::kJson, http::HttpVersion::kHttp1, "mock-arn", true);
}

TEST(KinesisMock, UpdateShardCountAndOnDemandStream) {
  Backend b(kName, Protocol::kJson);
  b.CreateActiveStream("mock-scale", 1);
  auto up = Wait<Done>([&](auto cb) { b.client->UpdateShardCount({{"mock-scale", ""}, 2}, cb); });
  ASSERT_TRUE(up.ok()) << up.error().ToString();
  auto created = Wait<Done>([&](auto cb) { b.client->CreateStream({"mock-ondemand", 0, true}, cb); });
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  auto summary = Wait<StreamSummary>([&](auto cb) { b.client->DescribeStreamSummary({"mock-ondemand", ""}, cb); });
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  EXPECT_EQ(summary->stream_mode, "ON_DEMAND");
}

TEST(KinesisMock, ErrorClassesAsServed) {
  for (Protocol protocol : {Protocol::kJson, Protocol::kCbor}) {
    Backend b(kName, protocol);
    std::vector<PutRecordsEntry> entries = {{"x", "k", ""}};
    auto missing = Wait<PutRecordsResult>([&](auto cb) { b.client->PutRecords({"mock-missing", ""}, entries, cb); });
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "ResourceNotFoundException") << missing.error().ToString();
    EXPECT_EQ(missing.error().kind, ErrorKind::kFatal);
    auto dup = Wait<Done>([&](auto cb) { b.client->CreateStream({"mock-dup", 1, false}, cb); });
    auto again = Wait<Done>([&](auto cb) { b.client->CreateStream({"mock-dup", 1, false}, cb); });
    if (protocol == Protocol::kJson) {
      ASSERT_TRUE(dup.ok()) << dup.error().ToString();
      ASSERT_FALSE(again.ok());
      EXPECT_EQ(again.error().code, "ResourceInUseException") << again.error().ToString();
      EXPECT_EQ(again.error().kind, ErrorKind::kFatal);
    }
    std::string long_key(300, 'k');  // the entry views it
    std::vector<PutRecordsEntry> bad_key = {{"x", long_key, ""}};
    auto bad = Wait<PutRecordsResult>([&](auto cb) { b.client->PutRecords({"mock-dup", ""}, bad_key, cb); });
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, ErrorKind::kFatal) << bad.error().ToString();
  }
}

}  // namespace
}  // namespace kinesis::wire::testing
