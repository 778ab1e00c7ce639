// kinesis-kpl-daemon end to end: the program started as the KPL's Java side starts it (two
// FIFOs, hex configuration and credentials), fed the Java side's messages, with kinesis-sim
// (the CTest fixture) behind it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "backend_client.h"
#include "kpl_messages.h"
#include "kpl_peer.h"

extern char** environ;

namespace kinesis::kpl {
namespace {

using namespace std::chrono_literals;

constexpr auto kWait = 60s;  // generous: never fails because the machine is slow
constexpr auto kOpenWait = 20s;
// 2^127 + 5: the upper half of the hash-key space, shard 1 of 2.
constexpr std::string_view kUpperHalfKey = "170141183460469231731687303715884105733";

std::string ConfigHex(int port, uint64_t buffered_ms) {
  std::string endpoint = "http://127.0.0.1:" + std::to_string(port);
  std::vector<ConfigField> fields = {{23, false, 0, "us-east-1"}, {11, false, 0, endpoint},
                                     {21, true, buffered_ms, {}}, {13, false, 0, "info"},
                                     {16, false, 0, "detailed"},  {15, false, 0, "shard"},
                                     {22, true, 30000, {}},       {1, true, 1, {}}};
  return ToHex(EncodeConfigurationMessage(fields));
}

std::string CredentialsHex(const SetCredentials& c) {
  return ToHex(EncodeSetCredentialsMessage(INT64_MAX, c));
}

// One run of the program: its FIFOs in a fresh folder, the Java side's ends of them, and a
// reader thread collecting what the daemon writes.
class DaemonRun {
 public:
  DaemonRun() {
    char tmpl[] = "/tmp/kpl-daemon-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    in_path_ = dir_ + "/amz-aws-kpl-in-pipe-1";
    out_path_ = dir_ + "/amz-aws-kpl-out-pipe-1";
    EXPECT_EQ(::mkfifo(in_path_.c_str(), 0600), 0);
    EXPECT_EQ(::mkfifo(out_path_.c_str(), 0600), 0);
  }
  ~DaemonRun() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (to_daemon_ >= 0) ::close(to_daemon_);
    if (reader_.joinable()) reader_.join();
    ::unlink(in_path_.c_str());
    ::unlink(out_path_.c_str());
    ::unlink(log_path().c_str());
    ::rmdir(dir_.c_str());
  }

  std::string log_path() const { return dir_ + "/stderr.log"; }

  void Start(int port, const std::string& log_level, bool java_open_order,
             uint64_t buffered_ms = 50) {
    std::vector<std::string> args = {KPL_DAEMON_BINARY,
                                     "-o",
                                     out_path_,
                                     "-i",
                                     in_path_,
                                     "-c",
                                     ConfigHex(port, buffered_ms),
                                     "-k",
                                     CredentialsHex({false, "AKIDFIRST", "secret-1", ""}),
                                     "-t",
                                     "-w",
                                     CredentialsHex({true, "AKIDMETRICS", "secret-m", ""}),
                                     "-l",
                                     log_level};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    ASSERT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    // The Java side (Daemon.connectToChild) opens its reading end first, then its writing end;
    // the other order must work too.
    // The names are the Java side's: it reads its "in" pipe and writes its "out" pipe. Opened
    // on a thread, so a daemon opening them the wrong way fails the test instead of hanging it.
    std::mutex mu;
    std::condition_variable cv;
    bool opened = false;
    std::thread opener([&] {
      if (java_open_order) {
        from_daemon_ = ::open(in_path_.c_str(), O_RDONLY);
        to_daemon_ = ::open(out_path_.c_str(), O_WRONLY);
      } else {
        to_daemon_ = ::open(out_path_.c_str(), O_WRONLY);
        from_daemon_ = ::open(in_path_.c_str(), O_RDONLY);
      }
      std::lock_guard<std::mutex> lock(mu);
      opened = true;
      cv.notify_all();
    });
    bool in_time;
    {
      std::unique_lock<std::mutex> lock(mu);
      in_time = cv.wait_for(lock, kOpenWait, [&] { return opened; });
    }
    if (!in_time) {
      // Release the blocked opens with ends of our own.
      int a = ::open(in_path_.c_str(), O_WRONLY | O_NONBLOCK);
      int b = ::open(out_path_.c_str(), O_RDONLY | O_NONBLOCK);
      opener.join();
      ::close(a);
      ::close(b);
      FAIL() << "the pipes were not open after " << kOpenWait.count()
             << " s: the daemon opens them in an order the Java side cannot follow";
    }
    opener.join();
    ASSERT_GE(from_daemon_, 0);
    ASSERT_GE(to_daemon_, 0);
    reader_ = std::thread([this] { Read(); });
  }

  void Send(const std::string& message) {
    std::string frame = Frame(message);
    size_t done = 0;
    while (done < frame.size()) {
      ssize_t n = ::write(to_daemon_, frame.data() + done, frame.size() - done);
      ASSERT_GT(n, 0);
      done += static_cast<size_t>(n);
    }
  }

  void CloseInput() {
    ::close(to_daemon_);
    to_daemon_ = -1;
  }

  // Waits for the program to exit; its exit code, or -1 when it did not exit in time.
  int WaitExit() {
    for (auto end = std::chrono::steady_clock::now() + kWait;
         std::chrono::steady_clock::now() < end;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }

  // Waits until `done()` holds (under the lock); false on timeout.
  template <typename F>
  bool WaitFor(F done) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return done(); });
  }

  void Kill(int sig) { ::kill(pid_, sig); }

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, std::vector<DecodedPutRecordResult>> results_;  // by source id
  std::map<uint64_t, std::vector<DecodedMetric>> metrics_;           // by source id
  std::vector<std::string> errors_;
  bool output_ended_ = false;

 private:
  void Read() {
    FrameReader frames;
    char buf[65536];
    while (true) {
      ssize_t n = ::read(from_daemon_, buf, sizeof buf);
      if (n <= 0) break;
      frames.Feed(std::string_view(buf, static_cast<size_t>(n)));
      while (true) {
        auto next = frames.Next();
        std::lock_guard<std::mutex> lock(mu_);
        if (!next.ok()) errors_.push_back(next.status().message());
        if (!next.ok() || !next->has_value()) break;
        Result<Message> m = DecodeMessage(**next);
        if (!m.ok() || !m->source_id) {
          errors_.push_back("bad message from the daemon");
          continue;
        }
        if (m->kind == MessageKind::kPutRecordResult) {
          auto r = DecodePutRecordResult(m->body);
          if (r.ok())
            results_[*m->source_id].push_back(*r);
          else
            errors_.push_back(r.status().message());
        } else if (m->kind == MessageKind::kMetricsResponse) {
          auto r = DecodeMetricsResponse(m->body);
          if (r.ok())
            metrics_[*m->source_id] = *r;
          else
            errors_.push_back(r.status().message());
        } else {
          errors_.push_back(std::string("unexpected ") + MessageKindName(m->kind));
        }
        cv_.notify_all();
      }
    }
    ::close(from_daemon_);
    std::lock_guard<std::mutex> lock(mu_);
    output_ended_ = true;
    cv_.notify_all();
  }

  std::string dir_, in_path_, out_path_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int to_daemon_ = -1, from_daemon_ = -1;
  std::thread reader_;
};

std::string NewStream(const std::string& tag) {
  static int n = 0;
  std::string name =
      "kpl-daemon-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
  wire::testing::Backend backend("kinesis_sim", wire::Protocol::kJson);
  backend.CreateActiveStream(name, 2);
  return name;
}

bool AllShaped(const DecodedPutRecordResult& r) {
  return r.success && r.shard_id.rfind("shardId-", 0) == 0 && r.sequence_number.size() == 56 &&
         !r.attempts.empty() && r.attempts.back().success;
}

TEST(KplDaemonSimTest, ServesTheJavaSidesMessagesAndExitsCleanlyAtEndOfInput) {
  int port = wire::testing::BackendPort("kinesis_sim");
  ASSERT_NE(port, 0) << "run through ctest (fixture kinesis_sim)";
  std::string stream = NewStream("main");
  DaemonRun run;
  ASSERT_NO_FATAL_FAILURE(run.Start(port, "debug", /*java_open_order=*/true));

  // 10 records by partition key, 10 with explicit hash keys in each half, 1 refused at once
  // (empty partition key), ids as the Java side numbers them.
  uint64_t id = 1;
  std::map<uint64_t, std::string> expected_shard;  // for explicit hash keys
  for (int i = 0; i < 10; ++i) {
    run.Send(EncodePutRecordMessage(id++, PutRecord{stream, "key-" + std::to_string(i),
                                                    std::nullopt, "data-" + std::to_string(i)}));
  }
  for (int i = 0; i < 10; ++i) {
    bool upper = i % 2 == 1;
    expected_shard[id] = upper ? "shardId-000000000001" : "shardId-000000000000";
    run.Send(EncodePutRecordMessage(
        id++, PutRecord{stream, "ehk-" + std::to_string(i),
                        upper ? std::string_view(kUpperHalfKey) : std::string_view("12345"), "x"}));
  }
  uint64_t refused_id = id++;
  run.Send(EncodePutRecordMessage(refused_id, PutRecord{stream, "", std::nullopt, "no key"}));
  run.Send(EncodeFlushMessage(id++, Flush{stream}));
  ASSERT_TRUE(run.WaitFor([&] { return run.results_.size() == 21; }))
      << run.results_.size() << " results of 21";

  // 1.0.x's StreamMetadata: taken, noted, not answered.
  run.Send(EncodeStreamMetadataMessage(id++, StreamMetadata{stream, "stream-id-1"}));
  // Credentials rotate while running (session token included); later puts still succeed.
  run.Send(EncodeSetCredentialsMessage(INT64_MAX, {false, "AKIDROTATED", "secret-2", "token-2"}));
  run.Send(EncodeSetCredentialsMessage(INT64_MAX, {true, "AKIDMETRICS2", "secret-m2", ""}));
  uint64_t after_rotation = id;
  for (int i = 0; i < 5; ++i) {
    run.Send(EncodePutRecordMessage(
        id++, PutRecord{stream, "late-" + std::to_string(i), std::nullopt, "after rotation"}));
  }
  run.Send(EncodeFlushMessage(id++, Flush{}));  // every stream
  ASSERT_TRUE(run.WaitFor([&] { return run.results_.size() == 26; }));

  // Metrics: the global UserRecordsPut reaches the 25 records put successfully.
  bool counted = false;
  for (auto end = std::chrono::steady_clock::now() + kWait;
       !counted && std::chrono::steady_clock::now() < end;) {
    uint64_t mid = id++;
    run.Send(EncodeMetricsRequestMessage(mid, MetricsRequest{"UserRecordsPut", 60}));
    ASSERT_TRUE(run.WaitFor([&] { return run.metrics_.count(mid) == 1; }));
    std::lock_guard<std::mutex> lock(run.mu_);
    for (const DecodedMetric& m : run.metrics_[mid]) {
      EXPECT_EQ(m.name, "UserRecordsPut");
      EXPECT_EQ(m.seconds, 60u);
      if (m.dimensions.empty() && m.sum >= 25) counted = true;
      if (m.dimensions.size() == 2) {
        EXPECT_EQ(m.dimensions[0].first, "StreamName");
        EXPECT_EQ(m.dimensions[1].first, "ShardId");
      }
    }
    if (!counted) std::this_thread::sleep_for(200ms);
  }
  EXPECT_TRUE(counted);

  run.CloseInput();
  EXPECT_EQ(run.WaitExit(), 0);
  ASSERT_TRUE(run.WaitFor([&] { return run.output_ended_; }));

  std::lock_guard<std::mutex> lock(run.mu_);
  EXPECT_TRUE(run.errors_.empty()) << run.errors_.front();
  ASSERT_EQ(run.results_.size(), 26u);
  for (const auto& [source, results] : run.results_) {
    ASSERT_EQ(results.size(), 1u) << "record " << source << " got " << results.size() << " results";
    const DecodedPutRecordResult& r = results.front();
    if (source == refused_id) {
      EXPECT_FALSE(r.success);
      ASSERT_EQ(r.attempts.size(), 1u);
      EXPECT_EQ(r.attempts[0].error_code, "InvalidArgument");
      continue;
    }
    EXPECT_TRUE(AllShaped(r)) << "record " << source << ": " << r.shard_id << " "
                              << r.sequence_number;
    if (expected_shard.count(source)) {
      EXPECT_EQ(r.shard_id, expected_shard[source]) << source;
    }
  }
  EXPECT_TRUE(run.results_.count(after_rotation + 4));

  // The log, as the Java side's LogInputStreamReader reads it: records between ++++ and ----,
  // each with its level in brackets.
  std::ifstream in(run.log_path());
  std::string line, all;
  bool inside = false;
  int records = 0;
  while (std::getline(in, line)) {
    all += line + "\n";
    if (line == "++++") {
      EXPECT_FALSE(inside);
      inside = true;
    } else if (line == "----") {
      EXPECT_TRUE(inside);
      inside = false;
      ++records;
    } else {
      EXPECT_TRUE(inside) << "line outside a record: " << line;
    }
  }
  EXPECT_GT(records, 0);
  EXPECT_NE(all.find("] [info] kinesis-kpl-daemon: reading"), std::string::npos) << all;
  EXPECT_NE(all.find("[debug] Kinesis credentials updated (access key id AKIDROTATED)"),
            std::string::npos);
  EXPECT_NE(all.find("[info] StreamMetadata for stream " + stream), std::string::npos);
  EXPECT_EQ(all.find("secret-2"), std::string::npos);
  EXPECT_EQ(all.find("token-2"), std::string::npos);
}

TEST(KplDaemonSimTest, SigtermFlushesAndAnswersEveryRecordWhicheverOrderThePipesOpen) {
  int port = wire::testing::BackendPort("kinesis_sim");
  ASSERT_NE(port, 0) << "run through ctest (fixture kinesis_sim)";
  std::string stream = NewStream("term");
  DaemonRun run;
  // Records wait up to a minute in buffers: only the shutdown's flush sends them.
  ASSERT_NO_FATAL_FAILURE(run.Start(port, "info", /*java_open_order=*/false, 60000));
  constexpr uint64_t kRecords = 200;
  for (uint64_t i = 1; i <= kRecords; ++i) {
    run.Send(
        EncodePutRecordMessage(i, PutRecord{stream, "k" + std::to_string(i), std::nullopt, "v"}));
  }
  // Messages are handled in order: once this is answered, every put above was taken.
  run.Send(EncodeMetricsRequestMessage(kRecords + 1, MetricsRequest{}));
  ASSERT_TRUE(run.WaitFor([&] { return run.metrics_.count(kRecords + 1) == 1; }));
  {
    std::lock_guard<std::mutex> lock(run.mu_);
    EXPECT_TRUE(run.results_.empty()) << "records left their buffers before the signal";
  }
  auto signalled = std::chrono::steady_clock::now();
  run.Kill(SIGTERM);
  EXPECT_EQ(run.WaitExit(), 0);
  // Within the close deadline (5 s), far from the 60 s buffering time.
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 30s);
  ASSERT_TRUE(run.WaitFor([&] { return run.output_ended_; }));
  std::lock_guard<std::mutex> lock(run.mu_);
  EXPECT_TRUE(run.errors_.empty());
  ASSERT_EQ(run.results_.size(), kRecords);
  for (const auto& [source, results] : run.results_) {
    ASSERT_EQ(results.size(), 1u) << source;
    EXPECT_TRUE(AllShaped(results.front())) << source;
  }
}

// Runs the program with `args` (stderr to a file) and returns its exit code and its stderr.
std::pair<int, std::string> RunToEnd(std::vector<std::string> args) {
  char tmpl[] = "/tmp/kpl-daemon-stderr-XXXXXX";
  int fd = ::mkstemp(tmpl);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fd, 2);
  pid_t pid = -1;
  int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fd);
  int code = -1;
  for (auto end = std::chrono::steady_clock::now() + kWait;
       spawned == 0 && std::chrono::steady_clock::now() < end;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  if (code == -1 && spawned == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  std::ifstream in(tmpl);
  std::stringstream text;
  text << in.rdbuf();
  ::unlink(tmpl);
  return {code, text.str()};
}

TEST(KplDaemonProgramTest, BadSetupExitsWithOneAndSaysWhy) {
  std::string creds = CredentialsHex({false, "AKID", "secret", ""});
  // 1: the Java side reports an IrrecoverableError and does not restart the child.
  auto [code, err] = RunToEnd(
      {KPL_DAEMON_BINARY, "-o", "/nonexistent/o", "-i", "/nonexistent/i", "-c", "0g", "-k", creds});
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.find("] [error] kinesis-kpl-daemon: -c: character 'g' at offset 1 is not "
                     "hexadecimal\n----"),
            std::string::npos)
      << err;
  auto [code2, err2] = RunToEnd({KPL_DAEMON_BINARY, "-o", "o", "-i", "i", "-c", ConfigHex(1, 100)});
  EXPECT_EQ(code2, 1);
  EXPECT_NE(err2.find("option -k (--kinesis-credentials) is required"), std::string::npos) << err2;
  // A configuration Validate refuses: a MetricsNamespace of 256 characters (at most 255).
  const std::string long_namespace(256, 'n');  // outlives `fields`, which view it
  std::vector<ConfigField> fields = {{23, false, 0, "us-east-1"}, {17, false, 0, long_namespace}};
  auto [code3, err3] = RunToEnd({KPL_DAEMON_BINARY, "-o", "o", "-i", "i", "-c",
                                 ToHex(EncodeConfigurationMessage(fields)), "-k", creds});
  EXPECT_EQ(code3, 1);
  EXPECT_NE(err3.find("MetricsNamespace"), std::string::npos) << err3;
}

TEST(KplDaemonProgramTest, MissingPipeExitsWithTwo) {
  std::string creds = CredentialsHex({false, "AKID", "secret", ""});
  auto [code, err] = RunToEnd({KPL_DAEMON_BINARY, "-o", "/nonexistent/o", "-i", "/nonexistent/i",
                               "-c", ConfigHex(1, 100), "-k", creds, "-t"});
  EXPECT_EQ(code, 2);
  EXPECT_NE(err.find("cannot open"), std::string::npos) << err;
  EXPECT_NE(err.find("/nonexistent/"), std::string::npos) << err;
}

}  // namespace
}  // namespace kinesis::kpl
