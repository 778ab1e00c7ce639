// The engine, stepped by hand on a manual clock (engine_harness.h): each case says exactly
// what the engine sends, when, and what results come back, with no thread, no sleep and no
// random fault.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine_harness.h"
#include "kinesis/log.h"
#include "pipeline/backoff.h"

namespace kinesis::testing {
namespace {

constexpr const char* kStream = "stream";

// The user records of `calls`, in the order they were sent.
std::vector<std::string> MembersOf(const std::vector<PutCall>& calls) {
  std::vector<std::string> members;
  for (const PutCall& c : calls) {
    for (const SentRecord& r : c.records) {
      members.insert(members.end(), r.members.begin(), r.members.end());
    }
  }
  return members;
}

PutRecordsOutcome OneEach(std::vector<RecordOutcome> records) {
  PutRecordsOutcome o;
  o.records = std::move(records);
  return o;
}

bool InRange(const std::string& explicit_hash_key, const ShardListing& shard) {
  HashKey k = HashKey::Parse(explicit_hash_key).value();
  return k >= shard.starting_hash_key && k <= shard.ending_hash_key;
}

// A split of shard 0 of a one-shard stream into shards 1 and 2, as ListShards shows it.
std::vector<ShardListing> SplitOfShard0() {
  std::vector<ShardListing> listing = EvenShards(1);
  listing[0].closed = true;
  std::vector<ShardListing> children = EvenShards(2, 1);
  for (ShardListing& c : children) {
    c.parent_shard_id = ShardId(0);
    listing.push_back(c);
  }
  return listing;
}

// Sends one round: answers the captured requests with `answer(record index in call)`.
void AnswerAll(std::vector<PutCall>& calls,
               const std::function<RecordOutcome(const SentRecord&)>& answer) {
  for (PutCall& c : calls) {
    std::vector<RecordOutcome> outcomes;
    for (const SentRecord& r : c.records) outcomes.push_back(answer(r));
    c.done(OneEach(outcomes));
  }
}

// A strict-ordering stream of one shard: "1" and "2" of one key sent as one aggregate, whose
// request is returned unanswered; "3" and "4" put after it.
std::vector<PutCall> SendFirstTwoThenPutTwoMore(EngineHarness& h) {
  h.Put(kStream, "key", "1");
  h.Put(kStream, "key", "2");
  h.ServeMap(EvenShards(1));
  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> first = h.backend().TakePuts();
  EXPECT_EQ(MembersOf(first), (std::vector<std::string>{"1", "2"}));
  h.Put(kStream, "key", "3");
  h.Put(kStream, "key", "4");
  return first;
}

// Rounds of (past the backoff, a pass, every request succeeds on `shard`) until `count` user
// records landed or ten rounds passed; returns them in the order they were sent.
std::vector<std::string> SucceedUntilLanded(EngineHarness& h, size_t count,
                                            const std::string& shard) {
  std::vector<std::string> landed;
  for (int round = 0; round < 10 && landed.size() < count; ++round) {
    h.clock().AdvanceMs(101);
    h.Step();
    std::vector<PutCall> puts = h.backend().TakePuts();
    std::vector<std::string> sent = MembersOf(puts);
    landed.insert(landed.end(), sent.begin(), sent.end());
    AnswerAll(puts, [&](const SentRecord&) { return Ok(shard, 1); });
    h.Step();
  }
  return landed;
}

ProducerConfig StrictConfig() {
  ProducerConfig config;
  config.strict_ordering = true;
  config.retry_backoff_base_ms = 100;
  config.retry_backoff_max_ms = 100;
  config.record_ttl_ms = 600000;
  return config;
}

TEST(EngineTest, ThrottledOnceIsRetriedInTheSameShardAfterItsBackoff) {
  ProducerConfig config;
  config.retry_backoff_base_ms = 100;
  config.retry_backoff_max_ms = 100;
  EngineHarness h(config);
  for (const char* data : {"a", "b", "c"}) h.Put(kStream, "key", data, KeyInShard(0, 2));
  h.ServeMap(EvenShards(2));
  EXPECT_TRUE(h.backend().TakePuts().empty()) << "sent before its buffering deadline";

  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> puts = h.backend().TakePuts();
  ASSERT_EQ(puts.size(), 1u);
  ASSERT_EQ(puts[0].records.size(), 1u);
  EXPECT_EQ(puts[0].records[0].members, (std::vector<std::string>{"a", "b", "c"}));
  puts[0].done(OneEach({Throttled()}));

  h.Step();
  Backoff expected(100, 100, 42);
  int64_t delay_ms = static_cast<int64_t>(expected.DelayNs(1) / 1000000);
  if (delay_ms > 0) {
    EXPECT_TRUE(h.backend().TakePuts().empty()) << "retried before its backoff";
  }
  h.clock().AdvanceMs(delay_ms + 1);
  h.Step();
  puts = h.backend().TakePuts();
  ASSERT_EQ(puts.size(), 1u);
  ASSERT_EQ(puts[0].records.size(), 1u);
  EXPECT_EQ(puts[0].records[0].members, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(InRange(puts[0].records[0].explicit_hash_key, EvenShards(2)[0]));
  puts[0].done(AllSucceed(puts[0], ShardId(0)));
  h.Step();

  auto results = h.Results();
  ASSERT_EQ(results.size(), 3u);
  for (const char* data : {"a", "b", "c"}) {
    const PutResult& r = results[data];
    EXPECT_TRUE(r.success) << data;
    EXPECT_EQ(r.shard_id, ShardId(0));
    ASSERT_EQ(r.attempts.size(), 2u);
    EXPECT_FALSE(r.attempts[0].success);
    EXPECT_EQ(r.attempts[0].error_code, "ProvisionedThroughputExceededException");
    EXPECT_TRUE(r.attempts[1].success);
  }
}

TEST(EngineTest, MapChangeWhileWaitingForRetryReaggregatesForTheNewShards) {
  ProducerConfig config;
  config.retry_backoff_base_ms = 60000;
  config.retry_backoff_max_ms = 60000;
  config.record_ttl_ms = 600000;
  Backoff expected(config.retry_backoff_base_ms, config.retry_backoff_max_ms, 42);
  ASSERT_GT(expected.DelayNs(1), 1000000000u) << "the seed's first delay must outlast the refresh";

  EngineHarness h(config);
  h.Put(kStream, "k0", "warm-up");
  h.ServeMap(EvenShards(1));
  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> puts = h.backend().TakePuts();
  AnswerAll(puts, [](const SentRecord&) { return Ok(ShardId(0), 1); });
  // Just before the periodic map refresh (a minute after the map came), an aggregate is
  // throttled.
  h.clock().AdvanceMs(59700);
  h.Put(kStream, "k1", "low1", KeyInShard(0, 2));
  h.Put(kStream, "k2", "high1", KeyInShard(1, 2));
  h.Put(kStream, "k3", "low2", KeyInShard(0, 2));
  h.Put(kStream, "k4", "high2", KeyInShard(1, 2));
  h.clock().AdvanceMs(100);
  h.Step();
  puts = h.backend().TakePuts();
  ASSERT_EQ(puts.size(), 1u);
  ASSERT_EQ(puts[0].records.size(), 1u);
  EXPECT_EQ(puts[0].records[0].members.size(), 4u);
  puts[0].done(OneEach({Throttled()}));
  h.Step();
  EXPECT_TRUE(h.backend().TakePuts().empty());

  // The refresh finds shard 0 split while the aggregate waits for its retry.
  h.clock().AdvanceMs(300);
  h.Step();
  ASSERT_EQ(h.backend().pending_lists(), 1u);
  h.backend().AnswerLists(SplitOfShard0());
  h.Step();
  puts = h.backend().TakePuts();
  ASSERT_EQ(puts.size(), 1u);
  ASSERT_EQ(puts[0].records.size(), 2u) << "one aggregate per child shard";
  std::vector<ShardListing> children = EvenShards(2, 1);
  std::vector<RecordOutcome> answers;
  for (const SentRecord& r : puts[0].records) {
    bool low = InRange(r.explicit_hash_key, children[0]);
    std::vector<std::string> wanted =
        low ? std::vector<std::string>{"low1", "low2"} : std::vector<std::string>{"high1", "high2"};
    EXPECT_EQ(r.members, wanted);
    answers.push_back(Ok(low ? ShardId(1) : ShardId(2), 7));
  }
  puts[0].done(OneEach(answers));
  h.Step();
  auto results = h.Results();
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results["low1"].shard_id, ShardId(1));
  EXPECT_EQ(results["high2"].shard_id, ShardId(2));
  for (auto& [data, r] : results) {
    EXPECT_TRUE(r.success) << data;
    if (data != "warm-up") {
      EXPECT_EQ(r.attempts.size(), 2u) << data;
    }
  }
}

TEST(EngineTest, StrictOrderHoldsAcrossARetry) {
  EngineHarness h(StrictConfig());
  std::vector<PutCall> first = SendFirstTwoThenPutTwoMore(h);
  h.clock().AdvanceMs(100);
  h.Step();
  EXPECT_TRUE(h.backend().TakePuts().empty()) << "sent while an older aggregate is in flight";
  AnswerAll(first, [](const SentRecord&) { return Throttled(); });
  EXPECT_EQ(SucceedUntilLanded(h, 4, ShardId(0)), (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(h.CallbackOrder(), (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST(EngineTest, StrictOrderHoldsWhenTheMapIsRefreshedDuringARetry) {
  EngineHarness h(StrictConfig());
  std::vector<PutCall> first = SendFirstTwoThenPutTwoMore(h);
  // The periodic refresh lists the same map while the first aggregate is in flight.
  h.clock().AdvanceMs(60000);
  h.Step();
  ASSERT_EQ(h.backend().pending_lists(), 1u);
  h.backend().AnswerLists(EvenShards(1));
  h.Step();
  AnswerAll(first, [](const SentRecord&) { return Throttled(); });
  EXPECT_EQ(SucceedUntilLanded(h, 4, ShardId(0)), (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST(EngineTest, StrictOrderHoldsAcrossASplit) {
  // Records of the parent still in flight when the split is seen land before any record of
  // the children: the children wait until the parent has settled.
  EngineHarness h(StrictConfig());
  h.Put(kStream, "k", "1", KeyInShard(0, 2));
  h.ServeMap(EvenShards(1));
  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> first = h.backend().TakePuts();
  ASSERT_EQ(MembersOf(first), (std::vector<std::string>{"1"}));
  h.Put(kStream, "k", "2", KeyInShard(0, 2));
  h.clock().AdvanceMs(60000);
  h.Step();
  h.backend().AnswerLists(SplitOfShard0());
  h.Step();
  h.clock().AdvanceMs(100);
  h.Step();
  EXPECT_TRUE(h.backend().TakePuts().empty()) << "a child sent before its parent settled";
  AnswerAll(first, [](const SentRecord&) { return Throttled(); });
  EXPECT_EQ(SucceedUntilLanded(h, 2, ShardId(1)), (std::vector<std::string>{"1", "2"}));
}

TEST(EngineTest, StrictOrderHoldsForMembersSentAgainAfterReachingTheWrongShard) {
  // The map is stale: an aggregate predicted for shard 0 reaches child shard 2, which owns
  // only part of its members; the others are sent again, before anything newer of their keys.
  EngineHarness h(StrictConfig());
  h.Put(kStream, "high", "high-1", KeyInShard(1, 2));
  h.Put(kStream, "low", "low-1", KeyInShard(0, 2));
  h.ServeMap(EvenShards(1));
  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> first = h.backend().TakePuts();
  ASSERT_EQ(MembersOf(first), (std::vector<std::string>{"high-1", "low-1"}));
  h.Put(kStream, "low", "low-2", KeyInShard(0, 2));
  h.clock().AdvanceMs(100);
  h.Step();  // low-2 sealed, waiting behind the aggregate in flight
  AnswerAll(first, [](const SentRecord&) { return Ok(ShardId(2), 1); });
  h.Step();  // the answer names a shard the map does not know: parked, the map refreshed
  h.clock().AdvanceMs(1000);
  h.Step();
  ASSERT_EQ(h.backend().pending_lists(), 1u);
  h.backend().AnswerLists(SplitOfShard0());
  h.Step();
  EXPECT_EQ(SucceedUntilLanded(h, 2, ShardId(1)), (std::vector<std::string>{"low-1", "low-2"}));
  auto results = h.Results();
  EXPECT_EQ(results["high-1"].shard_id, ShardId(2));
  EXPECT_EQ(results["low-1"].shard_id, ShardId(1));
}

TEST(EngineTest, StrictOrderingWithoutAggregationSendsManyRecordsOfAShardPerRequest) {
  ProducerConfig config;
  config.strict_ordering = true;
  config.aggregation_enabled = false;
  config.retry_backoff_base_ms = 100;
  config.retry_backoff_max_ms = 100;
  EngineHarness h(config);
  // Ten keys, three records each, all in one shard.
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 10; ++k) {
      h.Put(kStream, "key" + std::to_string(k), std::to_string(k) + "-" + std::to_string(i));
    }
  }
  h.ServeMap(EvenShards(1));
  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> puts = h.backend().TakePuts();
  ASSERT_EQ(puts.size(), 1u);
  // One record of each key: a later record of a key waits for the earlier one's answer.
  EXPECT_EQ(puts[0].records.size(), 10u);
  // Key 3's record is throttled; the others succeed.
  AnswerAll(puts, [](const SentRecord& r) {
    return r.members[0] == "3-0" ? Throttled() : Ok(ShardId(0), 1);
  });
  std::map<std::string, std::vector<std::string>> landed_by_key;
  for (int round = 0; round < 20; ++round) {
    h.clock().AdvanceMs(101);
    h.Step();
    std::vector<PutCall> more = h.backend().TakePuts();
    for (const std::string& m : MembersOf(more)) landed_by_key[m.substr(0, m.find('-'))].push_back(m);
    AnswerAll(more, [](const SentRecord&) { return Ok(ShardId(0), 1); });
  }
  h.Step();
  EXPECT_EQ(landed_by_key["3"], (std::vector<std::string>{"3-0", "3-1", "3-2"}));
  EXPECT_EQ(landed_by_key["5"], (std::vector<std::string>{"5-1", "5-2"}));
  auto results = h.Results();
  ASSERT_EQ(results.size(), 30u);
  for (auto& [data, r] : results) EXPECT_TRUE(r.success) << data << ": " << r.error_code;
}

// Steps the clock `step_ms` at a time, answering every request throttled, until every one of
// `count` records has a result or `limit_ms` passed; returns each result's clock time.
std::map<std::string, int64_t> ThrottleUntilDone(EngineHarness& h, size_t count, int64_t step_ms,
                                                 int64_t limit_ms) {
  std::map<std::string, int64_t> at;
  const int64_t start = h.clock().NowNs();
  while (at.size() < count && h.clock().NowNs() - start < limit_ms * 1000000) {
    h.clock().AdvanceMs(step_ms);
    h.Step();
    std::vector<PutCall> puts = h.backend().TakePuts();
    AnswerAll(puts, [](const SentRecord&) { return Throttled(); });
    h.Step();
    for (auto& [data, r] : h.Results()) at.emplace(data, h.clock().NowNs());
  }
  return at;
}

TEST(EngineTest, ExpiresWithinItsTtlWhileInBackoff) {
  ProducerConfig config;
  config.record_ttl_ms = 3000;
  config.retry_backoff_base_ms = 1000;
  config.retry_backoff_max_ms = 5000;
  EngineHarness h(config);
  const int64_t put_ns = h.clock().NowNs();
  for (int i = 0; i < 20; ++i) h.Put(kStream, "k" + std::to_string(i), "r" + std::to_string(i));
  h.ServeMap(EvenShards(4));
  std::future<Status> flushed = h.producer().Flush();
  auto at = ThrottleUntilDone(h, 20, 10, 20000);
  auto results = h.Results();
  ASSERT_EQ(results.size(), 20u);
  // The flush waiting for them ends with them (its completion follows their callbacks).
  EXPECT_LE(h.clock().NowNs() - put_ns, (3000 + 100) * 1000000ll);
  ASSERT_EQ(flushed.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(flushed.get().ok());
  for (auto& [data, r] : results) {
    EXPECT_EQ(r.error_code, "Expired") << data;
    EXPECT_LE(at[data] - put_ns, (3000 + 100) * 1000000ll) << data << " expired late";
  }
}

TEST(EngineTest, ExpiresWithinItsTtlWhileWaitingForTheLimiter) {
  ProducerConfig config;
  config.aggregation_enabled = false;
  config.record_ttl_ms = 1000;
  config.rate_limit_percent = 1;  // 10 records a second per shard
  EngineHarness h(config);
  const int64_t put_ns = h.clock().NowNs();
  for (int i = 0; i < 40; ++i) h.Put(kStream, "k", "r" + std::to_string(i));
  h.ServeMap(EvenShards(1));
  std::map<std::string, int64_t> at;
  while (at.size() < 40 && h.clock().NowNs() - put_ns < 5000 * 1000000ll) {
    h.clock().AdvanceMs(10);
    h.Step();
    std::vector<PutCall> puts = h.backend().TakePuts();
    AnswerAll(puts, [](const SentRecord&) { return Ok(ShardId(0), 1); });
    h.Step();
    for (auto& [data, r] : h.Results()) at.emplace(data, h.clock().NowNs());
  }
  auto results = h.Results();
  ASSERT_EQ(results.size(), 40u);
  size_t expired = 0;
  for (auto& [data, r] : results) {
    if (r.error_code != "Expired") continue;
    ++expired;
    EXPECT_LE(at[data] - put_ns, (1000 + 100) * 1000000ll) << data << " expired late";
  }
  EXPECT_GT(expired, 0u) << "the limiter let everything through: the case tests nothing";
}

TEST(EngineTest, FlushCompletesWhenItsLastRecordFails) {
  EngineHarness h(ProducerConfig{});
  h.Put(kStream, "k", "doomed");
  h.ServeMap(EvenShards(1));
  std::future<Status> flushed = h.producer().Flush();
  h.Step();
  std::vector<PutCall> puts = h.backend().TakePuts();
  ASSERT_EQ(puts.size(), 1u) << "a flush sends at once";
  EXPECT_NE(flushed.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  PutRecordsOutcome denied;
  denied.failure = RequestFailure::kFatal;
  denied.error_code = "AccessDeniedException";
  denied.error_message = "not allowed";
  puts[0].done(denied);
  h.Step();
  ASSERT_EQ(flushed.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(flushed.get().ok());
  EXPECT_EQ(h.Results()["doomed"].error_code, "AccessDeniedException");
}

// A flush hurries the records put before it, not those put while it waits for results: the
// KPL's Java flushSync sends a flush every 500 ms until nothing is outstanding, so hurrying
// everything would send tiny aggregates all along (seen: 4 to 15 times the KPL's requests).
TEST(EngineTest, AFlushHurriesOnlyTheRecordsPutBeforeIt) {
  ProducerConfig config;
  config.record_max_buffered_time_ms = 1000;
  EngineHarness h(config);
  h.Put(kStream, "k", "before");
  h.ServeMap(EvenShards(1));
  std::future<Status> flushed = h.producer().Flush();
  h.Step();
  std::vector<PutCall> puts = h.backend().TakePuts();
  ASSERT_EQ(puts.size(), 1u) << "a flush sends at once";
  // Put while the flush waits for "before": aggregated with what follows, sent at its deadline.
  h.Put(kStream, "k", "after-1");
  h.Step();
  h.clock().AdvanceMs(100);
  h.Put(kStream, "k", "after-2");
  h.Step();
  EXPECT_TRUE(h.backend().TakePuts().empty()) << "records put after the flush were hurried";
  AnswerAll(puts, [](const SentRecord&) { return Ok(ShardId(0), 1); });
  h.Step();
  ASSERT_EQ(flushed.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(flushed.get().ok());
  h.clock().AdvanceMs(1000);
  h.Step();
  std::vector<PutCall> later = h.backend().TakePuts();
  ASSERT_EQ(later.size(), 1u);
  ASSERT_EQ(later[0].records.size(), 1u) << "one aggregate holds both";
}

TEST(EngineTest, ASlowStreamDoesNotTakeEveryConnection) {
  ProducerConfig config;
  config.max_connections = 4;
  config.collection_max_count = 1;  // a request per Kinesis record
  config.aggregation_enabled = false;
  EngineHarness h(config);
  h.Put("fast", "k", "warm-up");
  h.ServeMap(EvenShards(1));
  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> warm = h.backend().TakePuts();
  ASSERT_EQ(warm.size(), 1u);
  AnswerAll(warm, [](const SentRecord&) { return Ok(ShardId(0), 1); });
  // The slow stream's requests are never answered.
  for (int i = 0; i < 10; ++i) h.Put("slow", "k" + std::to_string(i), "s" + std::to_string(i));
  h.ServeMap(EvenShards(1));
  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> slow = h.backend().TakePuts();
  EXPECT_GE(slow.size(), 1u);
  EXPECT_LT(slow.size(), 4u) << "the slow stream took every connection";
  h.Put("fast", "k", "f1");
  h.clock().AdvanceMs(100);
  h.Step();
  std::vector<PutCall> fast = h.backend().TakePuts();
  ASSERT_EQ(fast.size(), 1u);
  EXPECT_EQ(fast[0].stream, "fast");
  for (auto& c : slow) c.done(OneEach({Ok(ShardId(0), 1)}));
}


TEST(EngineTest, DebugLogShowsRequestsRetriesAndMapChangesAndNoSecret) {
  std::mutex mu;
  std::vector<LogEntry> lines;
  SetLogSink([&](const LogEntry& e) {
    std::lock_guard lock(mu);
    lines.push_back(e);
  });
  {
    ProducerConfig config;
    config.log_level = LogLevel::kDebug;
    config.aws_access_key_id = "AKIDENGINETEST";
    config.aws_secret_key = "wJalrXUtnFEMI-not-to-be-logged";
    config.retry_backoff_base_ms = 100;
    config.retry_backoff_max_ms = 100;
    EngineHarness h(config);
    h.Put(kStream, "k", "one");
    h.ServeMap(EvenShards(2));
    h.clock().AdvanceMs(100);
    h.Step();
    std::vector<PutCall> puts = h.backend().TakePuts();
    ASSERT_EQ(puts.size(), 1u);
    AnswerAll(puts, [](const SentRecord&) { return Throttled(); });
    h.Step();
    h.clock().AdvanceMs(101);
    h.Step();
    puts = h.backend().TakePuts();
    AnswerAll(puts, [](const SentRecord&) { return Ok(ShardId(0), 1); });
    h.Step();
  }
  SetLogSink(nullptr);
  SetLogLevel(LogLevel::kInfo);
  std::map<std::string, std::map<std::string, std::string>> seen;  // message -> last fields
  for (const LogEntry& e : lines) {
    if (e.level != LogLevel::kDebug) continue;
    for (const auto& [k, v] : e.fields) {
      seen[e.message][k] = v;
      EXPECT_EQ(v.find("wJalrXUtnFEMI"), std::string::npos) << e.message << " " << k;
    }
  }
  ASSERT_TRUE(seen.contains("request sent"));
  EXPECT_EQ(seen["request sent"]["stream"], kStream);
  EXPECT_EQ(seen["request sent"]["user_records"], "1");
  EXPECT_EQ(seen["request sent"]["attempt"], "2");
  ASSERT_TRUE(seen.contains("request done"));
  EXPECT_EQ(seen["request done"]["status"], "answered");
  ASSERT_TRUE(seen.contains("retry scheduled"));
  EXPECT_EQ(seen["retry scheduled"]["attempt"], "1");
  EXPECT_TRUE(seen["retry scheduled"].contains("backoff_ms"));
  ASSERT_TRUE(seen.contains("shard map installed"));
  EXPECT_EQ(seen["shard map installed"]["open_shards"], "2");
  EXPECT_TRUE(seen.contains("listing shards"));
}


// docs/metrics.md: ErrorsByCode counts each failed attempt, so a record throttled twice and
// then failed counts three, and our own codes (Expired) once.
TEST(EngineTest, ErrorsByCodeCountsEveryFailedAttempt) {
  ProducerConfig config;
  config.retry_backoff_base_ms = 100;
  config.retry_backoff_max_ms = 100;
  EngineHarness h(config);
  h.Put(kStream, "k", "a");
  h.Put(kStream, "k", "b");
  h.ServeMap(EvenShards(1));
  for (int round = 0; round < 2; ++round) {
    h.clock().AdvanceMs(101);
    h.Step();
    std::vector<PutCall> puts = h.backend().TakePuts();
    ASSERT_EQ(puts.size(), 1u) << "round " << round;
    AnswerAll(puts, [](const SentRecord&) { return Throttled(); });
    h.Step();
  }
  h.clock().AdvanceMs(101);
  h.Step();
  std::vector<PutCall> puts = h.backend().TakePuts();
  ASSERT_EQ(puts.size(), 1u);
  RecordOutcome denied;
  denied.error_code = "AccessDeniedException";
  denied.error_message = "no";
  AnswerAll(puts, [&](const SentRecord&) { return denied; });
  h.Step();
  ASSERT_EQ(h.Results().size(), 2u);
  std::map<std::string, double> by_code;
  for (const MetricValue& m : h.producer().Metrics(std::chrono::seconds(60))) {
    if (m.name == "ErrorsByCode" && m.dimensions.contains("StreamName")) {
      by_code[m.dimensions.at("ErrorCode")] += m.sum;
    }
  }
  EXPECT_EQ(by_code["ProvisionedThroughputExceededException"], 4);  // 2 records x 2 attempts
  EXPECT_EQ(by_code["AccessDeniedException"], 2);
  EXPECT_EQ(by_code.size(), 2u);
}

}  // namespace
}  // namespace kinesis::testing
