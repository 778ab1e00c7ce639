#include "kpl_messages.h"

#include <gtest/gtest.h>

#include "kpl_peer.h"

namespace kinesis::kpl {
namespace {

using std::chrono::milliseconds;

TEST(KplMessagesTest, PutRecordRoundTripWithAndWithoutExplicitHashKey) {
  std::string data("\0\x01payload\xff", 10);
  for (bool with_key : {false, true}) {
    PutRecord put{"stream-a", "key-1", std::nullopt, data};
    if (with_key) put.explicit_hash_key = "170141183460469231731687303715884105728";
    std::string bytes = EncodePutRecordMessage(42, put);
    Result<Message> m = DecodeMessage(bytes);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(m->id, 42u);
    EXPECT_EQ(m->kind, MessageKind::kPutRecord);
    Result<PutRecord> back = DecodePutRecord(m->body);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->stream_name, "stream-a");
    EXPECT_EQ(back->partition_key, "key-1");
    EXPECT_EQ(back->data, data);
    EXPECT_EQ(back->explicit_hash_key.has_value(), with_key);
    if (with_key) {
      EXPECT_EQ(*back->explicit_hash_key, *put.explicit_hash_key);
    }
  }
}

TEST(KplMessagesTest, PutRecordWithoutDataIsRefusedByName) {
  std::string bytes = EncodePutRecordMessage(1, PutRecord{"s", "k", std::nullopt, ""});
  Result<Message> m = DecodeMessage(bytes);
  ASSERT_TRUE(m.ok());
  // Empty data is still present on the wire (the Java side always sets it).
  EXPECT_TRUE(DecodePutRecord(m->body).ok());
  Result<PutRecord> missing = DecodePutRecord(std::string("\x0a\x01s\x12\x01k", 6));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "PutRecord: required field data (4) is missing");
}

TEST(KplMessagesTest, OtherRequestsRoundTrip) {
  // Decoded messages view their bytes: keep each encoding alive while reading it.
  std::string flush_bytes = EncodeFlushMessage(7, Flush{"s1"});
  Result<Message> flush = DecodeMessage(flush_bytes);
  ASSERT_TRUE(flush.ok());
  EXPECT_EQ(flush->kind, MessageKind::kFlush);
  EXPECT_EQ(DecodeFlush(flush->body)->stream_name, std::optional<std::string_view>("s1"));
  std::string all_bytes = EncodeFlushMessage(8, Flush{});
  Result<Message> all = DecodeMessage(all_bytes);
  ASSERT_TRUE(all.ok());
  EXPECT_FALSE(DecodeFlush(all->body)->stream_name.has_value());

  std::string metrics_bytes = EncodeMetricsRequestMessage(9, MetricsRequest{"UserRecordsPut", 1});
  Result<Message> metrics = DecodeMessage(metrics_bytes);
  ASSERT_TRUE(metrics.ok());
  Result<MetricsRequest> request = DecodeMetricsRequest(metrics->body);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->name, std::optional<std::string_view>("UserRecordsPut"));
  EXPECT_EQ(request->seconds, std::optional<uint64_t>(1));

  SetCredentials creds{true, "AKIDROTATED", "secret-2", "token-2"};
  std::string set_bytes = EncodeSetCredentialsMessage(UINT64_MAX >> 1, creds);
  Result<Message> set = DecodeMessage(set_bytes);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->id, UINT64_MAX >> 1);
  Result<SetCredentials> back = DecodeSetCredentials(set->body);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->for_metrics);
  EXPECT_EQ(back->access_key_id, "AKIDROTATED");
  EXPECT_EQ(back->secret_key, "secret-2");
  EXPECT_EQ(back->session_token, "token-2");

  std::string md_bytes = EncodeStreamMetadataMessage(10, StreamMetadata{"s", "stream-id-1"});
  Result<Message> md = DecodeMessage(md_bytes);
  ASSERT_TRUE(md.ok());
  EXPECT_EQ(DecodeStreamMetadata(md->body)->stream_id, "stream-id-1");
}

TEST(KplMessagesTest, PutRecordResultCarriesAttemptsAsTheKplReportsThem) {
  auto arrival = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  PutResult r;
  r.success = true;
  r.shard_id = "shardId-000000000001";
  r.sequence_number = "49000000000000000000000000000000000000000000000000000001";
  r.attempts.push_back(Attempt{arrival + milliseconds(120), milliseconds(30), false,
                               "ProvisionedThroughputExceededException", "slow down"});
  r.attempts.push_back(Attempt{arrival + milliseconds(400), milliseconds(25), true, "", ""});
  std::string frame;
  AppendPutRecordResult(5, 77, r, arrival, frame);

  FrameReader reader;
  reader.Feed(frame);
  Result<std::optional<std::string_view>> body = reader.Next();
  ASSERT_TRUE(body.ok() && body->has_value());
  Result<Message> m = DecodeMessage(**body);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, 5u);
  EXPECT_EQ(m->source_id, std::optional<uint64_t>(77));
  ASSERT_EQ(m->kind, MessageKind::kPutRecordResult);
  Result<DecodedPutRecordResult> d = DecodePutRecordResult(m->body);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->success);
  EXPECT_EQ(d->shard_id, r.shard_id);
  EXPECT_EQ(d->sequence_number, r.sequence_number);
  ASSERT_EQ(d->attempts.size(), 2u);
  // Delay: from arrival to the first try, then from the end of one try to the next.
  EXPECT_EQ(d->attempts[0].delay_ms, 120u);
  EXPECT_EQ(d->attempts[0].duration_ms, 30u);
  EXPECT_FALSE(d->attempts[0].success);
  EXPECT_EQ(d->attempts[0].error_code, "ProvisionedThroughputExceededException");
  EXPECT_EQ(d->attempts[0].error_message, "slow down");
  EXPECT_EQ(d->attempts[1].delay_ms, 250u);
  EXPECT_EQ(d->attempts[1].duration_ms, 25u);
  EXPECT_TRUE(d->attempts[1].success);
}

TEST(KplMessagesTest, FailureWithoutTriesStillNamesItsCodeInAnAttempt) {
  PutResult r;
  r.error_code = "Expired";
  r.error_message = "record expired before it was sent";
  std::string frame;
  AppendPutRecordResult(1, 2, r, std::chrono::system_clock::now(), frame);
  Result<Message> m = DecodeMessage(std::string_view(frame).substr(4));
  ASSERT_TRUE(m.ok());
  Result<DecodedPutRecordResult> d = DecodePutRecordResult(m->body);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->success);
  ASSERT_EQ(d->attempts.size(), 1u);
  EXPECT_EQ(d->attempts[0].error_code, "Expired");

  std::string refused;
  AppendRefusedResult(3, 4, "QueueFull", "buffer full", refused);
  Result<Message> rm = DecodeMessage(std::string_view(refused).substr(4));
  ASSERT_TRUE(rm.ok());
  EXPECT_EQ(rm->source_id, std::optional<uint64_t>(4));
  Result<DecodedPutRecordResult> rd = DecodePutRecordResult(rm->body);
  ASSERT_TRUE(rd.ok());
  EXPECT_FALSE(rd->success);
  ASSERT_EQ(rd->attempts.size(), 1u);
  EXPECT_EQ(rd->attempts[0].error_code, "QueueFull");
  EXPECT_EQ(rd->attempts[0].error_message, "buffer full");
}

TEST(KplMessagesTest, MetricsResponseRoundTrip) {
  MetricValue v;
  v.name = "UserRecordsPut";
  v.dimensions = {{"ShardId", "shardId-000000000000"}, {"StreamName", "s"}};
  v.count = 3;
  v.sum = 12.5;
  v.mean = 4.25;
  v.min = 1;
  v.max = 7.5;
  std::string frame;
  AppendMetricsResponse(9, 11, {v, MetricValue{"AllErrors", "Count", {}, 0}}, 60, frame);
  Result<Message> m = DecodeMessage(std::string_view(frame).substr(4));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->kind, MessageKind::kMetricsResponse);
  Result<std::vector<DecodedMetric>> d = DecodeMetricsResponse(m->body);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->size(), 2u);
  const DecodedMetric& a = (*d)[0];
  EXPECT_EQ(a.name, "UserRecordsPut");
  ASSERT_EQ(a.dimensions.size(), 2u);
  // In the KPL's order: StreamName, then ShardId.
  EXPECT_EQ(a.dimensions[0], (std::pair<std::string, std::string>{"StreamName", "s"}));
  EXPECT_EQ(a.dimensions[1],
            (std::pair<std::string, std::string>{"ShardId", "shardId-000000000000"}));
  EXPECT_EQ(a.count, 3);
  EXPECT_EQ(a.sum, 12.5);
  EXPECT_EQ(a.mean, 4.25);
  EXPECT_EQ(a.min, 1);
  EXPECT_EQ(a.max, 7.5);
  EXPECT_EQ(a.seconds, 60u);
  EXPECT_TRUE((*d)[1].dimensions.empty());
}

TEST(KplMessagesTest, FramesSplitAnywhereComeOutWhole) {
  std::string stream = Frame(EncodeFlushMessage(1, Flush{"a"})) +
                       Frame(EncodePutRecordMessage(2, PutRecord{"s", "k", std::nullopt, "d"})) +
                       Frame(EncodeFlushMessage(3, Flush{}));
  FrameReader reader;
  std::vector<uint64_t> ids;
  for (char c : stream) {  // one byte at a time
    reader.Feed(std::string_view(&c, 1));
    while (true) {
      auto next = reader.Next();
      ASSERT_TRUE(next.ok());
      if (!next->has_value()) break;
      ids.push_back(DecodeMessage(**next)->id);
    }
  }
  EXPECT_EQ(ids, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_TRUE(reader.Finish().ok());
}

TEST(KplMessagesTest, TruncatedFrameIsReportedAtEndOfInput) {
  std::string frame = Frame(EncodePutRecordMessage(2, PutRecord{"s", "k", std::nullopt, "data"}));
  FrameReader reader;
  reader.Feed(std::string_view(frame).substr(0, frame.size() - 3));
  auto next = reader.Next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  Status s = reader.Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "input ended inside a message: " + std::to_string(frame.size() - 7) +
                             " of " + std::to_string(frame.size() - 4) + " bytes");
  FrameReader prefix;
  prefix.Feed(std::string_view("\0\0", 2));
  EXPECT_EQ(prefix.Finish().message(), "input ended inside a length prefix: 2 of 4 bytes");
}

TEST(KplMessagesTest, OversizedLengthNamesValueAndLimit) {
  FrameReader reader;
  reader.Feed(std::string_view("\x00\xb0\x00\x01", 4));  // 11534337 = limit + 1
  auto next = reader.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(next.status().message(),
            "message length 11534337 bytes is above the limit of 11534336 bytes (framing lost)");
}

TEST(KplMessagesTest, MalformedMessagesAreClearErrors) {
  Result<Message> no_id = DecodeMessage(std::string("\x22\x00", 2));  // Flush only
  ASSERT_FALSE(no_id.ok());
  EXPECT_EQ(no_id.status().message(), "Message: required field id (1) is missing");
  Result<Message> truncated =
      DecodeMessage(std::string("\x08\x01\x1a\x05"
                                "ab",
                                6));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().message(), "Message: truncated field 3 at byte 2 of 6");
}

TEST(KplMessagesTest, HexDecodingNamesTheOptionAndTheCharacter) {
  EXPECT_EQ(*DecodeHex("-c", "0aFf"), std::string("\x0a\xff", 2));
  EXPECT_EQ(DecodeHex("-k", "abc").status().message(), "-k: hexadecimal text of odd length 3");
  EXPECT_EQ(DecodeHex("-c", "0g").status().message(),
            "-c: character 'g' at offset 1 is not hexadecimal");
  EXPECT_EQ(ToHex(std::string("\x0a\xff", 2)), "0AFF");
}

}  // namespace
}  // namespace kinesis::kpl
