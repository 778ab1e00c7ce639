// The application's metrics (Producer::AppMetrics) in the Prometheus text format, after the
// producer's own families (prometheus_text.h).
//
// Each metric becomes the family kinesis_app_<snake_case name>[_<unit>], its dimensions the
// labels (names in snake_case, characters outside [a-z0-9_] as '_'):
//   - a counter: counter <family>_total, the sum since start
//       kinesis_app_click_events_total{page="/home"} 7
//   - a histogram: summary with quantile="0.5", "0.9", "0.99", "0.999" over the last `window`
//     seconds, plus _sum and _count since start
//       kinesis_app_checkout_time_milliseconds{quantile="0.99"} 31
// A unit of Count or None adds no suffix; others their lower-case name ("/" as "_per_").
// Their number is bounded by AppMetricsMaxSeries, so nothing is folded.
//
// Thread safety: pure functions.
#ifndef KINESIS_MONITORING_PROMETHEUS_APP_TEXT_H_
#define KINESIS_MONITORING_PROMETHEUS_APP_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "kinesis/metrics.h"

namespace kinesis::monitoring {

// The family name of an application metric, e.g. "kinesis_app_checkout_time_milliseconds".
std::string PrometheusAppName(std::string_view metric, std::string_view unit);

// Appends the families of the values with `application` set; `window`: the registry's
// Read(window), `totals`: its ReadTotals(). A histogram is a series with `percentiles`.
void AppendApplicationFamilies(std::string& out, const std::vector<MetricValue>& window,
                               const std::vector<MetricValue>& totals, int window_seconds);

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_PROMETHEUS_APP_TEXT_H_
