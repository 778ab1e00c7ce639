// kinesis-put --follow's record options end to end: multi-line records through a rotation in
// the middle of a record and a kill -9 between the lines of one; the start at the end of
// existing files, compressed files left alone, header lines skipped, over-long records
// truncated with a terminator. Checked by reading the stream back from kinesis-sim.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "checkpoint.h"
#include "put_harness.h"

namespace kinesis::put_test {
namespace {

// Record i: a start line and two continuation lines.
std::string Record(int i) {
  std::string n = std::to_string(i);
  return "START rec-" + n + "\n  at a " + n + "\n  at b " + n;
}
std::string Records(int first, int count) {
  std::string text;
  for (int i = first; i < first + count; ++i) text += Record(i) + "\n";
  return text;
}

// Offset just after the last record before `i` in a file that starts with record `first`.
uint64_t OffsetOf(int first, int i) { return Records(first, i - first).size(); }

uint64_t AckedOffset(PutHarness& h, const std::string& path) {
  auto cp = put::LoadCheckpoint(h.Path("state"));
  if (!cp.ok()) return 0;
  for (const put::CheckpointEntry& e : *cp) {
    if (e.path == path) return e.acked.offset;
  }
  return 0;
}

bool AllOnce(PutHarness& h, int count) {
  auto counts = h.DataCounts();
  for (int i = 0; i < count; ++i) {
    if (counts[Record(i)] != 1) return false;
  }
  return true;
}

TEST(PutRecordsTest, MultiLineRecordsSurviveRotationMidRecordAndKillNineBetweenLines) {
  PutHarness h;
  std::vector<std::string> follow = {"--follow", "--checkpoint", h.Path("state"), "--poll-ms", "50",
                                     "--rotation-grace-ms", "500", "--multiline-start", "START ",
                                     // Records end at the next start line or a file's end
                                     // only: a slow test machine cannot split one.
                                     "--multiline-flush-ms", "600000", "--summary-json",
                                     h.Path("summary.json"), h.Path("app.log")};
  // Records 0..299 complete; record 300 has its first two lines only.
  WriteFile(h.Path("app.log"), Records(0, 300) + "START rec-300\n  at a 300\n");
  pid_t pid = h.Start(follow, "first");
  // Everything before record 300 acknowledged: records 0..299 are in, 300 is being built.
  ASSERT_TRUE(WaitFor([&] { return AckedOffset(h, h.Path("app.log")) == OffsetOf(0, 300); }));
  ASSERT_TRUE(AllOnce(h, 300));
  kill(pid, SIGKILL);
  h.Wait(pid, "first");

  // While it is down: the last line of record 300, then rotation; the new file goes on.
  WriteFile(h.Path("app.log"), "  at b 300\n", /*append=*/true);
  std::filesystem::rename(h.Path("app.log"), h.Path("app.log.1"));
  WriteFile(h.Path("app.log"), Records(301, 99) + "START rec-400\n  at a 400\n");
  pid = h.Start(follow, "second");
  ASSERT_TRUE(WaitFor([&] { return AllOnce(h, 400); }));
  ASSERT_TRUE(WaitFor([&] { return AckedOffset(h, h.Path("app.log")) == OffsetOf(301, 400); }));

  // Rotation while running, in the middle of record 400: the writer finishes it in the
  // renamed file; the new file starts with record 401.
  std::filesystem::rename(h.Path("app.log"), h.Path("app.log.2"));
  WriteFile(h.Path("app.log.2"), "  at b 400\n", /*append=*/true);
  WriteFile(h.Path("app.log"), Records(401, 50) + "START last\n");
  ASSERT_TRUE(WaitFor([&] { return AllOnce(h, 451); }));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "second");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.err.find("rotated to"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rotated away"), std::string::npos) << r.err;

  // No record lost, split or sent twice; the record still being built at the stop is not sent
  // (the checkpoint keeps it for the next start).
  auto counts = h.DataCounts();
  EXPECT_EQ(counts.size(), 451u);
  for (const auto& [data, n] : counts) {
    EXPECT_EQ(n, 1) << data;
    EXPECT_EQ(data.rfind("START rec-", 0), 0u) << data;
    EXPECT_EQ(std::count(data.begin(), data.end(), '\n'), 2) << data;
  }
  EXPECT_EQ(JsonNumber(ReadFile(h.Path("summary.json")), "resent_after_restart"), 0);
}

TEST(PutRecordsTest, StartAtEndSkipsCompressedAndHeadersAndTruncatesLongLines) {
  PutHarness h;
  std::vector<std::string> follow = {"--follow",
                                     "--checkpoint",
                                     h.Path("state"),
                                     "--poll-ms",
                                     "50",
                                     "--initial-position",
                                     "end",
                                     "--skip-header-lines",
                                     "1",
                                     "--max-record-size",
                                     "1000",
                                     "--partition-key",
                                     "k",
                                     "--truncated-record-terminator",
                                     "[cut]\\n",
                                     h.Path("*.log*")};
  WriteFile(h.Path("app.log"), "header\nold-1\nold-2\n");
  WriteFile(h.Path("app.log.1.gz"), std::string("\x1f\x8b\x08\x00\x00\n", 6));
  pid_t pid = h.Start(follow, "run");
  ASSERT_TRUE(WaitFor([&] {
    return ReadFile(h.Path("run.err")).find("starting at its end") != std::string::npos;
  }));
  WriteFile(h.Path("app.log"), "new-1\n" + std::string(5000, 'x') + "\n", /*append=*/true);
  WriteFile(h.Path("other.log"), "header\nother-1\n");
  std::string cut = std::string(1000 - 1 - 6, 'x') + "[cut]\n";
  ASSERT_TRUE(WaitFor([&] {
    auto counts = h.DataCounts();
    return counts.count("new-1") && counts.count("other-1") && counts.count(cut);
  }));
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "run");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  auto counts = h.DataCounts();
  EXPECT_EQ(counts, (std::map<std::string, int>{{"new-1", 1}, {"other-1", 1}, {cut, 1}}));
  EXPECT_NE(r.err.find("app.log.1.gz: compressed (.gz); not read"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("record of 5000 bytes truncated to 999 bytes"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kinesis::put_test
