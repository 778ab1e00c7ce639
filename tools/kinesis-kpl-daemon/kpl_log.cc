#include "kpl_log.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "kinesis/log.h"

namespace kinesis::kpl {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_write_mu;  // one record at a time on stderr

void WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr gone: nothing better to do with a log line
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

bool Enabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

}  // namespace

std::string_view KplLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

std::optional<LogLevel> ParseKplLogLevel(std::string_view word) {
  std::string w(word);
  for (char& c : w) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (w == "trace" || w == "debug") return LogLevel::kDebug;
  if (w == "info") return LogLevel::kInfo;
  if (w == "warn" || w == "warning") return LogLevel::kWarning;
  if (w == "error" || w == "fatal" || w == "off") return LogLevel::kError;
  return std::nullopt;
}

std::string FormatKplLogRecord(std::chrono::system_clock::time_point time, long pid, long tid,
                               LogLevel level, std::string_view message) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch() -
                                                                      std::chrono::seconds(seconds))
                    .count();
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02d %02d:%02d:%02d.%06lld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  std::string out = "++++\n[";
  out += stamp;
  out += "] [" + std::to_string(pid) + "][" + std::to_string(tid) + "] [";
  out += KplLevelName(level);
  out += "] ";
  // A line of its own reading "----" or "++++" would end or restart the record early.
  for (size_t i = 0; i < message.size(); ++i) {
    out.push_back(message[i]);
    if (message[i] == '\n' && i + 1 < message.size()) out.push_back(' ');
  }
  out += "\n----\n";
  return out;
}

void SetKplLogLevel(LogLevel level) {
  g_level.store(static_cast<int>(level), std::memory_order_relaxed);
  SetLogLevel(level);
}

void KplLog(LogLevel level, std::string_view message) {
  if (!Enabled(level)) return;
  std::string record = FormatKplLogRecord(std::chrono::system_clock::now(), ::getpid(),
                                          static_cast<long>(::syscall(SYS_gettid)), level, message);
  std::lock_guard<std::mutex> lock(g_write_mu);
  WriteAll(STDERR_FILENO, record);
}

void RouteLibraryLogsToKplLog() {
  // The record carries its own time and level; the library's line would repeat them.
  SetLogSink([](const LogEntry& entry) {
    std::string text = "[" + entry.component + "] " + entry.message;
    for (const auto& [key, value] : entry.fields) text += " " + key + "=" + value;
    if (entry.suppressed > 0) {
      text += " (" + std::to_string(entry.suppressed) + " similar lines suppressed before)";
    }
    KplLog(entry.level, text);
  });
}

}  // namespace kinesis::kpl
