#include "file_follower.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace kinesis::put {
namespace {

class FollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kinesis-put-follow-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Append(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name, std::ios::app) << text;
  }

  std::unique_ptr<FileFollower> Make(bool follow, std::vector<std::string> paths,
                                     std::vector<CheckpointEntry> checkpoint = {}) {
    FollowerOptions o;
    o.paths = std::move(paths);
    o.follow = follow;
    o.retire_after = std::chrono::milliseconds(0);
    return std::make_unique<FileFollower>(
        o, std::move(checkpoint),
        [this](const std::string& p, const std::string& r) { errors_.push_back(p + ": " + r); },
        [this](const std::string& n) { notes_.push_back(n); });
  }

  // Scans and reads until nothing more comes; acknowledges every record at once.
  void Pump(FileFollower& f) {
    for (int i = 0; i < 4; ++i) {
      f.Scan();
      f.Read(1 << 20, [this](InputFile& file, const Frame& frame) {
        got_.push_back(std::string(frame.data));
        file.tracker->Done(file.tracker->Add({frame.end_offset, frame.line}));
      });
    }
  }

  std::string dir_;
  std::vector<std::string> got_, errors_, notes_;
};

TEST_F(FollowerTest, ReadOnceInOrderAndReportsUnreadable) {
  Append("a", "1\n2\n");
  Append("c", "3");
  auto f = Make(false, {dir_ + "/a", dir_ + "/missing", dir_ + "/c"});
  while (!f->done()) Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"1", "2", "3"}));
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("missing"), std::string::npos);
}

TEST_F(FollowerTest, FollowsGrowthNewFilesAndRenameRotation) {
  Append("app.log", "a1\n");
  auto f = Make(true, {dir_ + "/app.log"});
  Pump(*f);
  Append("app.log", "a2\na3-partial");
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"a1", "a2"}));
  // Rename and create: the old file is read to its end (its partial line included).
  std::filesystem::rename(dir_ + "/app.log", dir_ + "/app.log.1");
  Append("app.log.1", "-done\n");
  Append("app.log", "b1\n");
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"a1", "a2", "a3-partial-done", "b1"}));
}

TEST_F(FollowerTest, CopyTruncateStartsOver) {
  Append("t.log", "x1\nx2\n");
  auto f = Make(true, {dir_ + "/*.log"});
  Pump(*f);
  std::filesystem::resize_file(dir_ + "/t.log", 0);
  Pump(*f);  // notices the truncation
  Append("t.log", "y1\n");
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"x1", "x2", "y1"}));
  bool noted = false;
  for (const auto& n : notes_) noted |= n.find("truncated") != std::string::npos;
  EXPECT_TRUE(noted);
}

// logrotate's copytruncate after writes not read yet: they are read from the copy (found by
// its content, whatever its name), and the copy is not read again from its start.
TEST_F(FollowerTest, CopyTruncateReadsTheUnreadRestFromTheCopy) {
  for (std::string copy_name : {"t.log.1", "t.log-20261204", "rotated.log"}) {
    SCOPED_TRACE(copy_name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directory(dir_);
    got_.clear();
    Append("t.log", "x1\nx2\n");
    auto f = Make(true, {dir_ + "/*.log"});
    Pump(*f);
    Append("t.log", "x3\nx4-part");  // unread at the truncation, a partial line included
    std::filesystem::copy_file(dir_ + "/t.log", dir_ + "/" + copy_name);
    std::filesystem::resize_file(dir_ + "/t.log", 0);
    Append("t.log", "y1\n");
    Pump(*f);
    std::sort(got_.begin(), got_.end());
    EXPECT_EQ(got_, (std::vector<std::string>{"x1", "x2", "x3", "x4-part", "y1"}));
  }
}

TEST_F(FollowerTest, CopyOfAFollowedFileIsNotReadFromItsStart) {
  Append("c.log", "c1\nc2\n");
  auto f = Make(true, {dir_ + "/*"});
  Pump(*f);
  std::filesystem::copy_file(dir_ + "/c.log", dir_ + "/c.log.bak");
  Append("c.log", "c3\n");
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"c1", "c2", "c3"}));
}

TEST_F(FollowerTest, CopyTruncateWithoutACopyReportsTheLoss) {
  Append("l.log", "l1\n");
  auto f = Make(true, {dir_ + "/l.log"});
  std::vector<std::string> losses;
  f->set_on_loss([&](const std::string& path, uint64_t offset, uint64_t bytes) {
    losses.push_back(path + " " + std::to_string(offset) + " " + std::to_string(bytes));
  });
  Pump(*f);
  Append("l.log", "l2\n");
  f->Scan();  // sees the new size, does not read it
  std::filesystem::resize_file(dir_ + "/l.log", 0);
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"l1"}));
  EXPECT_EQ(losses, (std::vector<std::string>{dir_ + "/l.log 3 3"}));
}

TEST_F(FollowerTest, TruncatedAndRewrittenPastTheOldSizeStartsOver) {
  Append("w.log", "old-1\n");
  auto f = Make(true, {dir_ + "/w.log"});
  Pump(*f);
  std::filesystem::resize_file(dir_ + "/w.log", 0);
  Append("w.log", "new-1\nnew-2\n");  // longer than what was read: only the bytes tell
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"old-1", "new-1", "new-2"}));
}

TEST_F(FollowerTest, ResumesFromCheckpointIncludingFileRotatedWhileStopped) {
  Append("s.log", "r1\nr2\n");
  std::vector<CheckpointEntry> saved;
  {
    auto f = Make(true, {dir_ + "/s.log"});
    Pump(*f);
    saved = f->Checkpoint();
  }
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].acked.offset, 6u);
  Append("s.log", "r3\n");
  std::filesystem::rename(dir_ + "/s.log", dir_ + "/s.log.old");
  Append("s.log", "n1\n");
  got_.clear();
  auto f = Make(true, {dir_ + "/s.log"}, saved);
  Pump(*f);
  std::sort(got_.begin(), got_.end());
  EXPECT_EQ(got_, (std::vector<std::string>{"n1", "r3"}));
}

TEST_F(FollowerTest, ReusedInodeWithOtherContentIsReadFromTheStart) {
  Append("f.log", "old content\n");
  std::vector<CheckpointEntry> saved;
  {
    auto f = Make(true, {dir_ + "/f.log"});
    Pump(*f);
    saved = f->Checkpoint();
  }
  // Same inode, other bytes (as after truncate and rewrite while stopped).
  std::filesystem::resize_file(dir_ + "/f.log", 0);
  Append("f.log", "new content, longer\n");
  got_.clear();
  auto f = Make(true, {dir_ + "/f.log"}, saved);
  Pump(*f);
  EXPECT_EQ(got_, (std::vector<std::string>{"new content, longer"}));
}

}  // namespace
}  // namespace kinesis::put
