#include "sim/fault_plan.h"

#include <gtest/gtest.h>

namespace kinesis::sim {
namespace {

TEST(FaultPlanTest, ParsesSpecs) {
  FaultConfig c;
  ASSERT_TRUE(ApplyFaultSpec("seed=9, internal_failure_rate=0.25,throttle_shards=a|b,"
                             "error_next=3,error_status=503,reshard=split:s:x,latency_ms=5", &c)
                  .ok());
  EXPECT_EQ(c.seed, 9u);
  EXPECT_DOUBLE_EQ(c.record_internal_failure_rate, 0.25);
  EXPECT_EQ(c.throttle_shards, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.error_next, 3);
  EXPECT_EQ(c.error_status, 503);
  EXPECT_EQ(c.reshard, "split:s:x");
  EXPECT_EQ(c.latency_ms, 5);
}

TEST(FaultPlanTest, RejectsBadSpecsNamingTheKey) {
  FaultConfig c;
  Status s = ApplyFaultSpec("nope=1", &c);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nope"), std::string::npos);
  EXPECT_FALSE(ApplyFaultSpec("error_rate=2", &c).ok());
  EXPECT_FALSE(ApplyFaultSpec("latency_ms=-1", &c).ok());
  EXPECT_FALSE(ApplyFaultSpec("latency_ms", &c).ok());
  EXPECT_FALSE(ApplyFaultSpec("error_status=99", &c).ok());
}

TEST(FaultPlanTest, NextNCountsDownAndRatesAreSeeded) {
  FaultConfig c;
  c.error_next = 2;
  c.reset_before_next = 1;
  FaultPlan plan;
  plan.Set(c, 0);
  EXPECT_TRUE(plan.NextRequest().reset_before);
  EXPECT_EQ(plan.NextRequest().error_status, 500);
  EXPECT_EQ(plan.NextRequest().error_status, 500);
  EXPECT_EQ(plan.NextRequest().error_status, 0);

  FaultConfig r;
  r.seed = 77;
  r.record_throttle_rate = 0.5;
  FaultPlan a, b;
  a.Set(r, 0);
  b.Set(r, 0);
  int throttled = 0;
  for (int i = 0; i < 200; ++i) {
    bool x = a.ThrottleRecord("st", "s");
    EXPECT_EQ(x, b.ThrottleRecord("st", "s"));
    throttled += x;
  }
  EXPECT_GT(throttled, 50);
  EXPECT_LT(throttled, 150);
}

TEST(FaultPlanTest, ThrottleStreamsThrottlesEveryRecordOfThoseStreamsOnly) {
  FaultConfig c;
  ASSERT_TRUE(ApplyFaultSpec("throttle_streams=hot|warm", &c).ok());
  FaultPlan plan;
  plan.Set(c, 0);
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(plan.ThrottleRecord("hot", "shardId-000000000000"));
    EXPECT_TRUE(plan.ThrottleRecord("warm", "shardId-000000000001"));
    EXPECT_FALSE(plan.ThrottleRecord("cool", "shardId-000000000000"));
  }
}

TEST(FaultPlanTest, TimedEventsFireOnce) {
  FaultConfig c;
  c.reshard = "scale:s:2";
  c.reshard_after_requests = 3;
  c.vanish_stream = "s";
  c.vanish_at_ms = 10;
  FaultPlan plan;
  plan.Set(c, 1000);
  EXPECT_FALSE(plan.ReshardDue(2, 0));
  EXPECT_TRUE(plan.ReshardDue(3, 0));
  EXPECT_FALSE(plan.ReshardDue(4, 0));
  EXPECT_FALSE(plan.VanishDue(0, 10'999));
  EXPECT_TRUE(plan.VanishDue(0, 11'000));
  EXPECT_FALSE(plan.VanishDue(0, 12'000));
}

}  // namespace
}  // namespace kinesis::sim
