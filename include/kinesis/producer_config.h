// ProducerConfig: every setting of the producer, with its default and why.
//
// The KPL's settings keep the KPL's names, meanings, ranges and defaults (so a KPL 0.15.x or
// 1.0.x user's `.properties` file loads as it is; docs/migrating-from-kpl.md); ours follow. Load
// from code (set the fields), from a KPL `.properties` file (LoadProducerConfig), or from key/value
// pairs (ApplySetting). Validate() checks every range and names the setting that breaks it.
//
// Thread safety: a plain struct. The producer copies it at creation; changing it afterwards
// has no effect on a running producer.
#ifndef KINESIS_PRODUCER_CONFIG_H_
#define KINESIS_PRODUCER_CONFIG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/status.h"

namespace kinesis {

enum class MetricsLevel { kNone, kSummary, kDetailed };
enum class MetricsGranularity { kGlobal, kStream, kShard };
enum class LogLevel { kDebug, kInfo, kWarning, kError };
enum class LogFormat { kText, kJson };
struct LogEntry;  // include/kinesis/log.h
enum class BufferFullPolicy { kBlock, kFail };
// kAuto: CBOR to AWS's own endpoints (as the AWS SDK for Java talks to Kinesis: the data
// travels as bytes, not base64, a quarter less to hash, encrypt and send), JSON to any other
// endpoint, whose CBOR support cannot be known (kinesalite truncates CBOR answers above 16 KiB
// and stores CBOR data as an object).
enum class WireProtocol { kJson, kCbor, kAuto };

struct ProducerConfig {
  // ---- Aggregation (KPL) ----
  // Pack many user records into one Kinesis record (same shard only). Default true: small
  // records would otherwise hit the 1000 records/s per-shard limit long before 1 MiB/s.
  bool aggregation_enabled = true;  // AggregationEnabled
  // User records per aggregate. Default 4294967295 (no practical limit): size and time bound it.
  uint64_t aggregation_max_count = 4294967295ull;  // AggregationMaxCount, 1..2^63-1
  // Bytes per aggregate, encoded. Default 51200, the KPL's: consumers' read sizes were tuned to
  // it. 64 to 10 MiB; an aggregate never exceeds MaxUserRecordSize (a value above it is noted
  // in the log at start).
  uint64_t aggregation_max_size = 51200;  // AggregationMaxSize

  // ---- Collection into PutRecords requests (KPL) ----
  uint64_t collection_max_count = 500;  // CollectionMaxCount, 1..500 (service limit)
  // Bytes of data + partition keys per request. Default 5 MiB. 52224 to 2^63-1, as the KPL
  // accepts; a request never carries more than 10 MiB, the service's limit (a value above it is
  // noted in the log at start).
  uint64_t collection_max_size = 5242880;  // CollectionMaxSize

  // ---- Timing (KPL) ----
  // The longest a record waits in buffers before being sent; the main latency/batching
  // trade-off. Default 100 ms.
  uint64_t record_max_buffered_time_ms = 100;  // RecordMaxBufferedTime, 0..2^63-1
  // A record not put within this time fails with "Expired". Default 30 s. Very large values
  // mean "retry for ever": deadlines saturate, they never wrap into the past.
  uint64_t record_ttl_ms = 30000;      // RecordTtl, 100..2^63-1
  uint64_t connect_timeout_ms = 6000;  // ConnectTimeout, 100..300000
  // A request not answered in this time is abandoned and its records retried. The service may
  // have written them: they are counted as possible duplicates.
  uint64_t request_timeout_ms = 6000;  // RequestTimeout, 100..600000

  // ---- Rate limiting and retries ----
  // Per-shard send rate as a percentage of the shard's limits (1000 records/s, 1 MiB/s).
  // Default 150: lets one producer saturate a shard; lower it to reduce throttling.
  uint64_t rate_limit_percent = 150;  // RateLimit, 1..2^63-1
  // Fail throttled records at once instead of retrying them.
  bool fail_if_throttled = false;  // FailIfThrottled
  // Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base * 2^n)).
  uint64_t retry_backoff_base_ms = 100;  // RetryBackoffBase (ours), 1..60000
  uint64_t retry_backoff_max_ms = 5000;  // RetryBackoffMax (ours), base..600000
  // Records of one partition key reach the stream in put order (sequence numbers, and
  // sub-sequence numbers inside an aggregate), across retries, map refreshes, splits and
  // merges: nothing newer of a key is sent while an older one is in flight or waiting for a
  // retry, and a shard born of a split or merge sends only once its parents' requests are
  // answered. With aggregation, one Kinesis record per shard is in flight at a time (an
  // aggregate holds everything its shard collected meanwhile); without, one record per
  // partition key, many keys in one request. The cost is a round trip per aggregate per shard
  // (or per record of one key) instead of many in flight: see docs/architecture.md, "Ordering".
  bool strict_ordering = false;  // StrictOrdering (ours)

  // ---- Buffer budget (ours): a hard limit on what put() accepts ----
  // BufferMaxBytes bounds the memory records hold from put() until their callback has run:
  // each counts three times its data (the record, its copy in an aggregate, its base64 in a
  // request in flight) and twice its partition key, plus 1,024 bytes of bookkeeping
  // (measured: see docs/performance.md). Peak memory stays within this plus a fixed part
  // (about 30 to 60 MB: the program, threads, connections, the aggregates being filled).
  uint64_t buffer_max_records = 1000000;     // BufferMaxRecords, 1..2^63-1
  uint64_t buffer_max_bytes = 256ull << 20;  // BufferMaxBytes, 1 MiB..2^63-1
  // When the budget is full, put() blocks up to put_timeout_ms (kBlock) or fails at once with
  // QueueFull (kFail).
  BufferFullPolicy buffer_full_policy = BufferFullPolicy::kBlock;  // BufferFullPolicy block|fail
  uint64_t put_timeout_ms = 10000;                                 // PutTimeout (ours), 0..2^63-1

  // ---- Records ----
  // Largest user record (data + partition key). Default 1 MiB; streams may allow up to 10 MiB.
  uint64_t max_user_record_size = 1048576;  // MaxUserRecordSize, 64..10485760

  // ---- Connection (KPL) ----
  std::string region;  // Region; empty: from the environment
  // Endpoint host, or a URL (http://host:port). Empty: kinesis.<region>.amazonaws.com.
  std::string kinesis_endpoint;     // KinesisEndpoint (also CustomEndpoint)
  uint64_t kinesis_port = 443;      // KinesisPort (also Port), 1..65535
  std::string cloudwatch_endpoint;  // CloudwatchEndpoint
  uint64_t cloudwatch_port = 443;   // CloudwatchPort, 1..65535
  // STS, for web identity and assumed roles: a bare host (with StsPort, TLS) or a URL.
  std::string sts_endpoint;  // StsEndpoint
  uint64_t sts_port = 443;   // StsPort, 1..65535
  // Connections per endpoint, and so requests in flight. Also the KPL's MinConnections and
  // ThreadPoolSize are accepted: connections open on demand from one event-loop thread.
  uint64_t max_connections = 24;  // MaxConnections, 1..256
  // Verify the server's TLS certificate. Never turn off in production; turning it off is
  // logged.
  bool verify_certificate = true;  // VerifyCertificate
  std::string ca_cert_path;        // CaCertPath: a directory of CA certificates
  std::string ca_cert_file;        // CaCertFile: a CA bundle file
  // An HTTP proxy for every call (Kinesis, CloudWatch, STS; not the instance or container
  // metadata): a host (http://host:ProxyPort) or a URL. With a user name, the proxy's Basic
  // or Digest authentication is answered.
  std::string proxy_host;                       // ProxyHost
  uint64_t proxy_port = 443;                    // ProxyPort, 1..65535
  std::string proxy_user_name;                  // ProxyUserName
  std::string proxy_password;                   // ProxyPassword (secret: never logged)
  WireProtocol protocol = WireProtocol::kAuto;  // Protocol (ours) auto|cbor|json

  // ---- Credentials (KPL; prefer the environment or profiles) ----
  std::string aws_access_key_id;  // AwsAccessKeyId
  std::string aws_secret_key;     // AwsSecretKey (secret: never logged)
  // An IAM role to assume (STS AssumeRole at StsEndpoint, through the proxy) with the
  // credentials found above (AwsAccessKeyId, else the environment's chain), for cross-account
  // writing. Empty: the credentials are used as they are. The role's credentials are renewed
  // 5 minutes before they expire. (Ours; profiles can name a role too: docs/credentials.md.)
  std::string role_arn;                   // RoleArn, arn:aws:iam::ACCOUNT:role/NAME
  std::string role_external_id;           // RoleExternalId, 2..1224 characters; empty: none
  std::string role_session_name;          // RoleSessionName, 2..64; empty: kinesis-producer-<time>
  uint64_t role_duration_seconds = 3600;  // RoleDurationSeconds, 900..43200 (STS's default)

  // ---- Metrics and logs (KPL) ----
  MetricsLevel metrics_level = MetricsLevel::kDetailed;                 // MetricsLevel
  MetricsGranularity metrics_granularity = MetricsGranularity::kShard;  // MetricsGranularity
  std::string metrics_namespace = "KinesisProducerLibrary";             // MetricsNamespace
  uint64_t metrics_upload_delay_ms = 60000;  // MetricsUploadDelay, 1..60000
  // This producer's lowest level logged (each producer has its own; see include/kinesis/log.h).
  // The KPL's "trace" is accepted as debug, the finest level here.
  LogLevel log_level = LogLevel::kInfo;  // LogLevel trace|debug|info|warning|error
  // Where this producer's log lines go (set in code only); empty: the process-wide sink
  // (kinesis::SetLogSink, stderr by default).
  std::function<void(const LogEntry&)> log_sink;
  // How LogEntry::line reads: text ("2026-...Z WARNING [pipeline] message key=value"), or one
  // JSON object per line for local log collectors (include/kinesis/log.h shows it).
  LogFormat log_format = LogFormat::kText;  // LogFormat text|json

  // ---- CloudWatch Logs (ours; docs/metrics.md, "Logs") ----
  // Ship this producer's log lines (at LogLevel and above, as its sink gets them) and the
  // application's (Producer::Log) to CloudWatch Logs with PutLogEvents, from a thread of its
  // own, with the producer's region, credentials and proxy. Off by default: it costs calls and
  // storage. The group and stream are created when missing.
  bool cloudwatch_logs = false;       // CloudwatchLogs
  std::string cloudwatch_logs_group;  // CloudwatchLogsGroup, required with CloudwatchLogs
  // Empty: "kinesis-producer/<host name>/<process id>".
  std::string cloudwatch_logs_stream;  // CloudwatchLogsStream
  // A URL (http://127.0.0.1:port for tests) or a bare host (https); empty:
  // https://logs.<region>.amazonaws.com.
  std::string cloudwatch_logs_endpoint;  // CloudwatchLogsEndpoint
  // How often buffered lines are sent (at most; a full batch goes at once).
  uint64_t cloudwatch_logs_flush_ms = 5000;  // CloudwatchLogsFlushInterval, 100..600000
  // Lines kept while the service is slow or away; past it the oldest are dropped and counted
  // (the LogEventsDropped metric): memory stays bounded and logging never waits.
  uint64_t cloudwatch_logs_max_buffered = 10000;  // CloudwatchLogsMaxBufferedEvents, 10..1000000

  // ---- Monitoring (ours; docs/metrics.md) ----
  // Upload the metrics to CloudWatch (PutMetricData) every MetricsUploadDelay, at MetricsLevel
  // summary or detailed, with the producer's credentials. Only when CloudwatchEndpoint is set
  // or the producer talks to the AWS Kinesis endpoint itself: with a local or private Kinesis
  // endpoint (KinesisEndpoint, AWS_ENDPOINT_URL...) and no CloudwatchEndpoint, nothing is sent.
  bool cloudwatch_upload = true;  // CloudwatchUpload
  // Added to every CloudWatch datum ("Name=Value,Name=Value"; at most 10).
  std::vector<std::pair<std::string, std::string>>
      metrics_extra_dimensions;  // AdditionalMetricsDimensions
  // A Prometheus text endpoint (GET /metrics) on PrometheusAddress:PrometheusPort; 0 is off.
  uint64_t prometheus_port = 0;                  // PrometheusPort, 0..65535
  std::string prometheus_address = "127.0.0.1";  // PrometheusAddress (an IPv4 address)
  // A JSON statistics document every StatsInterval ms (0 is off), given to `stats_callback`
  // on the monitoring thread, or logged at info level when there is no callback.
  uint64_t stats_interval_ms = 0;                               // StatsInterval, 0..3600000
  std::function<void(const std::string& json)> stats_callback;  // set in code only
  // The application's own metrics (Producer::AppMetrics, kinesis/app_metrics.h): the CloudWatch
  // namespace they are uploaded under (empty: MetricsNamespace, next to the producer's), and
  // how many distinct metric and dimension sets a producer keeps (default 1000: a CloudWatch
  // bill and a Prometheus scrape stay bounded whatever the application passes as dimensions).
  std::string app_metrics_namespace;       // AppMetricsNamespace
  uint64_t app_metrics_max_series = 1000;  // AppMetricsMaxSeries, 1..100000

  // ---- Settings of the KPL that do nothing here ----
  // (key, value) of each one ApplySetting was given, once per key, the last value kept:
  // ThreadPoolSize, ThreadingModel, MinConnections, CredentialsRefreshDelay, NativeExecutable,
  // TempDirectory, EnableCoreDumps, UserRecordTimeoutInMillis, and the KPL 1.0.x's
  // EnableOldestFutureTracker, ReturnUserRecordOnFailure, EnableDaemonHealthCheck,
  // DaemonHealthCheckTimeoutMs, GlueSchemaRegistryPropertiesFilePath and its Java-object
  // setters. Producer::Create logs each once, with why (ProducerConfigNotes).
  std::vector<std::pair<std::string, std::string>> settings_without_effect;

  // Checks every range and the relations between settings (for example
  // AggregationMaxSize <= MaxUserRecordSize). The error names the setting and the limit.
  Status Validate() const;
};

// Sets one setting by its KPL (or our) property name, e.g. ("RecordTtl", "60000"). Names are
// matched exactly, as the KPL does; every key of the KPL 0.15.x's and 1.0.x's
// KinesisProducerConfiguration is known, with the KPL's range (numbers as Java's Long.valueOf
// reads them, '+' allowed). Unknown names and bad values are InvalidArgument / OutOfRange
// naming the key, the value and the limit (secrets are never echoed). The KPL's settings that
// mean nothing here are checked the same way and kept in settings_without_effect.
Status ApplySetting(ProducerConfig& config, std::string_view key, std::string_view value);

// Parses Java .properties text ("key = value", "key: value" or "key value"; '#' and '!'
// comments; backslash line continuation and escapes) and applies every setting, then
// Validate(). Errors name `origin` (a file name), the line and the key.
Status ApplyProperties(ProducerConfig& config, std::string_view text, std::string_view origin);

// Reads a KPL .properties file into a config that starts from the defaults.
Result<ProducerConfig> LoadProducerConfig(const std::string& path);

// One line per setting that was given but is not applied as written, e.g.
// "ThreadPoolSize=128 has no effect: <why>", or "CollectionMaxSize=... is above 10485760...".
// Producer::Create logs each once, at warning level.
std::vector<std::string> ProducerConfigNotes(const ProducerConfig& config);

// The settings as the producer applies them: CollectionMaxSize at most 10 MiB, AggregationMaxSize
// at most MaxUserRecordSize. Producer::Create uses this.
ProducerConfig EffectiveProducerConfig(const ProducerConfig& config);

// Every setting that has a field, by property name, as text ApplySetting would take back: for
// reading back the effective configuration (the C API's kinesis_producer_config_json).
// Secrets read "<redacted>" when set; aliases (CustomEndpoint, Port) and the KPL's settings
// without effect are left out; settings set in code only (sinks, callbacks) have no name.
std::vector<std::pair<std::string, std::string>> ProducerConfigValues(const ProducerConfig& config);

// Every property name ApplySetting knows, for documentation and tools.
std::vector<std::string_view> ProducerConfigKeys();

// True for the properties that hold a secret (AwsSecretKey, ProxyPassword): never logged nor
// echoed in errors, and not to be taken from a command line, where `ps` shows them.
bool IsSecretSetting(std::string_view key);

}  // namespace kinesis

#endif  // KINESIS_PRODUCER_CONFIG_H_
