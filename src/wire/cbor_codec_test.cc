#include "wire/cbor_codec.h"

#include <gtest/gtest.h>

#include <vector>

namespace kinesis::wire {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// Small CBOR writers for building test responses.
std::string T(std::string_view s) {
  if (s.size() < 24) return static_cast<char>(0x60 + s.size()) + std::string(s);
  return Bytes({0x78, static_cast<int>(s.size())}) + std::string(s);
}

TEST(CborCodec, PutRecordsBodyHasByteStringDataAndStreamName) {
  std::vector<PutRecordsEntry> records = {{"\x01\x02", "k", ""}};
  std::string out;
  ASSERT_TRUE(BuildPutRecordsCbor({"s", ""}, records, out).ok());
  std::string expected = Bytes({0xA2}) + T("Records") + Bytes({0x81, 0xA2}) + T("Data") +
                         Bytes({0x42, 0x01, 0x02}) + T("PartitionKey") + T("k") +
                         T("StreamName") + T("s");
  EXPECT_EQ(out, expected);
  EXPECT_FALSE(BuildPutRecordsCbor({"", ""}, records, out).ok());
}

TEST(CborCodec, LongLengthsUseMultiByteHeads) {
  std::string data(300, 'x');
  std::vector<PutRecordsEntry> records = {{data, "k", "7"}};
  std::string out;
  ASSERT_TRUE(BuildPutRecordsCbor({"", "arn"}, records, out).ok());
  EXPECT_NE(out.find(Bytes({0x59, 0x01, 0x2C}) + data), std::string::npos);  // bytes(300)
  EXPECT_NE(out.find(T("ExplicitHashKey") + T("7")), std::string::npos);
  EXPECT_NE(out.find(T("StreamARN") + T("arn")), std::string::npos);
  ASSERT_TRUE(BuildPutRecordCbor({{"s", ""}, {"d", "k", ""}, "9"}, out).ok());
  EXPECT_EQ(static_cast<uint8_t>(out[0]), 0xA4);
}

std::string PutRecordsResponse(bool indefinite) {
  std::string ok_entry = Bytes({0xA3}) + T("ShardId") + T("shardId-1") + T("SequenceNumber") +
                         T("42") + T("ErrorCode") + Bytes({0xF6});
  std::string bad_entry = Bytes({0xA2}) + T("ErrorCode") + T("InternalFailure") +
                          T("ErrorMessage") + T("oops");
  if (indefinite) {
    return Bytes({0xBF}) + T("FailedRecordCount") + Bytes({0x01}) + T("Records") +
           Bytes({0x9F}) + ok_entry + bad_entry + Bytes({0xFF, 0xFF});
  }
  return Bytes({0xA2}) + T("FailedRecordCount") + Bytes({0x01}) + T("Records") + Bytes({0x82}) +
         ok_entry + bad_entry;
}

TEST(CborCodec, ParsesPutRecordsResponseDefiniteAndIndefinite) {
  for (bool indefinite : {false, true}) {
    auto r = ParsePutRecordsCbor(PutRecordsResponse(indefinite), 2);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->failed_record_count, 1u);
    EXPECT_EQ(r->records[0].shard_id, "shardId-1");
    EXPECT_EQ(r->records[0].sequence_number, "42");
    EXPECT_EQ(r->records[1].error_code, "InternalFailure");
    EXPECT_EQ(r->records[1].error_message, "oops");
  }
}

TEST(CborCodec, MalformedTruncatedAndWrongCountAreCorruption) {
  std::string good = PutRecordsResponse(false);
  EXPECT_EQ(ParsePutRecordsCbor(good, 3).status().code(), StatusCode::kCorruption);
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_EQ(ParsePutRecordsCbor(good.substr(0, cut), 2).status().code(), StatusCode::kCorruption)
        << cut;
  }
  EXPECT_FALSE(ParsePutRecordsCbor(good + "x", 2).ok());
  EXPECT_FALSE(ParsePutRecordsCbor(Bytes({0x80}), 0).ok());           // not a map
  EXPECT_FALSE(ParsePutRecordsCbor(Bytes({0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}), 0).ok());
  std::string deep(100, static_cast<char>(0x81));
  EXPECT_FALSE(ParsePutRecordsCbor(deep, 0).ok());
  std::string wrong_type = Bytes({0xA1}) + T("Records") + Bytes({0x81, 0xA1}) + T("ShardId") +
                           Bytes({0x01});
  EXPECT_FALSE(ParsePutRecordsCbor(wrong_type, 1).ok());
}

TEST(CborCodec, ParsesPutRecordAndErrors) {
  auto p = ParsePutRecordCbor(Bytes({0xA2}) + T("ShardId") + T("s") + T("SequenceNumber") + T("1"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->sequence_number, "1");
  EXPECT_FALSE(ParsePutRecordCbor(Bytes({0xA0})).ok());
  auto e = ParseErrorCbor(Bytes({0xA2}) + T("__type") + T("ResourceNotFoundException") +
                          T("message") + T("gone"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->type, "ResourceNotFoundException");
  EXPECT_EQ(e->message, "gone");
}

}  // namespace
}  // namespace kinesis::wire
