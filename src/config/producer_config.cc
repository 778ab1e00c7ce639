#include "kinesis/producer_config.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace kinesis {
namespace {

constexpr uint64_t kInt64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
constexpr uint64_t k10MiB = 10485760;

enum class Kind { kBool, kNumber, kString, kSecret, kChoice, kIgnored };

// One property: its name, where it lives in ProducerConfig, and its rules. Choice settings
// (enums) go through `choose`, which returns false for a word it does not know.
struct Setting {
  std::string_view name;
  Kind kind;
  bool ProducerConfig::*flag = nullptr;
  uint64_t ProducerConfig::*number = nullptr;
  std::string ProducerConfig::*text = nullptr;
  uint64_t min = 0;
  uint64_t max = 0;
  bool (*choose)(ProducerConfig&, std::string_view) = nullptr;
  std::string_view choices = {};
};

Setting Flag(std::string_view name, bool ProducerConfig::*field) {
  return {name, Kind::kBool, field};
}
Setting Number(std::string_view name, uint64_t ProducerConfig::*field, uint64_t min, uint64_t max) {
  return {name, Kind::kNumber, nullptr, field, nullptr, min, max};
}
Setting Text(std::string_view name, std::string ProducerConfig::*field, bool secret = false) {
  return {name, secret ? Kind::kSecret : Kind::kString, nullptr, nullptr, field};
}
Setting Choice(std::string_view name, bool (*choose)(ProducerConfig&, std::string_view),
               std::string_view choices) {
  return {name, Kind::kChoice, nullptr, nullptr, nullptr, 0, 0, choose, choices};
}
Setting Ignored(std::string_view name) { return {name, Kind::kIgnored}; }

bool ChooseMetricsLevel(ProducerConfig& c, std::string_view v) {
  if (v == "none")
    c.metrics_level = MetricsLevel::kNone;
  else if (v == "summary")
    c.metrics_level = MetricsLevel::kSummary;
  else if (v == "detailed")
    c.metrics_level = MetricsLevel::kDetailed;
  else
    return false;
  return true;
}
bool ChooseGranularity(ProducerConfig& c, std::string_view v) {
  if (v == "global")
    c.metrics_granularity = MetricsGranularity::kGlobal;
  else if (v == "stream")
    c.metrics_granularity = MetricsGranularity::kStream;
  else if (v == "shard")
    c.metrics_granularity = MetricsGranularity::kShard;
  else
    return false;
  return true;
}
bool ChooseLogLevel(ProducerConfig& c, std::string_view v) {
  if (v == "debug")
    c.log_level = LogLevel::kDebug;
  else if (v == "info")
    c.log_level = LogLevel::kInfo;
  else if (v == "warning")
    c.log_level = LogLevel::kWarning;
  else if (v == "error")
    c.log_level = LogLevel::kError;
  else
    return false;
  return true;
}
bool ChooseDimensions(ProducerConfig& c, std::string_view v) {
  std::vector<std::pair<std::string, std::string>> dims;
  while (!v.empty()) {
    size_t comma = v.find(',');
    std::string_view item = v.substr(0, comma);
    v = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
    size_t eq = item.find('=');
    if (eq == 0 || eq == std::string_view::npos || eq + 1 == item.size()) return false;
    dims.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
  }
  if (dims.size() > 10) return false;
  c.metrics_extra_dimensions = std::move(dims);
  return true;
}
bool ChoosePolicy(ProducerConfig& c, std::string_view v) {
  if (v == "block")
    c.buffer_full_policy = BufferFullPolicy::kBlock;
  else if (v == "fail")
    c.buffer_full_policy = BufferFullPolicy::kFail;
  else
    return false;
  return true;
}
bool ChooseProtocol(ProducerConfig& c, std::string_view v) {
  if (v == "json")
    c.protocol = WireProtocol::kJson;
  else if (v == "cbor")
    c.protocol = WireProtocol::kCbor;
  else
    return false;
  return true;
}

using C = ProducerConfig;
const std::array kSettings = {
    Flag("AggregationEnabled", &C::aggregation_enabled),
    Number("AggregationMaxCount", &C::aggregation_max_count, 1, kInt64Max),
    Number("AggregationMaxSize", &C::aggregation_max_size, 64, k10MiB),
    Number("CollectionMaxCount", &C::collection_max_count, 1, 500),
    Number("CollectionMaxSize", &C::collection_max_size, 52224, k10MiB),
    Number("RecordMaxBufferedTime", &C::record_max_buffered_time_ms, 0, kInt64Max),
    Number("RecordTtl", &C::record_ttl_ms, 100, kInt64Max),
    Number("ConnectTimeout", &C::connect_timeout_ms, 100, 300000),
    Number("RequestTimeout", &C::request_timeout_ms, 100, 600000),
    Number("RateLimit", &C::rate_limit_percent, 1, kInt64Max),
    Flag("FailIfThrottled", &C::fail_if_throttled),
    Number("RetryBackoffBase", &C::retry_backoff_base_ms, 1, 60000),
    Number("RetryBackoffMax", &C::retry_backoff_max_ms, 1, 600000),
    Flag("StrictOrdering", &C::strict_ordering),
    Number("BufferMaxRecords", &C::buffer_max_records, 1, kInt64Max),
    Number("BufferMaxBytes", &C::buffer_max_bytes, 1048576, kInt64Max),
    Choice("BufferFullPolicy", ChoosePolicy, "block|fail"),
    Number("PutTimeout", &C::put_timeout_ms, 0, kInt64Max),
    Number("MaxUserRecordSize", &C::max_user_record_size, 1, k10MiB),
    Text("Region", &C::region),
    Text("KinesisEndpoint", &C::kinesis_endpoint),
    Text("CustomEndpoint", &C::kinesis_endpoint),
    Number("KinesisPort", &C::kinesis_port, 1, 65535),
    Number("Port", &C::kinesis_port, 1, 65535),
    Text("CloudwatchEndpoint", &C::cloudwatch_endpoint),
    Number("CloudwatchPort", &C::cloudwatch_port, 1, 65535),
    Text("StsEndpoint", &C::sts_endpoint),
    Number("StsPort", &C::sts_port, 1, 65535),
    Number("MaxConnections", &C::max_connections, 1, 256),
    Number("MinConnections", &C::min_connections, 1, 16),
    Flag("VerifyCertificate", &C::verify_certificate),
    Text("CaCertPath", &C::ca_cert_path),
    Text("CaCertFile", &C::ca_cert_file),
    Text("ProxyHost", &C::proxy_host),
    Number("ProxyPort", &C::proxy_port, 1, 65535),
    Text("ProxyUserName", &C::proxy_user_name),
    Text("ProxyPassword", &C::proxy_password, /*secret=*/true),
    Choice("Protocol", ChooseProtocol, "json|cbor"),
    Text("AwsAccessKeyId", &C::aws_access_key_id),
    Text("AwsSecretKey", &C::aws_secret_key, /*secret=*/true),
    Number("CredentialsRefreshDelay", &C::credentials_refresh_delay_ms, 1, 300000),
    Choice("MetricsLevel", ChooseMetricsLevel, "none|summary|detailed"),
    Choice("MetricsGranularity", ChooseGranularity, "global|stream|shard"),
    Text("MetricsNamespace", &C::metrics_namespace),
    Number("MetricsUploadDelay", &C::metrics_upload_delay_ms, 1, 60000),
    Choice("LogLevel", ChooseLogLevel, "debug|info|warning|error"),
    Flag("CloudwatchUpload", &C::cloudwatch_upload),
    Choice("AdditionalMetricsDimensions", ChooseDimensions,
           "Name=Value[,Name=Value...], at most 10, names and values non-empty"),
    Number("PrometheusPort", &C::prometheus_port, 0, 65535),
    Text("PrometheusAddress", &C::prometheus_address),
    Number("StatsInterval", &C::stats_interval_ms, 0, 3600000),
    Number("ThreadPoolSize", &C::thread_pool_size, 0, 64),
    // The KPL's child-process settings: nothing to do in-process.
    Ignored("NativeExecutable"),
    Ignored("TempDirectory"),
    Ignored("EnableCoreDumps"),
    Ignored("ThreadingModel"),
    Ignored("UserRecordTimeoutInMillis"),
};

const Setting* FindSetting(std::string_view key) {
  for (const Setting& s : kSettings) {
    if (s.name == key) return &s;
  }
  return nullptr;
}

std::string RangeText(const Setting& s) {
  return std::to_string(s.min) + " to " + std::to_string(s.max);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

}  // namespace

Status ApplySetting(ProducerConfig& config, std::string_view key, std::string_view value) {
  const Setting* s = FindSetting(key);
  if (s == nullptr) {
    return Status::InvalidArgument("unknown setting '" + std::string(key) +
                                   "' (names are case-sensitive, as in the KPL)");
  }
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "'" + std::string(...).
  std::string shown(1, '\'');
  shown.append(value);
  shown += '\'';
  switch (s->kind) {
    case Kind::kBool:
      if (EqualsIgnoreCase(value, "true")) {
        config.*(s->flag) = true;
      } else if (EqualsIgnoreCase(value, "false")) {
        config.*(s->flag) = false;
      } else {
        return Status::InvalidArgument(std::string(key) + " is " + shown +
                                       "; expected true or false");
      }
      return Status::Ok();
    case Kind::kNumber: {
      uint64_t v = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (value.empty() || error == std::errc::invalid_argument ||
          end != value.data() + value.size()) {
        return Status::InvalidArgument(std::string(key) + " is " + shown +
                                       "; expected a whole number " + RangeText(*s));
      }
      if (error == std::errc::result_out_of_range || v < s->min || v > s->max) {
        return Status::OutOfRange(std::string(key) + " is " + shown + "; it must be " +
                                  RangeText(*s));
      }
      config.*(s->number) = v;
      return Status::Ok();
    }
    case Kind::kString:
    case Kind::kSecret:
      config.*(s->text) = std::string(value);
      return Status::Ok();
    case Kind::kChoice:
      if (!s->choose(config, value)) {
        return Status::InvalidArgument(std::string(key) + " is " + shown + "; expected one of " +
                                       std::string(s->choices));
      }
      return Status::Ok();
    case Kind::kIgnored:
      return Status::Ok();
  }
  return Status::Internal("unhandled setting kind for " + std::string(key));
}

Status ProducerConfig::Validate() const {
  for (const Setting& s : kSettings) {
    if (s.kind != Kind::kNumber) continue;
    uint64_t v = this->*(s.number);
    if (v < s.min || v > s.max) {
      return Status::OutOfRange(std::string(s.name) + " is " + std::to_string(v) + "; it must be " +
                                RangeText(s));
    }
  }
  if (aggregation_max_size > max_user_record_size) {
    return Status::InvalidArgument(
        "AggregationMaxSize (" + std::to_string(aggregation_max_size) +
        ") is larger than MaxUserRecordSize (" + std::to_string(max_user_record_size) +
        "): an aggregate is one Kinesis record and must fit the record limit");
  }
  if (retry_backoff_max_ms < retry_backoff_base_ms) {
    return Status::InvalidArgument("RetryBackoffMax (" + std::to_string(retry_backoff_max_ms) +
                                   ") is smaller than RetryBackoffBase (" +
                                   std::to_string(retry_backoff_base_ms) + ")");
  }
  if (min_connections > max_connections) {
    return Status::InvalidArgument("MinConnections (" + std::to_string(min_connections) +
                                   ") is larger than MaxConnections (" +
                                   std::to_string(max_connections) + ")");
  }
  if (prometheus_port != 0 && prometheus_address.empty()) {
    return Status::InvalidArgument("PrometheusAddress is empty while PrometheusPort is " +
                                   std::to_string(prometheus_port));
  }
  if (metrics_namespace.empty() || metrics_namespace.size() > 255 ||
      metrics_namespace.rfind("AWS/", 0) == 0) {
    return Status::InvalidArgument("MetricsNamespace '" + metrics_namespace +
                                   "' must be 1 to 255 characters and not start with AWS/");
  }
  if (aws_access_key_id.empty() != aws_secret_key.empty()) {
    return Status::InvalidArgument(
        "AwsAccessKeyId and AwsSecretKey go together: set both or neither");
  }
  return Status::Ok();
}

std::vector<std::string_view> ProducerConfigKeys() {
  std::vector<std::string_view> keys;
  for (const Setting& s : kSettings) keys.push_back(s.name);
  return keys;
}

bool IsSecretSetting(std::string_view key) {
  const Setting* s = FindSetting(key);
  return s != nullptr && s->kind == Kind::kSecret;
}

}  // namespace kinesis
