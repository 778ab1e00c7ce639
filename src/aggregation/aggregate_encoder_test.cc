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

TEST(AggregateEncoderTest, TakesTheCallersKeyHashEvenAPoorOne) {
  // The producer passes the low half of the key's MD5; any function that gives equal keys equal
  // hashes must build the same bytes, even one where every key collides or only a few bits
  // differ, across table growth (rehashing keeps the caller's hashes) and reuse.
  std::mt19937_64 rng(15);
  AggregateEncoder encoder;
  auto md5_low = [](std::string_view key) { return HashPartitionKey(key).low(); };
  auto constant = [](std::string_view) { return uint64_t{42}; };
  auto low_bits = [](std::string_view key) { return uint64_t{key.size() % 4} << 60; };
  for (int round = 0; round < 6; ++round) {
    std::vector<OwnedRecord> records = RandomRecords(rng, 1 + rng() % 400);
    // Repeats, so the tables have something to share.
    for (size_t i = 0; i < records.size(); i += 3) records.push_back(records[i]);
    encoder.Clear();
    for (const OwnedRecord& r : records) {
      std::string_view key = r.partition_key;
      uint64_t hash = round % 3 == 0   ? md5_low(key)
                      : round % 3 == 1 ? constant(key)
                                       : low_bits(key);
      encoder.AddIfFits(r.view(), SIZE_MAX, hash);
      encoder.Prefetch(hash);
    }
    ASSERT_EQ(encoder.Build(), ReferenceAggregate(records)) << "round " << round;
  }
}

TEST(AggregateEncoderTest, TwoHashFunctionsInOneAggregateOnlyRepeatAKey) {
  AggregateEncoder encoder;
  encoder.AddIfFits({"key", "1", std::nullopt}, SIZE_MAX, 1);
  encoder.AddIfFits({"key", "2", std::nullopt}, SIZE_MAX, 2);  // another hash: not found
  encoder.AddIfFits({"key", "3", std::nullopt}, SIZE_MAX, 1);  // found again
  std::vector<DeaggregatedRecord> out;
  std::string built = encoder.Build();
  ASSERT_TRUE(Deaggregate(built, "a", std::nullopt, {}, &out).ok());
  ASSERT_EQ(out.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out[i].partition_key, "key");
    EXPECT_EQ(out[i].data, std::to_string(i + 1));
  }
}

TEST(AggregateEncoderTest, DigestsWrittenLaterForManyAggregatesMatchBuild) {
  // What the producer does: aggregates built without their trailer (some into recycled
  // buffers), then digested together (in AVX2 lanes where the CPU has them, small ones one by
  // one).
  std::mt19937_64 rng(16);
  std::vector<std::string> built, expected;
  AggregateEncoder encoder;
  for (int i = 0; i < 21; ++i) {
    std::vector<OwnedRecord> records = RandomRecords(rng, 1 + rng() % (i % 3 == 0 ? 5 : 400));
    encoder.Clear();
    for (const OwnedRecord& r : records) encoder.Add(r.view());
    if (i % 2 == 0) {
      built.push_back(encoder.BuildWithoutDigest());
    } else {  // into a recycled buffer holding an older, larger aggregate's bytes
      std::string recycled(60000, '#');
      encoder.BuildWithoutDigestInto(recycled);
      built.push_back(std::move(recycled));
    }
    expected.push_back(ReferenceAggregate(records));
    EXPECT_EQ(built.back().size(), expected.back().size());
  }
  std::vector<std::string*> pointers;
  for (std::string& b : built) pointers.push_back(&b);
  AggregateEncoder::WriteDigests(pointers);
  for (size_t i = 0; i < built.size(); ++i) EXPECT_EQ(built[i], expected[i]) << "aggregate " << i;
  AggregateEncoder::WriteDigests({});
}

}  // namespace
}  // namespace kinesis
