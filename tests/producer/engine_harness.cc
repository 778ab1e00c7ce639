#include "engine_harness.h"

#include <cstdio>
#include <future>
#include <stdexcept>

#include "kinesis/aggregation.h"

namespace kinesis::testing {
namespace {

__extension__ typedef unsigned __int128 U128;

HashKey FromU128(U128 v) {
  return HashKey(static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v));
}

U128 ShardStart(int index, int count) {
  if (index == 0) return 0;
  // floor(index * 2^128 / count), without overflowing: (2^128 - 1) / count * index, close
  // enough for tests as long as every test uses the same function.
  return (~U128{0}) / static_cast<U128>(count) * static_cast<U128>(index);
}

}  // namespace

std::string ShardId(int n) {
  char id[32];
  std::snprintf(id, sizeof(id), "shardId-%012d", n);
  return id;
}

std::vector<ShardListing> EvenShards(int count, int first_id) {
  std::vector<ShardListing> shards;
  for (int i = 0; i < count; ++i) {
    ShardListing s;
    s.shard_id = ShardId(first_id + i);
    s.starting_hash_key = FromU128(ShardStart(i, count));
    s.ending_hash_key = i + 1 == count ? HashKey::Max() : FromU128(ShardStart(i + 1, count) - 1);
    shards.push_back(s);
  }
  return shards;
}

std::string KeyInShard(int index, int count) {
  return FromU128(ShardStart(index, count) + 7).ToString();
}

void ScriptedBackend::PutRecords(std::string_view stream,
                                 const std::vector<OutgoingRecord>& records,
                                 std::function<void(PutRecordsOutcome)> done) {
  PutCall call;
  call.stream = std::string(stream);
  for (const OutgoingRecord& r : records) {
    SentRecord sent;
    sent.partition_key = std::string(r.partition_key);
    sent.explicit_hash_key = std::string(r.explicit_hash_key);
    std::vector<DeaggregatedRecord> users;
    std::optional<std::string_view> ehk;
    if (!r.explicit_hash_key.empty()) ehk = r.explicit_hash_key;
    Status s = Deaggregate(r.data, r.partition_key, ehk, DeaggregateOptions{}, &users);
    if (!s.ok()) throw std::runtime_error("undecodable record: " + s.message());
    sent.aggregated = IsAggregated(r.data);
    for (const DeaggregatedRecord& u : users) sent.members.emplace_back(u.data);
    call.records.push_back(std::move(sent));
  }
  call.done = std::move(done);
  std::lock_guard lock(mu_);
  puts_.push_back(std::move(call));
}

void ScriptedBackend::ListShards(std::string_view,
                                 std::function<void(Result<std::vector<ShardListing>>)> done) {
  std::lock_guard lock(mu_);
  lists_.push_back(std::move(done));
}

std::vector<PutCall> ScriptedBackend::TakePuts() {
  std::lock_guard lock(mu_);
  std::vector<PutCall> taken;
  taken.swap(puts_);
  return taken;
}

size_t ScriptedBackend::pending_lists() {
  std::lock_guard lock(mu_);
  return lists_.size();
}

void ScriptedBackend::AnswerLists(const std::vector<ShardListing>& shards) {
  std::vector<std::function<void(Result<std::vector<ShardListing>>)>> lists;
  {
    std::lock_guard lock(mu_);
    lists.swap(lists_);
  }
  for (auto& done : lists) done(shards);
}

RecordOutcome Ok(const std::string& shard, uint64_t sequence) {
  RecordOutcome o;
  o.shard_id = shard;
  o.sequence_number = std::to_string(sequence);
  return o;
}

RecordOutcome Throttled() {
  RecordOutcome o;
  o.error_code = "ProvisionedThroughputExceededException";
  o.error_message = "Rate exceeded for shard";
  return o;
}

PutRecordsOutcome AllSucceed(const PutCall& call, const std::string& shard) {
  static uint64_t sequence = 1000;
  PutRecordsOutcome outcome;
  for (size_t i = 0; i < call.records.size(); ++i) outcome.records.push_back(Ok(shard, ++sequence));
  return outcome;
}

EngineHarness::EngineHarness(ProducerConfig config) {
  config.cloudwatch_upload = false;
  EngineOptions options;
  options.clock = &clock_;
  options.threaded = false;
  options.jitter_seed = 42;
  auto producer = CreateProducer(config, backend_, options, &parts_);
  if (!producer.ok()) throw std::runtime_error(producer.status().message());
  producer_ = std::move(producer.value());
}

EngineHarness::~EngineHarness() { producer_.reset(); }

void EngineHarness::Put(const std::string& stream, const std::string& key, const std::string& data,
                        const std::string& explicit_hash_key) {
  std::optional<std::string_view> ehk;
  if (!explicit_hash_key.empty()) ehk = explicit_hash_key;
  Status s = producer_->Put(stream, key, data, ehk, [this, data](const PutResult& r) {
    std::lock_guard lock(mu_);
    results_[data] = r;
    order_.push_back(data);
  });
  if (!s.ok()) throw std::runtime_error("put refused: " + s.message());
}

void EngineHarness::ServeMap(const std::vector<ShardListing>& shards) {
  Step();
  backend_->AnswerLists(shards);
  Step();
}

std::map<std::string, PutResult> EngineHarness::Results() {
  std::promise<void> ran;
  parts_.dispatcher->PostTask([&] { ran.set_value(); });
  ran.get_future().wait();
  std::lock_guard lock(mu_);
  return results_;
}

std::vector<std::string> EngineHarness::CallbackOrder() {
  Results();
  std::lock_guard lock(mu_);
  return order_;
}

}  // namespace kinesis::testing
