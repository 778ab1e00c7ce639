// DuplicatesSent against what a read-back of the stream finds. The real HTTP client (SigV4,
// libcurl, JSON or CBOR) puts 20,000 records with unique data into kinesis-sim (in-process,
// storage on) while the sim carries requests out and then resets the connection (the answer is
// lost), answers 503 and throttles records. Every record must be in the stream at least once,
// and DuplicatesSent must be the number of extra copies the stream holds, within 1%: every path
// that sends a record again after an ambiguous outcome is counted (the producer's retries), or
// stopped (libcurl's own resend on a reused connection that died).
//
// DuplicatesSent counts the records of every request whose answer was lost: the producer cannot
// know which of them the service wrote. When the service throttled some of them, those are
// counted and yet not duplicated; the sim counts them (answer_lost_records_not_written), and
// with per-record throttling the test checks DuplicatesSent = duplicates + those.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "kinesis/aggregation.h"
#include "kinesis/http_backend.h"
#include "kinesis/producer.h"
#include "sim/kinesis_sim.h"

namespace kinesis {
namespace {

ProducerConfig BaseConfig(bool aggregation) {
  ProducerConfig c;
  c.region = "us-east-1";
  c.aws_access_key_id = "AKIDSIMTEST";
  c.aws_secret_key = "sim-test-secret";
  c.record_max_buffered_time_ms = 20;
  c.retry_backoff_base_ms = 5;
  c.retry_backoff_max_ms = 100;
  c.request_timeout_ms = 5000;
  c.record_ttl_ms = 120000;  // no record may expire: every one must reach the stream
  // Small aggregates and requests: some 1,000 requests, so the faults hit many of them.
  c.aggregation_enabled = aggregation;
  c.aggregation_max_count = 4;
  c.collection_max_count = aggregation ? 5 : 20;
  c.max_connections = 8;
  return c;
}

struct Figures {
  uint64_t stored_user_records = 0;
  uint64_t duplicates = 0;  // copies beyond the first, over all records
  uint64_t missing = 0;     // records not in the stream at all
  uint64_t unknown = 0;     // stream records that are not ours
  double duplicates_sent = 0;
  uint64_t failed_results = 0;
  uint64_t resets = 0;
  // Records the sim did not write (throttled) in requests whose answer it lost; Kinesis records,
  // so user records only without aggregation.
  uint64_t answer_lost_not_written = 0;
  uint64_t misplaced = 0;           // results that name a place not holding their record
  uint64_t unreadable_answers = 0;  // attempts failed as MalformedResponse
};

struct Position {
  std::string shard_id;
  std::string sequence_number;
  uint32_t sub_sequence_number = 0;
};

Figures PutAndReadBack(WireProtocol protocol, bool aggregation, const std::string& faults,
                       int records = 20000) {
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  sim::SimOptions options;
  options.limits = false;
  options.streams = {{"s", 4}};
  auto started = sim::KinesisSim::Start(options);
  EXPECT_TRUE(started.ok()) << started.status().ToString();
  if (!started.ok()) return {};
  std::unique_ptr<sim::KinesisSim> sim = std::move(started.value());
  Status set = sim->SetFaults(faults);
  EXPECT_TRUE(set.ok()) << set.ToString();

  ProducerConfig config = BaseConfig(aggregation);
  config.protocol = protocol;
  config.kinesis_endpoint = sim->endpoint();
  auto backend = CreateHttpBackend(config);
  EXPECT_TRUE(backend.ok()) << backend.status().ToString();
  auto created = Producer::Create(config, backend.value());
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  std::unique_ptr<Producer> producer = std::move(created.value());
  Figures f;

  // Written on the callback thread, read after the producer is gone.
  std::vector<int> results(records, 0);
  std::vector<Position> positions(records);
  uint64_t failed = 0;
  std::string padding(60, 'p');
  for (int i = 0; i < records; ++i) {
    std::string data = "id-" + std::to_string(i) + ":" + padding;
    Status s =
        producer->Put("s", "key-" + std::to_string(i % 997), std::move(data), std::nullopt,
                      [&, i](const PutResult& r) {
                        ++results[i];
                        if (!r.success) ++failed;
                        positions[i] = {r.shard_id, r.sequence_number, r.sub_sequence_number};
                        for (const Attempt& a : r.attempts) {
                          if (a.error_code == "MalformedResponse") ++f.unreadable_answers;
                        }
                      });
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  Status flushed = producer->Flush(std::nullopt, std::chrono::seconds(120)).get();
  EXPECT_TRUE(flushed.ok()) << flushed.ToString();

  for (const MetricValue& v : producer->Metrics(std::chrono::seconds(120))) {
    if (v.name == "DuplicatesSent" && v.dimensions.empty()) f.duplicates_sent = v.sum;
  }
  producer.reset();
  for (int i = 0; i < records; ++i) EXPECT_EQ(results[i], 1) << "record " << i;
  f.failed_results = failed;
  sim::SimCounters counters = sim->Counters();
  f.resets = counters.resets;
  f.answer_lost_not_written = counters.answer_lost_records_not_written;

  std::vector<int> copies(records, 0);
  std::map<std::pair<std::string, std::string>, std::vector<DeaggregatedRecord>> at;
  std::vector<sim::StoredRecord> stored = sim->Records("s");  // the views below point into it
  for (const sim::StoredRecord& s : stored) {
    std::vector<DeaggregatedRecord>& users = at[{s.shard_id, s.sequence_number}];
    Status st = Deaggregate(s.data, s.partition_key, std::nullopt, {}, &users);
    EXPECT_TRUE(st.ok()) << st.ToString();
    for (const DeaggregatedRecord& u : users) {
      ++f.stored_user_records;
      std::string_view d = u.data;
      size_t colon = d.find(':');
      if (!d.starts_with("id-") || colon == std::string_view::npos) {
        ++f.unknown;
        continue;
      }
      int id = std::atoi(std::string(d.substr(3, colon - 3)).c_str());
      if (id < 0 || id >= records) {
        ++f.unknown;
        continue;
      }
      ++copies[id];
    }
  }
  for (int c : copies) {
    if (c == 0) ++f.missing;
    if (c > 1) f.duplicates += static_cast<uint64_t>(c - 1);
  }
  // Each result names where its record is: no answer matched to the wrong records.
  std::string padding_check = ":" + padding;
  for (int i = 0; i < records; ++i) {
    const Position& p = positions[i];
    auto it = at.find({p.shard_id, p.sequence_number});
    if (it == at.end() || p.sub_sequence_number >= it->second.size() ||
        it->second[p.sub_sequence_number].data != "id-" + std::to_string(i) + padding_check) {
      if (f.misplaced < 3) {
        std::string what = it == at.end() ? "no such record"
                           : p.sub_sequence_number >= it->second.size()
                               ? "no such sub-sequence of " + std::to_string(it->second.size())
                               : std::string(it->second[p.sub_sequence_number].data.substr(0, 12));
        std::printf("record %d reported at %s/%s/%u: %s\n", i, p.shard_id.c_str(),
                    p.sequence_number.c_str(), p.sub_sequence_number, what.c_str());
      }
      ++f.misplaced;
    }
  }
  sim->Stop();
  std::printf(
      "stored %llu user records for %d put; duplicates in the stream %llu, DuplicatesSent %.0f, "
      "missing %llu, failed results %llu, sim resets %llu, throttled in lost answers %llu, "
      "misplaced results %llu, unreadable answers %llu\n",
      static_cast<unsigned long long>(f.stored_user_records), records,
      static_cast<unsigned long long>(f.duplicates), f.duplicates_sent,
      static_cast<unsigned long long>(f.missing), static_cast<unsigned long long>(f.failed_results),
      static_cast<unsigned long long>(f.resets),
      static_cast<unsigned long long>(f.answer_lost_not_written),
      static_cast<unsigned long long>(f.misplaced),
      static_cast<unsigned long long>(f.unreadable_answers));
  return f;
}

// `not_duplicated`: records counted that the stream cannot hold twice (see the top).
void ExpectCounted(const Figures& f, uint64_t not_duplicated = 0) {
  EXPECT_EQ(f.failed_results, 0u);
  EXPECT_EQ(f.missing, 0u) << "every record must reach the stream at least once";
  EXPECT_EQ(f.unknown, 0u);
  EXPECT_EQ(f.misplaced, 0u) << "results matched to the wrong records";
  EXPECT_EQ(f.unreadable_answers, 0u) << "answers that did not parse";
  EXPECT_GT(f.resets, 0u) << "the sim should have reset connections";
  EXPECT_GT(f.duplicates, 0u) << "lost answers should have left duplicates";
  double expected = static_cast<double>(f.duplicates + not_duplicated);
  EXPECT_LE(std::abs(f.duplicates_sent - expected), 0.01 * static_cast<double>(f.duplicates))
      << "DuplicatesSent " << f.duplicates_sent << " against " << f.duplicates
      << " duplicates in the stream (+ " << not_duplicated << " counted, not written)";
}

TEST(DuplicatesSimTest, TwentyPercentProcessedThenResetJson) {
  Figures f =
      PutAndReadBack(WireProtocol::kJson, /*aggregation=*/true, "seed=11,reset_after_rate=0.2");
  EXPECT_EQ(f.answer_lost_not_written, 0u);
  ExpectCounted(f);
}

TEST(DuplicatesSimTest, CborWith503sAndResets) {
  Figures f = PutAndReadBack(WireProtocol::kCbor, /*aggregation=*/true,
                             "seed=12,error_status=503,error_rate=0.15,reset_after_rate=0.15");
  EXPECT_EQ(f.answer_lost_not_written, 0u);
  ExpectCounted(f);
}

// Without aggregation, so that the sim's count of records throttled in lost answers is in user
// records; 5,000 of them, as each one throttled slows its shard down (the rate limiter backs
// off) and unaggregated records take many more requests.
TEST(DuplicatesSimTest, CborWith503sResetsAndThrottling) {
  Figures f = PutAndReadBack(WireProtocol::kCbor, /*aggregation=*/false,
                             "seed=13,error_status=503,error_rate=0.1,reset_after_rate=0.1,"
                             "record_throttle_rate=0.1",
                             /*records=*/5000);
  EXPECT_GT(f.answer_lost_not_written, 0u);
  ExpectCounted(f, f.answer_lost_not_written);
}

}  // namespace
}  // namespace kinesis
