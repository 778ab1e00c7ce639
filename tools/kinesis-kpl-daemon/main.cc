// kinesis-kpl-daemon: the KPL's Java library runs its records through our producer when its
// NativeExecutable setting names this program (docs/kpl-daemon.md). main only sets up signals
// and logging and parses the command line; daemon.cc does the work.
#include <cstdio>
#include <cstring>

#include "daemon.h"
#include "kinesis/version.h"
#include "kpl_log.h"

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("kinesis-kpl-daemon %s\n", KINESIS_PRODUCER_VERSION);
    return 0;
  }
  int signal_fd = kinesis::kpl::BlockDaemonSignals();
  kinesis::kpl::RouteLibraryLogsToKplLog();
  kinesis::Result<kinesis::kpl::DaemonOptions> options = kinesis::kpl::ParseOptions(argc, argv);
  if (!options.ok()) {
    kinesis::kpl::KplLog(
        kinesis::LogLevel::kError,
        "kinesis-kpl-daemon: " + options.status().message() +
            "\nusage: kinesis-kpl-daemon -i IN_FIFO -o OUT_FIFO -c CONFIG_HEX -k CREDS_HEX "
            "[-w CREDS_HEX] [-l LEVEL] [-t] [--ca-path DIR] [--close-timeout-ms N]");
    return kinesis::kpl::kExitBadSetup;
  }
  return kinesis::kpl::RunDaemon(*options, signal_fd);
}
