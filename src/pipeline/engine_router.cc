// The engine's router, per stream: listing its shards (with backoff when listing fails),
// installing a new map (and re-routing what the old one predicted), and the records that wait
// for a map, expired when their RecordTtl passes.
#include <algorithm>

#include "kinesis/error_codes.h"
#include "common/log.h"
#include "pipeline/engine.h"

namespace kinesis {
namespace {

constexpr int64_t kMsNs = 1000000;
constexpr int64_t kListIntervalNs = 1000 * kMsNs;  // coalesces wrong-shard refreshes
constexpr int64_t kPeriodicRefreshNs = 60000 * kMsNs;
constexpr int64_t kExpiryCheckNs = 50 * kMsNs;

}  // namespace

void Engine::StartListing(StreamState& stream, int64_t now) {
  if (stream.listing || now < stream.next_list_ns) return;
  stream.listing = true;
  stream.next_list_ns = now + kListIntervalNs;
  if (log_.Enabled(LogLevel::kDebug)) {
    log_.Log(LogLevel::kDebug, "pipeline", "listing shards",
                      {{"stream", stream.name}, {"waiting_records",
                                                 std::to_string(stream.waiting_for_map.size())}});
  }
  std::weak_ptr<Inbox> weak = inbox_;
  std::string name = stream.name;
  backend_->ListShards(name, [weak, name](Result<std::vector<ShardListing>> result) {
    std::shared_ptr<Inbox> inbox = weak.lock();
    if (!inbox) return;
    std::lock_guard lock(inbox->mu);
    inbox->listings.push_back(Listing{name, std::move(result)});
    inbox->wake.notify_one();
  });
}

void Engine::HandleListing(Listing& listing, int64_t now) {
  StreamState& stream = Stream(listing.stream);
  stream.listing = false;
  Result<std::shared_ptr<const ShardMap>> map = Status::Unavailable("no listing");
  if (listing.result.ok()) {
    Result<ShardMap> created = ShardMap::Create(std::move(listing.result.value()));
    if (created.ok()) {
      map = std::make_shared<const ShardMap>(std::move(created.value()));
    } else {
      // A listing caught between a split's steps: retriable.
      map = Status::Unavailable(created.status().message());
    }
  } else {
    map = listing.result.status();
  }
  if (map.ok()) {
    stream.list_failures = 0;
    stream.list_error = Status::Ok();
    InstallMap(stream, std::move(map.value()), now);
    return;
  }
  stream.list_error = map.status();
  ++stream.list_failures;
  stream.next_list_ns = now + static_cast<int64_t>(backoff_.DelayNs(stream.list_failures)) + kMsNs;
  if (map.status().code() != StatusCode::kUnavailable) {
    // The stream is gone, or we may not see it: nothing waiting for its map can be sent.
    std::string code(map.status().code() == StatusCode::kNotFound ? errors::kResourceNotFound
                                                                   : errors::kListShardsFailed);
    std::vector<PendingRecord*> waiting;
    waiting.swap(stream.waiting_for_map);
    if (!waiting.empty()) {
      LogRecordProblem(LogLevel::kError, "record failed", stream, "", code, 0, waiting.size(),
                       map.status().message());
    }
    for (PendingRecord* r : waiting) Fail(r, code, map.status().message());
  } else {
    log_.Log(LogLevel::kWarning, "pipeline", "shard map refresh failed",
                      {{"stream", stream.name}, {"detail", map.status().message()}});
  }
}

void Engine::InstallMap(StreamState& stream, std::shared_ptr<const ShardMap> map, int64_t now) {
  if (log_.Enabled(LogLevel::kDebug)) {
    size_t kept = 0;
    for (const ShardListing& s : map->shards()) kept += stream.shards.contains(s.shard_id);
    log_.Log(LogLevel::kDebug, "pipeline", "shard map installed",
                      {{"stream", stream.name},
                       {"generation", std::to_string(stream.map_generation + 1)},
                       {"open_shards", std::to_string(map->shards().size())},
                       {"known_before", std::to_string(kept)},
                       {"reason", stream.map_stale ? "stale" : (stream.map ? "periodic" : "first")}});
  }
  stream.map = std::move(map);
  stream.shard_by_index.assign(stream.map->shards().size(), nullptr);
  ++stream.map_generation;
  stream.map_stale = false;
  stream.refresh_at_ns = now + kPeriodicRefreshNs;

  // Shards that closed, or whose range changed, give their records back to be routed again:
  // aggregates built for them may now span shards. In-flight ones are handled on answer.
  std::vector<std::unique_ptr<KinesisRecord>> orphans;
  std::vector<PendingRecord*> loose;
  for (auto it = stream.shards.begin(); it != stream.shards.end();) {
    ShardState& shard = *it->second;
    const ShardListing* now_listed = stream.map->Find(shard.info.shard_id);
    bool same = now_listed != nullptr &&
                now_listed->starting_hash_key == shard.info.starting_hash_key &&
                now_listed->ending_hash_key == shard.info.ending_hash_key;
    if (same) {
      ++it;
      continue;
    }
    // Oldest first, so that they reach their new shards in put order: records waiting for a
    // retry, then sealed ones, then the open aggregate.
    for (auto* q : {&shard.retries, &shard.ready}) {
      for (auto& kr : q->TakeAll()) orphans.push_back(std::move(kr));
    }
    std::vector<PendingRecord*> open = shard.open.Release();
    loose.insert(loose.end(), open.begin(), open.end());
    if (shard.in_flight == 0 && shard.parked == 0) {
      if (shard.pass.any()) RecordShardPass(stream.name, it->first, shard.pass);
      it = stream.shards.erase(it);  // freed: the KPL leaks this
    } else {
      shard.retired = true;  // erased when its last request is answered
      stream.has_retired_shards = true;
      ++it;
    }
  }
  for (auto& kr : orphans) Explode(stream, std::move(kr), now);
  for (PendingRecord* r : loose) Route(stream, r, now);

  std::vector<PendingRecord*> waiting;
  waiting.swap(stream.waiting_for_map);
  for (PendingRecord* r : waiting) Route(stream, r, now);

  std::vector<std::pair<std::unique_ptr<KinesisRecord>, RecordOutcome>> parked;
  parked.swap(stream.parked);
  for (auto& [kr, outcome] : parked) {
    auto predicted = stream.shards.find(kr->predicted_shard);
    if (predicted != stream.shards.end()) --predicted->second->parked;
    const ShardListing* actual = stream.map->Find(outcome.shard_id);
    if (actual != nullptr) {
      CheckWrongShard(stream, std::move(kr), *actual, outcome, now);
    } else {
      // Closed again already: its range is no longer listed; resend every member.
      request_pass_.duplicates += kr->members.size();
      LogRecordProblem(LogLevel::kWarning, "wrong shard", stream, outcome.shard_id, "",
                       kr->attempts, kr->members.size(),
                       "the shard that took the aggregate is closed; resending");
      RouteAgain(stream, std::move(kr), now);
    }
  }
  if (stream.has_retired_shards) DropRetiredShards(stream);
}

void Engine::ExpireWaiting(StreamState& stream, int64_t now) {
  if (now < stream.next_expiry_check_ns) return;
  stream.next_expiry_check_ns = now + kExpiryCheckNs;
  auto& w = stream.waiting_for_map;
  auto keep = std::stable_partition(w.begin(), w.end(),
                                    [&](PendingRecord* r) { return r->expires_ns > now; });
  std::vector<PendingRecord*> expired(keep, w.end());
  w.erase(keep, w.end());
  if (!expired.empty()) {
    LogRecordProblem(LogLevel::kWarning, "record expired", stream, "", errors::kExpired, 0,
                     expired.size(),
                     "waiting for the shard map");
  }
  for (PendingRecord* r : expired) {
    std::string why =
        "record expired (RecordTtl) waiting for the shard map of stream '" + stream.name + "'";
    if (!stream.list_error.ok()) why += ": " + stream.list_error.message();
    Fail(r, std::string(errors::kExpired), why);
  }
}

}  // namespace kinesis
