// What a result callback may do (include/kinesis/producer.h, "Callbacks"): put follow-up
// records without stalling (a record's charge is given back before its callback runs), throw
// without ending the callback thread, and call Flush or Close, which fail at once instead of
// waiting for the thread they run on.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "fake_kinesis.h"
#include "kinesis/error_codes.h"
#include "kinesis/producer.h"

namespace kinesis {
namespace {

using testing::FakeKinesis;
using Clock = std::chrono::steady_clock;

std::shared_ptr<FakeKinesis> OneShard() { return testing::FakeWithStream("s", 1); }

// Waits for `done` up to a minute; a callback that hangs the callback thread would hang the
// producer's destructor too, so a hang ends the test program with a message.
template <typename T>
T WaitOrDie(std::future<T>& done, const char* what) {
  if (done.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    std::fprintf(stderr, "FAILED: %s did not return within 60 s (deadlock)\n", what);
    std::fflush(stderr);
    std::_Exit(1);
  }
  return done.get();
}

TEST(CallbackTest, FollowUpPutsFromCallbacksNeitherWaitNorFail) {
  // The budget holds ten records; each of the ten first records' callbacks puts a follow-up,
  // whose callback puts another, three generations: 30 puts from the callback thread, each into
  // a full budget that only the callback thread itself can empty.
  auto kinesis = OneShard();
  ProducerConfig c = testing::FastTestConfig();
  c.buffer_max_records = 10;
  c.put_timeout_ms = 1000;
  auto producer = Producer::Create(c, kinesis).value();
  std::promise<void> all_put;
  std::shared_future<void> first_ten_in = all_put.get_future().share();
  std::mutex mu;
  std::vector<Status> follow_up_puts;        // guarded by mu
  int follow_up_results = 0, successes = 0;  // guarded by mu
  Clock::duration longest_put{0};            // guarded by mu
  std::promise<void> finished;
  std::function<void(int, const PutResult&)> on_result = [&](int generation, const PutResult& r) {
    first_ten_in.wait();  // the budget is full before the first follow-up
    {
      std::lock_guard lock(mu);
      if (generation > 0) {
        ++follow_up_results;
        successes += r.success;
        if (follow_up_results == 30) finished.set_value();
      }
    }
    if (generation == 3) return;
    Clock::time_point put_start = Clock::now();
    Status s =
        producer->Put("s", "f" + std::to_string(generation), "follow-up", std::nullopt,
                      [&, generation](const PutResult& next) { on_result(generation + 1, next); });
    std::lock_guard lock(mu);
    follow_up_puts.push_back(s);
    longest_put = std::max(longest_put, Clock::now() - put_start);
  };
  Clock::time_point start = Clock::now();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(producer
                    ->Put("s", "k" + std::to_string(i), "first", std::nullopt,
                          [&](const PutResult& r) { on_result(0, r); })
                    .ok());
  }
  all_put.set_value();
  std::future<void> done = finished.get_future();
  bool all_results = done.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  ASSERT_TRUE(producer->Flush().get().ok());
  std::lock_guard lock(mu);
  int refused = 0;
  for (const Status& s : follow_up_puts) {
    if (!s.ok()) ++refused;
  }
  EXPECT_EQ(follow_up_puts.size(), 30u);
  EXPECT_EQ(refused, 0) << (follow_up_puts.empty() ? "" : follow_up_puts.front().ToString());
  EXPECT_TRUE(all_results);
  EXPECT_EQ(successes, 30);
  // Not one PutTimeout waited: the callback thread never waits for room it alone can make.
  EXPECT_LT(longest_put, std::chrono::milliseconds(c.put_timeout_ms / 2));
  EXPECT_LT(took, std::chrono::seconds(30));
  std::printf("30 follow-up puts from callbacks: %lld ms, %d refused\n",
              static_cast<long long>(took.count()), refused);
}

TEST(CallbackTest, APutFromACallbackIntoAFullBudgetFailsAtOnceSayingWhy) {
  // Two records of the budget's three wait for an answer that never comes; the third fails
  // (its stream does not exist) and its callback puts twice: the first put takes the room the
  // callback's own record gave back, the second finds the budget full of records only the
  // backend can finish, so it is refused at once rather than after PutTimeout.
  auto kinesis = testing::FakeWithStalledStream("s");
  ProducerConfig c = testing::FastTestConfig();
  c.buffer_max_records = 3;
  c.put_timeout_ms = 5000;
  auto producer = Producer::Create(c, kinesis).value();
  ASSERT_TRUE(producer->Put("s", "k0", "d", std::nullopt, nullptr).ok());
  ASSERT_TRUE(producer->Put("s", "k1", "d", std::nullopt, nullptr).ok());
  struct Outcome {
    Status first, second;
    Clock::duration took;
  };
  std::promise<Outcome> outcome;
  ASSERT_TRUE(producer
                  ->Put("missing", "k2", "d", std::nullopt,
                        [&](const PutResult&) {
                          Clock::time_point t = Clock::now();
                          Outcome o;
                          o.first = producer->Put("s", "x1", "d", std::nullopt, nullptr);
                          o.second = producer->Put("s", "x2", "d", std::nullopt, nullptr);
                          o.took = Clock::now() - t;
                          outcome.set_value(o);
                        })
                  .ok());
  std::future<Outcome> got = outcome.get_future();
  Outcome o = WaitOrDie(got, "puts from a callback into a full budget");
  EXPECT_TRUE(o.first.ok()) << o.first.ToString();
  EXPECT_EQ(o.second.code(), StatusCode::kResourceExhausted) << o.second.ToString();
  EXPECT_EQ(o.second.result_code(), errors::kQueueFull) << o.second.ToString();
  EXPECT_NE(o.second.message().find("callback"), std::string::npos) << o.second.ToString();
  EXPECT_LT(o.took, std::chrono::milliseconds(c.put_timeout_ms / 2));
  (void)producer->Close(std::chrono::milliseconds(50));
  kinesis->ReleaseStalled();
}

TEST(CallbackTest, AThrowingCallbackDoesNotEndTheCallbackThread) {
  auto kinesis = OneShard();
  auto producer = Producer::Create(testing::FastTestConfig(), kinesis).value();
  std::atomic<int> ran{0};
  ASSERT_TRUE(producer
                  ->Put("s", "a", "d", std::nullopt,
                        [](const PutResult&) { throw std::runtime_error("callback bug"); })
                  .ok());
  ASSERT_TRUE(producer->Put("s", "b", "d", std::nullopt, [](const PutResult&) { throw 42; }).ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        producer->Put("s", "c", "d", std::nullopt, [&](const PutResult&) { ran.fetch_add(1); })
            .ok());
  }
  std::future<Status> flushed = producer->Flush();
  EXPECT_TRUE(WaitOrDie(flushed, "Flush after throwing callbacks").ok());
  EXPECT_EQ(ran.load(), 5);
  EXPECT_EQ(producer->outstanding().records, 0u);
  uint64_t counted = 0;
  for (const MetricValue& m : producer->Metrics(std::chrono::seconds(60))) {
    if (m.name == "CallbackErrors" && m.dimensions.empty()) counted = static_cast<uint64_t>(m.sum);
  }
  EXPECT_EQ(counted, 2u);
  EXPECT_TRUE(producer->Close(std::chrono::seconds(10)).ok());
}

TEST(CallbackTest, FlushFromACallbackFailsAtOnceSayingWhy) {
  auto kinesis = OneShard();
  auto producer = Producer::Create(testing::FastTestConfig(), kinesis).value();
  std::promise<std::pair<bool, Status>> outcome;
  ASSERT_TRUE(producer
                  ->Put("s", "k", "d", std::nullopt,
                        [&](const PutResult&) {
                          std::future<Status> f = producer->Flush();
                          bool ready =
                              f.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
                          outcome.set_value({ready, ready ? f.get() : Status::Ok()});
                        })
                  .ok());
  std::future<std::pair<bool, Status>> got = outcome.get_future();
  auto [ready, status] = WaitOrDie(got, "the callback calling Flush");
  EXPECT_TRUE(ready) << "Flush().wait() from a callback waited 5 s: it can never complete";
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find("callback"), std::string::npos) << status.ToString();
  EXPECT_TRUE(producer->Flush().get().ok());  // from another thread, Flush works
}

TEST(CallbackTest, CloseFromACallbackFailsAtOnceAndTheProducerStaysOpen) {
  auto kinesis = OneShard();
  auto producer = Producer::Create(testing::FastTestConfig(), kinesis).value();
  std::promise<Status> outcome;
  ASSERT_TRUE(producer
                  ->Put("s", "k", "d", std::nullopt,
                        [&](const PutResult&) {
                          outcome.set_value(producer->Close(std::chrono::seconds(1)));
                        })
                  .ok());
  std::future<Status> got = outcome.get_future();
  Status status = WaitOrDie(got, "Close from a callback");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status.ToString();
  EXPECT_NE(status.message().find("callback"), std::string::npos) << status.ToString();
  // Still open: puts are taken, and Close from this thread closes it.
  std::atomic<bool> second{false};
  ASSERT_TRUE(
      producer->Put("s", "k2", "d", std::nullopt, [&](const PutResult& r) { second = r.success; })
          .ok());
  EXPECT_TRUE(producer->Close(std::chrono::seconds(10)).ok());
  EXPECT_TRUE(second.load());
}

}  // namespace
}  // namespace kinesis
