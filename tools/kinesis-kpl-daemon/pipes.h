// Opening the two FIFOs the Java side made with mkfifo, in whichever order its side opens them.
//
// Opening a FIFO blocks until the other end opens too, and the KPL's Java side (Daemon.
// connectToChild) opens its reading end (its "in" pipe, -i: our output) first and only then its
// writing end (its "out" pipe, -o: our input): a child opening its input first would wait for
// ever. We open both at once, as the native binary does: the input on a helper thread
// (blocking open), the output in a non-blocking retry loop, and SIGTERM/SIGINT (on
// `signal_fd`) abandon the wait at any point.
#ifndef KINESIS_TOOLS_KPL_DAEMON_PIPES_H_
#define KINESIS_TOOLS_KPL_DAEMON_PIPES_H_

#include <string>

#include "kinesis/status.h"

namespace kinesis::kpl {

struct OpenedPipes {
  int input_fd = -1;         // read end, blocking
  int output_fd = -1;        // write end, blocking
  bool interrupted = false;  // a signal came first: both fds are -1
};

// Fails with IoError naming the path and the reason (missing file, permissions).
Result<OpenedPipes> OpenPipes(const std::string& input_path, const std::string& output_path,
                              int signal_fd);

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_PIPES_H_
