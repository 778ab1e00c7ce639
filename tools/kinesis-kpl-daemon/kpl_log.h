// Log lines in the form the KPL's Java side reads from its child's stderr
// (LogInputStreamReader): each record between a "++++" line and a "----" line, its level in
// brackets, so it reaches the application's logger at that level:
//
//   ++++
//   [2026-12-05 01:02:03.456789] [4242][4243] [warning] message
//   ----
//
// The daemon's own lines and the producer library's (through SetLogSink) both go here.
//
// Thread safety: every function may be called from any thread; a record is one write(2).
#ifndef KINESIS_TOOLS_KPL_DAEMON_KPL_LOG_H_
#define KINESIS_TOOLS_KPL_DAEMON_KPL_LOG_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "kinesis/producer_config.h"

namespace kinesis::kpl {

// The KPL's level word: debug, info, warning, error.
std::string_view KplLevelName(LogLevel level);

// The KPL native binary's -l words (trace, debug, info, warn, warning, error, fatal, off, any
// case) to ours; nullopt for another word. trace is debug; fatal and off are error.
std::optional<LogLevel> ParseKplLogLevel(std::string_view word);

// One record, newline-terminated, as the native binary writes it.
std::string FormatKplLogRecord(std::chrono::system_clock::time_point time, long pid, long tid,
                               LogLevel level, std::string_view message);

// The lowest level written (default info), for the daemon's lines and the library's.
void SetKplLogLevel(LogLevel level);

// Writes a record to stderr when `level` is at or above the current level.
void KplLog(LogLevel level, std::string_view message);

// Sends the producer library's log lines (kinesis/log.h) through KplLog.
void RouteLibraryLogsToKplLog();

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_KPL_LOG_H_
