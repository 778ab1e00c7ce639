#include "put_harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "kinesis/aggregation.h"

namespace kinesis::put_test {

bool WaitFor(const std::function<bool()>& done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& text, bool append) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out << text;
}

std::string NumberedLines(const std::string& prefix, int first, int count) {
  std::string text;
  for (int i = first; i < first + count; ++i)
    text += "line-" + prefix + "-" + std::to_string(i) + "\n";
  return text;
}

long long JsonNumber(const std::string& json, const std::string& name) {
  size_t at = json.find("\"" + name + "\": ");
  if (at == std::string::npos) return -1;
  return std::atoll(json.c_str() + at + name.size() + 4);
}

PutHarness::PutHarness(int shards, bool limits) {
  char pattern[] = "/tmp/kinesis-put-e2e-XXXXXX";
  dir_ = mkdtemp(pattern);
  sim::SimOptions options;
  options.limits = limits;
  options.streams = {{"s", shards}};
  auto started = sim::KinesisSim::Start(options);
  EXPECT_TRUE(started.ok()) << started.status().ToString();
  sim_ = std::move(started).value();
}

PutHarness::~PutHarness() {
  sim_->Stop();
  std::filesystem::remove_all(dir_);
}

std::vector<std::string> PutHarness::Argv(const std::vector<std::string>& args) const {
  if (std::find(args.begin(), args.end(), "--agent-config") != args.end()) {
    std::vector<std::string> argv = {KINESIS_PUT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  std::vector<std::string> argv = {KINESIS_PUT_BINARY, "--stream",       "s",
                                   "--endpoint",       sim_->endpoint(), "--region",
                                   "us-east-1",        "--buffering-ms", "20"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

pid_t PutHarness::Start(const std::vector<std::string>& args, const std::string& tag) {
  std::vector<std::string> argv = Argv(args);
  std::string out = Path(tag + ".out"), err = Path(tag + ".err"), in = Path(tag + ".in");
  if (access(in.c_str(), F_OK) != 0) in = "/dev/null";
  pid_t pid = fork();
  if (pid == 0) {
    int fd_in = open(in.c_str(), O_RDONLY);
    int fd_out = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fd_err = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd_in, 0);
    dup2(fd_out, 1);
    dup2(fd_err, 2);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDPUTTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "put-test-secret", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    std::vector<char*> c;
    for (std::string& a : argv) c.push_back(a.data());
    c.push_back(nullptr);
    execv(c[0], c.data());
    _exit(127);
  }
  return pid;
}

RunResult PutHarness::Wait(pid_t pid, const std::string& tag) {
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(Path(tag + ".out"));
  r.err = ReadFile(Path(tag + ".err"));
  return r;
}

RunResult PutHarness::Run(const std::vector<std::string>& args, const std::string& stdin_path) {
  static int runs = 0;
  std::string tag = "run" + std::to_string(++runs);
  if (!stdin_path.empty()) std::filesystem::copy_file(stdin_path, Path(tag + ".in"));
  return Wait(Start(args, tag), tag);
}

std::vector<UserRecord> PutHarness::ReadBack(const std::string& stream) {
  std::vector<UserRecord> users;
  for (const sim::StoredRecord& stored : sim_->Records(stream)) {
    std::vector<DeaggregatedRecord> out;
    Status s = Deaggregate(stored.data, stored.partition_key, std::nullopt, {}, &out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (const DeaggregatedRecord& d : out) {
      UserRecord u{std::string(d.partition_key), std::string(d.explicit_hash_key.value_or("")),
                   std::string(d.data)};
      // Not aggregated: the Kinesis record itself.
      if (!IsAggregated(stored.data)) u.explicit_hash_key = stored.explicit_hash_key;
      users.push_back(std::move(u));
    }
  }
  return users;
}

std::map<std::string, int> PutHarness::DataCounts(const std::string& stream) {
  std::map<std::string, int> counts;
  for (const UserRecord& u : ReadBack(stream)) ++counts[u.data];
  return counts;
}

}  // namespace kinesis::put_test
