// kinesis-put's live progress: drawn on a terminal (a pseudo-terminal here), absent when
// standard error is a file.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "put_harness.h"

namespace kinesis::put_test {
namespace {

struct Screen {
  int exit_status = -1;
  std::string text;  // everything the program wrote to its terminal
};

// Runs kinesis-put on a pseudo-terminal against the harness's sim.
Screen RunOnTerminal(PutHarness& h, std::vector<std::string> args) {
  std::string endpoint = h.sim().endpoint();
  std::vector<std::string> argv = {KINESIS_PUT_BINARY, "--endpoint", endpoint, "--region",
                                   "us-east-1"};
  argv.insert(argv.end(), args.begin(), args.end());
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) return {};
  if (pid == 0) {
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDPUTTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "put-test-secret", 1);
    std::vector<char*> raw;
    for (std::string& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(KINESIS_PUT_BINARY, raw.data());
    _exit(127);
  }
  Screen screen;
  char buffer[4096];
  while (true) {
    ssize_t n = read(master, buffer, sizeof(buffer));
    if (n > 0) {
      screen.text.append(buffer, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child has exited and closed the terminal
    }
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) screen.exit_status = WEXITSTATUS(status);
  return screen;
}

TEST(PutTerminalTest, ProgressOnATerminalOnly) {
  PutHarness h;
  WriteFile(h.Path("in.txt"), NumberedLines("p", 0, 2000));
  Screen run = RunOnTerminal(h, {"--stream", "s", h.Path("in.txt")});
  const std::string& screen = run.text;
  EXPECT_EQ(run.exit_status, 0) << screen;
  EXPECT_NE(screen.find("\r\033[K"), std::string::npos) << screen;
  EXPECT_NE(screen.find("2,000 read  2,000 ok"), std::string::npos) << screen;
  for (const char* part : {"records/s", "MB/s", "in flight", "retries", "throttled", "errors"}) {
    EXPECT_NE(screen.find(part), std::string::npos) << part;
  }
  EXPECT_NE(screen.find("kinesis-put summary"), std::string::npos) << screen;

  RunResult plain = h.Run({h.Path("in.txt")});
  EXPECT_EQ(plain.exit_status, 0);
  EXPECT_EQ(plain.err.find("\033[K"), std::string::npos) << plain.err;
  EXPECT_EQ(plain.err.find("in flight"), std::string::npos) << plain.err;
  EXPECT_NE(plain.err.find("kinesis-put summary"), std::string::npos) << plain.err;
  RunResult quiet = h.Run({"--quiet", h.Path("in.txt")});
  EXPECT_EQ(quiet.exit_status, 0);
  EXPECT_EQ(quiet.err, "");
}

// Three records in four under one partition key make its shard hot (over twice the share of
// the four shards): the progress block names the stream and that shard.
TEST(PutTerminalTest, ProgressShowsTheStreamAndItsBusyShard) {
  PutHarness h(/*shards=*/4, /*limits=*/true);
  std::string lines;
  for (int i = 0; i < 4000; ++i) {
    std::string key = i % 4 != 0 ? "hot" : "k" + std::to_string(i);
    lines += "{\"k\": \"" + key + "\", \"n\": " + std::to_string(i) + "}\n";
  }
  WriteFile(h.Path("in.jsonl"), lines);
  Screen run = RunOnTerminal(h, {"--stream", "s", "--format", "jsonl", "--partition-key-field", "k",
                                 "--aggregation", "off", h.Path("in.jsonl")});
  EXPECT_EQ(run.exit_status, 0) << run.text;
  EXPECT_NE(run.text.find("\n  stream s  "), std::string::npos) << run.text;
  size_t shard = run.text.find("\n    shard shardId-00000000000");
  ASSERT_NE(shard, std::string::npos) << run.text;
  std::string line = run.text.substr(shard + 1, run.text.find('\r', shard + 1) - shard - 1);
  EXPECT_NE(line.find("% of the stream  hot"), std::string::npos) << line;
}

}  // namespace
}  // namespace kinesis::put_test
