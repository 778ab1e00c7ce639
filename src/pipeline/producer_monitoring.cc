#include "pipeline/producer_monitoring.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "auth/credentials_chain.h"
#include "auth/refreshing_credentials_provider.h"
#include "auth/region.h"
#include "config/service_urls.h"
#include "monitoring/cloudwatch_uploader.h"
#include "monitoring/json_stats.h"
#include "monitoring/log.h"
#include "monitoring/prometheus_exporter.h"

namespace kinesis {
bool UploadsToCloudWatch(const ProducerConfig& config, bool aws_endpoint) {
  if (!config.cloudwatch_upload || config.metrics_level == MetricsLevel::kNone) return false;
  return aws_endpoint || !config.cloudwatch_endpoint.empty();
}

Result<std::unique_ptr<ProducerMonitoring>> ProducerMonitoring::Start(
    const ProducerConfig& config, const MetricsRegistry& registry, bool aws_endpoint) {
  Logger& log = Logger::Get();
  log.SetLevel(config.log_level);
  log.AddSecret(config.aws_secret_key);
  log.AddSecret(config.proxy_password);
  if (!config.verify_certificate) {
    log.Log(LogLevel::kWarning, "producer",
            "TLS certificate verification is off (VerifyCertificate=false)");
  }

  std::unique_ptr<ProducerMonitoring> m(new ProducerMonitoring);
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
      callback = [](const std::string& json) { Logger::Get().Log(LogLevel::kInfo, "stats", json); };
    }
    auto reporter = monitoring::JsonStatsReporter::Start(registry, options, std::move(callback));
    if (!reporter.ok()) return reporter.status();
    m->stats_ = std::move(reporter.value());
  }

  if (UploadsToCloudWatch(config, aws_endpoint)) {
    auth::EnvLookup env = auth::SystemEnvironment();
    Result<std::string> region = auth::ResolveRegion(config.region, env, "");
    if (!region.ok()) {
      log.Log(LogLevel::kWarning, "monitoring", "metrics are not uploaded to CloudWatch",
              {{"detail", region.status().message()}});
      return m;
    }
    auth::DefaultChainOptions chain;
    chain.static_credentials.access_key_id = config.aws_access_key_id;
    chain.static_credentials.secret_access_key = config.aws_secret_key;
    chain.region = *region;
    chain.sts_endpoint = ServiceUrl(config.sts_endpoint, config.sts_port);
    // CloudWatch and STS go through the producer's proxy, as Kinesis does.
    chain.http =
        auth::HttpFetcherThrough({ProxyUrl(config), config.proxy_user_name, config.proxy_password});
    m->credentials_ = std::make_shared<auth::RefreshingCredentialsProvider>(
        auth::DefaultCredentialsChain(env, chain));
    monitoring::CloudWatchOptions options;
    options.region = *region;
    // Empty: the regional AWS endpoint; else a URL, or the KPL's bare host with CloudwatchPort.
    options.endpoint = ServiceUrl(config.cloudwatch_endpoint, config.cloudwatch_port);
    options.metrics_namespace = config.metrics_namespace;
    options.upload_period = std::chrono::milliseconds(config.metrics_upload_delay_ms);
    options.extra_dimensions = config.metrics_extra_dimensions;
    options.connect_timeout = std::chrono::milliseconds(config.connect_timeout_ms);
    options.request_timeout = std::chrono::milliseconds(config.request_timeout_ms);
    std::shared_ptr<auth::RefreshingCredentialsProvider> credentials = m->credentials_;
    auto uploader = monitoring::CloudWatchUploader::Create(
        registry, [credentials] { return credentials->Current(); }, options, chain.http);
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

ProducerMonitoring::~ProducerMonitoring() {
  // The reporters read the registry: stop them before anything else goes.
  stats_.reset();
  prometheus_.reset();
  uploader_.reset();
  Logger::Get().FlushSuppressed();
}

uint16_t ProducerMonitoring::prometheus_port() const {
  return prometheus_ ? prometheus_->port() : 0;
}

}  // namespace kinesis
