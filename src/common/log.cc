#include "common/log.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace kinesis {
namespace {

constexpr std::string_view kRedacted = "<redacted>";
// Past this many distinct keys, new keys share one bucket: a flood of unique messages must not
// grow the map without bound.
constexpr size_t kMaxKeys = 1024;
constexpr std::string_view kOverflowKey = "\x01overflow";

void WriteStderr(const LogEntry& entry) {
  std::string line = entry.line;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

std::string FormatLogTime(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

namespace {

// Newlines and quotes are escaped so that one message is always one line: a value from the
// network cannot forge log lines.
void AppendEscaped(std::string& out, std::string_view text, bool quote_if_needed) {
  bool quote =
      quote_if_needed && (text.empty() || text.find_first_of(" \"=\t") != std::string_view::npos);
  if (quote) out += '"';
  for (char c : text) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '"':
        out += quote ? "\\\"" : "\"";
        break;
      case '\\':
        out += quote ? "\\\\" : "\\";
        break;
      default:
        out += c;
    }
  }
  if (quote) out += '"';
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "UNKNOWN";
}

bool IsSecretFieldName(std::string_view key) {
  std::string folded;
  for (char c : key) {
    if (c == '_' || c == '-' || c == ' ') continue;
    folded += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  for (std::string_view word : {"secret", "password", "passwd", "token", "authorization",
                                "signature", "credential", "privatekey"}) {
    if (folded.find(word) != std::string::npos) return true;
  }
  return false;
}

Logger::Logger() : sink_(WriteStderr), clock_([] { return std::chrono::steady_clock::now(); }) {}

Logger::Logger(LogLevel level, LogSink sink)
    : level_(level),
      sink_(sink ? std::move(sink) : LogSink([](const LogEntry& e) { Logger::Get().Deliver(e); })),
      clock_([] { return std::chrono::steady_clock::now(); }) {}

void Logger::Deliver(const LogEntry& entry) {
  std::lock_guard lock(mu_);
  ++lines_written_;
  sink_(entry);
}

Logger& Logger::Get() {
  static Logger* logger = new Logger();  // never destroyed: threads may log during exit
  return *logger;
}

void Logger::SetLevel(LogLevel level) { level_.store(level, std::memory_order_relaxed); }
LogLevel Logger::level() const { return level_.load(std::memory_order_relaxed); }

void Logger::SetSink(LogSink sink) {
  std::lock_guard lock(mu_);
  sink_ = sink ? std::move(sink) : LogSink(WriteStderr);
}

void Logger::SetFormat(LogFormat format) {
  std::lock_guard lock(mu_);
  format_ = format;
}

void Logger::SetTap(LogSink tap) {
  std::lock_guard lock(mu_);
  tap_ = std::move(tap);
}

void Logger::SetRateLimit(RateLimit limit) {
  std::lock_guard lock(mu_);
  limit_ = limit;
  keys_.clear();
}

void Logger::AddSecret(std::string value) {
  if (value.size() < 4) return;
  std::lock_guard lock(mu_);
  if (std::find(secrets_.begin(), secrets_.end(), value) != secrets_.end()) return;
  secrets_.push_back(std::move(value));
}

void Logger::SetClockForTesting(Clock clock) {
  std::lock_guard lock(mu_);
  clock_ = std::move(clock);
}

std::string Logger::Redact(std::string_view text) const {
  std::string out(text);
  for (const std::string& secret : secrets_) {
    for (size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at)) {
      out.replace(at, secret.size(), kRedacted);
      at += kRedacted.size();
    }
  }
  return out;
}

void Logger::Log(LogLevel level, std::string_view component, std::string_view message,
                 std::initializer_list<LogField> fields) {
  Log(level, component, message, std::span<const LogField>(fields.begin(), fields.size()));
}

void Logger::Log(LogLevel level, std::string_view component, std::string_view message,
                 std::span<const LogField> fields) {
  if (!Enabled(level)) return;
  auto wall = std::chrono::system_clock::now();
  std::lock_guard lock(mu_);
  auto now = clock_();
  SweepLocked(now);
  if (limit_.burst > 0) {
    std::string key(component);
    key += '\0';
    key += message;
    auto it = keys_.find(key);
    if (it == keys_.end()) {
      if (keys_.size() >= kMaxKeys) key = kOverflowKey;
      it = keys_.try_emplace(std::move(key)).first;
      it->second.window_start = now;
    }
    KeyState& state = it->second;
    if (now - state.window_start >= limit_.interval) {
      if (state.suppressed > 0) EmitSuppressed(state, wall);
      state.window_start = now;
      state.lines = 0;
    }
    if (state.lines >= limit_.burst) {
      if (state.suppressed++ == 0) {
        state.level = level;
        state.component = std::string(component);
        state.message = std::string(message);
      }
      ++lines_suppressed_;
      return;
    }
    ++state.lines;
  }
  LogEntry entry{wall, level, Redact(component), Redact(message), {}, 0, {}};
  entry.fields.reserve(fields.size());
  for (const LogField& f : fields) {
    entry.fields.emplace_back(Redact(f.key),
                              IsSecretFieldName(f.key) ? std::string(kRedacted) : Redact(f.value));
  }
  Emit(std::move(entry));
}

void Logger::Emit(LogEntry entry) {
  std::string& line = entry.line;
  if (format_ == LogFormat::kJson) {
    line = JsonLogLine(entry);
    ++lines_written_;
    sink_(entry);
    if (tap_) tap_(entry);
    return;
  }
  line = FormatLogTime(entry.time);
  line += ' ';
  line += LogLevelName(entry.level);
  line += " [";
  AppendEscaped(line, entry.component, false);
  line += "] ";
  AppendEscaped(line, entry.message, false);
  for (const auto& [key, value] : entry.fields) {
    line += ' ';
    AppendEscaped(line, key, false);
    line += '=';
    AppendEscaped(line, value, true);
  }
  ++lines_written_;
  sink_(entry);
  if (tap_) tap_(entry);
}

void Logger::EmitSuppressed(KeyState& state, std::chrono::system_clock::time_point now) {
  LogEntry entry{
      now, state.level, Redact(state.component), Redact(state.message), {}, state.suppressed, {}};
  entry.message += " (" + std::to_string(state.suppressed) + " similar messages suppressed)";
  state.suppressed = 0;
  Emit(std::move(entry));
}

// Reports the counts of keys whose window is over and forgets idle keys, at most once a second
// so that logging stays cheap.
void Logger::SweepLocked(std::chrono::steady_clock::time_point now) {
  if (now - last_sweep_ < std::chrono::seconds(1)) return;
  last_sweep_ = now;
  auto wall = std::chrono::system_clock::now();
  for (auto it = keys_.begin(); it != keys_.end();) {
    KeyState& state = it->second;
    if (now - state.window_start < limit_.interval) {
      ++it;
      continue;
    }
    if (state.suppressed > 0) EmitSuppressed(state, wall);
    it = keys_.erase(it);
  }
}

void Logger::FlushSuppressed() {
  std::lock_guard lock(mu_);
  auto wall = std::chrono::system_clock::now();
  for (auto& entry : keys_) {
    if (entry.second.suppressed > 0) EmitSuppressed(entry.second, wall);
  }
}

uint64_t Logger::lines_written() const {
  std::lock_guard lock(mu_);
  return lines_written_;
}

uint64_t Logger::lines_suppressed() const {
  std::lock_guard lock(mu_);
  return lines_suppressed_;
}

void SetLogSink(LogSink sink) { Logger::Get().SetSink(std::move(sink)); }

void SetLogLevel(LogLevel level) { Logger::Get().SetLevel(level); }

void SetLogFormat(LogFormat format) { Logger::Get().SetFormat(format); }

}  // namespace kinesis
