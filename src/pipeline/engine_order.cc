// The engine's ordering and fairness rules: records routed again after their shard left the
// map, StrictOrdering across splits and merges and without aggregation, the expiry of queued
// records, and each stream's share of the connections.
#include <algorithm>
#include <limits>
#include <unordered_set>

#include "kinesis/error_codes.h"
#include "common/log.h"
#include "pipeline/engine.h"

namespace kinesis {

void Engine::RouteAgain(StreamState& stream, std::unique_ptr<KinesisRecord> record, int64_t now) {
  if (!config_.strict_ordering || !stream.map) {
    Explode(stream, std::move(record), now);
    return;
  }
  record->HandDownHistory();
  // The members by their new shard, in order.
  std::vector<std::pair<ShardState*, std::vector<PendingRecord*>>> groups;
  for (PendingRecord* m : record->members) {
    if (m->done) continue;
    ShardState* shard = &ShardFor(stream, stream.map->Lookup(m->hash));
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const auto& g) { return g.first == shard; });
    if (group == groups.end()) group = groups.insert(groups.end(), {shard, {}});
    group->second.push_back(m);
  }
  for (auto& [shard, members] : groups) {
    std::vector<std::unique_ptr<KinesisRecord>> built;
    if (!config_.aggregation_enabled) {
      for (PendingRecord* m : members) built.push_back(PlainRecord(*shard, m, now));
    } else {
      // Aggregated apart from the shard's open aggregate, which holds newer records.
      Aggregator aggregator;
      for (PendingRecord* m : members) {
        if (aggregator.size() >= config_.aggregation_max_count ||
            !aggregator.Add(m, config_.aggregation_max_size)) {
          if (!aggregator.empty()) {
            built.push_back(aggregator.Seal(shard->info.shard_id, spare_aggregates_));
          }
          if (!aggregator.Add(m, config_.aggregation_max_size)) {
            built.push_back(PlainRecord(*shard, m, now));  // too large to aggregate
          }
        }
      }
      if (!aggregator.empty()) {
        built.push_back(aggregator.Seal(shard->info.shard_id, spare_aggregates_));
      }
    }
    for (auto& kr : built) {
      kr->due_ns = now;
      NoteQueued(stream, *kr);
    }
    shard->retries.PushFront(std::move(built));
  }
}

bool Engine::WaitsForParents(const StreamState& stream, const ShardState& shard) const {
  if (!config_.strict_ordering || !stream.has_retired_shards) return false;
  for (const std::string* parent : {&shard.info.parent_shard_id,
                                    &shard.info.adjacent_parent_shard_id}) {
    if (parent->empty()) continue;
    auto it = stream.shards.find(*parent);
    if (it != stream.shards.end() && it->second->retired) return true;
  }
  return false;
}

void Engine::DropRetiredShards(StreamState& stream) {
  bool left = false;
  for (auto it = stream.shards.begin(); it != stream.shards.end();) {
    ShardState& shard = *it->second;
    if (shard.retired && shard.in_flight == 0 && shard.parked == 0) {
      if (shard.pass.any()) RecordShardPass(stream.name, it->first, shard.pass);
      it = stream.shards.erase(it);
    } else {
      left = left || shard.retired;
      ++it;
    }
  }
  stream.has_retired_shards = left;
}

bool Engine::TakeInKeyOrder(ShardState& shard, Request& request, uint64_t& bytes, int64_t now) {
  std::unordered_set<uint64_t> passed;  // keys of the records looked at in this scan
  bool stop = false, full = false;
  for (RecordQueue* queue : {&shard.retries, &shard.ready}) {
    queue->Extract([&](std::unique_ptr<KinesisRecord>& slot) {
      if (stop) return false;
      KinesisRecord& kr = *slot;
      uint64_t key = kr.members[0]->key_hash;
      if (!passed.insert(key).second || kr.due_ns > now || shard.keys_in_flight.contains(key)) {
        return false;
      }
      uint64_t size = kr.size();
      if (request.records.size() >= config_.collection_max_count ||
          (!request.records.empty() && bytes + size > config_.collection_max_size)) {
        stop = full = true;
        return false;
      }
      if (!shard.limiter.TryAcquire(size, now)) {
        NoteLimited(shard, size, now);
        stop = true;
        return false;
      }
      bytes += size;
      ++shard.in_flight;
      ++shard.keys_in_flight[key];
      request.records.push_back(std::move(slot));
      return true;
    });
  }
  return !full;
}

int64_t Engine::ExpireQueued(StreamState& stream, int64_t now) {
  if (now < stream.next_queued_expiry_ns) return stream.next_queued_expiry_ns;
  int64_t next = std::numeric_limits<int64_t>::max();
  std::vector<std::unique_ptr<KinesisRecord>> expired;
  for (auto& [id, shard] : stream.shards) {
    for (RecordQueue* queue : {&shard->retries, &shard->ready}) {
      queue->Extract([&](std::unique_ptr<KinesisRecord>& kr) {
        int64_t expiry = kr->members.earliest_expiry_ns();
        if (expiry > now) {
          next = std::min(next, expiry);
          return false;
        }
        expired.push_back(std::move(kr));
        return true;
      });
    }
  }
  stream.next_queued_expiry_ns = next;
  for (auto& kr : expired) ExpireMembers(stream, std::move(kr), now);
  return stream.next_queued_expiry_ns;
}

void Engine::ExpireMembers(StreamState& stream, std::unique_ptr<KinesisRecord> record,
                           int64_t now) {
  MemberList keep;
  size_t failed = 0;
  for (PendingRecord* m : record->members) {
    if (m->expires_ns > now) {
      keep.push_back(m);
      continue;
    }
    ++failed;
    Fail(m, std::string(errors::kExpired),
         "record expired (RecordTtl " + std::to_string(config_.record_ttl_ms) + " ms) after " +
             std::to_string(m->attempts.size() + record->history.size()) + " attempts",
         record.get());
  }
  LogRecordProblem(LogLevel::kWarning, "record expired", stream, record->predicted_shard,
                   errors::kExpired, record->attempts, failed,
                   "RecordTtl " + std::to_string(config_.record_ttl_ms) + " ms");
  if (keep.empty()) return;
  record->members = std::move(keep);
  RouteAgain(stream, std::move(record), now);
}

int Engine::StreamRequestCap(const StreamState& stream) const {
  int others = active_streams_ - (stream.last_active_ns >= now_ - kActiveStreamNs ? 1 : 0);
  return std::max(1, static_cast<int>(config_.max_connections) - std::max(0, others));
}

}  // namespace kinesis
