// kinesis-put --follow end to end: rotation of every kind, and kill -9 followed by a restart,
// checked by reading the stream back from kinesis-sim. Waits have generous deadlines and
// assert only what arrived, never how fast.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "checkpoint.h"
#include "put_harness.h"

namespace kinesis::put_test {
namespace {

bool AllArrived(PutHarness& h, const std::vector<std::string>& lines) {
  auto counts = h.DataCounts();
  for (const std::string& line : lines) {
    if (counts.count(line) == 0) return false;
  }
  return true;
}

std::vector<std::string> Names(const std::string& prefix, int first, int count) {
  std::vector<std::string> names;
  for (int i = first; i < first + count; ++i)
    names.push_back("line-" + prefix + "-" + std::to_string(i));
  return names;
}

void Add(std::vector<std::string>* all, const std::vector<std::string>& more) {
  all->insert(all->end(), more.begin(), more.end());
}

TEST(PutFollowTest, SurvivesEveryKindOfRotationAndPicksUpNewFiles) {
  PutHarness h;
  std::vector<std::string> follow = {"--follow",
                                     "--checkpoint",
                                     h.Path("state"),
                                     "--poll-ms",
                                     "50",
                                     "--rotation-grace-ms",
                                     "2000",
                                     "--summary-json",
                                     h.Path("summary.json"),
                                     h.Path("app.log"),
                                     h.Path("extra-*.log")};
  WriteFile(h.Path("app.log"), NumberedLines("a", 0, 200));
  pid_t pid = h.Start(follow, "follow");
  std::vector<std::string> expected = Names("a", 0, 200);
  ASSERT_TRUE(WaitFor([&] { return AllArrived(h, expected); }));

  // Rename and create; the writer still appends to the renamed file for a moment.
  std::filesystem::rename(h.Path("app.log"), h.Path("app.log.1"));
  WriteFile(h.Path("app.log.1"), NumberedLines("a", 200, 50), /*append=*/true);
  WriteFile(h.Path("app.log"), NumberedLines("b", 0, 200));
  Add(&expected, Names("a", 200, 50));
  Add(&expected, Names("b", 0, 200));
  ASSERT_TRUE(WaitFor([&] { return AllArrived(h, expected); }));

  // Copy and truncate, then new lines.
  std::filesystem::copy_file(h.Path("app.log"), h.Path("app.log.2"));
  std::filesystem::resize_file(h.Path("app.log"), 0);
  WriteFile(h.Path("app.log"), NumberedLines("c", 0, 100), /*append=*/true);
  Add(&expected, Names("c", 0, 100));
  ASSERT_TRUE(WaitFor([&] { return AllArrived(h, expected); }));

  // A new file matching a glob.
  WriteFile(h.Path("extra-1.log"), NumberedLines("d", 0, 100));
  Add(&expected, Names("d", 0, 100));
  ASSERT_TRUE(WaitFor([&] { return AllArrived(h, expected); }));

  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "follow");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.err.find("rotated away"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
  auto counts = h.DataCounts();
  EXPECT_EQ(counts.size(), expected.size());
  for (const std::string& line : expected) EXPECT_EQ(counts[line], 1) << line;
  EXPECT_EQ(JsonNumber(ReadFile(h.Path("summary.json")), "records_succeeded"),
            static_cast<long long>(expected.size()));
}

TEST(PutFollowTest, KillNineThenRestartResendsNothingAcknowledgedAndLosesNothing) {
  PutHarness h;
  // Slow answers, so that records are in flight when the process is killed.
  ASSERT_TRUE(h.sim().SetFaults("latency_ms=40").ok());
  std::vector<std::string> follow = {
      "--follow", "--checkpoint",   h.Path("state"),        "--poll-ms",
      "50",       "--summary-json", h.Path("summary.json"), h.Path("app.log")};
  std::string first = NumberedLines("e", 0, 20000);
  WriteFile(h.Path("app.log"), first);
  pid_t pid = h.Start(follow, "before");
  uint64_t acked = 0;
  ASSERT_TRUE(WaitFor([&] {
    auto cp = put::LoadCheckpoint(h.Path("state"));
    acked = cp.ok() && !cp->empty() ? (*cp)[0].acked.offset : 0;
    return acked > 0;
  }));
  kill(pid, SIGKILL);
  h.Wait(pid, "before");
  auto cp = put::LoadCheckpoint(h.Path("state"));
  ASSERT_TRUE(cp.ok() && cp->size() == 1u);
  acked = (*cp)[0].acked.offset;

  // While it is down: more lines, then the file is rotated away and a new one started.
  WriteFile(h.Path("app.log"), NumberedLines("e", 20000, 5000), /*append=*/true);
  std::filesystem::rename(h.Path("app.log"), h.Path("app.log.1"));
  WriteFile(h.Path("app.log"), NumberedLines("f", 0, 1000));
  h.sim().ClearFaults();

  pid = h.Start(follow, "after");
  std::vector<std::string> expected = Names("e", 0, 25000);
  Add(&expected, Names("f", 0, 1000));
  ASSERT_TRUE(WaitFor([&] { return AllArrived(h, expected); }));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "after");
  EXPECT_EQ(r.exit_status, 0) << r.err;

  // Lines acknowledged before the kill arrived exactly once; only lines after the checkpoint
  // (in flight at the kill) may have arrived twice.
  auto counts = h.DataCounts();
  EXPECT_EQ(counts.size(), expected.size());
  uint64_t offset = 0;
  int duplicates = 0;
  for (const std::string& line : expected) {
    offset += line.size() + 1;
    bool before_checkpoint = line[5] == 'e' && offset <= acked;
    if (before_checkpoint) {
      EXPECT_EQ(counts[line], 1) << line << " was acknowledged before the kill";
    } else {
      EXPECT_GE(counts[line], 1) << line;
      EXPECT_LE(counts[line], 2) << line;
      duplicates += counts[line] - 1;
    }
  }
  std::string summary = ReadFile(h.Path("summary.json"));
  // The restart read only what the checkpoint did not cover.
  EXPECT_EQ(JsonNumber(summary, "records_read"),
            static_cast<long long>(expected.size()) -
                static_cast<long long>(
                    std::count(first.begin(), first.begin() + static_cast<long>(acked), '\n')));
  EXPECT_NE(r.err.find("resuming at byte " + std::to_string(acked)), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rotated to"), std::string::npos) << r.err;
  std::printf("checkpoint at byte %llu; %d duplicates; resent_after_restart %lld\n",
              static_cast<unsigned long long>(acked), duplicates,
              JsonNumber(summary, "resent_after_restart"));
}

}  // namespace
}  // namespace kinesis::put_test
