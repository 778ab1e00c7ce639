// kinesis-kpl-daemon's command line: the one the KPL's Java side (0.15.x and 1.0.x, class
// Daemon) gives its native child, plus one setting of ours.
//
//   kinesis-kpl-daemon -o JAVA_OUT_FIFO -i JAVA_IN_FIFO -c CONFIG_HEX -k KINESIS_CREDS_HEX -t
//                      -w CLOUDWATCH_CREDS_HEX -l LEVEL [--ca-path DIR] [--close-timeout-ms N]
//
// Long forms as the native binary's: --input-pipe, --output-pipe, --configuration,
// --kinesis-credentials, --cloudwatch-credentials, --log-level, --enable-stack-trace,
// --ca-path (also -a); "--name=value" works too.
#ifndef KINESIS_TOOLS_KPL_DAEMON_OPTIONS_H_
#define KINESIS_TOOLS_KPL_DAEMON_OPTIONS_H_

#include <chrono>
#include <string>
#include <vector>

#include "kinesis/status.h"

namespace kinesis::kpl {

struct DaemonOptions {
  // Named from the Java side, as the KPL's native binary takes them: the daemon reads the
  // Java side's output (-o) and writes the Java side's input (-i).
  std::string java_in_pipe;                // -i: the Java side reads here; the daemon writes
  std::string java_out_pipe;               // -o: the Java side writes here; the daemon reads
  std::string configuration_hex;           // -c: a Message holding a Configuration
  std::string kinesis_credentials_hex;     // -k: a Message holding SetCredentials
  std::string cloudwatch_credentials_hex;  // -w: the same for metrics; empty: -k's
  std::string log_level;                   // -l: empty when not given
  std::string ca_path;                     // --ca-path / -a
  bool enable_stack_trace = false;         // -t: accepted; has no effect
  // How long shutdown (end of input, SIGTERM, SIGINT) waits for buffered records before failing
  // them with ProducerClosed. Ours; default 5 s.
  std::chrono::milliseconds close_timeout{5000};
  // Arguments we do not know: logged once as warnings, never fatal (a newer Java side may pass
  // more than we know).
  std::vector<std::string> unknown;
};

// Fails with InvalidArgument naming the option for a missing value, a missing required option
// (-i, -o, -c, -k) or a bad --close-timeout-ms.
Result<DaemonOptions> ParseOptions(int argc, const char* const* argv);

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_OPTIONS_H_
