// Engine: the producer's data path after Put(), on one thread of its own.
//
// Records arrive through a lock-free MPSC queue; answers from Kinesis (PutRecords, ListShards)
// and flush requests arrive through a small mutex-guarded inbox. Each pass of the loop ingests
// records, routes them to their shard by the stream's ShardMap, aggregates per shard, seals
// aggregates at their size, count or time limit, collects sealed records into PutRecords
// requests per stream (rate-limited per shard), sends, and handles answers: results for
// successes, retries with backoff for what is retriable, failures for the rest. Then it sleeps
// until the next deadline or until woken.
//
// The loop is a core that a test can drive without a thread: Pass(now) does one pass at the
// time it is given, and the thread (EngineOptions::threaded) only calls it and sleeps until
// the deadline it returns. With a manual Clock and `threaded` false, a test steps the engine
// with RunPass() and moves time by hand: retries, expiry, map changes and ordering become
// deterministic (tests/producer/engine_test.cc).
//
// Thread safety: Submit, Flush, Shutdown and the accessors from any thread; everything else is
// the engine thread's (or, without a thread, RunPass's caller's).
#ifndef KINESIS_PIPELINE_ENGINE_H_
#define KINESIS_PIPELINE_ENGINE_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/log.h"
#include "kinesis/kinesis_backend.h"
#include "kinesis/producer_config.h"
#include "metrics/metrics_registry.h"
#include "pipeline/backoff.h"
#include "pipeline/buffer_budget.h"
#include "pipeline/engine_state.h"
#include "pipeline/mpsc_ring.h"
#include "pipeline/result_dispatcher.h"

namespace kinesis {

struct EngineOptions {
  const Clock* clock = &SystemClock();
  // Runs the loop on a thread of its own. Without one, the caller drives it with RunPass().
  bool threaded = true;
  // Seeds the retry jitter; 0 takes it from the clock.
  uint64_t jitter_seed = 0;
};

class Engine {
 public:
  // `budget` is read for the BufferBytes gauge only.
  Engine(const ProducerConfig& config, std::shared_ptr<KinesisBackend> backend,
         ResultDispatcher& dispatcher, MetricsRegistry& metrics, const BufferBudget& budget,
         Logger& log, EngineOptions options = {});
  ~Engine();  // Shutdown()

  // Hands a record to the engine (any thread). Waits while the engine is a full ring of
  // records behind; fails with ProducerClosed, keeping the record, when it is stopping.
  Status Submit(PendingRecord* record);

  // Wakes the engine for a pass (any thread): puts wait for room in the buffer budget, and it
  // sends what it holds without waiting for deadlines (see Pass and SendReady).
  void Nudge() { inbox_->Wake(); }

  // Sends what is buffered for `stream` (all when empty) and fulfils `done` once every record
  // of it submitted before this call has its result, or with DeadlineExceeded at `deadline_ns`.
  void Flush(std::optional<std::string> stream, std::shared_ptr<std::promise<Status>> done,
             int64_t deadline_ns);

  // Fails every record without a result with ProducerClosed, stops the thread, and returns how
  // many records were failed. Idempotent.
  uint64_t Shutdown();

  // Without a thread (EngineOptions::threaded false): one pass at the clock's time, its results
  // published to the dispatcher. Returns the time of the next deadline.
  int64_t RunPass();

  // Steady-clock time of the oldest record ingested and not finished (0 when none).
  int64_t oldest_put_ns() const { return oldest_put_ns_.load(std::memory_order_relaxed); }

 private:
  struct Response {
    uint64_t request_id;
    PutRecordsOutcome outcome;
  };
  struct Listing {
    std::string stream;
    Result<std::vector<ShardListing>> result;
  };
  struct FlushRequest {
    std::optional<std::string> stream;
    std::shared_ptr<std::promise<Status>> done;
    int64_t deadline_ns;
  };
  struct FlushWaiter {
    std::vector<std::pair<StreamState*, uint64_t>> epochs;  // done when each epoch drains
    std::shared_ptr<std::promise<Status>> done;
    int64_t deadline_ns;
  };
  struct Request {
    StreamState* stream;
    std::vector<std::unique_ptr<KinesisRecord>> records;
    std::vector<OutgoingRecord> outgoing;
    int64_t sent_ns;
    std::chrono::system_clock::time_point started;
  };
  // Shared with backend completions, which may outlive the engine.
  struct Inbox {
    std::mutex mu;
    std::condition_variable wake;
    std::condition_variable room;      // the ring was drained (SubmitWhenRoom waits on it)
    std::atomic<int> ring_waiters{0};  // puts waiting in SubmitWhenRoom
    bool sleeping = false;             // guarded by mu
    std::atomic<bool> maybe_sleeping{false};
    std::vector<Response> responses;    // guarded by mu
    std::vector<Listing> listings;      // guarded by mu
    std::vector<FlushRequest> flushes;  // guarded by mu
    bool shutdown = false;              // guarded by mu
    void Wake();
  };

  void Run();
  int64_t Pass(int64_t now);                     // one pass; returns the time of the next deadline
  Status SubmitWhenRoom(PendingRecord* record);  // Submit, when the ring is full
  void TellRingWaiters();
  static constexpr uint64_t kRoomEvery = 8192;  // records
  // A stream that ingested or sent a record this recently counts as active (StreamRequestCap).
  static constexpr int64_t kActiveStreamNs = 10000000000;
  // `listing`: the record's shard in the stream's current map, when the caller found it.
  void Ingest(PendingRecord* record, int64_t now, const ShardListing* listing = nullptr);
  // Computes the routing hash of the records whose Put left it to the engine: their partition
  // keys' MD5, eight at a time in AVX2 lanes (Md5DigestMany), at most kIngestBatch records.
  static void HashKeys(PendingRecord* const* records, size_t count);
  // Finds `record`'s shard in its stream's map (null without one) and brings what routing it
  // will read into the cache: that shard's aggregate key table.
  const ShardListing* PrefetchRoute(const PendingRecord& record) const;
  StreamState& Stream(const std::string& name);
  // `known`: its shard in the current map, when already looked up.
  void Route(StreamState& stream, PendingRecord* record, int64_t now,
             const ShardListing* known = nullptr);
  ShardState& Shard(StreamState& stream, const ShardListing& listing);
  // The state of a shard of the current map (through shard_by_index).
  ShardState& ShardFor(StreamState& stream, const ShardListing& listing);
  void Seal(StreamState& stream, ShardState& shard);
  static std::unique_ptr<KinesisRecord> PlainRecord(const ShardState& shard, PendingRecord* record,
                                                    int64_t now);
  // Appends to a shard's ready or retry queue, noting its expiry (NoteQueued).
  void Enqueue(StreamState& stream, RecordQueue& queue, std::unique_ptr<KinesisRecord> record);
  // A record joins a shard's queues: ExpireQueued must look at it by its earliest expiry.
  static void NoteQueued(StreamState& stream, const KinesisRecord& record) {
    stream.next_queued_expiry_ns =
        std::min(stream.next_queued_expiry_ns, record.members.earliest_expiry_ns());
  }
  // Fails the expired members of the records queued in the stream's shards, whatever they
  // wait for (backoff, the limiter, a parent shard); returns the next time one expires.
  int64_t ExpireQueued(StreamState& stream, int64_t now);
  // Fails the expired members of `record` and routes the others again (RouteAgain).
  void ExpireMembers(StreamState& stream, std::unique_ptr<KinesisRecord> record, int64_t now);

  // Ordering (engine_order.cc).
  // The members of a Kinesis record that must be routed again (its shard left the map, or
  // some members expired): under StrictOrdering they go to the front of their shards' retry
  // queues, re-aggregated per shard in order (they are older than anything queued there);
  // otherwise they are routed like new records (Explode).
  void RouteAgain(StreamState& stream, std::unique_ptr<KinesisRecord> record, int64_t now);
  // StrictOrdering: a shard born of a split or merge sends nothing while a parent still has
  // requests in flight (its records' retries come back to the child, first).
  bool WaitsForParents(const StreamState& stream, const ShardState& shard) const;
  // StrictOrdering without aggregation: takes, from the shard's retries then ready records,
  // every record that no earlier record of its partition key precedes (in flight, queued
  // before it, or already in this request). Returns false when the request is full.
  bool TakeInKeyOrder(ShardState& shard, Request& request, uint64_t& bytes, int64_t now);
  // The shard's limiter refused a record of `size`: the engine wakes when it would allow it.
  void NoteLimited(ShardState& shard, uint64_t size, int64_t now) {
    limiter_wake_ns_ = std::min(limiter_wake_ns_, now + std::max<int64_t>(
                                                            shard.limiter.WaitNs(size, now), 1));
  }
  // Erases the retired shards whose last request was answered.
  void DropRetiredShards(StreamState& stream);
  // How many requests `stream` may have in flight: MaxConnections less one for each other
  // stream active in the last kActiveStreamNs (at least one), so that a slow stream never
  // holds every connection.
  int StreamRequestCap(const StreamState& stream) const;
  void Explode(StreamState& stream, std::unique_ptr<KinesisRecord> record, int64_t now);

  // The router's map (engine_router.cc): listing, installing a map, records waiting for one.
  void StartListing(StreamState& stream, int64_t now);
  void HandleListing(Listing& listing, int64_t now);
  void InstallMap(StreamState& stream, std::shared_ptr<const ShardMap> map, int64_t now);
  void ExpireWaiting(StreamState& stream, int64_t now);

  // The collector (engine_collector.cc).
  int64_t SendReady(StreamState& stream, int64_t now);
  // Moves records from the front of `queue` into `request` while they are due, fit, and the
  // shard's limiter allows. Returns false when the request is full.
  bool TakeForRequest(ShardState& shard, RecordQueue& queue, Request& request, uint64_t& bytes,
                      int64_t now);
  void Send(StreamState& stream, Request request, int64_t now);
  void HandleResponse(Response& response, int64_t now);
  // Debug log lines of a request sent and of its answer (LogLevel debug only).
  void LogRequest(const StreamState& stream, uint64_t id, const Request& request,
                  uint64_t user_records) const;
  void LogAnswer(const StreamState& stream, const Request& request,
                 const PutRecordsOutcome& outcome, int64_t duration_ns) const;
  // The outcome handler (engine_outcome.cc): what HandleResponse does with the answer, once
  // the request's slots are released, by each Kinesis record's verdict (outcome.h).
  void HandleOutcome(StreamState& stream, Request& request, PutRecordsOutcome& outcome,
                     int64_t now);
  void Retry(StreamState& stream, std::unique_ptr<KinesisRecord> record, int64_t now);
  void CheckWrongShard(StreamState& stream, std::unique_ptr<KinesisRecord> record,
                       const ShardListing& actual, const RecordOutcome& outcome, int64_t now);

  // What the members of `kr`, which `outcome` says succeeded, share in their results, with one
  // reference held by the caller, which releases it (SharedOutcome::Release) after staging its
  // last member with Succeed.
  static SharedOutcome* ShareOutcome(const KinesisRecord& kr, const RecordOutcome& outcome);
  void Succeed(PendingRecord* record, const KinesisRecord& kr, size_t index, SharedOutcome* shared,
               ShardPassMetrics& pass);
  // Succeed for every member of `kr`, which it empties, taking over the caller's hold on
  // `shared`; reads the members' summary (MemberList), not the members.
  void SucceedAll(StreamState& stream, KinesisRecord& kr, SharedOutcome* shared,
                  ShardPassMetrics& pass);
  // `kr`: the Kinesis record it is in, if any (its history is the record's last attempts).
  // `counted`: its code was counted in ErrorsByCode with the failed attempt that gave it
  // (kAttemptCounted); codes of our own (ProducerClosed, ...) are counted here, once per user
  // record; Expired only in UserRecordExpired, as the KPL.
  static constexpr bool kAttemptCounted = true;
  void Fail(PendingRecord* record, std::string code, std::string message,
            const KinesisRecord* kr = nullptr, bool counted = false);
  // Fail for every member of `kr` after a failed attempt (counted with it in ErrorsByCode).
  void FailMembers(KinesisRecord& kr, const std::string& code, const std::string& message);
  // The bookkeeping of every result (engine_results.cc), for the members of a Kinesis record
  // at once or one record: flush epochs, open records, latency, retries and error metrics.
  // Reads the members' summary (MemberList), and the members only when some carry attempts
  // of their own. `history`: the attempts of the Kinesis record they are in.
  // ErrorsByCode counts `error_code` unless `counted` or Expired (see Fail).
  // `pass`: the metrics of the shard the result is of (the one that took them, or the
  // predicted one for a failure; PassOf).
  void Account(StreamState& stream, ShardPassMetrics& pass, const MemberList& members,
               size_t history, std::string_view error_code, bool counted = false);
  // Account for one record (marked done), of `kr` if any.
  // `pass`: null for PassOf the predicted shard of `kr` (or the stream's unsharded).
  void AccountOne(PendingRecord* record, const KinesisRecord* kr, std::string_view error_code,
                  bool counted = false, ShardPassMetrics* pass = nullptr);
  // `records` of flush epoch `epoch` have their results.
  void CloseEpoch(StreamState& stream, uint64_t epoch, uint64_t records);
  void StartFlush(FlushRequest& request);
  void CheckFlushes(int64_t now);
  uint64_t FailEverything();
  void RecordMetrics(int64_t now);
  // The pass metrics of the stream's shard `shard_id`, or the stream's unsharded ones.
  static ShardPassMetrics& PassOf(StreamState& stream, const std::string& shard_id);
  // Records and clears `pass` (of `shard`, or the stream only when empty).
  void RecordShardPass(const std::string& stream, const std::string& shard, ShardPassMetrics& pass);
  // Results are staged in the dispatcher during a pass and published at its end; tasks (flush
  // completions) publish first, so they run after the callbacks of the records before them.
  void PostTask(std::function<void()> task);
  // One log line about a problem of `records` user records (stream, shard, code and attempt
  // in its fields); the logger rate-limits storms of them.
  void LogRecordProblem(LogLevel level, std::string_view message, const StreamState& stream,
                        std::string_view shard, std::string_view code, uint32_t attempt,
                        size_t records, std::string_view detail);

  const ProducerConfig config_;
  bool took_records_ = false;  // the last pass took records from the queue
  // Run's wait after a pass that took records (see Run): 200 us, at most a fiftieth of
  // RecordMaxBufferedTime (none at 0), so it adds little to a record's time in the buffer.
  const int64_t nap_ns_ = static_cast<int64_t>(
      std::min<uint64_t>(config_.record_max_buffered_time_ms, 10) * 1000000 / 50);
  const Clock& clock_;
  const bool threaded_;
  std::shared_ptr<KinesisBackend> backend_;
  ResultDispatcher& dispatcher_;
  MetricsRegistry& metrics_;
  const BufferBudget& budget_;
  Logger& log_;  // the producer's
  std::shared_ptr<Inbox> inbox_;
  // Records put and not yet ingested. 65,536 of them are 64 ms at a million records a second;
  // a full ring makes Submit wait.
  MpscRing<PendingRecord> queue_{1 << 16};
  std::atomic<bool> stopping_{false};
  Backoff backoff_;
  std::atomic<int64_t> oldest_put_ns_{0};

  // Engine thread only.
  std::unordered_map<std::string, std::unique_ptr<StreamState>> streams_;
  std::unordered_map<uint64_t, Request> in_flight_;
  uint64_t next_request_id_ = 1;
  std::vector<FlushWaiter> flush_waiters_;
  // Buffers of delivered aggregates, for the next ones: sized already, so building one into
  // them neither allocates nor zero-fills (std::string::resize) what it overwrites.
  static constexpr size_t kSpareAggregates = 128;  // about 6.5 MB of 50 KB aggregates
  std::vector<std::string> spare_aggregates_;
  std::vector<FlushRequest> deferred_flushes_;
  MemberList one_;  // AccountOne's list of one, reused
  uint64_t open_records_ = 0;
  int active_streams_ = 0;       // streams active in the last kActiveStreamNs, as of this pass
  int64_t limiter_wake_ns_ = 0;  // the earliest time a limiter that refused a record allows it
  int64_t now_ = 0;                // the current pass's time
  int64_t last_gauge_second_ = 0;  // gauges are sampled once a second
  uint64_t credential_refreshes_seen_ = 0;
  struct RequestPassMetrics {
    uint64_t duplicates = 0;
  } request_pass_;

  std::mutex shutdown_mu_;
  bool stopped_ = false;  // guarded by shutdown_mu_
  uint64_t failed_at_shutdown_ = 0;
  std::thread thread_;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_ENGINE_H_
