// MetricsRegistry: the producer's metrics, kept per second for the last two minutes (and
// percentiles per 10 seconds), read over any window up to that.
//
// Names, units and meanings are the KPL's (docs/metrics.md), plus ours. Each series is one
// metric at one granularity: global, per stream, or per stream and shard, and for ErrorsByCode
// per error code too. Recording goes through a Recorder handle the engine keeps per stream and
// shard, so the hot path is an array index and a few additions under one uncontended lock per
// engine pass, never a lookup by name per record.
//
// Thread safety: all methods from any thread.
#ifndef KINESIS_METRICS_METRICS_REGISTRY_H_
#define KINESIS_METRICS_METRICS_REGISTRY_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/metrics.h"
#include "kinesis/producer_config.h"
#include "metrics/histogram.h"

namespace kinesis {

enum class Metric : int {
  kUserRecordsReceived,
  kUserRecordsPending,
  kUserRecordsPut,
  kUserRecordsDataPut,
  kKinesisRecordsPut,
  kKinesisRecordsDataPut,
  kErrorsByCode,
  kAllErrors,
  kRetriesPerRecord,
  kUserRecordExpired,
  kBufferingTime,
  kRequestTime,
  kUserRecordsPerKinesisRecord,
  kKinesisRecordsPerPutRecordsRequest,
  kUserRecordsPerPutRecordsRequest,
  // Ours.
  kPutLatency,  // put to result, milliseconds
  kThrottledRecords,
  kDuplicatesSent,
  kQueueFullEvents,
  kBufferBytes,
  kInFlightRequests,
  kCredentialRefreshes,
  kCallbackErrors,    // result callbacks that threw
  kLogEventsDropped,  // log lines the CloudWatch Logs queue had no room for
  kCount
};

struct MetricInfo {
  std::string_view name;
  std::string_view unit;  // CloudWatch unit: Count, Bytes, Milliseconds
  bool summary;           // recorded at MetricsLevel summary (else only at detailed)
  bool shard_level;       // has a shard dimension at granularity shard
  bool histogram;         // keeps percentiles
};
const MetricInfo& InfoOf(Metric m);

class MetricsRegistry {
 public:
  static constexpr int kSeconds = 120;  // how far back windows reach
  static constexpr int kHistogramSlotSeconds = 10;

  MetricsRegistry(MetricsLevel level, MetricsGranularity granularity);

  bool Enabled(Metric m) const;

  // Adds `count` observations of `value` to the metric at every granularity configured: global,
  // the stream, and the shard (shard may be empty: stream level only). `code` is the
  // ErrorsByCode dimension.
  void Record(Metric m, std::string_view stream, std::string_view shard, double value,
              uint64_t count = 1, std::string_view code = {});

  // `count` observations, of values summing to `sum`, the smallest `min` and the largest `max`
  // (bytes of each record of one engine pass); for metrics without percentiles.
  void RecordStats(Metric m, std::string_view stream, std::string_view shard, uint64_t count,
                   double sum, double min, double max);

  // Many observations of one metric for one stream/shard (latencies of one engine pass).
  void RecordValues(Metric m, std::string_view stream, std::string_view shard,
                    const std::vector<double>& values);

  // Observations gathered by the engine during one pass, recorded under one lock.
  struct Observation {
    Metric metric;
    const std::string* stream;  // null: global only; must outlive RecordBatch
    std::string shard;
    std::string code;
    double value;
    uint64_t count;
  };
  void RecordBatch(const std::vector<Observation>& batch);

  // Every series with data in the last `window`, with count, sum, min, max, mean and
  // percentiles over it. A window of 0: since the registry's start (ReadTotals).
  std::vector<MetricValue> Read(std::chrono::seconds window) const;
  // Every series with data since the registry's start: count, sum, min, max and mean of all
  // of it, as the KPL's getMetrics without a duration (no percentiles; `seconds` is the time
  // since the start).
  std::vector<MetricValue> ReadTotals() const;

  // The same over the whole seconds [first, last] of this registry's clock (clamped to what is
  // kept). With NowSeconds(), a reader that takes each completed second exactly once (the
  // CloudWatch uploader) neither loses nor repeats data at its period's edges.
  std::vector<MetricValue> ReadSeconds(int64_t first, int64_t last) const;
  int64_t NowSeconds() const;

  // For tests: the clock in whole seconds. Default: steady clock.
  void SetClockForTesting(std::function<int64_t()> now_seconds);

  // Application metrics (src/metrics/app_metrics.h). A new series of `name` at `dimensions`,
  // with percentiles when `histogram`; the caller makes each (name, dimensions) once and keeps
  // the pointer, valid as long as the registry. Recorded at every MetricsLevel.
  struct Series;
  Series* NewApplicationSeries(std::string_view name, std::string_view unit,
                               const std::map<std::string, std::string>& dimensions,
                               bool histogram);
  // `count` observations of `value`.
  void RecordApplication(Series& series, double value, uint64_t count);

 private:
  struct Slot {
    int64_t second = -1;  // which second this slot holds
    uint64_t count = 0;
    double sum = 0, min = 0, max = 0;
  };
  struct HistogramSlot {
    int64_t start = -1;  // first second of the slot
    Histogram histogram;
  };
  void Add(Series& series, int64_t second, double value, uint64_t count);
  // Add() of `count` values summing to `sum`, within [min, max]; no histogram.
  static void AddStats(Series& series, int64_t second, uint64_t count, double sum, double min,
                       double max);
  static void AddTo(Slot& slot, uint64_t count, double sum, double min, double max);
  // Add(series, second, v, 1) for each of `values` (not empty).
  void AddAll(Series& series, int64_t second, const std::vector<double>& values);
  // The histogram `second` falls in, started afresh when its window is new; null when the
  // series keeps none.
  static Histogram* HistogramOf(Series& series, int64_t second);
  void RecordLocked(Metric m, std::string_view stream, std::string_view shard, double value,
                    uint64_t count, std::string_view code, int64_t second);
  Series& Find(Metric m, std::string_view stream, std::string_view shard, std::string_view code);

  const MetricsLevel level_;
  const MetricsGranularity granularity_;
  std::function<int64_t()> now_seconds_;  // guarded by mu_
  int64_t start_second_;                  // guarded by mu_
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Series>, std::less<>> series_;  // guarded by mu_
  std::string key_buffer_;                                              // guarded by mu_ (Find)
  uint64_t application_series_ = 0;                                     // guarded by mu_
};

struct MetricsRegistry::Series {
  std::string_view name;  // InfoOf's, or `application_name`'s
  std::string_view unit;
  bool application = false;
  std::string application_name, application_unit;  // application metrics only
  std::map<std::string, std::string> dimensions;
  std::vector<Slot> slots;                // a ring of kSeconds
  std::vector<HistogramSlot> histograms;  // a ring, for histogram metrics only
  Slot total;                             // since the start (`second`: the first)
};

}  // namespace kinesis

#endif  // KINESIS_METRICS_METRICS_REGISTRY_H_
