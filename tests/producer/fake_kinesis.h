// FakeKinesis: an in-process KinesisBackend for producer tests, deterministic and scriptable.
//
// Streams have shards laid out as the service lays them out; records are routed by their
// explicit hash key or the MD5 of their partition key, get per-shard increasing sequence
// numbers, and are stored so a test can check that what reached the stream is exactly what
// the producer reported. Answers are delivered on a thread of its own, after an optional
// delay. Faults: per-record throttling or InternalFailure (for named shards or at a rate),
// whole-request failures, ambiguous failures (written, answer lost), a stalled backend, shard
// splits, and a stream that disappears.
#ifndef KINESIS_TESTS_PRODUCER_FAKE_KINESIS_H_
#define KINESIS_TESTS_PRODUCER_FAKE_KINESIS_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kinesis/kinesis_backend.h"
#include "kinesis/producer_config.h"

namespace kinesis::testing {

struct StoredRecord {
  std::string shard_id;
  std::string sequence_number;
  std::string partition_key;
  std::string explicit_hash_key;
  std::string data;
};

class FakeKinesis : public KinesisBackend {
 public:
  FakeKinesis();
  ~FakeKinesis() override;

  void CreateStream(const std::string& name, int shards);
  void DeleteStream(const std::string& name);
  // Splits the open shard holding `at` into [start, at-1] and [at, end].
  void SplitShard(const std::string& stream, const std::string& shard_id, HashKey at);

  // Faults. Rates are probabilities per record (or per request), from a seeded generator.
  struct Faults {
    double throttle_rate = 0;                  // per record: ProvisionedThroughputExceededException
    std::vector<std::string> throttle_shards;  // always throttled
    double internal_failure_rate = 0;          // per record: InternalFailure
    int fail_requests = 0;                     // the next N requests fail whole: retriable (500)
    int ambiguous_requests = 0;     // the next N requests are written, then reported lost
    std::string fatal_record_code;  // every record fails with this code
    std::string fatal_key_prefix;   // if set, only the records whose partition key starts so
    bool stall = false;             // never answer PutRecords (until released)
    int delay_ms = 0;               // before each answer
    std::map<std::string, int> stream_delay_ms;  // more before each answer, for these streams
    bool store = true;              // keep records (off: only count, for benchmarks)
  };
  void SetFaults(const Faults& faults);
  void ReleaseStalled();  // answers held by `stall` are dropped: the caller's timeout's job

  std::vector<StoredRecord> Records(const std::string& stream);
  // Every shard the stream has had, closed ones included.
  std::vector<ShardListing> AllShards(const std::string& stream);
  int requests() const;
  uint64_t records_written() const;

  void PutRecords(std::string_view stream, const std::vector<OutgoingRecord>& records,
                  std::function<void(PutRecordsOutcome)> done) override;
  void ListShards(std::string_view stream,
                  std::function<void(Result<std::vector<ShardListing>>)> done) override;

 private:
  struct Shard {
    ShardListing listing;
    uint64_t next_sequence = 1;
  };
  struct Stream {
    std::vector<Shard> shards;
    std::vector<StoredRecord> records;
  };
  void Run();

  mutable std::mutex mu_;
  std::map<std::string, Stream> streams_;       // guarded by mu_
  Faults faults_;                               // guarded by mu_
  std::mt19937_64 rng_{12345};                  // guarded by mu_
  int requests_ = 0;                            // guarded by mu_
  uint64_t written_ = 0;                        // guarded by mu_
  int next_shard_number_ = 0;                   // guarded by mu_
  std::vector<std::function<void()>> stalled_;  // guarded by mu_

  std::condition_variable cv_;
  std::deque<std::pair<int64_t, std::function<void()>>> answers_;  // guarded by mu_
  bool stopping_ = false;                                          // guarded by mu_
  std::thread thread_;
};

// A configuration for tests against the fake: short buffering and backoff, no rate limit.
inline ProducerConfig FastTestConfig() {
  ProducerConfig c;
  c.region = "us-east-1";
  c.record_max_buffered_time_ms = 20;
  c.retry_backoff_base_ms = 5;
  c.retry_backoff_max_ms = 50;
  c.rate_limit_percent = 100000;  // the fake has no limits unless a test throttles
  return c;
}

// A fake with `stream` of `shards` shards and `faults`.
inline std::shared_ptr<FakeKinesis> FakeWithStream(const std::string& stream, int shards,
                                                   const FakeKinesis::Faults& faults = {}) {
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream(stream, shards);
  kinesis->SetFaults(faults);
  return kinesis;
}

// A fake with `stream` of one shard that never answers PutRecords (until ReleaseStalled).
inline std::shared_ptr<FakeKinesis> FakeWithStalledStream(const std::string& stream) {
  FakeKinesis::Faults f;
  f.stall = true;
  return FakeWithStream(stream, 1, f);
}

// A fake with `stream` of one shard that throttles every record.
inline std::shared_ptr<FakeKinesis> FakeWithThrottledShard(const std::string& stream) {
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream(stream, 1);
  FakeKinesis::Faults f;
  f.throttle_shards = {"shardId-000000000000"};
  kinesis->SetFaults(f);
  return kinesis;
}

}  // namespace kinesis::testing

#endif  // KINESIS_TESTS_PRODUCER_FAKE_KINESIS_H_
