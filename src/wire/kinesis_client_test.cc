// KinesisClient over FakeTransport: request shape, signing, response and error mapping.
#include "wire/kinesis_client.h"

#include <gtest/gtest.h>

#include "http/fake_transport.h"

namespace kinesis::wire {
namespace {

auth::Credentials Keys() { return {"AKIDEXAMPLE", "secret", "token", std::nullopt}; }

struct Fixture {
  std::shared_ptr<http::FakeTransport> fake = std::make_shared<http::FakeTransport>();
  std::unique_ptr<KinesisClient> client;
  explicit Fixture(Protocol protocol = Protocol::kJson,
                   CredentialSource source = [] { return Result<auth::Credentials>(Keys()); }) {
    KinesisClientOptions options;
    options.region = "us-west-2";
    options.endpoint_override = "http://127.0.0.1:4567";
    options.protocol = protocol;
    auto c = KinesisClient::Create(options, source, fake);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    client = std::move(*c);
  }
};

template <typename T>
ApiResult<T> Capture(std::function<void(KinesisClient::Callback<T>)> call) {
  std::optional<ApiResult<T>> out;
  call([&](ApiResult<T> r) { out.emplace(std::move(r)); });
  EXPECT_TRUE(out.has_value());
  return std::move(*out);
}

std::string Header(const http::HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) if (k == name) return v;
  return "<absent>";
}

TEST(KinesisClient, PutRecordsSendsSignedJsonAndParsesResult) {
  Fixture f;
  f.fake->EnqueueResponse(200, R"({"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"shardId-0"}]})");
  std::vector<PutRecordsEntry> records = {{"hi", "k", ""}};
  auto r = Capture<PutRecordsResult>([&](auto cb) { f.client->PutRecords({"s", ""}, records, cb); });
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->records[0].shard_id, "shardId-0");
  auto sent = f.fake->requests().at(0);
  EXPECT_EQ(sent.url, "http://127.0.0.1:4567/");
  EXPECT_EQ(Header(sent, "Host"), "127.0.0.1:4567");
  EXPECT_EQ(Header(sent, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(Header(sent, "X-Amz-Target"), "Kinesis_20131202.PutRecords");
  EXPECT_EQ(Header(sent, "X-Amz-Security-Token"), "token");
  std::string authorization = Header(sent, "Authorization");
  EXPECT_EQ(authorization.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0), 0u) << authorization;
  EXPECT_NE(authorization.find("/us-west-2/kinesis/aws4_request"), std::string::npos);
  EXPECT_EQ(sent.body, R"({"Records":[{"Data":"aGk=","PartitionKey":"k"}],"StreamName":"s"})");
}

TEST(KinesisClient, CborProtocolForPutRecordsOnly) {
  Fixture f(Protocol::kCbor);
  f.fake->EnqueueResponse(500, "");
  f.fake->EnqueueResponse(400, "");
  std::vector<PutRecordsEntry> records = {{"hi", "k", ""}};
  auto r = Capture<PutRecordsResult>([&](auto cb) { f.client->PutRecords({"s", ""}, records, cb); });
  EXPECT_FALSE(r.ok());
  auto d = Capture<Done>([&](auto cb) { f.client->DeleteStream({"s", ""}, cb); });
  auto sent = f.fake->requests();
  EXPECT_EQ(Header(sent[0], "Content-Type"), "application/x-amz-cbor-1.1");
  EXPECT_EQ(Header(sent[1], "Content-Type"), "application/x-amz-json-1.1");
}

TEST(KinesisClient, ServiceErrorsAreClassifiedKeepingCodeAndMessage) {
  Fixture f;
  f.fake->EnqueueResponse(400, R"({"__type":"ResourceNotFoundException","message":"Stream s not found"})");
  f.fake->EnqueueResponse(400, R"({"__type":"x#ExpiredTokenException","message":"old"})");
  f.fake->EnqueueResponse(503, "<html>busy</html>");
  f.fake->EnqueueResponse(400, "{}", {{"x-amzn-errortype", "ThrottlingException:http://x/"}});
  f.fake->Enqueue(Status::DeadlineExceeded("slow"));
  f.fake->EnqueueResponse(200, R"({"FailedRecordCount":0,"Records":[]})");  // wrong count
  f.fake->EnqueueResponse(200, R"({"Shards":[)");                           // truncated
  auto call = [&] {
    return Capture<StreamSummary>([&](auto cb) { f.client->DescribeStreamSummary({"s", ""}, cb); });
  };
  auto nf = call();
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.error().kind, ErrorKind::kFatal);
  EXPECT_EQ(nf.error().code, "ResourceNotFoundException");
  EXPECT_EQ(nf.error().message, "Stream s not found");
  EXPECT_EQ(nf.error().http_status, 400);
  EXPECT_EQ(call().error().kind, ErrorKind::kCredentials);
  auto busy = call();
  EXPECT_EQ(busy.error().kind, ErrorKind::kRetriable);
  EXPECT_EQ(busy.error().code, "HTTP503");
  auto throttled = call();
  EXPECT_EQ(throttled.error().kind, ErrorKind::kThrottled);
  EXPECT_EQ(throttled.error().code, "ThrottlingException");
  auto timeout = call();
  EXPECT_EQ(timeout.error().code, "RequestTimeout");
  EXPECT_TRUE(timeout.error().retriable());
  std::vector<PutRecordsEntry> records = {{"a", "k", ""}};
  auto wrong = Capture<PutRecordsResult>([&](auto cb) { f.client->PutRecords({"s", ""}, records, cb); });
  EXPECT_EQ(wrong.error().code, "MalformedResponse");
  ListShardsRequest list;
  list.stream.name = "s";
  auto truncated = Capture<ListShardsResult>([&](auto cb) { f.client->ListShards(list, cb); });
  EXPECT_EQ(truncated.error().code, "MalformedResponse");
}

TEST(KinesisClient, BadArgumentsAndMissingCredentialsFailBeforeSending) {
  Fixture f(Protocol::kJson, [] { return Result<auth::Credentials>(Status::NotFound("no keys in chain")); });
  auto bad = Capture<Done>([&](auto cb) { f.client->DeleteStream({"", ""}, cb); });
  EXPECT_EQ(bad.error().code, "InvalidRequest");
  EXPECT_EQ(bad.error().kind, ErrorKind::kFatal);
  auto creds = Capture<Done>([&](auto cb) { f.client->DeleteStream({"s", ""}, cb); });
  EXPECT_EQ(creds.error().code, "MissingCredentials");
  EXPECT_EQ(creds.error().kind, ErrorKind::kCredentials);
  EXPECT_NE(creds.error().message.find("no keys in chain"), std::string::npos);
  EXPECT_EQ(f.fake->request_count(), 0u);
}

TEST(KinesisClient, CreateRejectsBadEndpointRegionAndMissingParts) {
  auto fake = std::make_shared<http::FakeTransport>();
  CredentialSource source = [] { return Result<auth::Credentials>(Keys()); };
  KinesisClientOptions options;
  options.endpoint_override = "localhost:4567";
  EXPECT_EQ(KinesisClient::Create(options, source, fake).status().code(), StatusCode::kInvalidArgument);
  options.endpoint_override = "";
  options.region = "Mars 1";
  options.env = [](std::string_view) { return std::optional<std::string>(); };
  EXPECT_EQ(KinesisClient::Create(options, source, fake).status().code(), StatusCode::kInvalidArgument);
  options.region = "us-east-1";
  EXPECT_FALSE(KinesisClient::Create(options, nullptr, fake).ok());
  EXPECT_FALSE(KinesisClient::Create(options, source, nullptr).ok());
  auto ok = KinesisClient::Create(options, source, fake);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->endpoint().host, "kinesis.us-east-1.amazonaws.com");
}

}  // namespace
}  // namespace kinesis::wire
