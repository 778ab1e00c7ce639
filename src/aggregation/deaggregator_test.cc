#include <gtest/gtest.h>

#include "aggregated_record.pb.h"
#include "aggregation/aggregation_test_util.h"
#include "aggregation/md5.h"
#include "kinesis/aggregation.h"

namespace kinesis {
namespace {

using testing::OwnedRecord;
using testing::RandomRecords;

std::string Encode(const std::vector<OwnedRecord>& records) {
  AggregateEncoder encoder;
  for (const OwnedRecord& r : records) encoder.Add(r.view());
  return encoder.Build();
}

// Wraps protobuf bytes as an aggregate with a correct digest.
std::string Wrap(const std::string& message) {
  uint8_t digest[16];
  Md5Digest(message.data(), message.size(), digest);
  return std::string(reinterpret_cast<const char*>(kAggregationMagic), 4) + message +
         std::string(reinterpret_cast<const char*>(digest), 16);
}

TEST(DeaggregateTest, RoundTripsEveryField) {
  std::mt19937_64 rng(21);
  for (size_t count : {1, 5, 300}) {
    std::vector<OwnedRecord> records = RandomRecords(rng, count);
    std::string aggregate = Encode(records);
    std::vector<DeaggregatedRecord> out;
    ASSERT_TRUE(Deaggregate(aggregate, "outer", std::nullopt, {}, &out).ok());
    ASSERT_EQ(out.size(), records.size());
    for (size_t i = 0; i < count; ++i) {
      EXPECT_EQ(out[i].partition_key, records[i].partition_key);
      EXPECT_EQ(out[i].data, records[i].data);
      EXPECT_EQ(out[i].explicit_hash_key.has_value(), records[i].explicit_hash_key.has_value());
      if (records[i].explicit_hash_key) {
        EXPECT_EQ(*out[i].explicit_hash_key, *records[i].explicit_hash_key);
      }
      EXPECT_EQ(out[i].sub_sequence_number, i);
      EXPECT_TRUE(out[i].aggregated);
    }
  }
}

TEST(DeaggregateTest, PlainRecordsPassThrough) {
  std::vector<DeaggregatedRecord> out;
  std::string short_magic("\xF3\x89\x9A\xC2short", 9);  // magic, but too short for a digest
  for (std::string_view plain :
       {std::string_view("hello"), std::string_view{}, std::string_view(short_magic)}) {
    out.clear();
    ASSERT_TRUE(Deaggregate(plain, "pk", "42", {}, &out).ok());
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].data, plain);
    EXPECT_EQ(out[0].partition_key, "pk");
    EXPECT_EQ(*out[0].explicit_hash_key, "42");
    EXPECT_FALSE(out[0].aggregated);
  }
}

TEST(DeaggregateTest, ReadsTheSchemaGeneratedReferenceIncludingTagsAndAnyFieldOrder) {
  reference::AggregatedRecord message;
  reference::Record* r = message.add_records();  // records before the tables is legal protobuf
  r->set_partition_key_index(1);
  r->set_data("second key");
  reference::Tag* tag = r->add_tags();
  tag->set_key("tag");
  tag->set_value("ignored");
  message.add_partition_key_table("k0");
  message.add_partition_key_table("k1");
  std::vector<DeaggregatedRecord> out;
  std::string aggregate = Wrap(message.SerializeAsString());
  ASSERT_TRUE(Deaggregate(aggregate, "outer", std::nullopt, {}, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].partition_key, "k1");
  EXPECT_EQ(out[0].data, "second key");
}

void ExpectCorrupt(const std::string& aggregate, const std::string& words) {
  std::vector<DeaggregatedRecord> out = {DeaggregatedRecord{}};
  Status s = Deaggregate(aggregate, "outer", std::nullopt, {}, &out);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find(words), std::string::npos) << s.message();
  EXPECT_EQ(out.size(), 1u) << "a rejected aggregate must not add records";
}

TEST(DeaggregateTest, RejectsADamagedDigest) {
  std::string aggregate = Encode({{"k", "data", std::nullopt}});
  aggregate[6] ^= 1;
  ExpectCorrupt(aggregate, "MD5 trailer does not match");
}

TEST(DeaggregateTest, RejectsIndexesOutsideTheTables) {
  reference::AggregatedRecord m;
  m.add_partition_key_table("k");
  reference::Record* r = m.add_records();
  r->set_partition_key_index(1);
  r->set_data("x");
  ExpectCorrupt(Wrap(m.SerializeAsString()), "partition key index 1 but the table has 1 keys");

  r->set_partition_key_index(0);
  r->set_explicit_hash_key_index(0);
  ExpectCorrupt(Wrap(m.SerializeAsString()), "explicit hash key index 0 but the table has 0");
}

TEST(DeaggregateTest, RejectsMissingRequiredFields) {
  // Record with data but no partition key index: 1A 03 1A 01 'x'
  ExpectCorrupt(Wrap(std::string("\x0a\x01k\x1a\x03\x1a\x01x", 8)), "no partition key index");
  // Record with an index but no data: 1A 02 08 00
  ExpectCorrupt(Wrap(std::string("\x0a\x01k\x1a\x02\x08\x00", 7)), "has no data");
}

TEST(DeaggregateTest, RejectsTruncationAndWrongWireTypes) {
  ExpectCorrupt(Wrap(std::string("\x0a\x05k", 3)), "runs past the end");
  ExpectCorrupt(Wrap(std::string("\x0a", 1)), "runs past the end");
  ExpectCorrupt(Wrap(std::string("\x80", 1)), "truncated field tag at byte 0");
  ExpectCorrupt(Wrap(std::string("\x08\x01", 2)), "wire type 0, expected 2");
  ExpectCorrupt(Wrap(std::string("\x1a\x02\x0a\x00", 4)), "wire type 2");
  ExpectCorrupt(Wrap(std::string("\x23", 1)), "unsupported wire type");  // field 4, group
  ExpectCorrupt(Wrap(std::string("\x1a\x03\x08\xff\xff", 5)), "truncated");
}

TEST(DeaggregateTest, SkipsUnknownFieldsAndAcceptsEmptyAggregates) {
  std::vector<DeaggregatedRecord> out;
  ASSERT_TRUE(Deaggregate(Wrap(""), "o", std::nullopt, {}, &out).ok());
  EXPECT_TRUE(out.empty());
  // Field 9 varint, field 10 fixed32, field 11 fixed64, then a key and a record.
  std::string m(
      "\x48\x05\x55\x01\x02\x03\x04\x59\x01\x02\x03\x04\x05\x06\x07\x08"
      "\x0a\x01k\x1a\x05\x08\x00\x1a\x01z",
      26);
  std::string aggregate = Wrap(m);  // the records point into it
  ASSERT_TRUE(Deaggregate(aggregate, "o", std::nullopt, {}, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "z");
}

TEST(DeaggregateTest, ChecksumCanBeSkipped) {
  std::string aggregate = Encode({{"k", "data", std::nullopt}});
  aggregate.back() ^= 1;
  std::vector<DeaggregatedRecord> out;
  DeaggregateOptions options;
  options.verify_checksum = false;
  ASSERT_TRUE(Deaggregate(aggregate, "o", std::nullopt, options, &out).ok());
  EXPECT_EQ(out.size(), 1u);
}

TEST(DeaggregateTest, ChecksTheShardRangeWhenAsked) {
  HashKey a = HashPartitionKey("a");
  std::string aggregate = Encode({{"a", "1", std::nullopt}, {"zzz", "2", "5"}});
  std::vector<DeaggregatedRecord> out;
  DeaggregateOptions options;
  options.shard_hash_key_range = std::make_pair(HashKey(0, 0), HashKey::Max());
  ASSERT_TRUE(Deaggregate(aggregate, "o", std::nullopt, options, &out).ok());
  EXPECT_EQ(out.size(), 2u);

  options.shard_hash_key_range = std::make_pair(HashKey(0, 6), HashKey::Max());
  Status s = Deaggregate(aggregate, "o", std::nullopt, options, &out);
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_NE(s.message().find("user record 1 has hash key 5"), std::string::npos) << s.message();

  options.shard_hash_key_range = std::make_pair(HashKey(0, 0), HashKey(a.high(), a.low() - 1));
  s = Deaggregate(aggregate, "o", std::nullopt, options, &out);
  EXPECT_NE(s.message().find("user record 0 has hash key " + a.ToString()), std::string::npos);
}

// Every single-byte corruption of a valid aggregate (digest off) is either read or rejected,
// never a crash; the fuzzer (fuzz/aggregation) explores further.
TEST(DeaggregateTest, SurvivesEverySingleByteMutation) {
  std::mt19937_64 rng(22);
  std::string aggregate = Encode(RandomRecords(rng, 8, 20));
  DeaggregateOptions options;
  options.verify_checksum = false;
  size_t rejected = 0;
  for (size_t i = 4; i + 16 < aggregate.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::string mutated = aggregate;
      mutated[i] = static_cast<char>(mutated[i] ^ flip);
      std::vector<DeaggregatedRecord> out;
      if (!Deaggregate(mutated, "o", std::nullopt, options, &out).ok()) ++rejected;
    }
  }
  EXPECT_GT(rejected, 0u);
}

}  // namespace
}  // namespace kinesis
