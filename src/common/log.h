// Logger: the producer's leveled log, with a sink the application can replace.
//
//   Logger::Get().Log(LogLevel::kWarning, "pipeline", "record throttled",
//                     {{"stream", s}, {"shard", id}, {"code", c}, {"attempt", "3"}});
//
// writes one line to the sink (stderr by default):
//
//   2026-11-25T06:30:00.123Z WARNING [pipeline] record throttled stream=s shard=id code=c attempt=3
//
// Rate limiting: each (component, message) pair is a key; at most `burst` lines per key are
// written per `interval`, the rest are counted and reported once the interval is over, as one
// line "<message> (N similar messages suppressed)". A storm of throttling errors thus costs a
// few lines per interval, while distinct problems still show.
//
// Redaction: the value of a field whose name looks secret (secret, password, token,
// authorization, signature, credential... see IsSecretFieldName) is replaced by "<redacted>",
// and every value registered with AddSecret is replaced wherever it appears in the message or
// in a field. Secrets never reach the sink.
//
// Thread safety: every method may be called from any thread. The sink is called under the
// logger's lock (so lines never interleave) and must not call the logger itself.
#ifndef KINESIS_COMMON_LOG_H_
#define KINESIS_COMMON_LOG_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinesis/log.h"
#include "kinesis/producer_config.h"

namespace kinesis {

// "DEBUG", "INFO", "WARNING", "ERROR".
std::string_view LogLevelName(LogLevel level);

// "2026-11-25T06:30:00.123Z".
std::string FormatLogTime(std::chrono::system_clock::time_point t);

// One JSON object for `entry` (its `line` aside):
//   {"time":"2026-11-25T06:30:00.123Z","level":"WARNING","component":"pipeline",
//    "message":"record throttled","fields":{"stream":"s","code":"..."},"suppressed":3}
// ("fields" only with fields, "suppressed" only when some were).
std::string JsonLogLine(const LogEntry& entry);

// True when the field's values must never be logged (case and '_'/'-' insensitive): names
// containing secret, password, passwd, token, authorization, signature, credential, or
// private_key.
bool IsSecretFieldName(std::string_view key);

class Logger {
 public:
  struct RateLimit {
    uint32_t burst = 5;  // lines per key per interval; 0: no limit
    std::chrono::milliseconds interval{10000};
  };
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  Logger();  // level kInfo, stderr sink, default rate limit
  // A producer's logger: `level`, and `sink`, or when it is empty the process-wide logger's
  // sink (Get().Deliver). Rate limiting and redaction are this logger's own.
  Logger(LogLevel level, LogSink sink);
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // The process-wide logger: what is logged outside a producer, and the sink of the producers
  // without one of their own.
  static Logger& Get();

  // Messages below `level` are dropped before any formatting.
  void SetLevel(LogLevel level);
  LogLevel level() const;
  bool Enabled(LogLevel level) const { return level >= level_.load(std::memory_order_relaxed); }

  // Replaces the sink; a null sink restores the stderr sink.
  void SetSink(LogSink sink);
  // How LogEntry::line reads: text (above) or a JSON object (JsonLogLine).
  void SetFormat(LogFormat format);
  // Also gives every line this logger writes (not those Deliver passes on) to `tap`, after the
  // sink, under the same lock; it must be quick (the CloudWatch Logs shipper's queue). Null:
  // none.
  void SetTap(LogSink tap);
  void SetRateLimit(RateLimit limit);
  // A value that must never be logged (e.g. the configured secret key or proxy password).
  // Values shorter than 4 characters are ignored: redacting them would mangle ordinary text.
  void AddSecret(std::string value);
  // For tests: the clock that drives rate limiting.
  void SetClockForTesting(Clock clock);

  void Log(LogLevel level, std::string_view component, std::string_view message,
           std::initializer_list<LogField> fields = {});
  void Log(LogLevel level, std::string_view component, std::string_view message,
           std::span<const LogField> fields);

  // Gives an entry another logger formatted and redacted to this logger's sink, whatever this
  // logger's level: how a producer's lines reach the process-wide sink.
  void Deliver(const LogEntry& entry);

  // Writes the "N similar messages suppressed" lines of every key whose count is pending,
  // without waiting for the key's interval to end (e.g. at shutdown).
  void FlushSuppressed();

  uint64_t lines_written() const;
  uint64_t lines_suppressed() const;

 private:
  struct KeyState {
    std::chrono::steady_clock::time_point window_start;
    uint32_t lines = 0;       // written in this window
    uint64_t suppressed = 0;  // left out in this window
    LogLevel level = LogLevel::kInfo;
    std::string component, message;
  };
  std::string Redact(std::string_view text) const;                                  // needs mu_
  void Emit(LogEntry entry);                                                        // needs mu_
  void EmitSuppressed(KeyState& state, std::chrono::system_clock::time_point now);  // needs mu_
  void SweepLocked(std::chrono::steady_clock::time_point now);

  mutable std::mutex mu_;
  std::atomic<LogLevel> level_{LogLevel::kInfo};
  LogSink sink_;                                       // guarded by mu_
  LogSink tap_;                                        // guarded by mu_
  LogFormat format_ = LogFormat::kText;                // guarded by mu_
  RateLimit limit_;                                    // guarded by mu_
  Clock clock_;                                        // guarded by mu_
  std::vector<std::string> secrets_;                   // guarded by mu_
  std::map<std::string, KeyState, std::less<>> keys_;  // guarded by mu_
  std::chrono::steady_clock::time_point last_sweep_;   // guarded by mu_
  uint64_t lines_written_ = 0;                         // guarded by mu_
  uint64_t lines_suppressed_ = 0;                      // guarded by mu_
};

}  // namespace kinesis

#endif  // KINESIS_COMMON_LOG_H_
