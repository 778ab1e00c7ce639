// ProducerMonitoring: where a producer's metrics go (docs/metrics.md): the CloudWatch uploader
// (with the producer's AwsContext, shared with its Kinesis back-end), the Prometheus endpoint,
// the JSON statistics reporter and the CloudWatch Logs shipper of its log lines, each started
// only when the configuration asks for it. None runs on the data path:
// they read the MetricsRegistry from their own threads.
#ifndef KINESIS_PRODUCER_PRODUCER_MONITORING_H_
#define KINESIS_PRODUCER_PRODUCER_MONITORING_H_

#include <chrono>
#include <memory>

#include "kinesis/producer_config.h"
#include "kinesis/status.h"
#include "metrics/metrics_registry.h"

namespace kinesis {

struct AwsContext;
class Logger;
namespace monitoring {
class CloudWatchUploader;
class PrometheusExporter;
class JsonStatsReporter;
class CloudWatchLogsShipper;
}  // namespace monitoring

class ProducerMonitoring {
 public:
  // Fails when a part the configuration asks for cannot start (e.g. the Prometheus port is
  // taken). CloudWatch problems (no region, no credentials yet) are logged, not fatal: the data
  // path must not depend on the metrics.
  // `aws_endpoint`: the producer's back-end talks to the AWS service (KinesisBackend::
  // is_aws_endpoint).
  // `aws`: the back-end's region and credentials (AwsContextOf); null makes the producer's own.
  // `log`: the producer's; it outlives the monitoring.
  // `registry` is read, and written only for LogEventsDropped.
  static Result<std::unique_ptr<ProducerMonitoring>> Start(const ProducerConfig& config,
                                                           MetricsRegistry& registry,
                                                           bool aws_endpoint, Logger& log,
                                                           std::shared_ptr<const AwsContext> aws);
  ~ProducerMonitoring();  // stops every thread

  // At Close: the last CloudWatch upload (what the last period recorded, or everything for a
  // producer closed within its first period) within `budget`; failures are logged. Then the
  // log lines still queued for CloudWatch Logs, within what is left of it.
  void FinalUpload(std::chrono::milliseconds budget);

  // 0 when the Prometheus endpoint is off.
  uint16_t prometheus_port() const;
  bool uploading_to_cloudwatch() const { return uploader_ != nullptr; }

 private:
  explicit ProducerMonitoring(Logger& log);
  // The CloudWatch Logs shipper, fed by log_'s tap (CloudwatchLogs).
  Status StartLogs(const ProducerConfig& config, MetricsRegistry& registry,
                   std::shared_ptr<const AwsContext> aws);
  Logger& log_;
  std::shared_ptr<const AwsContext> aws_;
  std::unique_ptr<monitoring::CloudWatchUploader> uploader_;
  std::unique_ptr<monitoring::PrometheusExporter> prometheus_;
  std::unique_ptr<monitoring::JsonStatsReporter> stats_;
  std::unique_ptr<monitoring::CloudWatchLogsShipper> logs_;  // the tap of log_ while set
};

// Whether the producer uploads to CloudWatch (see ProducerConfig::cloudwatch_upload).
bool UploadsToCloudWatch(const ProducerConfig& config, bool aws_endpoint);

}  // namespace kinesis

#endif  // KINESIS_PRODUCER_PRODUCER_MONITORING_H_
