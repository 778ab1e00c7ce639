#include "sim/put_cbor.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/cbor_writer.h"
#include "sim/cbor_test_bytes.h"

namespace kinesis::sim {
namespace {

using testing::Bytes;

const std::string kBinary("\0\x01\xfe\xff data", 9);

// {"Records": [{"Data": h'..', "PartitionKey": "k0"}, {"Data": h'', "PartitionKey": "k1",
//  "ExplicitHashKey": "42"}], "StreamName": "s"}, as the AWS SDKs write it.
std::string GoodPutRecords() {
  std::string body;
  AppendCborHead(&body, CborMajor::kMap, 2);
  AppendCborText(&body, "Records");
  AppendCborHead(&body, CborMajor::kArray, 2);
  AppendCborHead(&body, CborMajor::kMap, 2);
  AppendCborText(&body, "Data");
  AppendCborBytes(&body, kBinary);
  AppendCborField(&body, "PartitionKey", "k0");
  AppendCborHead(&body, CborMajor::kMap, 3);
  AppendCborText(&body, "Data");
  AppendCborBytes(&body, "");
  AppendCborField(&body, "PartitionKey", "k1");
  AppendCborField(&body, "ExplicitHashKey", "42");
  AppendCborField(&body, "StreamName", "s");
  return body;
}

struct Decoded {
  MaybeError error;
  PutRecordsInput input;
  std::vector<ParsedRecord> records;
  std::string scratch;
};

std::unique_ptr<Decoded> DecodeRecords(std::string_view body) {
  auto d = std::make_unique<Decoded>();
  d->input.records = &d->records;
  d->error = DecodePutRecordsCbor(body, &d->scratch, &d->input);
  return d;
}

TEST(PutCborTest, DecodesPutRecordsWithBinaryData) {
  std::string body = GoodPutRecords();
  auto d = DecodeRecords(body);
  ASSERT_FALSE(d->error) << d->error->message;
  EXPECT_TRUE(d->input.stream.has_name);
  EXPECT_EQ(d->input.stream.name, "s");
  EXPECT_FALSE(d->input.stream.has_arn);
  ASSERT_TRUE(d->input.has_records);
  ASSERT_EQ(d->records.size(), 2u);
  EXPECT_TRUE(d->records[0].has_data);
  EXPECT_EQ(d->records[0].data, kBinary);
  EXPECT_EQ(d->records[0].partition_key, "k0");
  EXPECT_FALSE(d->records[0].has_hash);
  EXPECT_TRUE(d->records[1].has_data);
  EXPECT_EQ(d->records[1].data, "");
  EXPECT_EQ(d->records[1].explicit_hash_key, "42");
  EXPECT_TRUE(d->records[1].has_hash);
  // Record data is a view into the body: nothing was copied.
  EXPECT_GE(d->records[0].data.data(), body.data());
  EXPECT_LE(d->records[0].data.data() + d->records[0].data.size(), body.data() + body.size());
}

TEST(PutCborTest, DecodesIndefiniteLengthsTextDataTagsNullsAndUnknownFields) {
  // {_ "StreamARN": "arn:aws:kinesis:us-east-1:1:stream/s", "Extra": [_ 1, {"x": 2.5}],
  //    "Records": [_ {_ "Data": (_ h'0102' h'03'), "PartitionKey": (_ "p" "k"),
  //                     "ExplicitHashKey": null},
  //                  {"Data": 24("text data"), "PartitionKey": h'6b6b'} ] }
  std::string body = Bytes({0xBF});
  AppendCborField(&body, "StreamARN", "arn:aws:kinesis:us-east-1:1:stream/s");
  AppendCborText(&body, "Extra");
  body += Bytes({0x9F, 0x01, 0xA1, 0x61, 'x', 0xF9, 0x41, 0x00, 0xFF});
  AppendCborText(&body, "Records");
  body += Bytes({0x9F, 0xBF});
  AppendCborText(&body, "Data");
  body += Bytes({0x5F, 0x42, 0x01, 0x02, 0x41, 0x03, 0xFF});
  AppendCborText(&body, "PartitionKey");
  body += Bytes({0x7F, 0x61, 'p', 0x61, 'k', 0xFF});
  AppendCborText(&body, "ExplicitHashKey");
  body += Bytes({0xF6, 0xFF, 0xA2});
  AppendCborText(&body, "Data");
  body += Bytes({0xD8, 0x18});
  AppendCborText(&body, "text data");
  AppendCborText(&body, "PartitionKey");
  AppendCborBytes(&body, "kk");
  body += Bytes({0xFF, 0xFF});
  auto d = DecodeRecords(body);
  ASSERT_FALSE(d->error) << d->error->message;
  EXPECT_FALSE(d->input.stream.has_name);
  EXPECT_EQ(d->input.stream.arn, "arn:aws:kinesis:us-east-1:1:stream/s");
  ASSERT_EQ(d->records.size(), 2u);
  EXPECT_EQ(d->records[0].data, "\x01\x02\x03");
  EXPECT_EQ(d->records[0].partition_key, "pk");
  EXPECT_FALSE(d->records[0].has_hash);  // null is absent
  EXPECT_EQ(d->records[1].data, "text data");
  EXPECT_EQ(d->records[1].partition_key, "kk");
}

TEST(PutCborTest, MissingFieldsAreLeftForValidation) {
  // {"Records": null} and {"StreamName": "s", "Records": [{}]}: decoded; validation names them.
  auto d = DecodeRecords(Bytes({0xA1, 0x67, 'R', 'e', 'c', 'o', 'r', 'd', 's', 0xF6}));
  ASSERT_FALSE(d->error);
  EXPECT_FALSE(d->input.has_records);
  EXPECT_FALSE(d->input.stream.has_name);
  std::string body = Bytes({0xA2});
  AppendCborField(&body, "StreamName", "s");
  AppendCborText(&body, "Records");
  body += Bytes({0x81, 0xA0});
  d = DecodeRecords(body);
  ASSERT_FALSE(d->error);
  ASSERT_EQ(d->records.size(), 1u);
  EXPECT_FALSE(d->records[0].has_data);
  EXPECT_FALSE(d->records[0].has_key);
}

TEST(PutCborTest, MalformedOrMistypedBodiesAreSerializationErrors) {
  std::string good = GoodPutRecords();
  std::vector<std::string> bad = {
      "",
      "{\"StreamName\":\"s\"}",  // JSON sent as CBOR
      Bytes({0x80}),             // an array, not a map
      good + Bytes({0x00}),      // trailing bytes
  };
  // A number where PartitionKey's string should be.
  std::string number_key = Bytes({0xA1});
  AppendCborText(&number_key, "Records");
  number_key += Bytes({0x81, 0xA1});
  AppendCborText(&number_key, "PartitionKey");
  number_key += Bytes({0x05});
  bad.push_back(number_key);
  // Records as a map, a record as a string.
  bad.push_back(Bytes({0xA1, 0x67, 'R', 'e', 'c', 'o', 'r', 'd', 's', 0xA0}));
  bad.push_back(Bytes({0xA1, 0x67, 'R', 'e', 'c', 'o', 'r', 'd', 's', 0x81, 0x61, 'x'}));
  // Every truncation of a good body.
  for (size_t n = 0; n < good.size(); ++n) bad.push_back(good.substr(0, n));
  for (const std::string& body : bad) {
    auto d = DecodeRecords(body);
    ASSERT_TRUE(d->error) << ::testing::PrintToString(body);
    EXPECT_EQ(d->error->type, "SerializationException");
    EXPECT_EQ(d->error->http_status, 400);
  }
}

TEST(PutCborTest, DecodesPutRecord) {
  std::string body;
  AppendCborHead(&body, CborMajor::kMap, 5);
  AppendCborField(&body, "StreamName", "s");
  AppendCborText(&body, "Data");
  AppendCborBytes(&body, kBinary);
  AppendCborField(&body, "PartitionKey", "pk");
  AppendCborField(&body, "ExplicitHashKey", "7");
  AppendCborField(&body, "SequenceNumberForOrdering", "49000");
  std::string scratch;
  PutRecordInput input;
  MaybeError error = DecodePutRecordCbor(body, &scratch, &input);
  ASSERT_FALSE(error) << error->message;
  EXPECT_EQ(input.stream.name, "s");
  EXPECT_EQ(input.record.data, kBinary);
  EXPECT_EQ(input.record.partition_key, "pk");
  EXPECT_EQ(input.record.explicit_hash_key, "7");
  EXPECT_TRUE(input.record.has_hash);

  std::string mistyped = Bytes({0xA1});
  AppendCborText(&mistyped, "SequenceNumberForOrdering");
  mistyped += Bytes({0x01});
  PutRecordInput other;
  error = DecodePutRecordCbor(mistyped, &scratch, &other);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->type, "SerializationException");
  for (size_t n = 0; n < body.size(); ++n) {
    PutRecordInput cut;
    EXPECT_TRUE(DecodePutRecordCbor(body.substr(0, n), &scratch, &cut)) << n;
  }
}

}  // namespace
}  // namespace kinesis::sim
