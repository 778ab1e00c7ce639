// kinesis-put: the command-line producer and agent (see docs/kinesis-put.md, or --help).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "kinesis/version.h"
#include "options.h"
#include "put_runner.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto options = kinesis::put::ParseOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "kinesis-put: %s\nTry 'kinesis-put --help'.\n",
                 options.status().message().c_str());
    return kinesis::put::kExitUsage;
  }
  if (options->help) {
    std::fputs(kinesis::put::HelpText().c_str(), stdout);
    return 0;
  }
  if (options->version) {
    std::puts("kinesis-put " KINESIS_PRODUCER_VERSION);
    return 0;
  }
  // SIGHUP (following, with a checkpoint): the runner drains, saves its checkpoints and ends;
  // the configuration is read again and a new runner resumes from the checkpoints.
  kinesis::put::PutOptions current = std::move(options).value();
  int worst = kinesis::put::kExitOk;
  while (true) {
    kinesis::put::PutRunner runner(current);
    int status = runner.Run();
    if (!runner.reloading()) return std::max(worst, status);
    worst = std::max(worst, status);
    auto again = kinesis::put::ParseOptions(args);
    if (again.ok()) {
      current = std::move(again).value();
    } else {
      std::fprintf(stderr, "kinesis-put: SIGHUP: %s; going on with the configuration as it was\n",
                   again.status().message().c_str());
    }
    current.resumed = true;
  }
}
