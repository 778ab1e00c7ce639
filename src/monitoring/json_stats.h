// JSON statistics: a document with the producer's metrics, on demand or every `interval` to a
// callback (in the spirit of librdkafka's statistics callback). docs/metrics.md describes every
// field; the shape is:
//
//   {"name": "...", "type": "producer", "ts_ms": 1764052200000, "seq": 3, "window_s": 60,
//    "totals": {"UserRecordsPut": {"unit": "Count", "count": 10, "sum": 10, "min": 1,
//                                  "max": 1, "mean": 1}, ...},
//    "errors_by_code": {"ProvisionedThroughputExceededException": {...}},
//    "streams": {"orders": {"metrics": {...}, "errors_by_code": {...},
//                           "shards": {"shardId-000000000001": {"metrics": {...},
//                                                               "errors_by_code": {...}}}}},
//    "application": [{"name": "ClickEvents", "dimensions": {"Page": "/home"}, "unit": "Count",
//                     "count": 3, "sum": 7, "min": 1, "max": 4, "mean": 2.33}, ...]}
//
// "application" holds the application's metrics (Producer::AppMetrics), one entry per metric and
// dimension set. Latency metrics (BufferingTime, RequestTime, PutLatency) and application
// histograms add "p50", "p90", "p99", "p999".
// Statistics are over the last `window_s` seconds; a metric with no observation in the window is
// absent.
//
// Thread safety: RenderJsonStats is a pure function. JsonStatsReporter: Start and the
// destructor from the owning thread; the callback runs on the reporter's thread, one call at a
// time, and must not destroy the reporter.
#ifndef KINESIS_MONITORING_JSON_STATS_H_
#define KINESIS_MONITORING_JSON_STATS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kinesis/metrics.h"
#include "kinesis/status.h"
#include "metrics/metrics_registry.h"

namespace kinesis::monitoring {

struct JsonStatsHeader {
  std::string name;   // the producer's name ("" when none)
  int64_t ts_ms = 0;  // wall clock, milliseconds since the Unix epoch
  uint64_t seq = 0;   // 1 for the first document of a reporter, then +1 each
  int window_s = 60;
};

std::string RenderJsonStats(const std::vector<MetricValue>& values, const JsonStatsHeader& header);

struct JsonStatsOptions {
  std::string name;
  // How often the callback gets a document (librdkafka's statistics.interval.ms).
  std::chrono::milliseconds interval{5000};
  // Window of the statistics; 0 s: the interval rounded up to seconds. At most
  // MetricsRegistry::kSeconds.
  std::chrono::seconds window{0};
};

class JsonStatsReporter {
 public:
  using Callback = std::function<void(const std::string& json)>;

  // Starts the thread: the first document one interval from now. Fails with kInvalidArgument
  // for an interval under 1 ms, a window over MetricsRegistry::kSeconds, or no callback.
  static Result<std::unique_ptr<JsonStatsReporter>> Start(const MetricsRegistry& registry,
                                                          JsonStatsOptions options,
                                                          Callback callback);
  ~JsonStatsReporter();  // stops; waits for a callback in progress
  JsonStatsReporter(const JsonStatsReporter&) = delete;
  JsonStatsReporter& operator=(const JsonStatsReporter&) = delete;

  // A document now (does not call the callback; takes the next sequence number).
  std::string Snapshot();

 private:
  JsonStatsReporter(const MetricsRegistry& registry, JsonStatsOptions options, Callback callback);
  void Run();

  const MetricsRegistry& registry_;
  const JsonStatsOptions options_;
  const Callback callback_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  uint64_t seq_ = 0;       // guarded by mu_
  std::thread thread_;
};

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_JSON_STATS_H_
