// The daemon: what kinesis-kpl-daemon's main runs. It stands in for the KPL's native
// `kinesis_producer` child process (docs/kpl-daemon.md): reads the Java side's configuration
// and credentials from the command line, opens the two pipes, and serves PutRecord, Flush,
// MetricsRequest, SetCredentials and StreamMetadata on our Producer until the input ends or
// SIGTERM/SIGINT arrives; then closes the producer within DaemonOptions::close_timeout, writes
// the last results if the Java side still reads, and returns.
//
// Thread safety: RunDaemon once per process, from main.
#ifndef KINESIS_TOOLS_KPL_DAEMON_DAEMON_H_
#define KINESIS_TOOLS_KPL_DAEMON_DAEMON_H_

#include "options.h"

namespace kinesis::kpl {

// Exit codes. The KPL's Java side does not restart a child that exits with 1 (it reports an
// IrrecoverableError); any other code lets it start a new one.
inline constexpr int kExitClean = 0;     // input ended or SIGTERM/SIGINT; producer closed
inline constexpr int kExitBadSetup = 1;  // bad command line, configuration or credentials
inline constexpr int kExitFailed = 2;    // pipes could not be opened, framing lost

// Blocks SIGTERM, SIGINT and SIGPIPE in the calling thread (and so in every thread it starts
// later) and returns a signalfd that becomes readable on SIGTERM or SIGINT, or -1 on failure.
// Call first thing in main, before any thread exists.
int BlockDaemonSignals();

// Runs the daemon; returns the exit code.
int RunDaemon(const DaemonOptions& options, int signal_fd);

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_DAEMON_H_
