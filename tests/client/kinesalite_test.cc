// KinesisClient against kinesalite (JSON, HTTP/1.1): the calls a producer makes, read back, and
// every error class as kinesalite really answers it.
#include <gtest/gtest.h>

#include "backend_client.h"

namespace kinesis::wire::testing {
namespace {

constexpr char kName[] = "kinesalite";

TEST(Kinesalite, CreateListPutJsonAndReadBack) {
  Backend b(kName, Protocol::kJson);
  b.CreateActiveStream("lite-put", 2);
  auto shards = b.AllShards("lite-put");
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_EQ(shards[0].starting_hash_key, "0");
  EXPECT_EQ(shards[1].ending_hash_key, "340282366920938463463374607431768211455");
  EXPECT_FALSE(shards[0].closed());
  auto records = MakeRecords(50, 300);
  auto entries = Entries(records);
  auto put = Wait<PutRecordsResult>([&](auto cb) { b.client->PutRecords({"lite-put", ""}, entries, cb); });
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  EXPECT_EQ(put->failed_record_count, 0u);
  ASSERT_EQ(put->records.size(), 50u);
  for (const auto& r : put->records) {
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r.sequence_number.empty());
  }
  EXPECT_EQ(b.ReadAll("lite-put"), records);
}

TEST(Kinesalite, PutRecordWithExplicitHashKeyLandsInThatShard) {
  Backend b(kName, Protocol::kJson);
  b.CreateActiveStream("lite-one", 2);
  PutRecordRequest request{{"lite-one", ""}, {"payload", "pk", "340282366920938463463374607431768211455"}, ""};
  auto put = Wait<PutRecordResult>([&](auto cb) { b.client->PutRecord(request, cb); });
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  EXPECT_EQ(put->shard_id, b.AllShards("lite-one")[1].shard_id);
  auto summary = Wait<StreamSummary>([&](auto cb) { b.client->DescribeStreamSummary({"lite-one", ""}, cb); });
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->open_shard_count, 2u);
}

TEST(Kinesalite, SplitAndMergeShards) {
  Backend b(kName, Protocol::kJson);
  b.CreateActiveStream("lite-split", 1);
  auto split = Wait<Done>([&](auto cb) {
    b.client->SplitShard({{"lite-split", ""}, "shardId-000000000000", "170141183460469231731687303715884105728"}, cb);
  });
  ASSERT_TRUE(split.ok()) << split.error().ToString();
  b.CreateActiveStream("lite-split-wait", 1);  // gives the split time to finish
  auto shards = b.AllShards("lite-split");
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_TRUE(shards[0].closed());
  EXPECT_EQ(shards[1].parent_shard_id, "shardId-000000000000");
  auto merge = Wait<Done>([&](auto cb) {
    b.client->MergeShards({{"lite-split", ""}, shards[1].shard_id, shards[2].shard_id}, cb);
  });
  EXPECT_TRUE(merge.ok()) << merge.error().ToString();
  auto del = Wait<Done>([&](auto cb) { b.client->DeleteStream({"lite-split-wait", ""}, cb); });
  EXPECT_TRUE(del.ok()) << del.error().ToString();
}

TEST(Kinesalite, UnknownStreamIsFatalResourceNotFound) {
  Backend b(kName, Protocol::kJson);
  std::vector<PutRecordsEntry> entries = {{"x", "k", ""}};
  auto r = Wait<PutRecordsResult>([&](auto cb) { b.client->PutRecords({"lite-missing", ""}, entries, cb); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kFatal);
  EXPECT_EQ(r.error().code, "ResourceNotFoundException");
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_EQ(r.error().ToStatus().code(), StatusCode::kNotFound);
}

TEST(Kinesalite, InvalidInputsAreFatalValidationErrors) {
  Backend b(kName, Protocol::kJson);
  b.CreateActiveStream("lite-bad", 1);
  std::vector<PutRecordsEntry> empty_key = {{"x", "", ""}};
  auto r1 = Wait<PutRecordsResult>([&](auto cb) { b.client->PutRecords({"lite-bad", ""}, empty_key, cb); });
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().kind, ErrorKind::kFatal);
  EXPECT_EQ(r1.error().code, "ValidationException") << r1.error().ToString();
  auto records = MakeRecords(501, 1);  // the entries view these strings
  auto many = Entries(records);
  auto r2 = Wait<PutRecordsResult>([&](auto cb) { b.client->PutRecords({"lite-bad", ""}, many, cb); });
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().kind, ErrorKind::kFatal);
  EXPECT_EQ(r2.error().code, "ValidationException") << r2.error().ToString();
  std::vector<PutRecordsEntry> bad_hash = {{"x", "k", "not-a-number"}};
  auto r3 = Wait<PutRecordsResult>([&](auto cb) { b.client->PutRecords({"lite-bad", ""}, bad_hash, cb); });
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().kind, ErrorKind::kFatal) << r3.error().ToString();
}

// Raw requests through the transport, for what the client never sends on its own.
Result<http::HttpResponse> Raw(Backend& b, std::string body, bool with_auth) {
  http::HttpRequest request;
  request.url = b.url + "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "Kinesis_20131202.ListShards"}};
  if (with_auth) {
    request.headers.emplace_back("X-Amz-Date", "20260101T000000Z");
    request.headers.emplace_back(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/kinesis/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=0123456789abcdef");
  }
  request.body = std::move(body);
  std::promise<Result<http::HttpResponse>> p;
  auto f = p.get_future();
  b.transport->Send(std::move(request), [&p](Result<http::HttpResponse> r) { p.set_value(std::move(r)); });
  return f.get();
}

TEST(Kinesalite, MalformedBodyIsFatalSerializationException) {
  Backend b(kName, Protocol::kJson);
  auto r = Raw(b, "{\"StreamName\":", true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ApiError e = ErrorFromResponse(*r);
  EXPECT_EQ(e.code, "SerializationException");
  EXPECT_EQ(e.kind, ErrorKind::kFatal);
}

TEST(Kinesalite, MissingSignatureIsCredentialsError) {
  Backend b(kName, Protocol::kJson);
  auto r = Raw(b, "{}", false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ApiError e = ErrorFromResponse(*r);
  EXPECT_EQ(e.code, "MissingAuthenticationTokenException");
  EXPECT_EQ(e.kind, ErrorKind::kCredentials);
}

TEST(Kinesalite, ClosedPortIsRetriableNetworkError) {
  auto t = http::CurlTransport::Create({});
  ASSERT_TRUE(t.ok());
  std::shared_ptr<http::HttpTransport> transport = std::move(*t);
  KinesisClientOptions options;
  options.endpoint_override = "http://127.0.0.1:1";
  auto c = KinesisClient::Create(options, [] { return Result<auth::Credentials>(TestKeys()); }, transport);
  ASSERT_TRUE(c.ok());
  auto r = Wait<Done>([&](auto cb) { (*c)->DeleteStream({"x", ""}, cb); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NetworkError");
  EXPECT_TRUE(r.error().retriable());
  transport.reset();
}

}  // namespace
}  // namespace kinesis::wire::testing
