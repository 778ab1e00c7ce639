// Reading the producer's metrics (Producer::Metrics): the KPL's metrics, by name, with their
// dimensions and statistics over a window. docs/metrics.md describes each one.
#ifndef KINESIS_METRICS_H_
#define KINESIS_METRICS_H_

#include <cstdint>
#include <map>
#include <string>

namespace kinesis {

struct MetricValue {
  std::string name;  // e.g. "UserRecordsPut"
  std::string unit;  // "Count", "Bytes" or "Milliseconds"
  // None (global), {"StreamName"}, {"StreamName","ShardId"}, plus {"ErrorCode"} for
  // ErrorsByCode (which also has a global series without it, as the KPL's).
  std::map<std::string, std::string> dimensions;
  uint64_t count = 0;  // observations
  double sum = 0, min = 0, max = 0, mean = 0;
  // Percentiles, for latency metrics (BufferingTime, RequestTime, PutLatency) over a window;
  // else 0.
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0;
  // The seconds the statistics cover (the KPL's Metric.getDuration): the window asked for, or
  // for totals (a window of 0) the time since the producer started. Last, so that aggregate
  // initializations written before it keep their meaning.
  uint64_t seconds = 0;
  // Recorded by the application (Producer::AppMetrics, kinesis/app_metrics.h): its name and
  // dimensions are the application's. Else one of the producer's metrics.
  bool application = false;
  // The series keeps percentiles (the latencies, an application's histograms): p50..p999 are
  // filled over a window.
  bool percentiles = false;
};

}  // namespace kinesis

#endif  // KINESIS_METRICS_H_
