// CloudWatch PutMetricData bodies in the query protocol: form-encoded
//
//   Action=PutMetricData&Version=2010-08-01&Namespace=KinesisProducerLibrary
//   &MetricData.member.1.MetricName=UserRecordsPut&MetricData.member.1.Unit=Count
//   &MetricData.member.1.StatisticValues.SampleCount=10&...Sum=10&...Minimum=1&...Maximum=1
//   &MetricData.member.1.Dimensions.member.1.Name=StreamName
//   &MetricData.member.1.Dimensions.member.1.Value=orders
//   &MetricData.member.1.Timestamp=2026-11-25T06:30:00Z&MetricData.member.1.StorageResolution=60
//
// one statistic set per MetricValue, split so that no body carries more than `max_datums`
// datums or `max_bytes` bytes (the service's limits: 1000 datums, 1 MB).
//
// Thread safety: pure functions.
#ifndef KINESIS_MONITORING_CLOUDWATCH_REQUEST_H_
#define KINESIS_MONITORING_CLOUDWATCH_REQUEST_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/metrics.h"

namespace kinesis::monitoring {

struct PutMetricDataLimits {
  size_t max_datums = 1000;    // per call (the service's limit)
  size_t max_bytes = 1000000;  // per body (the service's limit is 1 MB)
};

struct PutMetricDataBodies {
  std::vector<std::string> bodies;
  std::vector<size_t> datums_per_body;
  // Values CloudWatch would refuse (no samples, NaN, infinite, more than 30 dimensions, a
  // datum that alone exceeds max_bytes); left out rather than failing the whole call.
  size_t dropped = 0;
};

// Percent-encodes everything but RFC 3986 unreserved characters, as the query protocol and
// SigV4 expect.
std::string FormEncode(std::string_view text);

// "2026-11-25T06:30:00Z".
std::string Iso8601Seconds(std::chrono::system_clock::time_point t);

// Builds the bodies for `values`. `extra_dimensions` are added to every datum after the
// metric's own. `storage_resolution` 0 leaves the field out (the service's default, 60);
// `timestamp` null leaves it out (the service stamps the time of arrival).
PutMetricDataBodies BuildPutMetricDataBodies(
    std::string_view metrics_namespace, const std::vector<MetricValue>& values,
    const std::vector<std::pair<std::string, std::string>>& extra_dimensions,
    const std::chrono::system_clock::time_point* timestamp, int storage_resolution,
    const PutMetricDataLimits& limits);

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_CLOUDWATCH_REQUEST_H_
