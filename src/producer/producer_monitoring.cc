#include "producer/producer_monitoring.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "backend/aws_context.h"
#include "common/log.h"
#include "config/service_urls.h"
#include "monitoring/cloudwatch_logs_shipper.h"
#include "monitoring/cloudwatch_uploader.h"
#include "monitoring/json_stats.h"
#include "monitoring/prometheus_exporter.h"

namespace kinesis {
namespace {

// What signs the monitoring's calls: the context's current credentials.
monitoring::CredentialsSource CredentialsOf(std::shared_ptr<const AwsContext> aws) {
  return [aws]() -> Result<std::shared_ptr<const auth::Credentials>> {
    Result<auth::Credentials> c = aws->credentials();
    if (!c.ok()) return c.status();
    return std::make_shared<const auth::Credentials>(std::move(*c));
  };
}

// "kinesis-producer/<host name>/<process id>": one stream per process, as the service wants
// one writer per stream.
std::string DefaultLogStreamName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') std::snprintf(host, 8, "host");
  return "kinesis-producer/" + std::string(host) + "/" + std::to_string(getpid());
}

}  // namespace

bool UploadsToCloudWatch(const ProducerConfig& config, bool aws_endpoint) {
  if (!config.cloudwatch_upload || config.metrics_level == MetricsLevel::kNone) return false;
  return aws_endpoint || !config.cloudwatch_endpoint.empty();
}

Result<std::unique_ptr<ProducerMonitoring>> ProducerMonitoring::Start(
    const ProducerConfig& config, MetricsRegistry& registry, bool aws_endpoint, Logger& log,
    std::shared_ptr<const AwsContext> aws) {
  std::unique_ptr<ProducerMonitoring> m(new ProducerMonitoring(log));
  if (config.prometheus_port != 0) {
    monitoring::PrometheusOptions options;
    options.bind_address = config.prometheus_address;
    options.port = static_cast<uint16_t>(config.prometheus_port);
    // The limits the dashboard (monitoring/grafana) draws the levels against.
    options.settings = {{"buffer_max_bytes", static_cast<double>(config.buffer_max_bytes)},
                        {"buffer_max_records", static_cast<double>(config.buffer_max_records)},
                        {"max_connections", static_cast<double>(config.max_connections)}};
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

  // First, so that what follows is shipped too.
  if (config.cloudwatch_logs) KINESIS_RETURN_IF_ERROR(m->StartLogs(config, registry, aws));

  if (UploadsToCloudWatch(config, aws_endpoint)) {
    if (m->aws_ == nullptr) m->aws_ = aws != nullptr ? std::move(aws) : MakeAwsContext(config);
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
    auto uploader = monitoring::CloudWatchUploader::Create(
        registry, CredentialsOf(m->aws_), options,
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

Status ProducerMonitoring::StartLogs(const ProducerConfig& config, MetricsRegistry& registry,
                                     std::shared_ptr<const AwsContext> aws) {
  if (aws_ == nullptr) aws_ = aws != nullptr ? std::move(aws) : MakeAwsContext(config);
  if (!aws_->region_status.ok()) {
    return Status::InvalidArgument("CloudwatchLogs is true but there is no region: " +
                                   aws_->region_status.message());
  }
  monitoring::CloudWatchLogsOptions options;
  options.region = aws_->region;
  options.endpoint = ServiceUrl(config.cloudwatch_logs_endpoint, 443);
  options.log_group = config.cloudwatch_logs_group;
  options.log_stream = config.cloudwatch_logs_stream.empty() ? DefaultLogStreamName()
                                                             : config.cloudwatch_logs_stream;
  options.flush_interval = std::chrono::milliseconds(config.cloudwatch_logs_flush_ms);
  options.max_buffered_events = config.cloudwatch_logs_max_buffered;
  options.connect_timeout = std::chrono::milliseconds(config.connect_timeout_ms);
  options.request_timeout = std::chrono::milliseconds(config.request_timeout_ms);
  options.log = &log_;
  options.on_dropped = [&registry](uint64_t n) {
    registry.Record(Metric::kLogEventsDropped, {}, {}, static_cast<double>(n));
  };
  auto shipper =
      monitoring::CloudWatchLogsShipper::Create(CredentialsOf(aws_), options, aws_->http);
  if (!shipper.ok()) return shipper.status();
  logs_ = std::move(shipper.value());
  logs_->Start();
  monitoring::CloudWatchLogsShipper* logs = logs_.get();
  log_.SetTap([logs](const LogEntry& entry) { logs->Add(entry); });
  return Status::Ok();
}

ProducerMonitoring::ProducerMonitoring(Logger& log) : log_(log) {}

ProducerMonitoring::~ProducerMonitoring() {
  if (logs_) {
    log_.SetTap(nullptr);
    logs_->Stop(std::chrono::milliseconds(0));  // Close sent what was left (FinalUpload)
    logs_.reset();
  }
  // The reporters read the registry: stop them before anything else goes.
  stats_.reset();
  prometheus_.reset();
  uploader_.reset();
  log_.FlushSuppressed();
}

void ProducerMonitoring::FinalUpload(std::chrono::milliseconds budget) {
  auto started = std::chrono::steady_clock::now();
  if (uploader_) {
    Status status = uploader_->UploadFinal(budget);
    if (!status.ok()) {
      log_.Log(LogLevel::kWarning, "monitoring", "the last metrics upload at Close failed",
               {{"error", status.ToString()}});
    }
  }
  if (logs_) {
    // The lines logged up to now, the one above included; later ones (the producer's last)
    // are not shipped.
    log_.SetTap(nullptr);
    logs_->Stop(std::max(std::chrono::milliseconds(0),
                         budget - std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - started)));
  }
}

uint16_t ProducerMonitoring::prometheus_port() const {
  return prometheus_ ? prometheus_->port() : 0;
}

}  // namespace kinesis
