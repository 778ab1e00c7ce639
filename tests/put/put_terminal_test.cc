// kinesis-put's live progress: drawn on a terminal (a pseudo-terminal here), absent when
// standard error is a file.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "put_harness.h"

namespace kinesis::put_test {
namespace {

TEST(PutTerminalTest, ProgressOnATerminalOnly) {
  PutHarness h;
  WriteFile(h.Path("in.txt"), NumberedLines("p", 0, 2000));
  std::string endpoint = h.sim().endpoint();
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDPUTTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "put-test-secret", 1);
    std::string input = h.Path("in.txt");
    execl(KINESIS_PUT_BINARY, KINESIS_PUT_BINARY, "--stream", "s", "--endpoint", endpoint.c_str(),
          "--region", "us-east-1", input.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string screen;
  char buffer[4096];
  while (true) {
    ssize_t n = read(master, buffer, sizeof(buffer));
    if (n > 0) {
      screen.append(buffer, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child has exited and closed the terminal
    }
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << screen;
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

}  // namespace
}  // namespace kinesis::put_test
