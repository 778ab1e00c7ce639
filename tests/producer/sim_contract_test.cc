// The producer's contract end to end: the real HTTP client (SigV4, libcurl, JSON) against
// kinesis-sim in-process with storage on, one fault at a time. For each: every accepted record
// gets exactly one result; every success is in the stream where its result says; failures carry
// the right code; duplicates only where an answer was lost.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "kinesis/aggregation.h"
#include "kinesis/http_backend.h"
#include "kinesis/producer.h"
#include "sim/kinesis_sim.h"

namespace kinesis {
namespace {

struct Sent {
  std::string key;
  std::string data;
};

class SimHarness {
 public:
  explicit SimHarness(sim::SimOptions options, ProducerConfig config = BaseConfig(),
                      int shards = 4) {
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    options.streams = {{"s", shards}};
    auto started = sim::KinesisSim::Start(options);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    sim_ = std::move(started.value());
    config.kinesis_endpoint = sim_->endpoint();
    auto backend = CreateHttpBackend(config);
    EXPECT_TRUE(backend.ok()) << backend.status().ToString();
    auto producer = Producer::Create(config, backend.value());
    EXPECT_TRUE(producer.ok()) << producer.status().ToString();
    producer_ = std::move(producer.value());
  }
  ~SimHarness() {
    producer_.reset();
    sim_->Stop();
  }

  static ProducerConfig BaseConfig() {
    ProducerConfig c;
    c.region = "us-east-1";
    c.aws_access_key_id = "AKIDSIMTEST";
    c.aws_secret_key = "sim-test-secret";
    c.record_max_buffered_time_ms = 20;
    c.retry_backoff_base_ms = 10;
    c.retry_backoff_max_ms = 200;
    c.request_timeout_ms = 1000;
    c.record_ttl_ms = 60000;
    return c;
  }

  // `keys` > 0: the records cycle through that many partition keys, each put many times.
  void PutMany(int n, const std::string& prefix = "user-", int keys = 0) {
    for (int i = 0; i < n; ++i) {
      std::string key = prefix + std::to_string(keys > 0 ? i % keys : i * 7919 % 10007);
      std::string data = std::to_string(i) + ":" + std::string(60, 'd');
      size_t index;
      {
        std::lock_guard lock(mu_);
        index = sent_.size();
        sent_.push_back({key, data});
        results_.emplace_back();
        counts_.push_back(0);
      }
      Status s = producer_->Put("s", key, data, std::nullopt, [this, index](PutResult r) {
        std::lock_guard lock(mu_);
        ++counts_[index];
        results_[index] = std::move(r);
      });
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

  // The attempts tell the record's story in order, across re-routing after splits and merges:
  // a success ends with a successful attempt, a failure with a failed one (if any); an earlier
  // attempt succeeds only when its aggregate reached the wrong shard and it was sent again.
  static void CheckAttempts(const PutResult& r, size_t i) {
    if (r.success) {
      ASSERT_FALSE(r.attempts.empty()) << "record " << i;
    }
    if (!r.attempts.empty()) {
      EXPECT_EQ(r.attempts.back().success, r.success) << "record " << i;
    }
    for (size_t a = 0; a < r.attempts.size(); ++a) {
      if (!r.attempts[a].success) {
        EXPECT_FALSE(r.attempts[a].error_code.empty()) << "record " << i;
      }
      if (a > 0) {
        EXPECT_LE(r.attempts[a - 1].start, r.attempts[a].start) << "record " << i;
      }
    }
  }

  Status Flush() { return producer_->Flush(std::nullopt, std::chrono::seconds(120)).get(); }

  size_t CheckExactlyOneResult() {
    std::lock_guard lock(mu_);
    size_t ok = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      EXPECT_EQ(counts_[i], 1) << "record " << i;
      ok += results_[i].success;
      CheckAttempts(results_[i], i);
    }
    return ok;
  }

  // Every success is at (shard, sequence, sub-sequence) in the stream with its data; returns the
  // user records stored beyond the successes.
  size_t CheckStream() {
    std::map<std::pair<std::string, std::string>, std::vector<DeaggregatedRecord>> at;
    std::vector<sim::StoredRecord> stored = sim_->Records("s");
    size_t stored_users = 0;
    for (const sim::StoredRecord& s : stored) {
      std::vector<DeaggregatedRecord>& out = at[{s.shard_id, s.sequence_number}];
      Status st = Deaggregate(s.data, s.partition_key, std::nullopt, {}, &out);
      EXPECT_TRUE(st.ok()) << st.ToString();
      stored_users += out.size();
    }
    std::lock_guard lock(mu_);
    size_t successes = 0;
    for (size_t i = 0; i < results_.size(); ++i) {
      const PutResult& r = results_[i];
      if (!r.success) continue;
      ++successes;
      auto it = at.find({r.shard_id, r.sequence_number});
      if (it == at.end() || r.sub_sequence_number >= it->second.size()) {
        ADD_FAILURE() << "record " << i << " reported at " << r.shard_id << "/"
                      << r.sequence_number << "/" << r.sub_sequence_number << ", not in the stream";
        continue;
      }
      const DeaggregatedRecord& d = it->second[r.sub_sequence_number];
      EXPECT_EQ(d.partition_key, sent_[i].key) << "record " << i;
      EXPECT_EQ(d.data, sent_[i].data) << "record " << i;
    }
    EXPECT_GE(stored_users, successes);
    return stored_users - successes;
  }

  // Records of one partition key whose results are out of put order (by sequence number, then
  // sub-sequence number): 0 when StrictOrdering holds.
  size_t OrderInversions() {
    auto position = [](const PutResult& r) {
      return std::make_tuple(r.sequence_number.size(), r.sequence_number, r.sub_sequence_number);
    };
    std::lock_guard lock(mu_);
    std::map<std::string, size_t> last;  // key -> index of its latest success so far
    // key -> shards it has left (a parent, after a split or merge): none of its later records
    // may land there again.
    std::map<std::string, std::set<std::string>> left;
    size_t inversions = 0;
    for (size_t i = 0; i < results_.size(); ++i) {
      if (!results_[i].success) continue;
      const std::string& key = sent_[i].key;
      if (left[key].contains(results_[i].shard_id)) ++inversions;
      auto it = last.find(key);
      if (it != last.end()) {
        const PutResult& before = results_[it->second];
        if (before.shard_id != results_[i].shard_id) {
          left[key].insert(before.shard_id);
        } else if (!(position(before) < position(results_[i]))) {
          ++inversions;
        }
      }
      last[key] = i;
    }
    return inversions;
  }

  std::map<std::string, int> ErrorCodes() {
    std::lock_guard lock(mu_);
    std::map<std::string, int> codes;
    for (const PutResult& r : results_) {
      if (!r.success) ++codes[r.error_code];
    }
    return codes;
  }

  sim::KinesisSim& sim() { return *sim_; }
  Producer& producer() { return *producer_; }

 private:
  std::unique_ptr<sim::KinesisSim> sim_;
  std::unique_ptr<Producer> producer_;
  std::mutex mu_;
  std::vector<Sent> sent_;
  std::vector<PutResult> results_;
  std::vector<int> counts_;
};

sim::SimOptions NoLimits() {
  sim::SimOptions o;
  o.limits = false;
  return o;
}

TEST(SimContractTest, CleanRun) {
  SimHarness h(NoLimits());
  h.PutMany(5000);
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 5000u);
  EXPECT_EQ(h.CheckStream(), 0u);
}

TEST(SimContractTest, ThrottlingAtThreeTimesAShardsCapacity) {
  sim::SimOptions o;  // limits on: 1000 records/s per shard
  ProducerConfig c = SimHarness::BaseConfig();
  c.aggregation_enabled = false;  // every user record counts against the record limit
  c.rate_limit_percent = 300;     // offer three times what a shard takes
  SimHarness h(o, c, /*shards=*/2);
  h.PutMany(4000, "hot-");  // 2000 a shard at up to 3000/s: past the limit and the burst
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 4000u);
  EXPECT_EQ(h.CheckStream(), 0u);
  EXPECT_GT(h.sim().Counters().records_throttled, 0u) << "the sim should have throttled";
}

TEST(SimContractTest, RandomInternalFailures) {
  SimHarness h(NoLimits());
  ASSERT_TRUE(h.sim().SetFaults("seed=5,record_internal_failure_rate=0.2").ok());
  h.PutMany(3000);
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 3000u);
  EXPECT_EQ(h.CheckStream(), 0u);
}

TEST(SimContractTest, ServerErrors) {
  SimHarness h(NoLimits());
  ASSERT_TRUE(h.sim().SetFaults("seed=6,error_status=500,error_rate=0.3").ok());
  h.PutMany(2000);
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 2000u);
  EXPECT_EQ(h.CheckStream(), 0u);
}

TEST(SimContractTest, ResetsAfterTheWriteGiveCountedDuplicatesOnly) {
  ProducerConfig c = SimHarness::BaseConfig();
  c.aggregation_enabled = false;
  c.collection_max_count = 50;  // many requests, so several are reset
  SimHarness h(NoLimits(), c);
  ASSERT_TRUE(h.sim().SetFaults("seed=7,reset_after_rate=0.3").ok());
  h.PutMany(2000);
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 2000u);
  size_t duplicates = h.CheckStream();
  EXPECT_GT(duplicates, 0u);
  std::vector<MetricValue> m = h.producer().Metrics(std::chrono::seconds(120));
  double counted = 0;
  for (const MetricValue& v : m) {
    if (v.name == "DuplicatesSent" && v.dimensions.empty()) counted = v.sum;
  }
  // Every resend after a lost answer is the producer's own and counted: the HTTP layer never
  // sends a body again by itself (producer_duplicates_sim_test checks this at scale).
  EXPECT_EQ(counted, static_cast<double>(duplicates));
}

TEST(SimContractTest, StallsPastTheRequestTimeout) {
  ProducerConfig c = SimHarness::BaseConfig();
  c.request_timeout_ms = 300;
  SimHarness h(NoLimits(), c);
  ASSERT_TRUE(h.sim().SetFaults("seed=8,stall_next=2,stall_ms=0").ok());
  h.PutMany(1000);
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 1000u);
  h.CheckStream();
}

TEST(SimContractTest, SplitAndMergeMidRun) {
  SimHarness h(NoLimits());
  h.PutMany(1000, "a-");
  ASSERT_TRUE(h.Flush().ok());
  ASSERT_TRUE(h.sim().SetFaults("reshard=split:s:shardId-000000000000,reshard_after_requests=1").ok());
  h.PutMany(2000, "b-");
  ASSERT_TRUE(h.Flush().ok());
  ASSERT_TRUE(h.sim()
                  .SetFaults("reshard=merge:s:shardId-000000000002:shardId-000000000003,"
                             "reshard_after_requests=1")
                  .ok());
  h.PutMany(2000, "c-");
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 5000u);
  h.CheckStream();
}

ProducerConfig StrictConfig(bool aggregation) {
  ProducerConfig c = SimHarness::BaseConfig();
  c.strict_ordering = true;
  c.aggregation_enabled = aggregation;
  c.record_ttl_ms = 30000;
  return c;
}

// Issue: without aggregation, StrictOrdering sent one record per shard per round trip, and
// under faults most records expired. Now a request carries one record per key.
TEST(SimContractTest, StrictOrderingWithoutAggregationUnderFaultsKeepsOrderAndRecords) {
  SimHarness h(NoLimits(), StrictConfig(false));
  ASSERT_TRUE(h.sim()
                  .SetFaults("seed=11,record_throttle_rate=0.2,record_internal_failure_rate=0.1,"
                             "error_status=500,error_rate=0.1")
                  .ok());
  h.PutMany(4000, "k-", 200);
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 4000u) << "codes: " << h.ErrorCodes().size();
  EXPECT_EQ(h.OrderInversions(), 0u);
  h.CheckStream();
}

TEST(SimContractTest, StrictOrderingAcrossASplitAndAMerge) {
  SimHarness h(NoLimits(), StrictConfig(true));
  ASSERT_TRUE(h.sim().SetFaults("seed=12,record_throttle_rate=0.3").ok());
  h.PutMany(2000, "k-", 40);
  ASSERT_TRUE(h.sim()
                  .SetFaults("seed=13,record_throttle_rate=0.3,"
                             "reshard=split:s:shardId-000000000000,reshard_after_requests=3")
                  .ok());
  h.PutMany(3000, "k-", 40);
  ASSERT_TRUE(h.sim()
                  .SetFaults("seed=14,record_throttle_rate=0.3,"
                             "reshard=merge:s:shardId-000000000002:shardId-000000000003,"
                             "reshard_after_requests=3")
                  .ok());
  h.PutMany(3000, "k-", 40);
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 8000u);
  EXPECT_EQ(h.OrderInversions(), 0u);
  h.CheckStream();
}

TEST(SimContractTest, StreamDeletedMidRun) {
  SimHarness h(NoLimits());
  h.PutMany(500);
  ASSERT_TRUE(h.Flush().ok());
  ASSERT_TRUE(h.sim().DeleteStream("s").ok());
  h.PutMany(300, "late-");
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 500u);
  EXPECT_EQ(h.ErrorCodes()["ResourceNotFoundException"], 300);
}

TEST(SimContractTest, ExpiredRecordsFailWithExpired) {
  ProducerConfig c = SimHarness::BaseConfig();
  c.record_ttl_ms = 400;
  SimHarness h(NoLimits(), c);
  ASSERT_TRUE(h.sim()
                  .SetFaults("throttle_shards=shardId-000000000000|shardId-000000000001|"
                             "shardId-000000000002|shardId-000000000003")
                  .ok());
  h.PutMany(200);
  ASSERT_TRUE(h.Flush().ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 0u);
  EXPECT_EQ(h.ErrorCodes()["Expired"], 200);
}

TEST(SimContractTest, CloseWithRecordsInFlight) {
  ProducerConfig c = SimHarness::BaseConfig();
  c.request_timeout_ms = 30000;
  SimHarness h(NoLimits(), c);
  ASSERT_TRUE(h.sim().SetFaults("stall_rate=1,stall_ms=0").ok());
  h.PutMany(300);
  Status closed = h.producer().Close(std::chrono::milliseconds(300));
  EXPECT_FALSE(closed.ok());
  EXPECT_EQ(h.CheckExactlyOneResult(), 0u);
  EXPECT_EQ(h.ErrorCodes()["ProducerClosed"], 300);
}

}  // namespace
}  // namespace kinesis
