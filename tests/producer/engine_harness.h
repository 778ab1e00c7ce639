// EngineHarness: a producer whose engine runs without a thread, on a manual clock, against a
// back-end whose every answer the test gives by hand. Nothing happens between two Step()
// calls but what the test does: retries, expiry, map changes and ordering become
// deterministic, and each case runs in milliseconds.
#ifndef KINESIS_TESTS_PRODUCER_ENGINE_HARNESS_H_
#define KINESIS_TESTS_PRODUCER_ENGINE_HARNESS_H_

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "kinesis/kinesis_backend.h"
#include "kinesis/producer.h"
#include "producer/producer_impl.h"

namespace kinesis::testing {

class ManualClock final : public Clock {
 public:
  int64_t NowNs() const override { return now_.load(); }
  void AdvanceMs(int64_t ms) { now_.fetch_add(ms * 1000000); }

 private:
  std::atomic<int64_t> now_{1000000000000};  // 1000 s: no deadline sits at zero
};

// One Kinesis record of a captured PutRecords, with the user records it holds (deaggregated).
struct SentRecord {
  std::string partition_key;
  std::string explicit_hash_key;
  bool aggregated = false;
  std::vector<std::string> members;  // the user records' data, in order
};

struct PutCall {
  std::string stream;
  std::vector<SentRecord> records;
  std::function<void(PutRecordsOutcome)> done;
};

// Captures the engine's calls; the test answers them.
class ScriptedBackend final : public KinesisBackend {
 public:
  void PutRecords(std::string_view stream, const std::vector<OutgoingRecord>& records,
                  std::function<void(PutRecordsOutcome)> done) override;
  void ListShards(std::string_view stream,
                  std::function<void(Result<std::vector<ShardListing>>)> done) override;

  // The calls made and not yet taken, oldest first.
  std::vector<PutCall> TakePuts();
  size_t pending_lists();
  // Answers every pending ListShards with `shards`.
  void AnswerLists(const std::vector<ShardListing>& shards);

 private:
  std::mutex mu_;
  std::vector<PutCall> puts_;
  std::vector<std::function<void(Result<std::vector<ShardListing>>)>> lists_;
};

// `count` shards splitting the hash-key space evenly, ids shardId-000000000000 and up.
std::vector<ShardListing> EvenShards(int count, int first_id = 0);
std::string ShardId(int n);
// A decimal explicit hash key inside shard `index` of EvenShards(count).
std::string KeyInShard(int index, int count);

// Answers for a captured call: every record succeeds on `shard`; or per record.
PutRecordsOutcome AllSucceed(const PutCall& call, const std::string& shard);
RecordOutcome Ok(const std::string& shard, uint64_t sequence);
RecordOutcome Throttled();

class EngineHarness {
 public:
  explicit EngineHarness(ProducerConfig config);
  ~EngineHarness();

  // Puts `data` under `key`, routed to `explicit_hash_key` when given; the result is kept
  // under `data`.
  void Put(const std::string& stream, const std::string& key, const std::string& data,
           const std::string& explicit_hash_key = "");
  // One engine pass at the clock's time.
  void Step() { parts_.engine->RunPass(); }
  // Lists `stream` as `shards` when the engine asks (a pass, the answer, a pass).
  void ServeMap(const std::vector<ShardListing>& shards);
  // The results delivered so far (after the callbacks of every published result ran).
  std::map<std::string, PutResult> Results();
  // The order in which callbacks ran, by data.
  std::vector<std::string> CallbackOrder();

  ManualClock& clock() { return clock_; }
  ScriptedBackend& backend() { return *backend_; }
  Producer& producer() { return *producer_; }
  Engine& engine() { return *parts_.engine; }

 private:
  ManualClock clock_;
  std::shared_ptr<ScriptedBackend> backend_ = std::make_shared<ScriptedBackend>();
  std::unique_ptr<Producer> producer_;
  ProducerParts parts_;
  std::mutex mu_;
  std::map<std::string, PutResult> results_;  // guarded by mu_
  std::vector<std::string> order_;            // guarded by mu_
};

}  // namespace kinesis::testing

#endif  // KINESIS_TESTS_PRODUCER_ENGINE_HARNESS_H_
