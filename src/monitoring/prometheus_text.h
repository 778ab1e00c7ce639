// Prometheus text exposition format (version 0.0.4) of the producer's metrics.
//
// Each KPL metric becomes one family named kinesis_producer_<snake_case name>[_<unit>]
// (UserRecordsPut -> kinesis_producer_user_records_put, BufferingTime ->
// kinesis_producer_buffering_time_milliseconds), with the labels stream, shard and error_code
// from the dimensions StreamName, ShardId and ErrorCode:
//   - latencies (BufferingTime, RequestTime, PutLatency): summary with quantile="0.5", "0.9",
//     "0.99", "0.999" over the last `window` seconds, plus _sum and _count since start;
//   - per-record and per-request distributions (RetriesPerRecord, UserRecordsPerKinesisRecord,
//     KinesisRecordsPerPutRecordsRequest, UserRecordsPerPutRecordsRequest): summary, _sum and
//     _count since start only;
//   - levels (UserRecordsPending, BufferBytes, InFlightRequests): gauge, the mean over the
//     window;
//   - everything else (events: records, bytes, errors): counter <family>_total, the sum since
//     start (monotonic: rate() applies).
// docs/metrics.md lists every name. The application's metrics (MetricValue::application)
// follow, as prometheus_app_text.h renders them; they are never folded.
//
// Cardinality: at most `max_series` series (one per metric and label set). Global and stream
// series always appear; shards are added in name order while they fit, whole (all of a
// shard's series or none). The series of the shards left out are "folded": the stream-level
// series already include them. kinesis_producer_series_folded says how many were folded in this
// scrape.
//
// Thread safety: pure function.
#ifndef KINESIS_MONITORING_PROMETHEUS_TEXT_H_
#define KINESIS_MONITORING_PROMETHEUS_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/metrics.h"

namespace kinesis::monitoring {

struct PrometheusRender {
  std::string text;
  uint64_t folded_series = 0;  // shard series left out of this scrape
};

// The text's pieces, for the families rendered elsewhere (prometheus_app_text.h).
void AppendNumber(std::string& out, double v);
void AppendLabelValue(std::string& out, std::string_view value);  // escaped, unquoted
// `name``suffix` `labels`(+`extra_label`)} value\n; `labels` is "{a=\"b\"" without its brace.
void AppendSample(std::string& out, std::string_view name, std::string_view suffix,
                  const std::string& labels, std::string_view extra_label, double value);
void AppendHeader(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help);
// A summary's quantile samples (0.5, 0.9, 0.99, 0.999) of `window`'s percentiles.
void AppendQuantiles(std::string& out, std::string_view name, const std::string& labels,
                     const MetricValue& window);
// A series' identity: its name and dimensions.
std::string SeriesKey(const MetricValue& v);

// "UserRecordsPerKinesisRecord" -> "user_records_per_kinesis_record".
std::string SnakeCase(std::string_view camel);
// The family name of a KPL metric, e.g. "kinesis_producer_buffering_time_milliseconds".
std::string PrometheusName(std::string_view metric, std::string_view unit);

// `folded_before`: series folded in earlier scrapes (the caller keeps the sum); with this
// scrape's, rendered as the counter kinesis_producer_series_folded_total.
// `window`: the registry's Read(window); `totals`: its ReadTotals().
PrometheusRender RenderPrometheus(const std::vector<MetricValue>& window,
                                  const std::vector<MetricValue>& totals, int window_seconds,
                                  size_t max_series, uint64_t folded_before);
// The same with `values` as both (a registry read once; tests and benchmarks).
PrometheusRender RenderPrometheus(const std::vector<MetricValue>& values, int window_seconds,
                                  size_t max_series, uint64_t folded_before);

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_PROMETHEUS_TEXT_H_
