#include <gtest/gtest.h>

#include <limits>

#include "pipeline/backoff.h"
#include "pipeline/shard_limiter.h"
#include "pipeline/token_bucket.h"

namespace kinesis {
namespace {

constexpr int64_t kMs = 1000000;
constexpr int64_t kSecond = 1000 * kMs;

TEST(TokenBucketTest, AllowsTheBurstThenTheRate) {
  TokenBucket bucket(100, 100);  // 100/s, burst 100
  int64_t t = kSecond;
  int taken = 0;
  while (bucket.TryTake(1, t)) ++taken;
  EXPECT_EQ(taken, 100);
  EXPECT_FALSE(bucket.TryTake(1, t));
  EXPECT_EQ(bucket.WaitNs(1, t), 10 * kMs + 1);
  EXPECT_TRUE(bucket.TryTake(1, t + 10 * kMs + 1));
  EXPECT_FALSE(bucket.TryTake(1, t + 10 * kMs + 1));
}

TEST(TokenBucketTest, LetsAnOversizedCostThroughOnlyWhenFull) {
  TokenBucket bucket(10, 10);
  EXPECT_TRUE(bucket.TryTake(50, kSecond));  // full: passes, leaves a debt
  EXPECT_FALSE(bucket.TryTake(1, kSecond));
  EXPECT_GT(bucket.WaitNs(1, kSecond), 4 * kSecond);  // the debt is paid back first
}

TEST(ShardLimiterTest, HoldsRecordsAndBytesToRateLimitPercent) {
  ShardLimiter limiter({1000, 1048576}, 100);
  int64_t t = kSecond;
  int sent = 0;
  // Over 10 simulated seconds of 1-byte records, at most the burst plus 1000/s get through.
  for (int64_t now = t; now < t + 10 * kSecond; now += kMs) {
    while (limiter.TryAcquire(1, now)) ++sent;
  }
  EXPECT_LE(sent, 1000 + 10 * 1000 + 1);
  EXPECT_GE(sent, 10 * 1000);

  ShardLimiter bytes({1000, 1048576}, 100);
  uint64_t total = 0;
  for (int64_t now = t; now < t + 10 * kSecond; now += kMs) {
    while (bytes.TryAcquire(100000, now)) total += 100000;
  }
  EXPECT_LE(total, 11ull * 1048576 + 100000);
  EXPECT_GE(total, 9ull * 1048576);
}

TEST(ShardLimiterTest, SlowsDownWhenThrottledAndRecovers) {
  ShardLimiter limiter({1000, 1048576}, 100);
  int64_t t = kSecond;
  limiter.OnThrottled(t - 50 * kMs, t);
  EXPECT_DOUBLE_EQ(limiter.slowdown(), 0.5);
  // Each record sent after a slowdown and throttled halves the rate again.
  for (int i = 1; i <= 10; ++i) limiter.OnThrottled(t + i * kMs, t + (i + 1) * kMs);
  EXPECT_DOUBLE_EQ(limiter.slowdown(), 0.05);  // the floor
  t += 11 * kMs;
  (void)limiter.WaitNs(1, t + 3 * kSecond);
  EXPECT_NEAR(limiter.slowdown(), 0.35, 1e-9);
  (void)limiter.WaitNs(1, t + 30 * kSecond);
  EXPECT_DOUBLE_EQ(limiter.slowdown(), 1.0);
}

// Five aggregates of one shard throttled in one answer are one throttling event: they were all
// sent before the limiter slowed down, at the old rate. (Each used to halve the rate: one answer
// took the shard to the 5% floor, and it took ten seconds to recover.)
TEST(ShardLimiterTest, ThrottlesOfRecordsSentBeforeASlowdownDoNotSlowItAgain) {
  ShardLimiter limiter({1000, 1048576}, 100);
  const int64_t sent = kSecond;
  const int64_t answered = sent + 40 * kMs;
  for (int i = 0; i < 5; ++i) limiter.OnThrottled(sent, answered);
  EXPECT_DOUBLE_EQ(limiter.slowdown(), 0.5);
  // A retry of theirs, sent at the slowed rate and throttled again, says the rate is still too
  // high.
  limiter.OnThrottled(answered + 10 * kMs, answered + 50 * kMs);
  EXPECT_DOUBLE_EQ(limiter.slowdown(), 0.25);
}

TEST(BackoffTest, FullJitterWithinTheExponentialCeilingAndTheCap) {
  Backoff backoff(100, 5000, 42);
  for (uint32_t attempt = 1; attempt <= 40; ++attempt) {
    uint64_t ceiling = std::min<uint64_t>(5000, 100ull << std::min(attempt - 1, 20u)) * kMs;
    uint64_t largest = 0;
    for (int i = 0; i < 200; ++i) {
      uint64_t d = backoff.DelayNs(attempt);
      ASSERT_LE(d, ceiling) << "attempt " << attempt;
      largest = std::max(largest, d);
    }
    EXPECT_GT(largest, ceiling / 2) << "jitter should use the whole range";
  }
  EXPECT_LE(backoff.DelayNs(1000000), 5000 * kMs);  // huge attempt numbers do not overflow
}

TEST(BackoffTest, DeadlinesSaturateInsteadOfWrapping) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(SaturatingAddNs(5, 1), 5 + kMs);
  EXPECT_EQ(SaturatingAddNs(kSecond, std::numeric_limits<uint64_t>::max()), kMax);
  EXPECT_EQ(SaturatingAddNs(kSecond, 9223372036854775807ull), kMax);  // RecordTtl = Long.MAX
  EXPECT_EQ(SaturatingAddNs(kMax - 10, 1), kMax);
}

}  // namespace
}  // namespace kinesis
