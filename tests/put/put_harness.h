// Test harness for kinesis-put end to end: kinesis-sim in-process (storage on), the real
// kinesis-put program run as a child process, and the stream read back and deaggregated.
#ifndef KINESIS_TESTS_PUT_PUT_HARNESS_H_
#define KINESIS_TESTS_PUT_PUT_HARNESS_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/kinesis_sim.h"

namespace kinesis::put_test {

struct UserRecord {
  std::string partition_key;
  std::string explicit_hash_key;  // empty: none
  std::string data;
};

struct RunResult {
  int exit_status = -1;  // -1: killed by a signal
  std::string out;       // standard output
  std::string err;       // standard error
};

class PutHarness {
 public:
  // Starts kinesis-sim with stream "s" of `shards` shards; `limits` turns its per-shard limits
  // on.
  explicit PutHarness(int shards = 4, bool limits = false);
  ~PutHarness();

  sim::KinesisSim& sim() { return *sim_; }
  const std::string& dir() const { return dir_; }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Runs kinesis-put against the sim with `args` (the stream and endpoint are added, unless
  // `args` has --agent-config: then they are the file's, and AWS_REGION is us-east-1), stdin
  // from `stdin_path` (else /dev/null), and waits for it.
  RunResult Run(const std::vector<std::string>& args, const std::string& stdin_path = "");
  // Starts it and returns at once; stdout and stderr go to files named after `tag`.
  pid_t Start(const std::vector<std::string>& args, const std::string& tag);
  RunResult Wait(pid_t pid, const std::string& tag);

  // Every user record in the stream, deaggregated (fails the test on a bad aggregate).
  std::vector<UserRecord> ReadBack(const std::string& stream = "s");
  // Data of every user record, with how many times each appears.
  std::map<std::string, int> DataCounts(const std::string& stream = "s");

 private:
  std::vector<std::string> Argv(const std::vector<std::string>& args) const;

  std::unique_ptr<sim::KinesisSim> sim_;
  std::string dir_;
};

// Polls `done` every 20 ms until it holds; false after `seconds` (a hang or a bug, not
// slowness).
bool WaitFor(const std::function<bool()>& done, int seconds = 180);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& text, bool append = false);
// "line-<prefix>-<i>" lines i in [first, first + count), each ending in '\n'.
std::string NumberedLines(const std::string& prefix, int first, int count);
// The integer value of "name": N in a summary JSON; -1 when absent.
long long JsonNumber(const std::string& json, const std::string& name);

}  // namespace kinesis::put_test

#endif  // KINESIS_TESTS_PUT_PUT_HARNESS_H_
