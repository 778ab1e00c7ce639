#include "producer/producer_monitoring.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "backend/aws_context.h"
#include "common/log.h"
#include "config/service_urls.h"
#include "monitoring/cloudwatch_uploader.h"
#include "monitoring/json_stats.h"
#include "monitoring/prometheus_exporter.h"

namespace kinesis {
bool UploadsToCloudWatch(const ProducerConfig& config, bool aws_endpoint) {
  if (!config.cloudwatch_upload || config.metrics_level == MetricsLevel::kNone) return false;
  return aws_endpoint || !config.cloudwatch_endpoint.empty();
}

Result<std::unique_ptr<ProducerMonitoring>> ProducerMonitoring::Start(
    const ProducerConfig& config, const MetricsRegistry& registry, bool aws_endpoint, Logger& log,
    std::shared_ptr<const AwsContext> aws) {
  std::unique_ptr<ProducerMonitoring> m(new ProducerMonitoring(log));
  if (config.prometheus_port != 0) {
    monitoring::PrometheusOptions options;
    options.bind_address = config.prometheus_address;
    options.port = static_cast<uint16_t>(config.prometheus_port);
    auto exporter = monitoring::PrometheusExporter::Start(registry, options);
    if (!exporter.ok()) {
      return Status(exporter.status().code(), "PrometheusPort " +
                                                  std::to_string(config.prometheus_port) + ": " +
                                                  exporter.status().message());
    }
    m->prometheus_ = std::move(exporter.value());
  }

  if (config.stats_interval_ms != 0) {
    monitoring::JsonStatsOptions options;
    options.interval = std::chrono::milliseconds(config.stats_interval_ms);
    // The last minute (or the interval, up to the registry's reach): a short interval still
    // gives stable rates and percentiles.
    int64_t seconds = static_cast<int64_t>((config.stats_interval_ms + 999) / 1000);
    options.window =
        std::chrono::seconds(std::clamp<int64_t>(seconds, 60, MetricsRegistry::kSeconds));
    monitoring::JsonStatsReporter::Callback callback = config.stats_callback;
    if (!callback) {
      callback = [&log](const std::string& json) { log.Log(LogLevel::kInfo, "stats", json); };
    }
    auto reporter = monitoring::JsonStatsReporter::Start(registry, options, std::move(callback));
    if (!reporter.ok()) return reporter.status();
    m->stats_ = std::move(reporter.value());
  }

  if (UploadsToCloudWatch(config, aws_endpoint)) {
    m->aws_ = aws != nullptr ? std::move(aws) : MakeAwsContext(config);
    if (!m->aws_->region_status.ok()) {
      log.Log(LogLevel::kWarning, "monitoring", "metrics are not uploaded to CloudWatch",
              {{"detail", m->aws_->region_status.message()}});
      return m;
    }
    monitoring::CloudWatchOptions options;
    options.region = m->aws_->region;
    options.log = &log;
    // Empty: the regional AWS endpoint; else a URL, or the KPL's bare host with CloudwatchPort.
    options.endpoint = ServiceUrl(config.cloudwatch_endpoint, config.cloudwatch_port);
    options.metrics_namespace = config.metrics_namespace;
    options.app_metrics_namespace = config.app_metrics_namespace.empty()
                                        ? config.metrics_namespace
                                        : config.app_metrics_namespace;
    options.upload_period = std::chrono::milliseconds(config.metrics_upload_delay_ms);
    options.extra_dimensions = config.metrics_extra_dimensions;
    options.connect_timeout = std::chrono::milliseconds(config.connect_timeout_ms);
    options.request_timeout = std::chrono::milliseconds(config.request_timeout_ms);
    std::shared_ptr<const AwsContext> aws_context = m->aws_;
    auto credentials = [aws_context]() -> Result<std::shared_ptr<const auth::Credentials>> {
      Result<auth::Credentials> c = aws_context->credentials();
      if (!c.ok()) return c.status();
      return std::make_shared<const auth::Credentials>(std::move(*c));
    };
    auto uploader = monitoring::CloudWatchUploader::Create(
        registry, std::move(credentials), options,
        // CloudWatch goes through the producer's proxy, as Kinesis and STS do.
        m->aws_->http);
    if (!uploader.ok()) {
      log.Log(LogLevel::kWarning, "monitoring", "metrics are not uploaded to CloudWatch",
              {{"detail", uploader.status().message()}});
      return m;
    }
    m->uploader_ = std::move(uploader.value());
    m->uploader_->Start();
  }
  return m;
}

ProducerMonitoring::ProducerMonitoring(Logger& log) : log_(log) {}

ProducerMonitoring::~ProducerMonitoring() {
  // The reporters read the registry: stop them before anything else goes.
  stats_.reset();
  prometheus_.reset();
  uploader_.reset();
  log_.FlushSuppressed();
}

void ProducerMonitoring::FinalUpload(std::chrono::milliseconds budget) {
  if (!uploader_) return;
  Status status = uploader_->UploadFinal(budget);
  if (!status.ok()) {
    log_.Log(LogLevel::kWarning, "monitoring", "the last metrics upload at Close failed",
             {{"error", status.ToString()}});
  }
}

uint16_t ProducerMonitoring::prometheus_port() const {
  return prometheus_ ? prometheus_->port() : 0;
}

}  // namespace kinesis
