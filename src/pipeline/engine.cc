#include "pipeline/engine.h"

#include <algorithm>
#include <chrono>

#include "aggregation/md5.h"
#include "common/prefetch.h"
#include "common/thread_name.h"
#include "common/log.h"

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
               ResultDispatcher& dispatcher, MetricsRegistry& metrics, const BufferBudget& budget,
               Logger& log, EngineOptions options)
    : config_(config),
      clock_(*options.clock),
      threaded_(options.threaded),
      backend_(std::move(backend)),
      dispatcher_(dispatcher),
      metrics_(metrics),
      budget_(budget),
      log_(log),
      inbox_(std::make_shared<Inbox>()),
      backoff_(config.retry_backoff_base_ms, config.retry_backoff_max_ms,
               options.jitter_seed != 0 ? options.jitter_seed
                                        : static_cast<uint64_t>(clock_.NowNs())) {
  if (threaded_) thread_ = std::thread([this] { Run(); });
}

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
      status = Status::ProducerClosed("the producer is closed");
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
  if (threaded_) {
    thread_.join();
  } else {
    failed_at_shutdown_ = FailEverything();
    dispatcher_.Publish();
  }
  stopped_ = true;
  return failed_at_shutdown_;
}

int64_t Engine::RunPass() {
  int64_t next = Pass(clock_.NowNs());
  dispatcher_.Publish();
  return next;
}

void Engine::Run() {
  NameThisThread("kp-engine");
  for (;;) {
    int64_t now = clock_.NowNs();
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
    // Records came in and the queue ran dry: they come one at a time from a putting thread
    // slower than this one. Wait a little without being woken by each Submit, so the next pass
    // takes them as a batch: woken at every few records (kinesis-put at 100 B: 5,000 sleeps a
    // second for each thread, 10 times the C++ benchmark's), the putting thread spent its
    // time in futex calls and switches. Responses, flushes and a full ring still wake us.
    if (took_records_ && nap_ns_ > 0 && next - clock_.NowNs() > nap_ns_) {
      inbox_->wake.wait_for(lock, std::chrono::nanoseconds(nap_ns_));
      continue;
    }
    // Announce the sleep, then look at the queue again: a Submit() either sees the flag and
    // wakes us, or pushed before we looked.
    inbox_->maybe_sleeping.store(true);
    if (queue_.Empty()) {
      int64_t wait = std::clamp<int64_t>(next - clock_.NowNs(), 0, kMaxSleepNs);
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
  uint64_t popped = 1;
  for (;; ++popped) {
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
  took_records_ = popped > 1;  // the last Pop found the queue empty
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
  active_streams_ = 0;
  for (auto& [name, s] : streams_) {
    if (s->last_active_ns >= now - kActiveStreamNs) ++active_streams_;
  }
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
      if (!shard->open.empty()) {
        older(shard->open.members().put_ns().front());
        if (now >= shard->open.send_by_ns() || starved || stream.FlushCovers(shard->open.members())) {
          Seal(stream, *shard);
        } else {
          next = std::min(next, shard->open.send_by_ns());
        }
      }
    }
    next = std::min(next, ExpireQueued(stream, now));
    next = std::min(next, SendReady(stream, now));
    for (auto& [id, shard] : stream.shards) {
      if (!shard->ready.empty()) older(shard->ready.front().members.put_ns().front());
      if (!shard->retries.empty()) older(shard->retries.front().members.put_ns().front());
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
  if (shard != nullptr) shard->open.Prefetch(record.key_hash);
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
  stream.last_active_ns = now;
  ++stream.pass.received;
  ++stream.open_by_epoch[stream.epoch];
  ++open_records_;
  if (!stream.map) {
    stream.waiting_for_map.push_back(record);
    return;
  }
  Route(stream, record, now, listing);
}

ShardState& Engine::ShardFor(StreamState& stream, const ShardListing& listing) {
  ShardState*& slot = stream.shard_by_index[&listing - stream.map->shards().data()];
  if (slot == nullptr) slot = &Shard(stream, listing);
  return *slot;
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
  ShardState& shard = ShardFor(stream, listing);
  bool aggregate = config_.aggregation_enabled;
  if (aggregate && !shard.open.Add(record, config_.aggregation_max_size)) {
    Seal(stream, shard);
    aggregate = shard.open.Add(record, config_.aggregation_max_size);
  }
  if (!aggregate) {
    // Too large to aggregate, or aggregation off: a Kinesis record of its own.
    Enqueue(stream, shard.ready, PlainRecord(shard, record, now));
    return;
  }
  if (shard.open.size() >= config_.aggregation_max_count) Seal(stream, shard);
}

std::unique_ptr<KinesisRecord> Engine::PlainRecord(const ShardState& shard, PendingRecord* record,
                                                   int64_t now) {
  auto kr = std::make_unique<KinesisRecord>();
  kr->members.push_back(record);
  kr->explicit_hash_key = record->explicit_hash_key;
  kr->predicted_shard = shard.info.shard_id;
  kr->send_by_ns = record->send_by_ns;
  kr->due_ns = now;
  return kr;
}

void Engine::Enqueue(StreamState& stream, RecordQueue& queue,
                     std::unique_ptr<KinesisRecord> record) {
  NoteQueued(stream, *record);
  queue.push_back(std::move(record));
}

void Engine::Seal(StreamState& stream, ShardState& shard) {
  if (shard.open.empty()) return;
  Enqueue(stream, shard.ready, shard.open.Seal(shard.info.shard_id, spare_aggregates_));
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

void Engine::RecordMetrics(int64_t now) {
  for (auto& [name, s] : streams_) {
    StreamState& stream = *s;
    StreamPassMetrics& p = stream.pass;
    metrics_.Record(Metric::kUserRecordsReceived, name, {}, 1, p.received);
    metrics_.RecordValues(Metric::kPutLatency, name, {}, p.put_latency_ms);
    metrics_.RecordValues(Metric::kRequestTime, name, {}, p.request_ms);
    metrics_.RecordValues(Metric::kKinesisRecordsPerPutRecordsRequest, name, {},
                          p.kinesis_per_request);
    metrics_.RecordValues(Metric::kUserRecordsPerPutRecordsRequest, name, {}, p.user_per_request);
    if (p.unsharded.any()) RecordShardPass(name, {}, p.unsharded);
    p = StreamPassMetrics{};
    for (auto& [id, shard] : stream.shards) {
      if (shard->pass.any()) RecordShardPass(name, id, shard->pass);
    }
  }
  RequestPassMetrics& r = request_pass_;
  metrics_.Record(Metric::kDuplicatesSent, {}, {}, 1, r.duplicates);
  r = RequestPassMetrics{};
  int64_t second = now / 1000000000;
  if (second != last_gauge_second_) {
    last_gauge_second_ = second;
    // Per stream (the KPL's pipelines), and so the global series is their mean.
    for (auto& [name, stream] : streams_) {
      uint64_t pending = 0;
      for (const auto& [epoch, n] : stream->open_by_epoch) pending += n;
      metrics_.Record(Metric::kUserRecordsPending, name, {}, static_cast<double>(pending));
    }
    metrics_.Record(Metric::kInFlightRequests, {}, {}, static_cast<double>(in_flight_.size()));
    metrics_.Record(Metric::kBufferBytes, {}, {}, static_cast<double>(budget_.bytes()));
    uint64_t refreshes = backend_->credential_refreshes();
    if (refreshes > credential_refreshes_seen_) {
      log_.Log(LogLevel::kDebug, "credentials", "credentials refreshed",
                        {{"refreshes", std::to_string(refreshes)}});
      metrics_.Record(Metric::kCredentialRefreshes, {}, {}, 1,
                      refreshes - credential_refreshes_seen_);
      credential_refreshes_seen_ = refreshes;
    }
  }
}

void Engine::RecordShardPass(const std::string& stream, const std::string& shard,
                             ShardPassMetrics& sp) {
  // As the KPL puts them: a 1 per success and a 0 per failure (so the Average is the success
  // ratio), AllErrors a 0 per Kinesis record put and a 1 per error.
  metrics_.Record(Metric::kUserRecordsPut, stream, shard, 1, sp.user_records_put);
  metrics_.Record(Metric::kUserRecordsPut, stream, shard, 0, sp.user_records_failed);
  // One observation per record, as the KPL's (their count, sum, smallest and largest).
  metrics_.RecordStats(Metric::kUserRecordsDataPut, stream, shard, sp.user_records_put,
                       static_cast<double>(sp.user_bytes_put),
                       static_cast<double>(sp.user_bytes_min),
                       static_cast<double>(sp.user_bytes_max));
  metrics_.Record(Metric::kKinesisRecordsPut, stream, shard, 1, sp.kinesis_records_put);
  metrics_.Record(Metric::kKinesisRecordsPut, stream, shard, 0, sp.kinesis_records_failed);
  metrics_.RecordStats(Metric::kKinesisRecordsDataPut, stream, shard, sp.kinesis_records_put,
                       static_cast<double>(sp.kinesis_bytes_put),
                       static_cast<double>(sp.kinesis_bytes_min),
                       static_cast<double>(sp.kinesis_bytes_max));
  uint64_t errors = 0;
  for (auto& [code, n] : sp.errors_by_code) {
    metrics_.Record(Metric::kErrorsByCode, stream, shard, 1, n, code);
    errors += n;
  }
  metrics_.Record(Metric::kAllErrors, stream, shard, 1, errors);
  metrics_.Record(Metric::kAllErrors, stream, shard, 0, sp.kinesis_records_put);
  metrics_.Record(Metric::kUserRecordExpired, stream, shard, 1, sp.expired);
  metrics_.Record(Metric::kThrottledRecords, stream, shard, 1, sp.throttled);
  metrics_.RecordValues(Metric::kUserRecordsPerKinesisRecord, stream, shard, sp.user_per_kinesis);
  metrics_.RecordValues(Metric::kBufferingTime, stream, shard, sp.buffering_ms);
  metrics_.RecordValues(Metric::kRetriesPerRecord, stream, shard, sp.retries_per_record);
  sp = ShardPassMetrics{};
}

void Engine::LogRecordProblem(LogLevel level, std::string_view message, const StreamState& stream,
                              std::string_view shard, std::string_view code, uint32_t attempt,
                              size_t records, std::string_view detail) {
  Logger& log = log_;
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
