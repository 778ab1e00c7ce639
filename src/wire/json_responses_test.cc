#include "wire/json_responses.h"

#include <gtest/gtest.h>

#include "wire/api_error.h"

namespace kinesis::wire {
namespace {

TEST(ParsePutRecordsJson, ReadsEntriesInOrderWithNulls) {
  std::string body = R"({"FailedRecordCount":1,"Records":[
    {"SequenceNumber":"49","ShardId":"shardId-000000000001","ErrorCode":null,"ErrorMessage":null},
    {"SequenceNumber":null,"ShardId":null,"ErrorCode":"ProvisionedThroughputExceededException",
     "ErrorMessage":"Rate exceeded"}],"EncryptionType":"NONE"})";
  auto r = ParsePutRecordsJson(body, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->failed_record_count, 1u);
  ASSERT_EQ(r->records.size(), 2u);
  EXPECT_TRUE(r->records[0].ok());
  EXPECT_EQ(r->records[0].shard_id, "shardId-000000000001");
  EXPECT_EQ(r->records[0].sequence_number, "49");
  EXPECT_FALSE(r->records[1].ok());
  EXPECT_EQ(r->records[1].error_code, "ProvisionedThroughputExceededException");
  EXPECT_EQ(r->records[1].error_message, "Rate exceeded");
  EXPECT_EQ(r->encryption_type, "NONE");
}

TEST(ParsePutRecordsJson, WrongCountMalformedTruncatedAreCorruption) {
  std::string ok = R"({"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"s"}]})";
  auto wrong = ParsePutRecordsJson(ok, 2);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kCorruption);
  EXPECT_NE(wrong.status().message().find("1 entries for a request of 2"), std::string::npos);
  for (std::string bad : {std::string(""), std::string("{"), ok.substr(0, ok.size() - 3),
                          std::string(R"({"Records":{}})"), std::string(R"({"Records":[1]})"),
                          std::string(R"({"FailedRecordCount":"x","Records":[]})"),
                          std::string(R"({"FailedRecordCount":0})"), std::string("[]"),
                          ok + "x", std::string(R"({"Records":[{"ShardId":"s"}]})"),
                          std::string(R"({"FailedRecordCount":1,"Records":[{"SequenceNumber":"1","ShardId":"s"}]})")}) {
    auto r = ParsePutRecordsJson(bad, 1);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << bad;
  }
}

TEST(ParseListShardsJson, ReadsRangesParentsClosedShardsAndToken) {
  std::string body = R"({"Shards":[
    {"ShardId":"shardId-0","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"99"},
     "SequenceNumberRange":{"StartingSequenceNumber":"1","EndingSequenceNumber":"9"}},
    {"ShardId":"shardId-1","ParentShardId":"shardId-0","AdjacentParentShardId":null,
     "HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"49"},
     "SequenceNumberRange":{"StartingSequenceNumber":"10"}}],"NextToken":"t"})";
  auto r = ParseListShardsJson(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->shards.size(), 2u);
  EXPECT_TRUE(r->shards[0].closed());
  EXPECT_EQ(r->shards[0].ending_hash_key, "99");
  EXPECT_FALSE(r->shards[1].closed());
  EXPECT_EQ(r->shards[1].parent_shard_id, "shardId-0");
  EXPECT_EQ(r->next_token, "t");
  EXPECT_FALSE(ParseListShardsJson(R"({"Shards":[{"HashKeyRange":{}}]})").ok());
  EXPECT_FALSE(ParseListShardsJson(R"({"Shards":[{"ShardId":"a","HashKeyRange":5}]})").ok());
}

TEST(ParseOtherResponses, SummaryIteratorRecordsPutRecord) {
  auto s = ParseDescribeStreamSummaryJson(
      R"({"StreamDescriptionSummary":{"StreamName":"s","StreamARN":"arn","StreamStatus":"ACTIVE",)"
      R"("StreamModeDetails":{"StreamMode":"ON_DEMAND"},"OpenShardCount":4,"MaxRecordSizeInKiB":1024}})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->stream_status, "ACTIVE");
  EXPECT_EQ(s->stream_mode, "ON_DEMAND");
  EXPECT_EQ(s->open_shard_count, 4u);
  EXPECT_EQ(s->max_record_size_kib, 1024u);
  EXPECT_FALSE(ParseDescribeStreamSummaryJson("{}").ok());
  EXPECT_EQ(*ParseGetShardIteratorJson(R"({"ShardIterator":"abc"})"), "abc");
  EXPECT_FALSE(ParseGetShardIteratorJson("{}").ok());
  auto g = ParseGetRecordsJson(
      R"({"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":"aGk="}],)"
      R"("NextShardIterator":"n","MillisBehindLatest":0})");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->records[0].data, "hi");
  EXPECT_EQ(g->next_shard_iterator, "n");
  EXPECT_FALSE(ParseGetRecordsJson(R"({"Records":[{"Data":"a"}]})").ok());
  auto p = ParsePutRecordJson(R"({"ShardId":"s","SequenceNumber":"1"})");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->shard_id, "s");
  EXPECT_FALSE(ParsePutRecordJson(R"({"ShardId":"s"})").ok());
}

TEST(ParseErrorJson, TypeAndEitherMessageSpelling) {
  auto e = ParseErrorJson(R"({"__type":"com.amazonaws.kinesis#ResourceNotFoundException","Message":"gone"})");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(NormalizeErrorCode(e->type), "ResourceNotFoundException");
  EXPECT_EQ(e->message, "gone");
  EXPECT_FALSE(ParseErrorJson("<html>").ok());
}

TEST(ApiError, ClassificationTable) {
  EXPECT_EQ(ClassifyServiceError("ProvisionedThroughputExceededException", 400), ErrorKind::kThrottled);
  EXPECT_EQ(ClassifyServiceError("LimitExceededException", 400), ErrorKind::kThrottled);
  EXPECT_EQ(ClassifyServiceError("KMSThrottlingException", 400), ErrorKind::kThrottled);
  EXPECT_EQ(ClassifyServiceError("InternalFailure", 500), ErrorKind::kRetriable);
  EXPECT_EQ(ClassifyServiceError("", 503), ErrorKind::kRetriable);
  EXPECT_EQ(ClassifyServiceError("Whatever", 502), ErrorKind::kRetriable);
  EXPECT_EQ(ClassifyServiceError("", 429), ErrorKind::kThrottled);
  EXPECT_EQ(ClassifyServiceError("ExpiredTokenException", 400), ErrorKind::kCredentials);
  EXPECT_EQ(ClassifyServiceError("UnrecognizedClientException", 400), ErrorKind::kCredentials);
  EXPECT_EQ(ClassifyServiceError("MissingAuthenticationTokenException", 400), ErrorKind::kCredentials);
  for (const char* fatal : {"ValidationException", "InvalidArgumentException",
                            "ResourceNotFoundException", "AccessDeniedException",
                            "KMSDisabledException", "KMSNotFoundException",
                            "SerializationException", "SomethingNew"}) {
    EXPECT_EQ(ClassifyServiceError(fatal, 400), ErrorKind::kFatal) << fatal;
  }
  EXPECT_EQ(ClassifyServiceError("", 413), ErrorKind::kFatal);
  EXPECT_EQ(NormalizeErrorCode("ThrottlingException:http://internal.amazon.com/coral/"),
            "ThrottlingException");
}

TEST(ApiError, StatusMappingKeepsCodeAndMessage) {
  ApiError e{ErrorKind::kFatal, 400, "ResourceNotFoundException", "Stream s not found"};
  Status s = e.ToStatus();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "ResourceNotFoundException: Stream s not found (HTTP 400, fatal)");
  EXPECT_EQ((ApiError{ErrorKind::kCredentials, 400, "ExpiredTokenException", ""}).ToStatus().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ((ApiError{ErrorKind::kThrottled, 400, "X", ""}).ToStatus().code(), StatusCode::kUnavailable);
  EXPECT_EQ(TransportError(Status::DeadlineExceeded("t")).ToStatus().code(),
            StatusCode::kDeadlineExceeded);
  EXPECT_EQ(TransportError(Status::Unavailable("n")).code, "NetworkError");
  EXPECT_FALSE(TransportError(Status::InvalidArgument("u")).retriable());
  EXPECT_EQ(MalformedResponse(200, Status::Corruption("x")).kind, ErrorKind::kRetriable);
}

}  // namespace
}  // namespace kinesis::wire
