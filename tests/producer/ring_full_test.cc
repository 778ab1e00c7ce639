// Flow control. When the engine falls a whole ring (65,536 records) behind, a put waits for room
// instead of failing or losing the record, and every record still gets its result (the engine
// is held back by a back-end whose first PutRecords blocks; the engine calls it on its own
// thread). While puts wait for room in the buffer budget, ready records are sent at once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "fake_kinesis.h"
#include "kinesis/kinesis_backend.h"
#include "kinesis/producer.h"

namespace kinesis {
namespace {

// One shard; every record succeeds; the first PutRecords call blocks until Release().
class BlockingBackend final : public KinesisBackend {
 public:
  void PutRecords(std::string_view, const std::vector<OutgoingRecord>& records,
                  std::function<void(PutRecordsOutcome)> done) override {
    {
      std::unique_lock lock(mu_);
      if (!entered_) {
        entered_ = true;
        changed_.notify_all();
        changed_.wait(lock, [&] { return released_; });
      }
    }
    PutRecordsOutcome outcome;
    for (size_t i = 0; i < records.size(); ++i) {
      outcome.records.push_back(
          RecordOutcome{"shardId-000000000000", std::to_string(++sequence_), "", ""});
    }
    done(std::move(outcome));
  }
  void ListShards(std::string_view,
                  std::function<void(Result<std::vector<ShardListing>>)> done) override {
    done(std::vector<ShardListing>{
        ShardListing{"shardId-000000000000", HashKey(), HashKey::Max(), "", "", false}});
  }
  void WaitUntilBlocked() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return entered_; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool entered_ = false;   // guarded by mu_
  bool released_ = false;  // guarded by mu_
  uint64_t sequence_ = 0;  // the engine thread's
};

TEST(RingFullTest, APutWaitsForRoomWhileTheEngineIsARingBehind) {
  auto backend = std::make_shared<BlockingBackend>();
  ProducerConfig c = testing::FastTestConfig();
  c.aggregation_enabled = false;
  auto producer = Producer::Create(c, backend).value();
  std::atomic<uint64_t> ok{0}, failed{0};
  auto count = [&](const PutResult& r) { (r.success ? ok : failed).fetch_add(1); };

  ASSERT_TRUE(producer->Put("s", "first", "d", std::nullopt, count).ok());
  producer->Flush();  // sends at once; the engine now sits in the blocked PutRecords
  backend->WaitUntilBlocked();
  constexpr uint64_t kRing = 1 << 16;
  for (uint64_t i = 0; i < kRing; ++i) {
    ASSERT_TRUE(producer->Put("s", "k" + std::to_string(i), "d", std::nullopt, count).ok()) << i;
  }
  // The ring is full: one more put must wait, not fail.
  auto late = std::async(std::launch::async,
                         [&] { return producer->Put("s", "late", "d", std::nullopt, count); });
  EXPECT_EQ(late.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "a put returned while the engine was a whole ring behind";
  backend->Release();
  ASSERT_EQ(late.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_TRUE(late.get().ok());
  ASSERT_TRUE(producer->Flush().get().ok());
  EXPECT_EQ(ok.load(), kRing + 2);
  EXPECT_EQ(failed.load(), 0u);
}

// A full budget with puts waiting: nothing can arrive to fill a request until some records
// finish, so what is ready goes at once, and open aggregates are sealed when nothing is in
// flight, instead of all waiting for their buffering deadline (an hour here).
TEST(RingFullTest, WaitingPutsMakeBufferedRecordsGoWithoutTheirDeadline) {
  for (bool aggregation : {false, true}) {
    SCOPED_TRACE(aggregation ? "aggregation on" : "aggregation off");
    auto kinesis = std::make_shared<testing::FakeKinesis>();
    kinesis->CreateStream("s", 4);
    ProducerConfig c = testing::FastTestConfig();
    c.aggregation_enabled = aggregation;
    c.record_max_buffered_time_ms = 3600 * 1000;
    c.buffer_max_records = 50;  // a tenth of a full request, and of a full aggregate
    c.put_timeout_ms = 30000;
    auto producer = Producer::Create(c, kinesis).value();
    std::atomic<uint64_t> ok{0}, failed{0};
    auto count = [&](const PutResult& r) { (r.success ? ok : failed).fetch_add(1); };
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 500; ++i) {  // each put past the 50th waits for room
      ASSERT_TRUE(producer->Put("s", "k" + std::to_string(i), "d", std::nullopt, count).ok()) << i;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    EXPECT_GE(ok.load(), 450u);  // no flush yet: only the last records may still wait
    ASSERT_TRUE(producer->Flush().get().ok());
    EXPECT_EQ(ok.load(), 500u);
    EXPECT_EQ(failed.load(), 0u);
  }
}

}  // namespace
}  // namespace kinesis
