// RecordJoiner, and the FileFollower's record-level reading options: multi-line records across
// a rotation and a restart, header lines, start at the end, compressed files skipped.
#include "multiline.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "file_follower.h"

namespace kinesis::put {
namespace {

std::shared_ptr<const std::regex> Start(const std::string& pattern) {
  return CompilePattern("--multiline-start", pattern).value();
}

struct Joined {
  std::string data;
  uint64_t line = 0;
  uint64_t end = 0;
  bool oversized = false;
  uint64_t size = 0;
};

TEST(RecordJoinerTest, JoinsContinuationLinesAndEndsAtTheNextStart) {
  RecordJoiner joiner(Start("\\d{4}-"), 1 << 20);
  std::vector<Joined> got;
  FrameSink sink = [&](const Frame& f) {
    got.push_back({std::string(f.data), f.line, f.end_offset, f.oversized, f.size});
  };
  Framer framer(InputFormat::kLines, 1 << 20);
  framer.Feed("orphan\n2024-01-01 boom\n  at a\n  at b\n2024-01-02 ok\n  more",
              [&](const Frame& f) { joiner.Feed(f, sink); });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].data, "orphan");
  EXPECT_EQ(got[1].data, "2024-01-01 boom\n  at a\n  at b");
  EXPECT_EQ(got[1].line, 4u);
  EXPECT_EQ(got[1].end, 37u);  // just past "  at b\n"
  EXPECT_TRUE(joiner.has_pending());
  framer.Finish([&](const Frame& f) { joiner.Feed(f, sink); });
  joiner.Flush(sink);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].data, "2024-01-02 ok\n  more");
  EXPECT_FALSE(joiner.has_pending());
}

TEST(RecordJoinerTest, MatchesAtTheStartOfTheLineOnly) {
  RecordJoiner joiner(Start("ERROR"), 1 << 20);
  std::vector<std::string> got;
  FrameSink sink = [&](const Frame& f) { got.emplace_back(f.data); };
  Framer framer(InputFormat::kLines, 1 << 20);
  framer.Feed("ERROR a\nnot an ERROR\nERROR b\n", [&](const Frame& f) { joiner.Feed(f, sink); });
  joiner.Flush(sink);
  EXPECT_EQ(got, (std::vector<std::string>{"ERROR a\nnot an ERROR", "ERROR b"}));
}

TEST(RecordJoinerTest, KeepsOnlyAPrefixOfAnOversizedRecord) {
  RecordJoiner joiner(Start("S"), 10);
  std::vector<Joined> got;
  FrameSink sink = [&](const Frame& f) {
    got.push_back({std::string(f.data), f.line, f.end_offset, f.oversized, f.size});
  };
  Framer framer(InputFormat::kLines, 10);
  framer.Feed("S123456\n7890\nabcd\nS\n", [&](const Frame& f) { joiner.Feed(f, sink); });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].oversized);
  EXPECT_EQ(got[0].size, 17u);
  EXPECT_EQ(got[0].data, "S123456\n78");
}

TEST(RecordJoinerTest, BadPatternIsNamed) {
  auto bad = CompilePattern("multiLineStartPattern", "([a-");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("multiLineStartPattern '([a-'"), std::string::npos);
}

class ReadingOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kinesis-put-multiline-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string P(const std::string& name) { return dir_ + "/" + name; }
  void Append(const std::string& name, const std::string& text) {
    std::ofstream(P(name), std::ios::app) << text;
  }
  std::unique_ptr<FileFollower> Make(FollowerOptions o,
                                     std::vector<CheckpointEntry> checkpoint = {}) {
    o.follow = true;
    return std::make_unique<FileFollower>(
        o, std::move(checkpoint), [](const std::string&, const std::string&) {},
        [this](const std::string& n) { notes_.push_back(n); });
  }
  // Scans and reads; acknowledges records only when `ack`.
  void Pump(FileFollower& f, bool ack = true) {
    for (int i = 0; i < 3; ++i) {
      f.Scan();
      f.Read(1 << 20, [&](InputFile& file, const Frame& frame) {
        got_.push_back(std::string(frame.data));
        uint64_t ticket = file.tracker->Add({frame.end_offset, frame.line});
        if (ack) file.tracker->Done(ticket);
      });
    }
  }
  std::string dir_;
  std::vector<std::string> got_, notes_;
};

TEST_F(ReadingOptionsTest, RecordBeingBuiltAtARotationIsSentWholeFromTheRotatedFile) {
  FollowerOptions o;
  o.paths = {P("app.log")};
  o.multiline_start = Start("START");
  o.multiline_flush = std::chrono::hours(1);
  o.retire_after = std::chrono::milliseconds(0);
  Append("app.log", "START 1\n  a\n");
  auto f = Make(o);
  Pump(*f);
  EXPECT_TRUE(got_.empty());
  // The writer adds a line, then the file is rotated; the new file starts a new record.
  Append("app.log", "  b\n");
  std::filesystem::rename(P("app.log"), P("app.log.1"));
  Append("app.log", "START 2\n");
  Pump(*f);
  ASSERT_EQ(got_.size(), 1u);
  EXPECT_EQ(got_[0], "START 1\n  a\n  b");
}

TEST_F(ReadingOptionsTest, CheckpointStaysBeforeARecordBeingBuilt) {
  FollowerOptions o;
  o.paths = {P("app.log")};
  o.multiline_start = Start("START");
  o.multiline_flush = std::chrono::hours(1);
  Append("app.log", "START 1\n  a\nSTART 2\n  b\n");
  auto f = Make(o);
  Pump(*f);
  ASSERT_EQ(got_, std::vector<std::string>{"START 1\n  a"});
  auto checkpoint = f->Checkpoint();
  ASSERT_EQ(checkpoint.size(), 1u);
  EXPECT_EQ(checkpoint[0].acked.offset, 12u);  // just before "START 2"
  // A restart from it (the process died between the lines of record 2) reads record 2 whole.
  f.reset();
  got_.clear();
  Append("app.log", "  c\nSTART 3\n");
  auto again = Make(o, checkpoint);
  Pump(*again);
  EXPECT_EQ(got_, std::vector<std::string>{"START 2\n  b\n  c"});
}

TEST_F(ReadingOptionsTest, IdleRecordIsFlushedAfterTheInterval) {
  FollowerOptions o;
  o.paths = {P("app.log")};
  o.multiline_start = Start("START");
  o.multiline_flush = std::chrono::milliseconds(0);
  Append("app.log", "START 1\n  a\n");
  auto f = Make(o);
  Pump(*f);
  EXPECT_EQ(got_, std::vector<std::string>{"START 1\n  a"});
}

TEST_F(ReadingOptionsTest, SkipsHeaderLinesOfEveryFileAndAfterARestart) {
  FollowerOptions o;
  o.paths = {P("*.csv")};
  o.skip_header_lines = 2;
  Append("a.csv", "h1\nh2\nr1\n");
  auto f = Make(o);
  Pump(*f);
  Append("b.csv", "h1\nh2\nr2\n");
  Append("a.csv", "r3\n");
  Pump(*f);
  std::sort(got_.begin(), got_.end());
  EXPECT_EQ(got_, (std::vector<std::string>{"r1", "r2", "r3"}));
  auto checkpoint = f->Checkpoint();
  f.reset();
  got_.clear();
  Append("a.csv", "r4\n");
  auto again = Make(o, checkpoint);
  Pump(*again);
  EXPECT_EQ(got_, (std::vector<std::string>{"r4"}));
}

TEST_F(ReadingOptionsTest, StartsAtTheEndOfFilesFoundFirstUnlessCheckpointed) {
  FollowerOptions o;
  o.paths = {P("*.log")};
  o.start_at_end = true;
  o.skip_header_lines = 1;
  Append("old.log", "h\no1\no2\npart");
  auto f = Make(o);
  Pump(*f);
  EXPECT_TRUE(got_.empty());
  Append("old.log", "ial\nn1\n");
  Append("new.log", "h\nx1\n");  // appears later: read from its start
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"partial", "n1", "x1"}));
  // With a checkpoint, the checkpoint wins.
  auto checkpoint = f->Checkpoint();
  f.reset();
  got_.clear();
  Append("old.log", "n2\n");
  auto again = Make(o, checkpoint);
  Pump(*again);
  EXPECT_EQ(got_, (std::vector<std::string>{"n2"}));
}

TEST_F(ReadingOptionsTest, CompressedFilesAreNamedOnceAndNotRead) {
  FollowerOptions o;
  o.paths = {P("app.log*")};
  Append("app.log", "a\n");
  Append("app.log.1.gz", std::string("\x1f\x8b\x08\x00binary\n", 11));
  Append("app.log.2.bz2", "BZh9\n");
  Append("app.log.3.xz", "xz\n");
  Append("app.log.4.zip", "PK\n");
  auto f = Make(o);
  Pump(*f);
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"a"}));
  int named = 0;
  for (const std::string& n : notes_) named += n.find("compressed") != std::string::npos;
  EXPECT_EQ(named, 4) << ::testing::PrintToString(notes_);
}

}  // namespace
}  // namespace kinesis::put
