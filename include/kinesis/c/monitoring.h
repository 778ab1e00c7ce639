/* kinesis-producer's C API for monitoring an application end to end (docs/c-api.md,
 * docs/metrics.md): its own metrics through the producer, its own log lines, the log, error and
 * statistics callbacks (as librdkafka's log_cb, error_cb and stats_cb), and the effective
 * configuration read back.
 *
 *   kinesis_dimension page = {"Page", "/home"};
 *   kinesis_producer_counter_add(producer, "ClickEvents", &page, 1, 1);
 *   kinesis_producer_histogram_record(producer, "CheckoutTime", NULL, 0, NULL, elapsed_ms);
 *
 * Errors, ownership and thread safety as in kinesis/c/producer.h, with the callbacks' threads
 * said at each. Symbols: version KINESIS_1.
 */
#ifndef KINESIS_C_MONITORING_H_
#define KINESIS_C_MONITORING_H_

#include <stddef.h>
#include <stdint.h>

#include "kinesis/c/producer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A (name, value) pair: a metric's dimension, or a log line's field. NUL-terminated strings,
 * copied before the call returns. */
typedef struct kinesis_dimension { /* NOLINT(readability-identifier-naming): C names */
  const char* name;
  const char* value;
} kinesis_dimension;

/* ---- Application metrics (include/kinesis/app_metrics.h) ---- */

/* Adds `n` to the application counter `name` at `dimensions[0..count)` (CloudWatch unit Count).
 * It is uploaded to CloudWatch with the producer's metrics (AppMetricsNamespace, default
 * MetricsNamespace), exposed on the Prometheus endpoint as kinesis_app_<snake_case name>_total
 * and in the JSON statistics' "application". Errors, each naming the value and the limit:
 * KINESIS_INVALID_ARGUMENT for a NULL producer or name, dimensions NULL with a count, an empty
 * name or one over 255 characters, a dimension name over 255 or value over 1024 characters,
 * more than 30 dimensions (AdditionalMetricsDimensions included), a name of the producer's own
 * metrics or one used by a histogram; KINESIS_RESOURCE_EXHAUSTED when the metric and dimension
 * set would be one more than AppMetricsMaxSeries (default 1000). `n` 0 makes (and checks) the
 * series without recording anything. Any thread; never waits. */
kinesis_status kinesis_producer_counter_add(kinesis_producer* producer, const char* name,
                                            const kinesis_dimension* dimensions, size_t count,
                                            uint64_t n);

/* Records one sample `value` of the application histogram `name` in `unit` (one of
 * CloudWatch's units; NULL: "Milliseconds"): count, sum, min, max and percentiles. The errors
 * of kinesis_producer_counter_add, and KINESIS_INVALID_ARGUMENT for a negative, NaN or
 * infinite value, an unknown unit, or a name used with another unit or by a counter. */
kinesis_status kinesis_producer_histogram_record(kinesis_producer* producer, const char* name,
                                                 const kinesis_dimension* dimensions, size_t count,
                                                 const char* unit, double value);

/* ---- Logs ---- */

typedef enum kinesis_log_level {
  KINESIS_LOG_DEBUG = 0,
  KINESIS_LOG_INFO = 1,
  KINESIS_LOG_WARNING = 2,
  KINESIS_LOG_ERROR = 3
} kinesis_log_level;

/* Logs one of the application's lines through the producer's log (component "app"), with
 * `fields[0..count)`: to the log callback (or the producer's sink, stderr by default) at the
 * producer's LogLevel and LogFormat, and with CloudwatchLogs on to CloudWatch Logs. Runs the
 * log callback on the calling thread. KINESIS_INVALID_ARGUMENT for a NULL producer or message,
 * fields NULL with a count, or a level outside the enum. */
kinesis_status kinesis_producer_log(kinesis_producer* producer, kinesis_log_level level,
                                    const char* message, const kinesis_dimension* fields,
                                    size_t count);

/* ---- Callbacks, set on the configuration before kinesis_producer_new ----
 *
 * The producer keeps the function and `opaque` (kinesis_config_free does not end them); a
 * NULL function removes the callback. Each callback's strings belong to the library and are
 * valid during the call only.
 *
 * Threads: the log and error callbacks run on the thread that logs the line, one line at a
 * time (under the producer's log lock): the thread calling kinesis_producer_new (notes about
 * the configuration), kinesis_producer_put or kinesis_producer_log, the producer's engine
 * thread (records, shards, retries), its callback thread, or its monitoring threads
 * (CloudWatch uploads, statistics). They must be quick and must not call this producer's
 * functions (kinesis_producer_log would wait for the lock it holds). The statistics callback
 * runs on the producer's statistics thread, one document at a time, and may call any function
 * but kinesis_producer_free. */

/* Gets every line the producer logs at its LogLevel and above: `line` is the whole line as
 * LogFormat says (text or JSON), the other arguments its parts. Replaces the producer's sink
 * (stderr by default): the lines go nowhere else (CloudWatch Logs aside). */
typedef void (*kinesis_log_callback)(kinesis_log_level level, const char* component,
                                     const char* message, const char* line, void* opaque);
kinesis_status kinesis_config_set_log_callback(kinesis_config* config,
                                               kinesis_log_callback callback, void* opaque);

/* Gets the lines at WARNING and ERROR, the producer's problems as they happen (credentials
 * refused, the shard map not read, CloudWatch calls failing, records throttled or failed; each
 * storm rate-limited to a few lines per 10 s), also when a log callback gets them too. Without
 * a log callback the lines still go to the producer's sink. */
typedef kinesis_log_callback kinesis_error_callback;
kinesis_status kinesis_config_set_error_callback(kinesis_config* config,
                                                 kinesis_error_callback callback, void* opaque);

/* Gets the JSON statistics document (docs/metrics.md, "JSON statistics"; `size` bytes,
 * NUL-terminated) every StatsInterval ms; without StatsInterval, never. */
typedef void (*kinesis_stats_callback)(const char* json, size_t size, void* opaque);
kinesis_status kinesis_config_set_stats_callback(kinesis_config* config,
                                                 kinesis_stats_callback callback, void* opaque);

/* ---- The effective configuration ---- */

/* Every setting as the producer applies it (after EffectiveProducerConfig: CollectionMaxSize
 * at most 10 MiB, AggregationMaxSize at most MaxUserRecordSize), as a JSON object of strings
 * by property name: {"AggregationEnabled":"true",...,"AwsSecretKey":"<redacted>",...}. Secrets
 * are "<redacted>" when set, "" when not. On success `*json` is freed with kinesis_string_free. */
kinesis_status kinesis_producer_config_json(const kinesis_producer* producer, char** json);

#ifdef __cplusplus
}
#endif

#endif /* KINESIS_C_MONITORING_H_ */
