#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <map>

#include "aggregated_record.pb.h"
#include "aggregation/aggregation_test_util.h"
#include "kinesis/aggregation.h"

namespace kinesis {
namespace {

using testing::OwnedRecord;
using testing::RandomRecords;

// The aggregate as the schema-generated libprotobuf code writes it: key tables in order of first
// use, then magic + message + MD5 (computed by OpenSSL).
std::string ReferenceAggregate(const std::vector<OwnedRecord>& records) {
  reference::AggregatedRecord message;
  std::map<std::string, uint64_t> pk_index, ehk_index;
  for (const OwnedRecord& r : records) {
    auto [pk, new_pk] = pk_index.emplace(r.partition_key, pk_index.size());
    if (new_pk) message.add_partition_key_table(r.partition_key);
    reference::Record* out = message.add_records();
    out->set_partition_key_index(pk->second);
    out->set_data(r.data);
    if (r.explicit_hash_key) {
      auto [ehk, new_ehk] = ehk_index.emplace(*r.explicit_hash_key, ehk_index.size());
      if (new_ehk) message.add_explicit_hash_key_table(*r.explicit_hash_key);
      out->set_explicit_hash_key_index(ehk->second);
    }
  }
  std::string body = message.SerializeAsString();
  unsigned char digest[16];
  unsigned int n = 0;
  EVP_Digest(body.data(), body.size(), digest, &n, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<const char*>(kAggregationMagic), 4) + body +
         std::string(reinterpret_cast<const char*>(digest), 16);
}

TEST(AggregateEncoderTest, MatchesTheSchemaGeneratedReferenceByteForByte) {
  std::mt19937_64 rng(11);
  AggregateEncoder encoder;
  for (size_t count : {1, 2, 3, 17, 200, 1000}) {
    std::vector<OwnedRecord> records = RandomRecords(rng, count);
    encoder.Clear();
    for (const OwnedRecord& r : records) encoder.Add(r.view());
    std::string built = encoder.Build();
    EXPECT_EQ(built.size(), encoder.size());
    ASSERT_EQ(built, ReferenceAggregate(records)) << count << " records";
    EXPECT_EQ(encoder.count(), count);
  }
}

TEST(AggregateEncoderTest, ReportsTheExactSizeBeforeBuilding) {
  std::mt19937_64 rng(12);
  std::vector<OwnedRecord> records = RandomRecords(rng, 300);
  AggregateEncoder encoder;
  EXPECT_EQ(encoder.size(), kAggregationOverhead);
  for (size_t i = 0; i < records.size(); ++i) {
    encoder.Add(records[i].view());
    std::vector<OwnedRecord> prefix(records.begin(), records.begin() + i + 1);
    ASSERT_EQ(encoder.size(), ReferenceAggregate(prefix).size()) << "after record " << i;
  }
}

TEST(AggregateEncoderTest, StopsAtTheSizeLimitWithoutChangingAnything) {
  std::mt19937_64 rng(13);
  std::vector<OwnedRecord> records = RandomRecords(rng, 500);
  constexpr size_t kLimit = 4096;
  AggregateEncoder encoder;
  size_t taken = 0;
  while (taken < records.size() && encoder.AddIfFits(records[taken].view(), kLimit)) ++taken;
  ASSERT_LT(taken, records.size());
  ASSERT_GT(taken, 0u);
  size_t size_before = encoder.size();
  EXPECT_LE(size_before, kLimit);
  EXPECT_FALSE(encoder.AddIfFits(records[taken].view(), kLimit));
  EXPECT_EQ(encoder.size(), size_before);
  EXPECT_EQ(encoder.count(), taken);
  std::vector<OwnedRecord> prefix(records.begin(), records.begin() + taken);
  EXPECT_EQ(encoder.Build(), ReferenceAggregate(prefix));
}

TEST(AggregateEncoderTest, EmptyEncoderRefusesARecordThatCanNeverFit) {
  AggregateEncoder encoder;
  std::string data(100, 'x');
  EXPECT_FALSE(encoder.AddIfFits({"k", data, std::nullopt}, 50));
  EXPECT_TRUE(encoder.empty());
}

TEST(AggregateEncoderTest, SharesRepeatedKeysInTheTables) {
  AggregateEncoder encoder;
  encoder.Add({"same", "1", std::nullopt});
  size_t one = encoder.size();
  encoder.Add({"same", "2", std::nullopt});
  // The second record costs only its Record message: tag, length, key index, data.
  EXPECT_EQ(encoder.size() - one, 1u + 1u + 2u + 3u);
  std::vector<OwnedRecord> expect = {{"same", "1", std::nullopt}, {"same", "2", std::nullopt}};
  EXPECT_EQ(encoder.Build(), ReferenceAggregate(expect));
}

TEST(AggregateEncoderTest, ReusesItselfAcrossAggregatesAndLargeData) {
  std::mt19937_64 rng(14);
  AggregateEncoder encoder;
  for (int round = 0; round < 50; ++round) {
    std::vector<OwnedRecord> records = RandomRecords(rng, 1 + rng() % 100);
    if (round == 7) records.push_back({"big", std::string(kMiB, 'b'), std::nullopt});
    encoder.Clear();
    for (const OwnedRecord& r : records) encoder.Add(r.view());
    ASSERT_EQ(encoder.Build(), ReferenceAggregate(records)) << "round " << round;
  }
}

}  // namespace
}  // namespace kinesis
