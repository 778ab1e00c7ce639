// The engine's outcome handler: what each Kinesis record of an answered (or failed) request
// becomes, by its verdict (pipeline/outcome.h): results for what succeeded, in the reached
// shard's range or sent again (CheckWrongShard), retries after a backoff in their shard's retry
// queue (Retry), failures with the code; with the attempt recorded in every record's history and,
// as the KPL counts them, every Kinesis record answered with an error (and every request that
// failed whole) counted in ErrorsByCode and AllErrors.
#include <algorithm>

#include "common/log.h"
#include "pipeline/engine.h"
#include "pipeline/outcome.h"

namespace kinesis {
namespace {

void AddAttempt(KinesisRecord& kr, std::chrono::system_clock::time_point started,
                int64_t duration_ns, bool success, const std::string& code,
                const std::string& message) {
  kr.history.push_back(
      Attempt{started, std::chrono::nanoseconds(duration_ns), success, code, message});
}

}  // namespace

void Engine::HandleOutcome(StreamState& stream, Request& request, PutRecordsOutcome& outcome,
                           int64_t now) {
  int64_t duration = now - request.sent_ns;
  if (log_.Enabled(LogLevel::kDebug)) LogAnswer(stream, request, outcome, duration);
  if (outcome.failure == RequestFailure::kNone &&
      outcome.records.size() != request.records.size()) {
    outcome.failure = RequestFailure::kAmbiguous;
    outcome.error_code = "MalformedResponse";
    outcome.error_message = "PutRecords answered " + std::to_string(outcome.records.size()) +
                            " results for " + std::to_string(request.records.size()) + " records";
  }
  if (outcome.failure != RequestFailure::kNone) {
    const Verdict verdict = JudgeRequest(outcome.failure);
    size_t user_records = 0;
    for (auto& kr : request.records) {
      AddAttempt(*kr, request.started, duration, false, outcome.error_code, outcome.error_message);
      user_records += kr->members.size();
    }
    // Once per request, in the stream (the KPL's emit_metrics of a failed request).
    ++stream.pass.unsharded.errors_by_code[outcome.error_code];
    LogRecordProblem(verdict == Verdict::kFail ? LogLevel::kError : LogLevel::kWarning,
                     verdict == Verdict::kFail ? "request failed" : "request failed, retrying",
                     stream, "", outcome.error_code,
                     request.records.empty() ? 0 : request.records.front()->attempts,
                     user_records, outcome.error_message);
    for (auto& kr : request.records) {
      if (verdict == Verdict::kFail) {
        FailMembers(*kr, outcome.error_code, outcome.error_message);
        continue;
      }
      if (outcome.failure == RequestFailure::kAmbiguous) {
        request_pass_.duplicates += kr->members.size();
      }
      Retry(stream, std::move(kr), now);
    }
    return;
  }
  for (size_t i = 0; i < request.records.size(); ++i) {
    std::unique_ptr<KinesisRecord>& kr = request.records[i];
    const RecordOutcome& result = outcome.records[i];
    const Verdict verdict = JudgeEntry(result, kr->predicted_shard, kr->aggregated);
    const bool ok = verdict == Verdict::kSucceeded || verdict == Verdict::kReachedOtherShard;
    AddAttempt(*kr, request.started, duration, ok, result.error_code, result.error_message);
    kr->answered_ns = now;
    // The shard that took it, or for an error the predicted one.
    ShardPassMetrics& sp = PassOf(stream, ok ? result.shard_id : kr->predicted_shard);
    if (ok) {
      const uint64_t size = kr->size();
      sp.kinesis_bytes_min =
          sp.kinesis_records_put == 0 ? size : std::min(sp.kinesis_bytes_min, size);
      sp.kinesis_bytes_max = std::max(sp.kinesis_bytes_max, size);
      ++sp.kinesis_records_put;
      sp.kinesis_bytes_put += size;
      // A record in another shard than predicted (not aggregated, or an aggregate's) says the
      // map is stale.
      if (result.shard_id != kr->predicted_shard) stream.map_stale = true;
    } else {
      ++sp.kinesis_records_failed;
      ++sp.errors_by_code[result.error_code];  // every failed attempt, once per Kinesis record
    }
    switch (verdict) {
      case Verdict::kSucceeded:
        SucceedAll(stream, *kr, ShareOutcome(*kr, result), sp);
        break;
      case Verdict::kReachedOtherShard: {
        // Its members that the reached shard does not own must be sent again (the KCL would
        // drop them); a shard the map does not know yet parks it until the refreshed map says.
        const ShardListing* actual = stream.map ? stream.map->Find(result.shard_id) : nullptr;
        if (actual != nullptr) {
          CheckWrongShard(stream, std::move(kr), *actual, result, now);
        } else {
          auto predicted = stream.shards.find(kr->predicted_shard);
          if (predicted != stream.shards.end()) ++predicted->second->parked;
          stream.parked.emplace_back(std::move(kr), result);
        }
        break;
      }
      case Verdict::kThrottled: {
        auto shard = stream.shards.find(kr->predicted_shard);
        if (shard != stream.shards.end()) {
          shard->second->limiter.OnThrottled(request.sent_ns, now);
          shard->second->pass.throttled += kr->members.size();
        }
        LogRecordProblem(LogLevel::kWarning, "record throttled", stream, kr->predicted_shard,
                         result.error_code, kr->attempts, kr->members.size(),
                         config_.fail_if_throttled ? "failed (FailIfThrottled)" : "retrying");
        if (config_.fail_if_throttled) {
          FailMembers(*kr, result.error_code, result.error_message);
        } else {
          Retry(stream, std::move(kr), now);
        }
        break;
      }
      case Verdict::kRetry:
        LogRecordProblem(LogLevel::kInfo, "record failed, retrying", stream, kr->predicted_shard,
                         result.error_code, kr->attempts, kr->members.size(), result.error_message);
        Retry(stream, std::move(kr), now);
        break;
      case Verdict::kFail:
        LogRecordProblem(LogLevel::kError, "record failed", stream, kr->predicted_shard,
                         result.error_code, kr->attempts, kr->members.size(), result.error_message);
        FailMembers(*kr, result.error_code, result.error_message);
        break;
    }
  }
}

void Engine::FailMembers(KinesisRecord& kr, const std::string& code, const std::string& message) {
  for (PendingRecord* m : kr.members) Fail(m, code, message, &kr, kAttemptCounted);
}

void Engine::Retry(StreamState& stream, std::unique_ptr<KinesisRecord> record, int64_t now) {
  auto shard = stream.shards.find(record->predicted_shard);
  if (shard == stream.shards.end() || shard->second->retired) {
    // Its shard left the map: route the members again, re-aggregated by the current map. A
    // shard the refreshed map still lists unchanged keeps its records (and their order).
    RouteAgain(stream, std::move(record), now);
    return;
  }
  // Expired members are failed when their RecordTtl passes (ExpireQueued), backoff or not.
  int64_t delay = static_cast<int64_t>(backoff_.DelayNs(record->attempts));
  record->due_ns = now + delay;
  if (log_.Enabled(LogLevel::kDebug)) {
    log_.Log(LogLevel::kDebug, "pipeline", "retry scheduled",
                      {{"stream", stream.name},
                       {"shard", record->predicted_shard},
                       {"attempt", std::to_string(record->attempts)},
                       {"records", std::to_string(record->members.size())},
                       {"backoff_ms", std::to_string(delay / 1000000)}});
  }
  Enqueue(stream, shard->second->retries, std::move(record));
}

void Engine::CheckWrongShard(StreamState& stream, std::unique_ptr<KinesisRecord> record,
                             const ShardListing& actual, const RecordOutcome& outcome,
                             int64_t now) {
  auto resend = std::make_unique<KinesisRecord>();
  SharedOutcome* shared = ShareOutcome(*record, outcome);
  ShardPassMetrics& pass = PassOf(stream, outcome.shard_id);
  for (size_t j = 0; j < record->members.size(); ++j) {
    PendingRecord* m = record->members[j];
    if (m->hash >= actual.starting_hash_key && m->hash <= actual.ending_hash_key) {
      Succeed(m, *record, j, shared, pass);
    } else {
      record->HandDownHistory(*m);
      resend->members.push_back(m);
    }
  }
  SharedOutcome::Release(shared);  // the engine's hold
  request_pass_.duplicates += resend->members.size();
  if (!resend->members.empty()) {
    LogRecordProblem(LogLevel::kWarning, "wrong shard", stream, outcome.shard_id, "",
                     record->attempts, resend->members.size(),
                     "aggregate predicted for " + record->predicted_shard +
                         "; members outside the shard's range are sent again");
  }
  // Under StrictOrdering ahead of anything newer queued for their shards (RouteAgain).
  RouteAgain(stream, std::move(resend), now);
}

}  // namespace kinesis
