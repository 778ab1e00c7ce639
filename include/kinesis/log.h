// Logging: the producer's log lines go to a sink the application can replace (stderr by
// default). Lines about a record problem carry the stream, shard, error code and attempt as
// fields; storms of similar lines are rate-limited; secrets never reach a sink.
//
//   kinesis::SetLogSink([](const kinesis::LogEntry& e) { my_log(e.level, e.line); });
//
// docs/troubleshooting.md lists the messages and what to do about them.
#ifndef KINESIS_LOG_H_
#define KINESIS_LOG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/producer_config.h"

namespace kinesis {

struct LogField {
  std::string_view key;    // "stream", "shard", "code", "attempt", ...
  std::string_view value;  // redacted before it reaches a sink when the key looks secret
};

// What a sink receives: the parts, already redacted, and the formatted line (no newline).
struct LogEntry {
  std::chrono::system_clock::time_point time;
  LogLevel level;
  std::string component;
  std::string message;
  std::vector<std::pair<std::string, std::string>> fields;
  uint64_t suppressed = 0;  // similar messages left out before this one (rate limiting)
  std::string line;
};

using LogSink = std::function<void(const LogEntry&)>;

// Each producer logs at its own level (ProducerConfig::log_level) to its own sink
// (ProducerConfig::log_sink), or, without one, to the process-wide sink below: two producers
// of one process may log at different levels and to different places.
//
// Replaces the process-wide sink (the producers without a sink of their own, and the tools);
// an empty function restores stderr. A sink is called one line at a time, from the producer's
// threads, under a lock; it must be quick and must not log through a producer.
void SetLogSink(LogSink sink);

// The lowest level of the lines logged outside any producer (process-wide); a producer's own
// level is its LogLevel setting.
void SetLogLevel(LogLevel level);

// How the process-wide logger's lines read (a producer's: its LogFormat setting). kJson makes
// each line one JSON object, for local log collectors:
//   {"time":"2026-11-25T06:30:00.123Z","level":"WARNING","component":"pipeline",
//    "message":"record throttled","fields":{"stream":"s","shard":"shardId-0","attempt":"3"}}
// ("fields" only with fields; "suppressed":N on a line that stands for N left out).
void SetLogFormat(LogFormat format);

}  // namespace kinesis

#endif  // KINESIS_LOG_H_
