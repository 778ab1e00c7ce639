#include "pipeline/engine.h"

#include <time.h>

#include <algorithm>
#include <chrono>

#include "aggregation/md5.h"
#include "common/prefetch.h"
#include "common/thread_name.h"
#include "monitoring/log.h"

namespace kinesis {
namespace {

constexpr int64_t kMsNs = 1000000;
constexpr int64_t kMaxSleepNs = 100 * kMsNs;
// How far ahead Pass prefetches the records it ingests, and how much of each: the header and
// the partition key after it (what routing and the aggregate's key table read).
constexpr size_t kPrefetchAhead = 8;
constexpr size_t kPrefetchBytes = sizeof(PendingRecord) + 64;
// Records taken from the ring at a time (their keys hashed together), and how far ahead of
// routing a record its shard's key-table slot is prefetched.
constexpr size_t kIngestBatch = 32;
constexpr size_t kRouteAhead = 4;

}  // namespace

int64_t SteadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t CoarseNowNs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

void Engine::TellRingWaiters() {
  if (inbox_->ring_waiters.load() == 0) return;
  std::lock_guard lock(inbox_->mu);
  inbox_->room.notify_all();
}

void Engine::Inbox::Wake() {
  // Only the first Submit after the engine announced its sleep wakes it; the others would each
  // take the lock and make a futex call while the engine is still getting up (10-14% of a
  // Python putting thread's CPU at moderate rates, where the engine sleeps between records).
  if (!maybe_sleeping.load() || !maybe_sleeping.exchange(false)) return;
  std::lock_guard lock(mu);
  wake.notify_one();
}

Engine::Engine(const ProducerConfig& config, std::shared_ptr<KinesisBackend> backend,
               ResultDispatcher& dispatcher, MetricsRegistry& metrics, const BufferBudget& budget)
    : config_(config),
      backend_(std::move(backend)),
      dispatcher_(dispatcher),
      metrics_(metrics),
      budget_(budget),
      inbox_(std::make_shared<Inbox>()),
      backoff_(config.retry_backoff_base_ms, config.retry_backoff_max_ms,
               static_cast<uint64_t>(SteadyNowNs())),
      thread_([this] { Run(); }) {}

Engine::~Engine() { Shutdown(); }

Status Engine::Submit(PendingRecord* record) {
  if (!queue_.TryPush(record)) return SubmitWhenRoom(record);
  inbox_->Wake();
  return Status::Ok();
}

Status Engine::SubmitWhenRoom(PendingRecord* record) {
  // The engine is a whole ring behind. It drains the ring in every pass and tells waiters when
  // it did (`room`); sleep until then rather than spin (yielding in a loop took 4% of the
  // process's CPU time in bench/producer), unless it is stopping.
  Inbox& inbox = *inbox_;
  std::unique_lock lock(inbox.mu);
  inbox.ring_waiters.fetch_add(1);
  Status status = Status::Ok();
  while (!queue_.TryPush(record)) {
    if (stopping_.load(std::memory_order_relaxed)) {
      status = Status::FailedPrecondition("ProducerClosed: the producer is closed");
      break;
    }
    inbox.wake.notify_one();  // in case it was about to sleep
    inbox.room.wait_for(lock, std::chrono::milliseconds(1));
  }
  inbox.ring_waiters.fetch_sub(1);
  inbox.wake.notify_one();
  return status;
}

void Engine::Flush(std::optional<std::string> stream, std::shared_ptr<std::promise<Status>> done,
                   int64_t deadline_ns) {
  {
    std::lock_guard lock(inbox_->mu);
    inbox_->flushes.push_back(FlushRequest{std::move(stream), std::move(done), deadline_ns});
    inbox_->wake.notify_one();
  }
}

uint64_t Engine::Shutdown() {
  std::lock_guard guard(shutdown_mu_);
  if (stopped_) return failed_at_shutdown_;
  stopping_.store(true);
  // From here Submit refuses records (ProducerClosed): one pushed after FailEverything's last
  // drain would never get a result.
  queue_.Close();
  {
    std::lock_guard lock(inbox_->mu);
    inbox_->shutdown = true;
    inbox_->wake.notify_one();
  }
  thread_.join();
  stopped_ = true;
  return failed_at_shutdown_;
}

void Engine::Run() {
  NameThisThread("kp-engine");
  for (;;) {
    int64_t now = SteadyNowNs();
    int64_t next = Pass(now);
    dispatcher_.Publish();
    std::unique_lock lock(inbox_->mu);
    if (inbox_->shutdown) {
      lock.unlock();
      failed_at_shutdown_ = FailEverything();
      dispatcher_.Publish();
      return;
    }
    if (!inbox_->responses.empty() || !inbox_->listings.empty() || !inbox_->flushes.empty()) {
      continue;
    }
    // Announce the sleep, then look at the queue again: a Submit() either sees the flag and
    // wakes us, or pushed before we looked.
    inbox_->maybe_sleeping.store(true);
    if (queue_.Empty()) {
      int64_t wait = std::clamp<int64_t>(next - SteadyNowNs(), 0, kMaxSleepNs);
      if (wait > 0) inbox_->wake.wait_for(lock, std::chrono::nanoseconds(wait));
    }
    inbox_->maybe_sleeping.store(false);
  }
}

int64_t Engine::Pass(int64_t now) {
  now_ = now;
  std::vector<Response> responses;
  std::vector<Listing> listings;
  std::vector<FlushRequest> flushes;
  {
    std::lock_guard lock(inbox_->mu);
    responses.swap(inbox_->responses);
    listings.swap(inbox_->listings);
    flushes.swap(inbox_->flushes);
  }
  // The records were written on other cores: prefetch a few ahead, so their cache misses
  // overlap the routing of the ones before.
  // Records are taken in batches, their keys hashed together (HashKeys), then routed.
  PendingRecord* batch[kIngestBatch];
  size_t taken = 0;
  for (uint64_t popped = 1;; ++popped) {
    // Puts waiting for room in the ring learn of it every kRoomEvery records, and at the end.
    if (popped % kRoomEvery == 0) TellRingWaiters();
    PendingRecord* r = queue_.Pop();
    if (r != nullptr) {
      if (const PendingRecord* ahead = queue_.Peek(kPrefetchAhead)) {
        PrefetchLines(ahead, kPrefetchBytes);
      }
      batch[taken++] = r;
    }
    if (taken == kIngestBatch || (r == nullptr && taken > 0)) {
      HashKeys(batch, taken);
      // A few records ahead: find the shard (kept for routing) and fetch its key-table slot.
      const ShardListing* routes[kIngestBatch];
      for (size_t i = 0; i < std::min(taken, kRouteAhead); ++i)
        routes[i] = PrefetchRoute(*batch[i]);
      for (size_t i = 0; i < taken; ++i) {
        if (i + kRouteAhead < taken)
          routes[i + kRouteAhead] = PrefetchRoute(*batch[i + kRouteAhead]);
        Ingest(batch[i], now, routes[i]);
      }
      taken = 0;
    }
    if (r == nullptr) break;
  }
  TellRingWaiters();
  for (Listing& l : listings) HandleListing(l, now);
  for (Response& r : responses) HandleResponse(r, now);

  // A flush counts the records put before it. A push still half done belongs to a Put() that
  // has not returned, but it can hide records pushed after it: wait until the queue is clear.
  for (FlushRequest& f : flushes) deferred_flushes_.push_back(std::move(f));
  if (!deferred_flushes_.empty() && queue_.Empty()) {
    for (FlushRequest& f : deferred_flushes_) StartFlush(f);
    deferred_flushes_.clear();
  }

  int64_t next = now + kMaxSleepNs;
  if (!deferred_flushes_.empty()) next = now;
  // Puts wait for room in the budget and nothing in flight will free any: the open aggregates
  // are sealed (while puts wait, SendReady sends what is ready without waiting for a full
  // request), or they and the putting threads would wait for the buffering deadlines.
  const bool starved = budget_.waiting() && in_flight_.empty();
  int64_t oldest = 0;
  auto older = [&](int64_t t) {
    if (t != 0 && (oldest == 0 || t < oldest)) oldest = t;
  };
  for (auto& [name, s] : streams_) {
    StreamState& stream = *s;
    if (!stream.map || (stream.map_stale && !stream.listing) || now >= stream.refresh_at_ns) {
      if (!stream.waiting_for_map.empty() || stream.map_stale || stream.map) {
        StartListing(stream, now);
      }
    }
    if (!stream.waiting_for_map.empty()) {
      ExpireWaiting(stream, now);
      if (!stream.waiting_for_map.empty()) {
        older(stream.waiting_for_map.front()->put_ns);
        next = std::min(next, std::max(now + kMsNs, stream.next_list_ns));
      }
    }
    if (!stream.map) continue;
    for (auto& [id, shard] : stream.shards) {
      if (!shard->aggregating.empty()) {
        older(shard->aggregating.put_ns().front());
        if (stream.force_send || now >= shard->aggregate_send_by_ns || starved) {
          Seal(stream, *shard);
        } else {
          next = std::min(next, shard->aggregate_send_by_ns);
        }
      }
    }
    next = std::min(next, SendReady(stream, now));
    for (auto& [id, shard] : stream.shards) {
      if (!shard->ready.empty()) older(shard->ready.front()->members.put_ns().front());
      if (!shard->retries.empty()) older(shard->retries.front()->members.put_ns().front());
    }
    next = std::min(next, stream.refresh_at_ns);
  }
  for (auto& [id, request] : in_flight_) {
    if (!request.records.empty()) older(request.records.front()->members.put_ns().front());
  }
  oldest_put_ns_.store(oldest, std::memory_order_relaxed);
  RecordMetrics(now);
  CheckFlushes(now);
  for (const FlushWaiter& w : flush_waiters_) next = std::min(next, w.deadline_ns);
  return next;
}

StreamState& Engine::Stream(const std::string& name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) {
    auto state = std::make_unique<StreamState>();
    state->name = name;
    it = streams_.emplace(name, std::move(state)).first;
  }
  return *it->second;
}

const ShardListing* Engine::PrefetchRoute(const PendingRecord& record) const {
  const StreamState* stream = record.stream->state;
  if (stream == nullptr || !stream->map) return nullptr;
  const ShardListing& listing = stream->map->Lookup(record.hash);
  const ShardState* shard = stream->shard_by_index[&listing - stream->map->shards().data()];
  if (shard != nullptr) shard->encoder.Prefetch(record.key_hash);
  return &listing;
}

void Engine::HashKeys(PendingRecord* const* records, size_t count) {
  Md5Job jobs[kIngestBatch];
  uint8_t digests[kIngestBatch][16];
  size_t pending = 0;
  for (size_t i = 0; i < count; ++i) {
    if (!records[i]->hash_pending) continue;
    std::string_view key = records[i]->partition_key;
    jobs[pending] = Md5Job{key.data(), key.size(), digests[pending]};
    ++pending;
  }
  if (pending == 0) return;
  Md5DigestMany(std::span<const Md5Job>(jobs, pending));
  size_t next = 0;
  for (size_t i = 0; i < count; ++i) {
    PendingRecord* r = records[i];
    if (!r->hash_pending) continue;
    r->hash = HashKey::FromBigEndian(digests[next++]);
    r->key_hash = r->hash.low();
    r->hash_pending = false;
  }
}

void Engine::Ingest(PendingRecord* record, int64_t now, const ShardListing* listing) {
  if (record->hash_pending) HashKeys(&record, 1);  // not through Pass (shutdown)
  if (record->stream->state == nullptr) record->stream->state = &Stream(record->stream->name);
  StreamState& stream = *record->stream->state;
  record->epoch = stream.epoch;
  ++stream.pass.received;
  ++stream.open_by_epoch[stream.epoch];
  ++open_records_;
  if (!stream.map) {
    stream.waiting_for_map.push_back(record);
    return;
  }
  Route(stream, record, now, listing);
}

ShardState& Engine::Shard(StreamState& stream, const ShardListing& listing) {
  auto it = stream.shards.find(listing.shard_id);
  if (it == stream.shards.end()) {
    it = stream.shards
             .emplace(listing.shard_id,
                      std::make_unique<ShardState>(listing, ShardLimits{},
                                                   static_cast<double>(config_.rate_limit_percent)))
             .first;
  }
  return *it->second;
}

void Engine::Route(StreamState& stream, PendingRecord* record, int64_t now,
                   const ShardListing* known) {
  const ShardListing& listing = known != nullptr ? *known : stream.map->Lookup(record->hash);
  ShardState*& slot = stream.shard_by_index[&listing - stream.map->shards().data()];
  if (slot == nullptr) slot = &Shard(stream, listing);
  ShardState& shard = *slot;
  UserRecordView view{record->partition_key, record->data, std::nullopt};
  if (!record->explicit_hash_key.empty()) view.explicit_hash_key = record->explicit_hash_key;
  bool aggregate = config_.aggregation_enabled;
  if (aggregate && !shard.encoder.AddIfFits(view, config_.aggregation_max_size, record->key_hash)) {
    Seal(stream, shard);
    aggregate = shard.encoder.AddIfFits(view, config_.aggregation_max_size, record->key_hash);
  }
  if (!aggregate) {
    // Too large to aggregate, or aggregation off: a Kinesis record of its own.
    auto kr = std::make_unique<KinesisRecord>();
    kr->members.push_back(record);
    kr->explicit_hash_key = record->explicit_hash_key;
    kr->predicted_shard = listing.shard_id;
    kr->map_generation = stream.map_generation;
    kr->send_by_ns = record->send_by_ns;
    kr->due_ns = now;
    shard.ready.push_back(std::move(kr));
    return;
  }
  if (shard.aggregating.empty() || record->send_by_ns < shard.aggregate_send_by_ns) {
    shard.aggregate_send_by_ns = record->send_by_ns;
  }
  shard.aggregating.push_back(record);
  if (shard.aggregating.size() >= config_.aggregation_max_count) Seal(stream, shard);
}

void Engine::Seal(StreamState& stream, ShardState& shard) {
  if (shard.aggregating.empty()) return;
  auto kr = std::make_unique<KinesisRecord>();
  kr->predicted_shard = shard.info.shard_id;
  kr->map_generation = stream.map_generation;
  kr->send_by_ns = shard.aggregate_send_by_ns;
  kr->members.swap(shard.aggregating);
  shard.aggregating.reserve(kr->members.size());  // the next aggregate is likely as large
  if (kr->members.size() == 1) {
    // One record gains nothing from the aggregate format: send it plain, as the KPL does.
    PendingRecord* only = kr->members[0];
    kr->explicit_hash_key = only->explicit_hash_key;
  } else {
    kr->aggregated = true;
    if (!spare_aggregates_.empty()) {
      kr->aggregate = std::move(spare_aggregates_.back());
      spare_aggregates_.pop_back();
    }
    shard.encoder.BuildWithoutDigestInto(kr->aggregate);  // digested when sent (Send)
    kr->digest_pending = true;
    kr->explicit_hash_key = kr->members[0]->hash.ToString();
  }
  shard.encoder.Clear();
  shard.ready.push_back(std::move(kr));
}

void Engine::Explode(StreamState& stream, std::unique_ptr<KinesisRecord> record, int64_t now) {
  record->HandDownHistory();
  for (PendingRecord* member : record->members) {
    if (member->done) continue;
    if (stream.map) {
      Route(stream, member, now);
    } else {
      stream.waiting_for_map.push_back(member);
    }
  }
}

void Engine::Account(PendingRecord* record, const KinesisRecord* kr, std::string_view error_code) {
  record->done = true;
  StreamState& stream = *record->stream->state;
  CloseEpoch(stream, record->epoch, 1);
  --open_records_;
  stream.pass.put_latency_ms.push_back(static_cast<double>(now_ - record->put_ns) * 1e-6);
  size_t attempts = record->attempts.size() + (kr != nullptr ? kr->history.size() : 0);
  if (attempts > 0) {
    stream.pass.retries_per_record.push_back(static_cast<double>(attempts - 1));
  }
  if (!error_code.empty()) {
    ++stream.pass.errors_by_code[std::string(error_code)];
    if (error_code == "Expired") ++stream.pass.expired;
  }
}

void Engine::CloseEpoch(StreamState& stream, uint64_t epoch, uint64_t records) {
  auto it = stream.open_by_epoch.find(epoch);
  if (it == stream.open_by_epoch.end()) return;
  it->second -= std::min(it->second, records);
  if (it->second == 0) stream.open_by_epoch.erase(it);
}

void Engine::Fail(PendingRecord* record, std::string code, std::string message,
                  const KinesisRecord* kr) {
  Account(record, kr, code);
  auto r = std::make_unique<PutResult>();
  r->success = false;
  r->error_code = std::move(code);
  r->error_message = std::move(message);
  if (kr != nullptr) kr->HandDownHistory(*record);
  r->attempts = std::move(record->attempts);
  dispatcher_.Stage(record, std::move(r));
}

void Engine::StartFlush(FlushRequest& request) {
  FlushWaiter waiter{{}, std::move(request.done), request.deadline_ns};
  for (auto& [name, s] : streams_) {
    if (request.stream && *request.stream != name) continue;
    waiter.epochs.emplace_back(s.get(), s->epoch);
    ++s->epoch;
    s->force_send = true;
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
  // A stream sends without waiting for deadlines while a flush waits on it.
  for (auto& [name, s] : streams_) s->force_send = false;
  for (const FlushWaiter& w : flush_waiters_) {
    for (auto& [stream, epoch] : w.epochs) stream->force_send = true;
  }
}

void Engine::RecordMetrics(int64_t now) {
  for (auto& [name, s] : streams_) {
    StreamState& stream = *s;
    StreamPassMetrics& p = stream.pass;
    metrics_.Record(Metric::kUserRecordsReceived, name, {}, 1, p.received);
    metrics_.Record(Metric::kUserRecordExpired, name, {}, 1, p.expired);
    metrics_.RecordValues(Metric::kPutLatency, name, {}, p.put_latency_ms);
    metrics_.RecordValues(Metric::kBufferingTime, name, {}, p.buffering_ms);
    metrics_.RecordValues(Metric::kRetriesPerRecord, name, {}, p.retries_per_record);
    uint64_t errors = 0;
    for (auto& [code, n] : p.errors_by_code) {
      metrics_.Record(Metric::kErrorsByCode, name, {}, 1, n, code);
      errors += n;
    }
    metrics_.Record(Metric::kAllErrors, name, {}, 1, errors);
    p = StreamPassMetrics{};
    for (auto& [id, shard] : stream.shards) {
      ShardPassMetrics& sp = shard->pass;
      if (!sp.any()) continue;
      metrics_.Record(Metric::kUserRecordsPut, name, id, 1, sp.user_records_put);
      metrics_.Record(Metric::kUserRecordsDataPut, name, id,
                      static_cast<double>(sp.user_bytes_put));
      metrics_.Record(Metric::kKinesisRecordsPut, name, id, 1, sp.kinesis_records_put);
      metrics_.Record(Metric::kKinesisRecordsDataPut, name, id,
                      static_cast<double>(sp.kinesis_bytes_put));
      metrics_.Record(Metric::kThrottledRecords, name, id, 1, sp.throttled);
      metrics_.RecordValues(Metric::kUserRecordsPerKinesisRecord, name, id, sp.user_per_kinesis);
      sp = ShardPassMetrics{};
    }
  }
  RequestPassMetrics& r = request_pass_;
  metrics_.RecordValues(Metric::kRequestTime, {}, {}, r.request_ms);
  metrics_.RecordValues(Metric::kKinesisRecordsPerPutRecordsRequest, {}, {}, r.kinesis_per_request);
  metrics_.RecordValues(Metric::kUserRecordsPerPutRecordsRequest, {}, {}, r.user_per_request);
  metrics_.Record(Metric::kDuplicatesSent, {}, {}, 1, r.duplicates);
  r = RequestPassMetrics{};
  int64_t second = now / 1000000000;
  if (second != last_gauge_second_) {
    last_gauge_second_ = second;
    metrics_.Record(Metric::kUserRecordsPending, {}, {}, static_cast<double>(open_records_));
    metrics_.Record(Metric::kInFlightRequests, {}, {}, static_cast<double>(in_flight_.size()));
    metrics_.Record(Metric::kBufferBytes, {}, {}, static_cast<double>(budget_.bytes()));
    uint64_t refreshes = backend_->credential_refreshes();
    if (refreshes > credential_refreshes_seen_) {
      metrics_.Record(Metric::kCredentialRefreshes, {}, {}, 1,
                      refreshes - credential_refreshes_seen_);
      credential_refreshes_seen_ = refreshes;
    }
  }
}

uint64_t Engine::FailEverything() {
  uint64_t failed = 0;
  auto fail = [&](PendingRecord* r, const KinesisRecord* kr = nullptr) {
    if (r->done) return;
    Fail(r, "ProducerClosed", "the producer was closed before this record was put", kr);
    ++failed;
  };
  while (!queue_.Empty()) {
    if (PendingRecord* r = queue_.Pop()) Ingest(r, SteadyNowNs());
  }
  for (auto& [name, s] : streams_) {
    for (PendingRecord* r : s->waiting_for_map) fail(r);
    s->waiting_for_map.clear();
    for (auto& [id, shard] : s->shards) {
      for (PendingRecord* r : shard->aggregating) fail(r);
      shard->aggregating.clear();
      for (auto* q : {&shard->ready, &shard->retries}) {
        for (auto& kr : *q) {
          for (PendingRecord* r : kr->members) fail(r, kr.get());
        }
        q->clear();
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
  CheckFlushes(SteadyNowNs());
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

void Engine::LogRecordProblem(LogLevel level, std::string_view message, const StreamState& stream,
                              std::string_view shard, std::string_view code, uint32_t attempt,
                              size_t records, std::string_view detail) {
  Logger& log = Logger::Get();
  if (!log.Enabled(level)) return;
  std::string attempt_text = std::to_string(attempt);
  std::string records_text = std::to_string(records);
  log.Log(level, "pipeline", message,
          {{"stream", stream.name},
           {"shard", shard.empty() ? std::string_view("-") : shard},
           {"code", code.empty() ? std::string_view("-") : code},
           {"attempt", attempt_text},
           {"records", records_text},
           {"detail", detail}});
}

}  // namespace kinesis
