#include "fake_kinesis.h"

#include <chrono>
#include <cstdio>

namespace kinesis::testing {
namespace {

__extension__ typedef unsigned __int128 U128;

HashKey FromWide(U128 v) {
  return HashKey(static_cast<uint64_t>(v >> 64), static_cast<uint64_t>(v));
}
U128 ToWide(HashKey k) { return (U128{k.high()} << 64) | k.low(); }

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string ShardName(int n) {
  char id[32];
  std::snprintf(id, sizeof(id), "shardId-%012d", n);
  return id;
}

}  // namespace

FakeKinesis::FakeKinesis() : thread_([this] { Run(); }) {}

FakeKinesis::~FakeKinesis() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void FakeKinesis::CreateStream(const std::string& name, int shards) {
  std::lock_guard lock(mu_);
  Stream& s = streams_[name];
  U128 max = ~U128{0};
  U128 step = max / static_cast<U128>(shards);
  for (int i = 0; i < shards; ++i) {
    Shard shard;
    shard.listing.shard_id = ShardName(next_shard_number_++);
    shard.listing.starting_hash_key = FromWide(step * static_cast<U128>(i));
    shard.listing.ending_hash_key =
        i + 1 == shards ? HashKey::Max() : FromWide(step * static_cast<U128>(i + 1) - 1);
    s.shards.push_back(shard);
  }
}

void FakeKinesis::DeleteStream(const std::string& name) {
  std::lock_guard lock(mu_);
  streams_.erase(name);
}

void FakeKinesis::SplitShard(const std::string& stream, const std::string& shard_id, HashKey at) {
  std::lock_guard lock(mu_);
  Stream& s = streams_.at(stream);
  for (size_t i = 0; i < s.shards.size(); ++i) {
    ShardListing& parent = s.shards[i].listing;
    if (parent.shard_id != shard_id || parent.closed) continue;
    parent.closed = true;
    Shard low, high;
    low.listing = {ShardName(next_shard_number_++),
                   parent.starting_hash_key,
                   FromWide(ToWide(at) - 1),
                   parent.shard_id,
                   "",
                   false};
    high.listing = {
        ShardName(next_shard_number_++), at, parent.ending_hash_key, parent.shard_id, "", false};
    s.shards.push_back(low);
    s.shards.push_back(high);
    return;
  }
}

void FakeKinesis::SetFaults(const Faults& faults) {
  std::lock_guard lock(mu_);
  faults_ = faults;
}

void FakeKinesis::ReleaseStalled() {
  std::lock_guard lock(mu_);
  stalled_.clear();
}

std::vector<StoredRecord> FakeKinesis::Records(const std::string& stream) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(stream);
  return it == streams_.end() ? std::vector<StoredRecord>{} : it->second.records;
}

std::vector<ShardListing> FakeKinesis::AllShards(const std::string& stream) {
  std::lock_guard lock(mu_);
  std::vector<ShardListing> out;
  for (const Shard& s : streams_.at(stream).shards) out.push_back(s.listing);
  return out;
}

uint64_t FakeKinesis::records_written() const {
  std::lock_guard lock(mu_);
  return written_;
}

int FakeKinesis::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeKinesis::PutRecords(std::string_view stream_name,
                             const std::vector<OutgoingRecord>& records,
                             std::function<void(PutRecordsOutcome)> done) {
  std::lock_guard lock(mu_);
  ++requests_;
  PutRecordsOutcome outcome;
  auto answer = [&](PutRecordsOutcome o) {
    auto run = [done, o = std::move(o)]() mutable { done(std::move(o)); };
    if (faults_.stall) {
      stalled_.push_back(std::move(run));
      return;
    }
    auto extra = faults_.stream_delay_ms.find(std::string(stream_name));
    int delay = faults_.delay_ms + (extra != faults_.stream_delay_ms.end() ? extra->second : 0);
    answers_.emplace_back(NowMs() + delay, std::move(run));
    cv_.notify_one();
  };
  auto it = streams_.find(std::string(stream_name));
  if (it == streams_.end()) {
    outcome.failure = RequestFailure::kFatal;
    outcome.error_code = "ResourceNotFoundException";
    outcome.error_message = "Stream " + std::string(stream_name) + " not found";
    answer(std::move(outcome));
    return;
  }
  if (faults_.fail_requests > 0) {
    --faults_.fail_requests;
    outcome.failure = RequestFailure::kRetriable;
    outcome.error_code = "InternalFailure";
    outcome.error_message = "injected 500";
    answer(std::move(outcome));
    return;
  }
  Stream& s = it->second;
  std::uniform_real_distribution<double> coin(0, 1);
  for (const OutgoingRecord& r : records) {
    HashKey hash = r.explicit_hash_key.empty() ? HashPartitionKey(r.partition_key)
                                               : *HashKey::Parse(r.explicit_hash_key);
    Shard* shard = nullptr;
    for (Shard& candidate : s.shards) {
      if (!candidate.listing.closed && hash >= candidate.listing.starting_hash_key &&
          hash <= candidate.listing.ending_hash_key) {
        shard = &candidate;
      }
    }
    RecordOutcome ro;
    bool throttled = coin(rng_) < faults_.throttle_rate;
    for (const std::string& id : faults_.throttle_shards)
      throttled |= id == shard->listing.shard_id;
    if (!faults_.fatal_record_code.empty() &&
        r.partition_key.substr(0, faults_.fatal_key_prefix.size()) == faults_.fatal_key_prefix) {
      ro.error_code = faults_.fatal_record_code;
      ro.error_message = "injected";
    } else if (throttled) {
      ro.error_code = "ProvisionedThroughputExceededException";
      ro.error_message = "Rate exceeded for shard " + shard->listing.shard_id;
    } else if (coin(rng_) < faults_.internal_failure_rate) {
      ro.error_code = "InternalFailure";
      ro.error_message = "Internal service failure.";
    } else {
      ro.shard_id = shard->listing.shard_id;
      ro.sequence_number = std::to_string(shard->next_sequence++);
      ++written_;
      if (faults_.store) {
        s.records.push_back(StoredRecord{ro.shard_id, ro.sequence_number,
                                         std::string(r.partition_key),
                                         std::string(r.explicit_hash_key), std::string(r.data)});
      }
    }
    outcome.records.push_back(std::move(ro));
  }
  if (faults_.ambiguous_requests > 0) {
    --faults_.ambiguous_requests;
    outcome = PutRecordsOutcome{};
    outcome.failure = RequestFailure::kAmbiguous;
    outcome.error_code = "RequestTimeout";
    outcome.error_message = "injected: written, answer lost";
  }
  answer(std::move(outcome));
}

void FakeKinesis::ListShards(std::string_view stream,
                             std::function<void(Result<std::vector<ShardListing>>)> done) {
  std::lock_guard lock(mu_);
  Result<std::vector<ShardListing>> result =
      Status::NotFound("Stream " + std::string(stream) + " under account 123 not found.");
  auto it = streams_.find(std::string(stream));
  if (it != streams_.end()) {
    std::vector<ShardListing> shards;
    for (const Shard& s : it->second.shards) shards.push_back(s.listing);
    result = std::move(shards);
  }
  answers_.emplace_back(NowMs(),
                        [done, result = std::move(result)]() mutable { done(std::move(result)); });
  cv_.notify_one();
}

void FakeKinesis::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (answers_.empty()) {
      cv_.wait(lock, [&] { return stopping_ || !answers_.empty(); });
    } else {
      cv_.wait_for(lock, std::chrono::milliseconds(1));  // delayed answers pending
    }
    if (stopping_) return;
    int64_t now = NowMs();
    std::vector<std::function<void()>> due;
    for (auto it = answers_.begin(); it != answers_.end();) {
      if (it->first <= now) {
        due.push_back(std::move(it->second));
        it = answers_.erase(it);
      } else {
        ++it;
      }
    }
    lock.unlock();
    for (auto& f : due) f();
    lock.lock();
  }
}

}  // namespace kinesis::testing
