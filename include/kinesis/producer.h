// Producer: puts user records into Kinesis data streams, and gives every record one result.
//
//   kinesis::ProducerConfig config;               // or LoadProducerConfig("kpl.properties")
//   config.region = "us-east-1";
//   auto producer = kinesis::Producer::Create(config, backend).value();
//   producer->Put("clicks", user_id, std::move(json), [](const kinesis::PutResult& r) {
//     if (!r.success) log(r.error_code, r.error_message);
//   });
//   producer->Flush().wait();
//
// What happens to a record (docs/architecture.md, "The data path"): it is validated in the
// caller's thread, charged to the buffer budget, handed to the engine thread, which routes it
// to its shard, aggregates it with records of the same shard, collects aggregates into
// PutRecords requests, rate-limits per shard, sends, retries what is retriable with backoff,
// and reports the result through the callback or the future.
//
// The contract:
//   - Every accepted record gets exactly one result (success, or failure with a code), also
//     on shutdown, expiry and network loss.
//   - At-least-once: duplicates only where an answer was lost (timeouts, resets); counted.
//   - Aggregates never mix shards.
//   - The buffer budget is a hard limit: Put blocks (with a deadline) or fails with QueueFull.
//     A record counts against it from Put until its callback starts (puts on other threads
//     may see that room only once the callbacks of its whole Kinesis record have run).
//   - Flush completes: its future is ready once every record put before it has its result.
//   - A record's Expired result comes within 100 ms of its RecordTtl, whatever it waits for
//     (a retry's backoff, the shard's rate limit, a parent shard, the shard map); a record in
//     a request in flight gets that request's answer first (at most RequestTimeout later).
//   - StrictOrdering keeps each partition key's put order in the stream (producer_config.h).
//   - Streams do not hold each other up: a stream may use every connection (MaxConnections)
//     but one for each other stream active in the last 10 seconds, so a slow or throttled
//     stream leaves the others their requests.
//   - Close keeps its word: puts waiting for room fail at once with ProducerClosed, and when
//     Close returns every record a put accepted has its result and its callback has run.
//
// Thread safety: every method may be called from any thread. Callbacks run on the producer's
// callback thread, one at a time, never on the engine's, so a slow callback delays other
// callbacks but never sending.
//
// Callbacks. What a callback may do with its own producer (another producer's methods behave
// as from any thread):
//   - Put and PutCopy: yes. The record whose callback runs no longer counts against the buffer
//     budget, so a callback that puts one follow-up record finds room (unless puts on other
//     threads took it first); the record itself is freed when its callback returns, so memory
//     may pass the budget by that one record. A put from a callback never waits for room
//     (nothing can free any while the callback thread waits): when the budget is full it fails
//     at once with QueueFull, whatever BufferFullPolicy and PutTimeout say.
//   - Throw: caught. The exception is logged (ERROR, component "pipeline") and counted in the
//     CallbackErrors metric, and the next callbacks run; the record's result stays delivered.
//   - Flush: refused. Its future is returned ready with FailedPrecondition, at once: it could
//     become ready only after callbacks that run on this thread once this one returns, so
//     waiting for it would never end. Flush from another thread.
//   - Close: refused with FailedPrecondition, at once; the producer stays open. Close from
//     another thread.
//   - Destroying the producer: never (its destructor joins the callback thread).
#ifndef KINESIS_PRODUCER_H_
#define KINESIS_PRODUCER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/app_metrics.h"
#include "kinesis/log.h"
#include "kinesis/metrics.h"
#include "kinesis/producer_config.h"
#include "kinesis/status.h"

namespace kinesis {

class KinesisBackend;

// One try at sending a record.
struct Attempt {
  std::chrono::system_clock::time_point start;
  std::chrono::nanoseconds duration{0};
  bool success = false;
  std::string error_code;  // the service's code, or ours (see PutResult)
  std::string error_message;
};

// The result of one user record.
struct PutResult {
  bool success = false;
  std::string shard_id;
  std::string sequence_number;
  // The record's index inside its aggregated Kinesis record (0 when not aggregated).
  uint32_t sub_sequence_number = 0;
  bool aggregated = false;
  // On failure: the service's error code (e.g. "ProvisionedThroughputExceededException",
  // "ResourceNotFoundException") or ours ("Expired", "ProducerClosed", "ListShardsFailed",
  // "NetworkError", "RequestTimeout", "MalformedResponse", "MissingCredentials",
  // "ClientError"): the constants of kinesis/error_codes.h, each explained in
  // docs/troubleshooting.md ("Result codes").
  std::string error_code;
  std::string error_message;
  std::vector<Attempt> attempts;
};

// Gets the result by reference, valid during the call: copy what you keep. The members of one
// aggregate share one PutResult, only its sub-sequence number changing between their calls, so
// a success costs no allocation (a lambda taking PutResult by value works too, with a copy).
using PutCallback = std::function<void(const PutResult&)>;

struct Outstanding {
  uint64_t records = 0;  // accepted and without a result yet
  uint64_t bytes = 0;    // their charge to the buffer budget (see BufferMaxBytes)
  std::chrono::milliseconds oldest_age{0};  // of the oldest such record
};

class Producer {
 public:
  // Checks the configuration and starts the engine and callback threads. `backend` is how the
  // producer talks to Kinesis (the HTTP client, or a test's in-process fake); the producer
  // shares its ownership.
  static Result<std::unique_ptr<Producer>> Create(const ProducerConfig& config,
                                                  std::shared_ptr<KinesisBackend> backend);

  // Drains for up to 10 seconds, then fails what is left with ProducerClosed (see Close).
  virtual ~Producer() = default;

  // Puts one user record. Returns an error at once, and never calls `callback`, when the
  // record breaks a rule (key length, sizes, explicit hash key), the buffer budget is full
  // (ResourceExhausted "QueueFull", after waiting PutTimeout with the block policy; at once
  // from a callback) or the producer is closed (FailedPrecondition "ProducerClosed", also for
  // a put that was waiting for room when Close began). Otherwise `callback` runs exactly once
  // with the result. `data` is moved in: no copy. `stream` is a stream name or ARN.
  virtual Status Put(std::string_view stream, std::string_view partition_key, std::string data,
                     std::optional<std::string_view> explicit_hash_key, PutCallback callback) = 0;

  // The same, with `data` copied: for data in a buffer of the caller's. Data that fits the
  // record's own block (keys and data up to 328 bytes) is copied straight into it, so a small
  // record costs no allocation; larger data is copied into a string the producer owns. Cheaper
  // than Put(..., std::string(data), ...), which allocates a string the producer then frees.
  virtual Status PutCopy(std::string_view stream, std::string_view partition_key,
                         std::string_view data, std::optional<std::string_view> explicit_hash_key,
                         PutCallback callback) = 0;

  // The same with a future.
  Result<std::future<PutResult>> Put(std::string_view stream, std::string_view partition_key,
                                     std::string data,
                                     std::optional<std::string_view> explicit_hash_key = {});

  // Sends buffered records of `stream` (all streams when empty) without waiting for their
  // buffering deadlines. The future is ready with OK once every record of those streams put
  // before this call has its result (and its callback has run), or DeadlineExceeded at
  // `deadline`. From a callback: ready at once with FailedPrecondition, nothing flushed.
  virtual std::future<Status> Flush(
      std::optional<std::string_view> stream = {},
      std::chrono::milliseconds deadline = std::chrono::hours(24)) = 0;

  // Stops taking records (puts waiting for room in the buffer budget fail at once with
  // ProducerClosed), flushes, waits up to `deadline`, then fails every record still without a
  // result with ProducerClosed and stops the engine. When it returns, every record a put
  // accepted, also one racing with Close, has its result and its callback has run. Returns OK
  // when nothing had to be failed. Idempotent. From a callback: FailedPrecondition at once,
  // and the producer stays open.
  virtual Status Close(std::chrono::milliseconds deadline) = 0;

  virtual Outstanding outstanding() const = 0;

  // The KPL's metrics (and ours) over the last `window` (1 to 120 seconds), or with a window
  // of 0 since the producer started (as the KPL's getMetrics without a duration), at the
  // configured MetricsLevel and MetricsGranularity: one entry per metric and dimension set with
  // data. docs/metrics.md says what each means.
  virtual std::vector<MetricValue> Metrics(std::chrono::seconds window) const = 0;

  // The application's own metrics, uploaded and exposed with the producer's (see
  // kinesis/app_metrics.h): producer->AppMetrics().Counter("ClickEvents", {{"Page", p}}).
  // Lives as long as the producer; so do the handles it gives.
  virtual ApplicationMetrics& AppMetrics() = 0;

  // Logs one of the application's lines through the producer's log (component "app"): to its
  // sink at its LogLevel and LogFormat, rate-limited and redacted as the producer's own, and
  // with CloudwatchLogs on to CloudWatch Logs next to them. Never waits for the network.
  //   producer->Log(kinesis::LogLevel::kInfo, "checkout done", {{"page", "/cart"}});
  virtual void Log(LogLevel level, std::string_view message,
                   const std::vector<std::pair<std::string, std::string>>& fields = {}) = 0;
};

}  // namespace kinesis

#endif  // KINESIS_PRODUCER_H_
