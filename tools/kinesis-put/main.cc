// kinesis-put: the command-line producer and agent (see docs/kinesis-put.md, or --help).
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
  kinesis::put::PutRunner runner(std::move(options).value());
  return runner.Run();
}
