// AppMetricsRegistry: the application's own metrics (include/kinesis/app_metrics.h), kept as
// series of the producer's MetricsRegistry so that every outlet (CloudWatch, Prometheus, JSON
// statistics, Producer::Metrics) reads them with the producer's.
//
// It checks names and dimensions against CloudWatch's rules and bounds the number of series
// (AppMetricsMaxSeries); once made, a series is recorded through its handle without a lookup.
//
// Thread safety: all methods from any thread.
#ifndef KINESIS_METRICS_APP_METRICS_H_
#define KINESIS_METRICS_APP_METRICS_H_

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "kinesis/app_metrics.h"
#include "metrics/metrics_registry.h"

namespace kinesis {
namespace internal {

// One application series: what an AppCounter or AppHistogram points at.
class AppSeries {
 public:
  AppSeries(MetricsRegistry& registry, MetricsRegistry::Series& series)
      : registry_(registry), series_(series) {}
  void Record(double value, uint64_t count) { registry_.RecordApplication(series_, value, count); }
  AppCounter counter() { return AppCounter(this); }
  AppHistogram histogram() { return AppHistogram(this); }

 private:
  MetricsRegistry& registry_;
  MetricsRegistry::Series& series_;
};

}  // namespace internal

class AppMetricsRegistry final : public ApplicationMetrics {
 public:
  static constexpr size_t kMaxDimensions = 30;     // per datum (CloudWatch)
  static constexpr size_t kMaxNameLength = 255;    // metric and dimension names (CloudWatch)
  static constexpr size_t kMaxValueLength = 1024;  // dimension values (CloudWatch)

  // `max_series`: AppMetricsMaxSeries. `extra_dimensions`: how many AdditionalMetricsDimensions
  // every datum also carries (they count against the 30).
  AppMetricsRegistry(MetricsRegistry& registry, size_t max_series, size_t extra_dimensions);

  Result<AppCounter> Counter(std::string_view name, const MetricDimensions& dimensions) override;
  Result<AppHistogram> Histogram(std::string_view name, const MetricDimensions& dimensions,
                                 std::string_view unit) override;

 private:
  struct Kind {
    bool histogram;
    std::string unit;
  };
  Result<internal::AppSeries*> Find(std::string_view name, const MetricDimensions& dimensions,
                                    bool histogram, std::string_view unit);
  Status Check(std::string_view name, const MetricDimensions& dimensions) const;

  MetricsRegistry& registry_;
  const size_t max_series_;
  const size_t extra_dimensions_;
  std::mutex mu_;
  // By "name{Dim=value,...}" (dimensions in name order).
  std::map<std::string, std::unique_ptr<internal::AppSeries>, std::less<>>
      series_;                                      // guarded by mu_
  std::map<std::string, Kind, std::less<>> kinds_;  // by name; guarded by mu_
};

}  // namespace kinesis

#endif  // KINESIS_METRICS_APP_METRICS_H_
