// Application metrics: the application's own counters and histograms, kept, uploaded and
// exposed with the producer's metrics (Producer::AppMetrics).
//
//   auto clicks = producer->AppMetrics().Counter("ClickEvents", {{"Page", "/home"}});
//   if (!clicks.ok()) log(clicks.status().ToString());   // a bad name, or past the limit
//   clicks->Add();                                        // one click
//   auto checkout = producer->AppMetrics().Histogram("CheckoutTime");  // milliseconds
//   checkout->Record(elapsed_ms);
//
// Where they go: CloudWatch, in the producer's PutMetricData calls (one statistic set per
// metric and dimension set each MetricsUploadDelay, the producer's credentials, region and
// endpoint), under AppMetricsNamespace (default: MetricsNamespace) with
// AdditionalMetricsDimensions added, as the producer's own; the Prometheus endpoint, as
// kinesis_app_<snake_case name> (counter _total, or summary for a histogram) with the
// dimensions as labels (snake_case names); the JSON statistics, in "application"; and
// Producer::Metrics with MetricValue::application set. MetricsLevel none turns the CloudWatch
// upload off, these included; the other outlets keep them.
//
// Cardinality: each distinct metric name and dimension set is one series, and a producer keeps
// at most AppMetricsMaxSeries (default 1000) of them: past that, Counter and Histogram fail with
// ResourceExhausted naming the set and the limit (asking again for a set already kept is not a
// new series). Dimensions must be values of a small set (pages, event types), never user ids.
//
// Thread safety: every method from any thread. A handle (AppCounter, AppHistogram) is a cheap
// copyable pointer, valid while its producer exists: recording is one uncontended lock and a
// few additions, never a lookup by name; keep the handle rather than asking again per event.
#ifndef KINESIS_APP_METRICS_H_
#define KINESIS_APP_METRICS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/status.h"

namespace kinesis {

// (name, value) pairs. CloudWatch's rules: at most 30 per datum, AdditionalMetricsDimensions
// included; names 1 to 255 characters, values 1 to 1024; each name once.
using MetricDimensions = std::vector<std::pair<std::string, std::string>>;

namespace internal {
class AppSeries;  // src/metrics/app_metrics.h
}  // namespace internal

// Counts events: Add(n) adds n to the metric's sum for the second it is called in (CloudWatch's
// Sum over a period is the number of events; SampleCount the number of Add calls).
class AppCounter {
 public:
  AppCounter() = default;  // unbound: Add does nothing
  void Add(uint64_t n = 1) const;

 private:
  friend class internal::AppSeries;
  explicit AppCounter(internal::AppSeries* series) : series_(series) {}
  internal::AppSeries* series_ = nullptr;
};

// Distributions (durations, sizes): each Record is one sample, with count, sum, min, max and
// percentiles (p50, p90, p99, p999, within 3%) kept over the window read.
class AppHistogram {
 public:
  AppHistogram() = default;  // unbound: Record does nothing
  // InvalidArgument for a negative, NaN or infinite value (named), which nothing records.
  Status Record(double value) const;

 private:
  friend class internal::AppSeries;
  explicit AppHistogram(internal::AppSeries* series) : series_(series) {}
  internal::AppSeries* series_ = nullptr;
};

class ApplicationMetrics {
 public:
  virtual ~ApplicationMetrics() = default;

  // The counter of `name` at `dimensions` (CloudWatch unit Count). Fails with InvalidArgument
  // for a name or dimension CloudWatch would refuse, a name of the producer's own metrics
  // (UserRecordsPut...), or a name already used by a histogram; with ResourceExhausted past
  // AppMetricsMaxSeries. Each error names the value and the limit.
  virtual Result<AppCounter> Counter(std::string_view name,
                                     const MetricDimensions& dimensions = {}) = 0;

  // The histogram of `name` at `dimensions`, in `unit`: one of CloudWatch's units
  // (Milliseconds, Microseconds, Seconds, Bytes, Count, Percent, ...). The same errors as
  // Counter, and InvalidArgument for another unit or a name used with another unit.
  virtual Result<AppHistogram> Histogram(std::string_view name,
                                         const MetricDimensions& dimensions = {},
                                         std::string_view unit = "Milliseconds") = 0;
};

}  // namespace kinesis

#endif  // KINESIS_APP_METRICS_H_
