// The engine's collector: sealed Kinesis records of a stream's shards collected into PutRecords
// requests (at most 500 records and the request byte limit, each shard's limiter allowing,
// retries first), sent, and their answers taken back (HandleResponse), which the outcome
// handler (engine_outcome.cc) acts on.
#include <algorithm>
#include <limits>

#include "common/dcheck.h"
#include "common/log.h"
#include "pipeline/engine.h"

namespace kinesis {
int64_t Engine::SendReady(StreamState& stream, int64_t now) {
  int64_t next = std::numeric_limits<int64_t>::max();
  const uint64_t max_in_flight = config_.max_connections;
  const int stream_cap = StreamRequestCap(stream);
  const bool by_key = config_.strict_ordering && !config_.aggregation_enabled;
  while (in_flight_.size() < max_in_flight && stream.in_flight_requests < stream_cap) {
    // Send when a request would be full, a record reached its buffering deadline, or a flush
    // asks; otherwise let the batch grow.
    uint64_t count = 0, bytes = 0;
    // Puts waiting for room in the buffer budget: no record arrives to fill the batch until
    // some finish, so waiting for it only idles the connections.
    bool urgent = budget_.waiting();
    int64_t earliest_due = std::numeric_limits<int64_t>::max();
    // A deadline already passed is this pass's business, not a time to wake up at: when the
    // limiter holds such a record back, its wait decides the next wake-up.
    for (auto& [id, shard] : stream.shards) {
      if (WaitsForParents(stream, *shard)) continue;  // woken by the parent's answer
      // Sealed records are all due: their queue's summary is enough, however many they are.
      if (!shard->ready.empty()) {
        count += shard->ready.size();
        bytes += shard->ready.bytes();
        int64_t send_by = shard->ready.earliest_send_by();
        // The oldest sealed record first: a flush waiting for it sends the batch now.
        if (send_by <= now || stream.FlushCovers(shard->ready.front().members)) {
          urgent = true;
        } else {
          next = std::min(next, send_by);
        }
      }
      // Records waiting for a retry are few (at most what was in flight): read each.
      for (const auto& kr : shard->retries) {
        if (kr->due_ns > now) {
          earliest_due = std::min(earliest_due, kr->due_ns);
          continue;
        }
        ++count;
        bytes += kr->size();
        if (kr->send_by_ns <= now) {
          urgent = true;
        } else {
          next = std::min(next, kr->send_by_ns);
        }
      }
    }
    next = std::min(next, earliest_due);
    if (count == 0) break;
    if (!urgent && count < config_.collection_max_count && bytes < config_.collection_max_size) {
      break;
    }

    Request request;
    request.stream = &stream;
    uint64_t request_bytes = 0;
    limiter_wake_ns_ = std::numeric_limits<int64_t>::max();
    for (auto& [id, shard] : stream.shards) {
      if (WaitsForParents(stream, *shard)) continue;
      if (by_key) {
        if (!TakeInKeyOrder(*shard, request, request_bytes, now)) break;
        continue;
      }
      if (!TakeForRequest(*shard, shard->retries, request, request_bytes, now)) break;
      // Strict ordering: nothing newer passes a record waiting to be retried.
      if (config_.strict_ordering && !shard->retries.empty()) continue;
      if (!TakeForRequest(*shard, shard->ready, request, request_bytes, now)) break;
    }
    if (request.records.empty()) {
      // Rate-limited: wake when the limiter allows. Otherwise the records wait for answers
      // (strict ordering, a parent shard), which wake the engine.
      next = std::min(next, limiter_wake_ns_);
      break;
    }
    Send(stream, std::move(request), now);
  }
  return next;
}

bool Engine::TakeForRequest(ShardState& shard, RecordQueue& queue, Request& request,
                            uint64_t& bytes, int64_t now) {
  size_t taken_here = 0;
  while (!queue.empty()) {
    if (request.records.size() >= config_.collection_max_count) return false;
    KinesisRecord& kr = queue.front();
    if (kr.due_ns > now) return true;
    if (config_.strict_ordering && (shard.in_flight > 0 || shard.parked > 0 || taken_here > 0)) {
      return true;
    }
    // ExpireQueued ran at this pass's time: nothing queued has expired.
    KP_DCHECK(kr.members.earliest_expiry_ns() > now);
    uint64_t size = kr.size();
    if (!request.records.empty() && bytes + size > config_.collection_max_size) return false;
    if (!shard.limiter.TryAcquire(size, now)) {
      NoteLimited(shard, size, now);
      return true;
    }
    bytes += size;
    ++shard.in_flight;
    request.records.push_back(queue.PopFront());
    ++taken_here;
  }
  return true;
}

void Engine::Send(StreamState& stream, Request request, int64_t now) {
  uint64_t id = next_request_id_++;
  ++stream.in_flight_requests;
  stream.last_active_ns = now;
  request.sent_ns = now;
  request.started = std::chrono::system_clock::now();
  request.outgoing.reserve(request.records.size());
  // The trailers of the request's new aggregates, all at once.
  std::vector<std::string*> undigested;
  for (auto& kr : request.records) {
    if (kr->digest_pending) undigested.push_back(&kr->aggregate);
    kr->digest_pending = false;
  }
  AggregateEncoder::WriteDigests(undigested);
  uint64_t user_records = 0;
  ShardPassMetrics* pass = nullptr;  // of the shard of the previous record (requests run by shard)
  const std::string* pass_shard = nullptr;
  for (auto& kr : request.records) {
    ++kr->attempts;
    user_records += kr->members.size();
    if (pass_shard == nullptr || *pass_shard != kr->predicted_shard) {
      pass = &PassOf(stream, kr->predicted_shard);
      pass_shard = &kr->predicted_shard;
    }
    // BufferingTime, per user record and attempt (as the KPL): from Put, or for a retry from
    // the answer to the previous attempt, to this send.
    if (kr->attempts == 1 || kr->answered_ns == 0) {
      for (int64_t put_ns : kr->members.put_ns()) {
        pass->buffering_ms.push_back(static_cast<double>(now - put_ns) * 1e-6);
      }
    } else {
      pass->buffering_ms.insert(pass->buffering_ms.end(), kr->members.size(),
                                static_cast<double>(now - kr->answered_ns) * 1e-6);
    }
    pass->user_per_kinesis.push_back(static_cast<double>(kr->members.size()));
    request.outgoing.push_back(
        OutgoingRecord{kr->data(), kr->partition_key(), kr->explicit_hash_key});
  }
  if (log_.Enabled(LogLevel::kDebug)) LogRequest(stream, id, request, user_records);
  stream.pass.kinesis_per_request.push_back(static_cast<double>(request.records.size()));
  stream.pass.user_per_request.push_back(static_cast<double>(user_records));
  Request& slot = in_flight_.emplace(id, std::move(request)).first->second;
  std::weak_ptr<Inbox> weak = inbox_;
  backend_->PutRecords(stream.name, slot.outgoing, [weak, id](PutRecordsOutcome outcome) {
    std::shared_ptr<Inbox> inbox = weak.lock();
    if (!inbox) return;
    std::lock_guard lock(inbox->mu);
    inbox->responses.push_back(Response{id, std::move(outcome)});
    inbox->wake.notify_one();
  });
}

void Engine::HandleResponse(Response& response, int64_t now) {
  auto it = in_flight_.find(response.request_id);
  if (it == in_flight_.end()) return;
  Request request = std::move(it->second);
  in_flight_.erase(it);
  StreamState& stream = *request.stream;
  stream.pass.request_ms.push_back(static_cast<double>(now - request.sent_ns) * 1e-6);
  --stream.in_flight_requests;
  const bool by_key = config_.strict_ordering && !config_.aggregation_enabled;
  for (auto& kr : request.records) {
    auto shard = stream.shards.find(kr->predicted_shard);
    if (shard == stream.shards.end()) continue;
    --shard->second->in_flight;
    if (by_key) {
      auto key = shard->second->keys_in_flight.find(kr->members[0]->key_hash);
      if (key != shard->second->keys_in_flight.end() && --key->second == 0) {
        shard->second->keys_in_flight.erase(key);
      }
    }
  }
  HandleOutcome(stream, request, response.outcome, now);
  if (stream.has_retired_shards) DropRetiredShards(stream);
}

void Engine::LogRequest(const StreamState& stream, uint64_t id, const Request& request,
                        uint64_t user_records) const {
  uint64_t bytes = 0;
  uint32_t attempt = 0;
  std::vector<std::string_view> shards;
  for (const auto& kr : request.records) {
    bytes += kr->size();
    attempt = std::max(attempt, kr->attempts);
    if (std::find(shards.begin(), shards.end(), kr->predicted_shard) == shards.end()) {
      shards.push_back(kr->predicted_shard);
    }
  }
  log_.Log(LogLevel::kDebug, "pipeline", "request sent",
                    {{"stream", stream.name},
                     {"request", std::to_string(id)},
                     {"shards", std::to_string(shards.size())},
                     {"kinesis_records", std::to_string(request.records.size())},
                     {"user_records", std::to_string(user_records)},
                     {"bytes", std::to_string(bytes)},
                     {"attempt", std::to_string(attempt)}});
}

void Engine::LogAnswer(const StreamState& stream, const Request& request,
                       const PutRecordsOutcome& outcome, int64_t duration_ns) const {
  size_t failed = 0;
  for (const RecordOutcome& r : outcome.records) failed += !r.error_code.empty();
  std::string status = outcome.failure == RequestFailure::kNone ? "answered"
                       : outcome.failure == RequestFailure::kAmbiguous ? "lost"
                       : outcome.failure == RequestFailure::kFatal     ? "failed"
                                                                       : "retriable";
  log_.Log(LogLevel::kDebug, "pipeline", "request done",
                    {{"stream", stream.name},
                     {"status", status},
                     {"code", outcome.error_code.empty() ? "-" : outcome.error_code},
                     {"kinesis_records", std::to_string(request.records.size())},
                     {"failed_records", std::to_string(failed)},
                     {"ms", std::to_string(duration_ns / 1000000)}});
}

}  // namespace kinesis
