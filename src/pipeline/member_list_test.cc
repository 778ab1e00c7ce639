// PendingRecord keeps small data inline and moves large data in; MemberList's summary of its
// members (put times, flush epochs, earliest expiry, bytes, members with attempts of their own)
// matches the members.
#include "pipeline/member_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/pending_record.h"

namespace kinesis {
namespace {

struct Records {
  std::vector<PendingRecord*> all;
  PendingRecord* Add(std::string key, std::string data, std::string ehk = "") {
    all.push_back(PendingRecord::New(key, ehk, std::move(data)));
    return all.back();
  }
  ~Records() {
    for (PendingRecord* r : all) PendingRecord::Delete(r);
  }
};

TEST(PendingRecord, SmallDataIsCopiedInlineAndTheCallersBufferFreed) {
  Records records;
  std::string data(100, 'd');
  PendingRecord* r = records.Add("key-1", std::move(data));
  EXPECT_EQ(r->partition_key, "key-1");
  EXPECT_EQ(r->data, std::string(100, 'd'));
  EXPECT_EQ(r->owned_data, nullptr);
  EXPECT_TRUE(r->explicit_hash_key.empty());
  // Inline: right after the key, inside the record's block, which starts a cache line.
  EXPECT_EQ(r->data.data(), r->partition_key.data() + r->partition_key.size());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(r) % 64, 0u);
  EXPECT_EQ(r->charge(), BufferCharge(100, 5));

  // An explicit hash key goes between the partition key and the data.
  PendingRecord* e = records.Add("key-2", "payload", "340282366920938463463374607431768211455");
  EXPECT_EQ(e->partition_key, "key-2");
  EXPECT_EQ(e->explicit_hash_key, "340282366920938463463374607431768211455");
  EXPECT_EQ(e->data, "payload");
  EXPECT_EQ(e->explicit_hash_key.data(), e->partition_key.data() + 5);
  EXPECT_EQ(e->data.data(), e->explicit_hash_key.data() + 39);
}

TEST(PendingRecord, DataThatDoesNotFitIsMovedNotCopied) {
  Records records;
  const size_t room = PendingRecord::kMaxInline;  // after the struct in the largest block
  std::string big(room, 'b');                     // with the key, one byte too many
  const char* buffer = big.data();
  PendingRecord* r = records.Add("k", std::move(big));
  EXPECT_EQ(r->data.size(), room);
  EXPECT_EQ(r->data.data(), buffer);
  ASSERT_NE(r->owned_data, nullptr);
  EXPECT_EQ(r->owned_data->data(), buffer);
  EXPECT_EQ(r->block_size, 192);  // the struct and the key: three lines

  // Exactly full: inline, in the largest block.
  PendingRecord* fits = records.Add("k", std::string(room - 1, 'f'));
  EXPECT_EQ(fits->owned_data, nullptr);
  EXPECT_EQ(fits->data, std::string(room - 1, 'f'));
  EXPECT_EQ(fits->block_size, RecordPool::kMaxBlock);
}

// Data too large for a block and not to be moved (PutCopy) goes after the keys in one
// allocation of the record's own, not into a string of its own.
TEST(PendingRecord, LargeDataToCopyFollowsTheKeysInOneAllocation) {
  std::string key(32, 'k');
  std::string data(10240, 'd');
  PendingRecord* r = PendingRecord::New(key, "123", data, nullptr);
  EXPECT_EQ(r->owned_data, nullptr);
  EXPECT_EQ(r->block_size, 0);
  EXPECT_EQ(r->partition_key, key);
  EXPECT_EQ(r->explicit_hash_key, "123");
  EXPECT_EQ(r->data, data);
  EXPECT_NE(r->data.data(), data.data());
  EXPECT_EQ(r->partition_key.data(), reinterpret_cast<const char*>(r + 1));
  EXPECT_EQ(r->data.data(), r->explicit_hash_key.data() + 3);
  PendingRecord::Delete(r);
}

TEST(PendingRecord, TakesTheFewestLinesThatHoldIt) {
  Records records;
  // 184 bytes of struct: a 32-character key with 100 bytes of data fills five lines (316).
  EXPECT_EQ(records.Add(std::string(32, 'k'), std::string(100, 'd'))->block_size, 320);
  EXPECT_EQ(records.Add("k", std::string(135, 'd'))->block_size, 320);  // 320 exactly
  EXPECT_EQ(records.Add("k", std::string(136, 'd'))->block_size, 384);
  EXPECT_EQ(records.Add("k", "")->block_size, 192);
  for (PendingRecord* r : records.all) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(r) % 64, 0u);
    EXPECT_EQ(r->owned_data, nullptr);
  }
}

TEST(PendingRecord, KeysOfEveryLengthAndEmptyData) {
  Records records;
  // Empty data, and the longest key Kinesis allows with data beside it.
  PendingRecord* empty = records.Add("k", "");
  EXPECT_TRUE(empty->data.empty());
  EXPECT_NE(empty->data.data(), nullptr);  // memcpy into an aggregate must not see null
  PendingRecord* long_key = records.Add(std::string(256, 'k'), std::string(64, 'x'));
  EXPECT_EQ(long_key->partition_key, std::string(256, 'k'));
  EXPECT_EQ(long_key->data, std::string(64, 'x'));

  // A key too long for any block (the producer refuses such keys before) still works.
  PendingRecord* huge = records.Add(std::string(400, 'h'), "d", "7");
  EXPECT_EQ(huge->block_size, 0);  // allocated on its own
  EXPECT_EQ(huge->partition_key, std::string(400, 'h'));
  EXPECT_EQ(huge->explicit_hash_key, "7");
  EXPECT_EQ(huge->data, "d");
}

TEST(MemberList, SummarizesItsMembers) {
  Records records;
  MemberList list;
  EXPECT_TRUE(list.empty());
  const int64_t put[] = {100, 200, 300, 400};
  const int64_t expires[] = {900, 500, 700, 800};
  const uint64_t epochs[] = {1, 1, 2, 1};
  for (int i = 0; i < 4; ++i) {
    PendingRecord* r = records.Add("k", std::string(static_cast<size_t>(10 * (i + 1)), 'x'));
    r->put_ns = put[i];
    r->expires_ns = expires[i];
    r->epoch = epochs[i];
    if (i == 2) r->attempts.push_back(Attempt{});
    list.push_back(r);
  }
  EXPECT_EQ(list.size(), 4u);
  EXPECT_EQ(list[2], records.all[2]);
  EXPECT_EQ(list.front(), records.all[0]);
  EXPECT_EQ(list.put_ns(), (std::vector<int64_t>{100, 200, 300, 400}));
  EXPECT_EQ(list.earliest_expiry_ns(), 500);
  EXPECT_EQ(list.data_bytes(), 10u + 20 + 30 + 40);
  EXPECT_EQ(list.with_own_attempts(), 1u);
  ASSERT_EQ(list.epochs().size(), 3u);  // runs: 1 x2, 2 x1, 1 x1
  EXPECT_EQ(list.epochs()[0].epoch, 1u);
  EXPECT_EQ(list.epochs()[0].count, 2u);
  EXPECT_EQ(list.epochs()[1].epoch, 2u);
  EXPECT_EQ(list.epochs()[1].count, 1u);
  EXPECT_EQ(list.epochs()[2].epoch, 1u);
  EXPECT_EQ(list.epochs()[2].count, 1u);

  MemberList other;
  other.swap(list);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.data_bytes(), 0u);
  EXPECT_EQ(other.size(), 4u);

  std::vector<PendingRecord*> taken = other.TakeRecords();
  EXPECT_EQ(taken, records.all);
  EXPECT_TRUE(other.empty());
  EXPECT_TRUE(other.put_ns().empty());
  EXPECT_TRUE(other.epochs().empty());
  EXPECT_EQ(other.with_own_attempts(), 0u);

  // A list refilled after being emptied summarizes only its new members.
  records.all[1]->expires_ns = 5000;
  other.push_back(records.all[1]);
  EXPECT_EQ(other.earliest_expiry_ns(), 5000);
  EXPECT_EQ(other.data_bytes(), 20u);
}

}  // namespace
}  // namespace kinesis
