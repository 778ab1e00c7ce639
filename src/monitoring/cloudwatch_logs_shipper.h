// CloudWatchLogsShipper: sends log lines to CloudWatch Logs (PutLogEvents) from a thread of
// its own, so that logging never waits for the network.
//
// Lines are queued (Enqueue, or Add for a LogEntry, shipped as its JSON line) and sent every
// `flush_interval`, or sooner once a call's worth (10,000 events or 1 MiB) is waiting, in calls
// built by BuildPutLogEventsBatches. The queue holds at most `max_buffered_events` lines: past
// that the oldest are dropped and counted (stats().events_dropped, and `on_dropped` from the
// shipper's thread: the producer's LogEventsDropped metric). A call answered
// ResourceNotFoundException creates the log group and the stream (CreateLogGroup and
// CreateLogStream, an existing one being fine) and is sent again once. A failed call's lines go
// back to the front of the queue, for the next round (the bound still applies).
//
// Calls are signed with SigV4 for the service `logs`, with credentials read at each call (the
// producer's AwsContext), and go through the producer's HTTP fetcher (its proxy).
//
// Failures are logged to `log` (component "cloudwatch_logs"); those lines are never shipped
// (Add skips the component), so a broken endpoint cannot feed itself.
//
// Thread safety: Start, Stop and the destructor from one owning thread; Enqueue, Add, FlushNow
// and stats from any thread (calls are serialized). Enqueue and Add take one short lock, never
// held across a call.
#ifndef KINESIS_MONITORING_CLOUDWATCH_LOGS_SHIPPER_H_
#define KINESIS_MONITORING_CLOUDWATCH_LOGS_SHIPPER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "auth/http_fetcher.h"
#include "auth/sigv4_signer.h"
#include "common/log.h"
#include "kinesis/status.h"
#include "monitoring/cloudwatch_logs_request.h"
#include "monitoring/cloudwatch_uploader.h"
#include "monitoring/service_call.h"

namespace kinesis::monitoring {

struct CloudWatchLogsOptions {
  std::string region;      // required
  std::string endpoint;    // as CloudWatchOptions::endpoint; empty: https://logs.<region>...
  std::string log_group;   // required, 1..512 characters
  std::string log_stream;  // required, 1..512 characters
  std::chrono::milliseconds flush_interval{5000};
  size_t max_buffered_events = 10000;
  PutLogEventsLimits limits;
  std::chrono::milliseconds connect_timeout{6000};
  std::chrono::milliseconds request_timeout{6000};
  bool use_proxy = true;
  // Lines dropped since the last report, from the shipper's thread (and Stop's).
  std::function<void(uint64_t)> on_dropped;
  Logger* log = nullptr;  // where failures are logged; null: the process-wide logger
};

class CloudWatchLogsShipper {
 public:
  static constexpr std::string_view kComponent = "cloudwatch_logs";

  struct Stats {
    uint64_t events_enqueued = 0;  // every line given
    uint64_t events_queued = 0;    // waiting now (not those of a call in progress)
    uint64_t events_sent = 0;      // in calls answered 2xx
    uint64_t events_dropped = 0;   // left out: the queue was full
    uint64_t calls_ok = 0;
    uint64_t calls_failed = 0;
    uint64_t groups_created = 0;
    uint64_t streams_created = 0;
    std::string last_error;
  };

  // InvalidArgument for a bad region, endpoint, group or stream, no credentials, or a
  // flush interval or queue bound of 0. `http` null: libcurl.
  static Result<std::unique_ptr<CloudWatchLogsShipper>> Create(
      CredentialsSource credentials, CloudWatchLogsOptions options,
      std::shared_ptr<auth::HttpFetcher> http = nullptr);
  ~CloudWatchLogsShipper();  // Stop(0)
  CloudWatchLogsShipper(const CloudWatchLogsShipper&) = delete;
  CloudWatchLogsShipper& operator=(const CloudWatchLogsShipper&) = delete;

  void Start();
  // Stops the thread (waiting at most for the call in progress), then sends what is queued
  // within `budget` (nothing when it is 0).
  void Stop(std::chrono::milliseconds budget);

  void Enqueue(std::chrono::system_clock::time_point time, std::string message);
  // A logger's line, as its JSON form (JsonLogLine); the shipper's own lines are skipped.
  void Add(const LogEntry& entry);

  // Sends everything queued now, on the caller's thread; the first failure, or OK.
  Status FlushNow();

  Stats stats() const;

 private:
  CloudWatchLogsShipper(CredentialsSource credentials, CloudWatchLogsOptions options,
                        std::shared_ptr<auth::HttpFetcher> http, ServiceEndpoint endpoint);
  void Run();
  // Takes the queue and sends it; failed lines go back. Needs send_mu_.
  Status SendQueued(std::chrono::steady_clock::time_point deadline);
  // One call; `action` is "PutLogEvents", "CreateLogGroup" or "CreateLogStream".
  // `already_exists`, when given, tells whether the service answered
  // ResourceAlreadyExistsException; ResourceNotFoundException is NotFound.
  Status Call(std::string_view action, const std::string& body,
              std::chrono::steady_clock::time_point deadline, bool* already_exists = nullptr);
  Status CreateGroupAndStream(std::chrono::steady_clock::time_point deadline);
  void ReportDrops();
  void DropOldestLocked();  // needs mu_

  const CredentialsSource credentials_;
  const CloudWatchLogsOptions options_;
  const std::shared_ptr<auth::HttpFetcher> http_;
  const ServiceEndpoint endpoint_;
  const auth::SigV4Signer signer_;

  std::mutex send_mu_;  // one round of calls at a time
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LogEvent> queue_;     // guarded by mu_
  size_t queued_bytes_ = 0;        // guarded by mu_ (as the service counts them)
  uint64_t unreported_drops_ = 0;  // guarded by mu_
  bool stopping_ = false;          // guarded by mu_
  Stats stats_;                    // guarded by mu_
  std::thread thread_;
};

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_CLOUDWATCH_LOGS_SHIPPER_H_
