// The engine's results: the accounting every result goes through (flush epochs, open records,
// latency, retries and error metrics), failures and successes handed to the dispatcher, flush
// tracking, and what Close fails.
#include <algorithm>

#include "common/dcheck.h"
#include "kinesis/error_codes.h"
#include "pipeline/engine.h"

namespace kinesis {

void Engine::Account(StreamState& stream, ShardPassMetrics& pass, const MemberList& members,
                     size_t history, std::string_view error_code, bool counted) {
  for (const MemberList::EpochRun& run : members.epochs()) CloseEpoch(stream, run.epoch, run.count);
  KP_DCHECK(open_records_ >= members.size());
  open_records_ -= members.size();
  for (int64_t put_ns : members.put_ns()) {
    stream.pass.put_latency_ms.push_back(static_cast<double>(now_ - put_ns) * 1e-6);
  }
  // A member's attempts: its own (made in Kinesis records it left), then its record's history.
  std::vector<double>& retries = pass.retries_per_record;
  if (members.with_own_attempts() > 0) {
    for (const PendingRecord* m : members) {
      size_t attempts = m->attempts.size() + history;
      if (attempts > 0) retries.push_back(static_cast<double>(attempts - 1));
    }
  } else if (history > 0) {
    retries.insert(retries.end(), members.size(), static_cast<double>(history - 1));
  }
  if (error_code.empty()) {
    pass.user_bytes_min = pass.user_records_put == 0
                              ? members.min_data_bytes()
                              : std::min(pass.user_bytes_min, members.min_data_bytes());
    pass.user_bytes_max = std::max(pass.user_bytes_max, members.max_data_bytes());
    pass.user_records_put += members.size();
    pass.user_bytes_put += members.data_bytes();
    return;
  }
  pass.user_records_failed += members.size();
  if (error_code == errors::kExpired) {
    pass.expired += members.size();  // UserRecordExpired, not ErrorsByCode (as the KPL)
  } else if (!counted) {
    pass.errors_by_code[std::string(error_code)] += members.size();
  }
}

void Engine::AccountOne(PendingRecord* record, const KinesisRecord* kr, std::string_view error_code,
                        bool counted, ShardPassMetrics* pass) {
  KP_DCHECK(!record->done);
  record->done = true;
  one_.clear();
  one_.push_back(record);
  StreamState& stream = *record->stream->state;
  if (pass == nullptr)
    pass = kr != nullptr ? &PassOf(stream, kr->predicted_shard) : &stream.pass.unsharded;
  Account(stream, *pass, one_, kr != nullptr ? kr->history.size() : 0, error_code, counted);
}

ShardPassMetrics& Engine::PassOf(StreamState& stream, const std::string& shard_id) {
  auto it = stream.shards.find(shard_id);
  return it != stream.shards.end() ? it->second->pass : stream.pass.unsharded;
}

void Engine::CloseEpoch(StreamState& stream, uint64_t epoch, uint64_t records) {
  auto it = stream.open_by_epoch.find(epoch);
  if (it == stream.open_by_epoch.end()) return;
  it->second -= std::min(it->second, records);
  if (it->second == 0) stream.open_by_epoch.erase(it);
}

void Engine::Fail(PendingRecord* record, std::string code, std::string message,
                  const KinesisRecord* kr, bool counted) {
  AccountOne(record, kr, code, counted);
  auto r = std::make_unique<PutResult>();
  r->success = false;
  r->error_code = std::move(code);
  r->error_message = std::move(message);
  if (kr != nullptr) kr->HandDownHistory(*record);
  r->attempts = std::move(record->attempts);
  dispatcher_.Stage(record, std::move(r));
}

SharedOutcome* Engine::ShareOutcome(const KinesisRecord& kr, const RecordOutcome& outcome) {
  auto* shared = new SharedOutcome;
  shared->shard_id = outcome.shard_id;
  shared->sequence_number = outcome.sequence_number;
  shared->history = kr.history;
  shared->aggregated = kr.aggregated;
  return shared;
}

void Engine::Succeed(PendingRecord* record, const KinesisRecord& kr, size_t index,
                     SharedOutcome* shared, ShardPassMetrics& pass) {
  AccountOne(record, &kr, {}, false, &pass);
  dispatcher_.StageSuccess(record, shared, static_cast<uint32_t>(index));
}

void Engine::SucceedAll(StreamState& stream, KinesisRecord& kr, SharedOutcome* shared,
                        ShardPassMetrics& pass) {
  Account(stream, pass, kr.members, kr.history.size(), {});
  dispatcher_.StageSuccesses(kr.members.TakeRecords(), shared);
  if (kr.aggregated && spare_aggregates_.size() < kSpareAggregates) {
    spare_aggregates_.push_back(std::move(kr.aggregate));
  }
}

void Engine::StartFlush(FlushRequest& request) {
  FlushWaiter waiter{{}, std::move(request.done), request.deadline_ns};
  for (auto& [name, s] : streams_) {
    if (request.stream && *request.stream != name) continue;
    waiter.epochs.emplace_back(s.get(), s->epoch);
    s->flush_waiting = true;
    s->flush_through = std::max(s->flush_through, s->epoch);
    ++s->epoch;
  }
  flush_waiters_.push_back(std::move(waiter));
}

void Engine::CheckFlushes(int64_t now) {
  for (auto it = flush_waiters_.begin(); it != flush_waiters_.end();) {
    bool drained = true;
    for (auto& [stream, epoch] : it->epochs) {
      if (!stream->open_by_epoch.empty() && stream->open_by_epoch.begin()->first <= epoch) {
        drained = false;
      }
    }
    if (drained || now >= it->deadline_ns) {
      auto done = it->done;
      Status status = drained ? Status::Ok()
                              : Status::DeadlineExceeded("flush: records still without a result");
      PostTask([done, status] { done->set_value(status); });
      it = flush_waiters_.erase(it);
    } else {
      ++it;
    }
  }
  // A stream sends the records of the epochs a flush waits for without waiting for deadlines.
  for (auto& [name, s] : streams_) s->flush_waiting = false;
  for (const FlushWaiter& w : flush_waiters_) {
    for (auto& [stream, epoch] : w.epochs) {
      stream->flush_through = stream->flush_waiting ? std::max(stream->flush_through, epoch) : epoch;
      stream->flush_waiting = true;
    }
  }
}

uint64_t Engine::FailEverything() {
  uint64_t failed = 0;
  auto fail = [&](PendingRecord* r, const KinesisRecord* kr = nullptr) {
    if (r->done) return;
    Fail(r, std::string(errors::kProducerClosed),
         "the producer was closed before this record was put", kr);
    ++failed;
  };
  while (!queue_.Empty()) {
    if (PendingRecord* r = queue_.Pop()) Ingest(r, clock_.NowNs());
  }
  for (auto& [name, s] : streams_) {
    for (PendingRecord* r : s->waiting_for_map) fail(r);
    s->waiting_for_map.clear();
    for (auto& [id, shard] : s->shards) {
      for (PendingRecord* r : shard->open.Release()) fail(r);
      for (auto* q : {&shard->ready, &shard->retries}) {
        for (auto& kr : q->TakeAll()) {
          for (PendingRecord* r : kr->members) fail(r, kr.get());
        }
      }
    }
    for (auto& [kr, outcome] : s->parked) {
      for (PendingRecord* r : kr->members) fail(r, kr.get());
    }
    s->parked.clear();
  }
  for (auto& [id, request] : in_flight_) {
    for (auto& kr : request.records) {
      for (PendingRecord* r : kr->members) fail(r, kr.get());
    }
  }
  in_flight_.clear();
  CheckFlushes(clock_.NowNs());
  for (FlushWaiter& w : flush_waiters_) {
    auto done = w.done;
    PostTask([done] { done->set_value(Status::FailedPrecondition("the producer was closed")); });
  }
  flush_waiters_.clear();
  for (FlushRequest& f : deferred_flushes_) {
    auto done = f.done;
    PostTask([done] { done->set_value(Status::FailedPrecondition("the producer was closed")); });
  }
  deferred_flushes_.clear();
  {
    std::lock_guard lock(inbox_->mu);
    for (FlushRequest& f : inbox_->flushes) {
      auto done = f.done;
      PostTask([done] { done->set_value(Status::FailedPrecondition("the producer was closed")); });
    }
    inbox_->flushes.clear();
  }
  return failed;
}

void Engine::PostTask(std::function<void()> task) {
  dispatcher_.Publish();  // the task runs after the results staged before it
  dispatcher_.PostTask(std::move(task));
}

}  // namespace kinesis
