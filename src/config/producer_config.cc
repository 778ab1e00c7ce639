#include "kinesis/producer_config.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace kinesis {
namespace {

constexpr uint64_t kInt64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
constexpr uint64_t k10MiB = 10485760;
constexpr uint64_t kMaxRequestBytes = k10MiB;  // PutRecords: data and partition keys

enum class Kind { kBool, kNumber, kString, kSecret, kChoice, kWord };

// One property: its name, where it lives in ProducerConfig, and its rules. Choice settings
// (enums) go through `choose`, which returns false for a word it does not know; kWord settings
// take one of the words of `choices`. A setting with a `no_effect` reason has no field: its
// value is checked as the KPL checks it, then kept in settings_without_effect to be logged.
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
  std::string_view no_effect = {};
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

// The KPL's settings that mean nothing here, each with the reason logged once at start.
Setting NoEffect(Setting s, std::string_view why) {
  s.no_effect = why;
  return s;
}
Setting AnyFlag(std::string_view name) { return {name, Kind::kBool}; }
Setting AnyNumber(std::string_view name, uint64_t min, uint64_t max) {
  return {name, Kind::kNumber, nullptr, nullptr, nullptr, min, max};
}
Setting AnyText(std::string_view name) { return {name, Kind::kString}; }
Setting Word(std::string_view name, std::string_view words) {
  return {name, Kind::kWord, nullptr, nullptr, nullptr, 0, 0, nullptr, words};
}

constexpr std::string_view kOneLoopThread =
    "requests run on one event-loop thread (libcurl's multi interface), not on a pool of "
    "threads; MaxConnections bounds the requests in flight";
constexpr std::string_view kInProcess =
    "the producer runs inside this process; there is no native child process to start";
constexpr std::string_view kNoDaemon =
    "the KPL's Java layer watches its native daemon; the producer runs inside this process and "
    "there is no daemon to watch";
constexpr std::string_view kJavaObject =
    "it takes a Java object, which a .properties file cannot give (the KPL ignores this key in "
    "a file too)";

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
bool ChooseLogFormat(ProducerConfig& c, std::string_view v) {
  if (v == "text")
    c.log_format = LogFormat::kText;
  else if (v == "json")
    c.log_format = LogFormat::kJson;
  else
    return false;
  return true;
}

bool ChooseLogLevel(ProducerConfig& c, std::string_view v) {
  // The KPL's "trace" is finer than its "debug"; debug is the finest level here.
  if (v == "trace" || v == "debug")
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
  else if (v == "auto")
    c.protocol = WireProtocol::kAuto;
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
    // Above 10 MiB, a PutRecords request's limit, requests stop at 10 MiB (a logged note).
    Number("CollectionMaxSize", &C::collection_max_size, 52224, kInt64Max),
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
    Number("MaxUserRecordSize", &C::max_user_record_size, 64, k10MiB),
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
    NoEffect(AnyNumber("MinConnections", 1, 16),
             "connections open when requests need them, up to MaxConnections, and stay open "
             "for reuse; none are opened ahead"),
    Flag("VerifyCertificate", &C::verify_certificate),
    Text("CaCertPath", &C::ca_cert_path),
    Text("CaCertFile", &C::ca_cert_file),
    Text("ProxyHost", &C::proxy_host),
    Number("ProxyPort", &C::proxy_port, 1, 65535),
    Text("ProxyUserName", &C::proxy_user_name),
    Text("ProxyPassword", &C::proxy_password, /*secret=*/true),
    Choice("Protocol", ChooseProtocol, "auto|cbor|json"),
    Text("AwsAccessKeyId", &C::aws_access_key_id),
    Text("AwsSecretKey", &C::aws_secret_key, /*secret=*/true),
    Text("RoleArn", &C::role_arn),
    Text("RoleExternalId", &C::role_external_id),
    Text("RoleSessionName", &C::role_session_name),
    Number("RoleDurationSeconds", &C::role_duration_seconds, 900, 43200),
    NoEffect(AnyNumber("CredentialsRefreshDelay", 1, 300000),
             "credentials are not polled: they are fetched at start and again 5 minutes before "
             "they expire (keys without an expiry once)"),
    Choice("MetricsLevel", ChooseMetricsLevel, "none|summary|detailed"),
    Choice("MetricsGranularity", ChooseGranularity, "global|stream|shard"),
    Text("MetricsNamespace", &C::metrics_namespace),
    Number("MetricsUploadDelay", &C::metrics_upload_delay_ms, 1, 60000),
    Choice("LogLevel", ChooseLogLevel, "debug|info|warning|error"),
    Choice("LogFormat", ChooseLogFormat, "text|json"),
    Flag("CloudwatchLogs", &C::cloudwatch_logs),
    Text("CloudwatchLogsGroup", &C::cloudwatch_logs_group),
    Text("CloudwatchLogsStream", &C::cloudwatch_logs_stream),
    Text("CloudwatchLogsEndpoint", &C::cloudwatch_logs_endpoint),
    Number("CloudwatchLogsFlushInterval", &C::cloudwatch_logs_flush_ms, 100, 600000),
    Number("CloudwatchLogsMaxBufferedEvents", &C::cloudwatch_logs_max_buffered, 10, 1000000),
    Flag("CloudwatchUpload", &C::cloudwatch_upload),
    Choice("AdditionalMetricsDimensions", ChooseDimensions,
           "Name=Value[,Name=Value...], at most 10, names and values non-empty"),
    Number("PrometheusPort", &C::prometheus_port, 0, 65535),
    Text("PrometheusAddress", &C::prometheus_address),
    Number("StatsInterval", &C::stats_interval_ms, 0, 3600000),
    Text("AppMetricsNamespace", &C::app_metrics_namespace),
    Number("AppMetricsMaxSeries", &C::app_metrics_max_series, 1, 100000),
    NoEffect(AnyNumber("ThreadPoolSize", 0, 2147483647), kOneLoopThread),
    NoEffect(Word("ThreadingModel", "PER_REQUEST|POOLED"), kOneLoopThread),
    NoEffect(AnyText("NativeExecutable"), kInProcess),
    NoEffect(AnyText("TempDirectory"), kInProcess),
    NoEffect(AnyFlag("EnableCoreDumps"),
             "the producer runs inside the application's process and leaves its core-dump "
             "limit alone"),
    NoEffect(AnyNumber("UserRecordTimeoutInMillis", 0, kInt64Max),
             "a time-out of the KPL's Java futures; here RecordTtl bounds a record's life and "
             "every record's callback runs once"),
    // The KPL 1.0.x's keys.
    NoEffect(AnyFlag("EnableOldestFutureTracker"),
             "a monitor of the KPL's Java futures; there are no futures to track here (the "
             "UserRecordsPending metric and Producer::outstanding() say what waits)"),
    NoEffect(AnyFlag("ReturnUserRecordOnFailure"),
             "a feature of the KPL's Java futures; here the code that puts a record keeps it "
             "and its callback says how it ended"),
    NoEffect(AnyFlag("EnableDaemonHealthCheck"), kNoDaemon),
    NoEffect(AnyNumber("DaemonHealthCheckTimeoutMs", 5000, kInt64Max), kNoDaemon),
    NoEffect(AnyText("GlueSchemaRegistryPropertiesFilePath"),
             "the Glue schema registry is not supported: records are sent as given, never "
             "encoded with a schema"),
    NoEffect(AnyText("CredentialsProvider"), kJavaObject),
    NoEffect(AnyText("MetricsCredentialsProvider"), kJavaObject),
    NoEffect(AnyText("GlueSchemaRegistryConfiguration"), kJavaObject),
    NoEffect(AnyText("GlueSchemaRegistryCredentialsProvider"), kJavaObject),
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

// A whole number as Java's Long.valueOf reads one (an optional '+'); kOutOfRange past 2^64-1.
Result<uint64_t> ParseWholeNumber(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  uint64_t v = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || error == std::errc::invalid_argument || end != text.data() + text.size()) {
    return Status::InvalidArgument("not a whole number");
  }
  if (error == std::errc::result_out_of_range) return Status::OutOfRange("too large");
  return v;
}

// True when `word` is one of the '|'-separated `words` (case-sensitive, as the KPL's enums).
bool IsOneOf(std::string_view word, std::string_view words) {
  while (!words.empty()) {
    size_t bar = words.find('|');
    if (words.substr(0, bar) == word) return true;
    if (bar == std::string_view::npos) break;
    words.remove_prefix(bar + 1);
  }
  return false;
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
    case Kind::kBool: {
      bool v = EqualsIgnoreCase(value, "true");
      if (!v && !EqualsIgnoreCase(value, "false")) {
        return Status::InvalidArgument(std::string(key) + " is " + shown +
                                       "; expected true or false");
      }
      if (s->flag != nullptr) config.*(s->flag) = v;
      break;
    }
    case Kind::kNumber: {
      Result<uint64_t> v = ParseWholeNumber(value);
      if (!v.ok()) {
        if (v.status().code() == StatusCode::kOutOfRange) {
          return Status::OutOfRange(std::string(key) + " is " + shown + "; it must be " +
                                    RangeText(*s));
        }
        std::string_view number = value.substr(0, value.size() - 1);
        if (!value.empty() && value.back() == ';' && ParseWholeNumber(number).ok()) {
          // The KPL's own sample default_config.properties has "MaxUserRecordSize = 1048576;".
          return Status::InvalidArgument(std::string(key) + " is " + shown +
                                         ": a stray ';' follows the number " + std::string(number) +
                                         "; remove it");
        }
        return Status::InvalidArgument(std::string(key) + " is " + shown +
                                       "; expected a whole number " + RangeText(*s));
      }
      if (*v < s->min || *v > s->max) {
        return Status::OutOfRange(std::string(key) + " is " + shown + "; it must be " +
                                  RangeText(*s));
      }
      if (s->number != nullptr) config.*(s->number) = *v;
      break;
    }
    case Kind::kString:
    case Kind::kSecret:
      if (s->text != nullptr) config.*(s->text) = std::string(value);
      break;
    case Kind::kChoice:
      if (!s->choose(config, value)) {
        return Status::InvalidArgument(std::string(key) + " is " + shown + "; expected one of " +
                                       std::string(s->choices));
      }
      break;
    case Kind::kWord:
      if (!IsOneOf(value, s->choices)) {
        return Status::InvalidArgument(std::string(key) + " is " + shown + "; expected one of " +
                                       std::string(s->choices));
      }
      break;
  }
  if (!s->no_effect.empty()) {
    auto& given = config.settings_without_effect;
    auto same =
        std::find_if(given.begin(), given.end(), [&](const auto& kv) { return kv.first == key; });
    if (same != given.end()) {
      same->second = std::string(value);
    } else {
      given.emplace_back(std::string(key), std::string(value));
    }
  }
  return Status::Ok();
}

Status ProducerConfig::Validate() const {
  for (const Setting& s : kSettings) {
    if (s.kind != Kind::kNumber || s.number == nullptr) continue;
    uint64_t v = this->*(s.number);
    if (v < s.min || v > s.max) {
      return Status::OutOfRange(std::string(s.name) + " is " + std::to_string(v) + "; it must be " +
                                RangeText(s));
    }
  }
  if (retry_backoff_max_ms < retry_backoff_base_ms) {
    return Status::InvalidArgument("RetryBackoffMax (" + std::to_string(retry_backoff_max_ms) +
                                   ") is smaller than RetryBackoffBase (" +
                                   std::to_string(retry_backoff_base_ms) + ")");
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
  if (role_arn.empty() && (!role_external_id.empty() || !role_session_name.empty())) {
    return Status::InvalidArgument(
        std::string(role_external_id.empty() ? "RoleSessionName" : "RoleExternalId") +
        " is set without RoleArn, the role it is for");
  }
  if (cloudwatch_logs && cloudwatch_logs_group.empty()) {
    return Status::InvalidArgument("CloudwatchLogs is true but CloudwatchLogsGroup is empty");
  }
  // The service's limits: group 1..512 characters, stream 1..512, no ':' or '*' in a stream.
  if (cloudwatch_logs_group.size() > 512 || cloudwatch_logs_stream.size() > 512) {
    return Status::InvalidArgument(
        "CloudwatchLogsGroup has " + std::to_string(cloudwatch_logs_group.size()) +
        " characters and CloudwatchLogsStream " + std::to_string(cloudwatch_logs_stream.size()) +
        "; each at most 512 (CloudWatch Logs' limit)");
  }
  if (cloudwatch_logs_stream.find_first_of(":*") != std::string::npos) {
    return Status::InvalidArgument("CloudwatchLogsStream '" + cloudwatch_logs_stream +
                                   "' has ':' or '*', which CloudWatch Logs refuses");
  }
  if (app_metrics_namespace.size() > 255 || app_metrics_namespace.rfind("AWS/", 0) == 0) {
    return Status::InvalidArgument("AppMetricsNamespace '" + app_metrics_namespace +
                                   "' must be at most 255 characters and not start with AWS/");
  }
  if (aws_access_key_id.empty() != aws_secret_key.empty()) {
    return Status::InvalidArgument(
        "AwsAccessKeyId and AwsSecretKey go together: set both or neither");
  }
  return Status::Ok();
}

namespace {

// The word of a Choice setting for its current value.
std::string ChoiceText(std::string_view name, const ProducerConfig& c) {
  auto pick = [](int index, std::string_view words) {
    for (int i = 0; i < index; ++i) words.remove_prefix(words.find('|') + 1);
    return std::string(words.substr(0, words.find('|')));
  };
  if (name == "MetricsLevel")
    return pick(static_cast<int>(c.metrics_level), "none|summary|detailed");
  if (name == "MetricsGranularity") {
    return pick(static_cast<int>(c.metrics_granularity), "global|stream|shard");
  }
  if (name == "LogLevel") return pick(static_cast<int>(c.log_level), "debug|info|warning|error");
  if (name == "LogFormat") return pick(static_cast<int>(c.log_format), "text|json");
  if (name == "BufferFullPolicy") return pick(static_cast<int>(c.buffer_full_policy), "block|fail");
  if (name == "Protocol") return pick(static_cast<int>(c.protocol), "json|cbor");
  if (name == "AdditionalMetricsDimensions") {
    std::string out;
    for (const auto& [k, v] : c.metrics_extra_dimensions) {
      out += (out.empty() ? "" : ",") + k + "=" + v;
    }
    return out;
  }
  return "";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ProducerConfigValues(
    const ProducerConfig& config) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Setting& s : kSettings) {
    if (!s.no_effect.empty() || s.name == "CustomEndpoint" || s.name == "Port") continue;
    std::string value;
    if (s.flag != nullptr) {
      value = config.*(s.flag) ? "true" : "false";
    } else if (s.number != nullptr) {
      value = std::to_string(config.*(s.number));
    } else if (s.text != nullptr) {
      value = config.*(s.text);
      if (s.kind == Kind::kSecret && !value.empty()) value = "<redacted>";
    } else if (s.kind == Kind::kChoice) {
      value = ChoiceText(s.name, config);
    } else {
      continue;
    }
    out.emplace_back(std::string(s.name), std::move(value));
  }
  return out;
}

std::vector<std::string> ProducerConfigNotes(const ProducerConfig& config) {
  std::vector<std::string> notes;
  for (const auto& [key, value] : config.settings_without_effect) {
    const Setting* s = FindSetting(key);
    std::string why = s != nullptr ? std::string(s->no_effect) : "it is not a setting here";
    notes.push_back(key + "=" + value + " has no effect: " + why);
  }
  if (config.collection_max_size > kMaxRequestBytes) {
    notes.push_back("CollectionMaxSize=" + std::to_string(config.collection_max_size) +
                    " is above " + std::to_string(kMaxRequestBytes) +
                    ", the most one PutRecords request may carry: requests stop at " +
                    std::to_string(kMaxRequestBytes) + " bytes");
  }
  if (config.aggregation_max_size > config.max_user_record_size) {
    notes.push_back("AggregationMaxSize=" + std::to_string(config.aggregation_max_size) +
                    " is above MaxUserRecordSize=" + std::to_string(config.max_user_record_size) +
                    ": an aggregate is one Kinesis record, so aggregates stop at " +
                    std::to_string(config.max_user_record_size) + " bytes");
  }
  if (config.sts_port != 443 &&
      (config.sts_endpoint.empty() || config.sts_endpoint.find("://") != std::string::npos)) {
    notes.push_back("StsPort=" + std::to_string(config.sts_port) + " has no effect: " +
                    (config.sts_endpoint.empty()
                         ? "StsEndpoint is not set"
                         : "StsEndpoint is a URL, which carries its own port"));
  }
  return notes;
}

ProducerConfig EffectiveProducerConfig(const ProducerConfig& config) {
  ProducerConfig effective = config;
  effective.collection_max_size = std::min(config.collection_max_size, kMaxRequestBytes);
  effective.aggregation_max_size =
      std::min(config.aggregation_max_size, config.max_user_record_size);
  return effective;
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
