// Close keeps its word: a put waiting for room in the buffer budget is woken by Close at once
// and fails with ProducerClosed (the error of a put after Close), and when Close returns every
// record a put accepted has its result, also for puts racing with it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "fake_kinesis.h"
#include "kinesis/error_codes.h"
#include "kinesis/producer.h"

namespace kinesis {
namespace {

using testing::FakeKinesis;
using Clock = std::chrono::steady_clock;

TEST(CloseTest, CloseWakesAPutWaitingForRoomAndItFailsWithProducerClosed) {
  auto kinesis = testing::FakeWithStalledStream("s");  // the budget stays full
  ProducerConfig c = testing::FastTestConfig();
  c.buffer_max_records = 4;
  c.put_timeout_ms = 120000;  // the put would wait two minutes for room
  auto producer = Producer::Create(c, kinesis).value();
  std::atomic<int> results{0};
  auto count = [&](const PutResult&) { results.fetch_add(1); };
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(producer->Put("s", "k" + std::to_string(i), "d", std::nullopt, count).ok());
  }
  Status blocked_status;
  Clock::time_point blocked_returned;
  std::thread blocked([&] {
    blocked_status = producer->Put("s", "late", "d", std::nullopt, count);
    blocked_returned = Clock::now();
  });
  // Give the put time to start waiting (if it has not, Close refuses it at once all the same).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  Clock::time_point start = Clock::now();
  const auto deadline = std::chrono::seconds(2);
  Status closed = producer->Close(deadline);
  Clock::time_point close_returned = Clock::now();
  int results_at_close = results.load();
  blocked.join();

  EXPECT_EQ(blocked_status.code(), StatusCode::kFailedPrecondition) << blocked_status.ToString();
  EXPECT_EQ(blocked_status.result_code(), errors::kProducerClosed) << blocked_status.ToString();
  // Woken at once: before Close has waited out its deadline for the stalled records.
  EXPECT_LT(blocked_returned - start, deadline)
      << "the put returned "
      << std::chrono::duration_cast<std::chrono::milliseconds>(blocked_returned - start).count()
      << " ms after Close started, Close took "
      << std::chrono::duration_cast<std::chrono::milliseconds>(close_returned - start).count()
      << " ms";
  EXPECT_LT(close_returned - start, std::chrono::seconds(30));  // far below PutTimeout
  EXPECT_EQ(closed.code(), StatusCode::kDeadlineExceeded);
  // The four records accepted have their results; the refused put has none.
  EXPECT_EQ(results_at_close, 4);
  EXPECT_EQ(producer->outstanding().records, 0u);
  kinesis->ReleaseStalled();
}

TEST(CloseTest, EveryRecordAPutAcceptedHasItsResultWhenCloseReturns) {
  // Threads put without pause into a small budget while Close runs: each put is accepted (and
  // then has its result by the time Close returns) or refused with ProducerClosed.
  FakeKinesis::Faults f;
  f.delay_ms = 5;
  auto kinesis = testing::FakeWithStream("s", 2, f);
  ProducerConfig c = testing::FastTestConfig();
  c.buffer_max_records = 64;
  c.put_timeout_ms = 120000;
  for (int round = 0; round < 5; ++round) {
    auto producer = Producer::Create(c, kinesis).value();
    std::atomic<uint64_t> results{0};
    std::atomic<uint64_t> accepted{0};
    std::atomic<bool> refused_other{false};
    std::vector<std::thread> putters;
    putters.reserve(4);
    for (int t = 0; t < 4; ++t) {
      putters.emplace_back([&, t] {
        for (int i = 0;; ++i) {
          Status s = producer->Put("s", "k" + std::to_string(t * 1000003 + i), "data",
                                   std::nullopt, [&](const PutResult&) { results.fetch_add(1); });
          if (s.ok()) {
            accepted.fetch_add(1);
            continue;
          }
          if (s.result_code() != errors::kProducerClosed) refused_other = true;
          return;
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + 20 * round));
    (void)producer->Close(std::chrono::milliseconds(10 * round));
    uint64_t results_at_close = results.load();
    for (std::thread& t : putters) t.join();
    EXPECT_FALSE(refused_other.load());
    EXPECT_GT(accepted.load(), 0u);
    EXPECT_EQ(results_at_close, accepted.load()) << "round " << round;
    EXPECT_EQ(results.load(), accepted.load()) << "round " << round;
  }
}

}  // namespace
}  // namespace kinesis
