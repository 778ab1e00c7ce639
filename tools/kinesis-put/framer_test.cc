#include "framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kinesis::put {
namespace {

struct Got {
  std::string data;
  uint64_t line, end, size;
  bool oversized, truncated;
};

std::vector<Got> Frames(Framer& framer, const std::vector<std::string>& chunks, bool finish) {
  std::vector<Got> out;
  auto sink = [&](const Frame& f) {
    out.push_back({std::string(f.data), f.line, f.end_offset, f.size, f.oversized, f.truncated});
  };
  for (const std::string& c : chunks) framer.Feed(c, sink);
  if (finish) framer.Finish(sink);
  return out;
}

TEST(FramerTest, LinesAcrossChunksWithOffsetsAndLineNumbers) {
  Framer framer(InputFormat::kLines, 100);
  auto got = Frames(framer, {"ab", "c\n\nde", "f\ng"}, /*finish=*/false);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].data, "abc");
  EXPECT_EQ(got[0].line, 1u);
  EXPECT_EQ(got[0].end, 4u);
  EXPECT_EQ(got[1].data, "def");
  EXPECT_EQ(got[1].line, 3u);  // the blank line 2 is skipped but counted
  EXPECT_EQ(got[1].end, 9u);
  EXPECT_TRUE(framer.has_partial());
  auto last = Frames(framer, {}, /*finish=*/true);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].data, "g");
  EXPECT_EQ(last[0].line, 4u);
  EXPECT_EQ(last[0].end, 10u);
}

TEST(FramerTest, ResumesAtCheckpointPosition) {
  Framer framer(InputFormat::kLines, 100, /*offset=*/1000, /*line=*/41);
  auto got = Frames(framer, {"x\n"}, false);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].line, 42u);
  EXPECT_EQ(got[0].end, 1002u);
}

TEST(FramerTest, OversizedLineIsReportedWithItsSizeAndNotHeld) {
  Framer framer(InputFormat::kLines, 4);
  auto got = Frames(framer, {"12345", "6789\nok\n"}, false);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0].oversized);
  EXPECT_EQ(got[0].size, 9u);
  EXPECT_EQ(got[0].data.size(), 4u);
  EXPECT_FALSE(got[1].oversized);
  EXPECT_EQ(got[1].data, "ok");
}

TEST(FramerTest, BinaryFramesAreBinarySafe) {
  std::string input;
  input += std::string("\0\0\0\3", 4) + std::string("a\nb", 3);
  input += std::string("\0\0\0\0", 4);
  input += std::string("\0\0\0\2", 4) + std::string("\0\xff", 2);
  Framer framer(InputFormat::kBinary, 100);
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);  // one byte at a time
  auto got = Frames(framer, bytes, true);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].data, "a\nb");
  EXPECT_EQ(got[0].end, 7u);
  EXPECT_EQ(got[1].data, "");
  EXPECT_EQ(got[2].data, std::string("\0\xff", 2));
  EXPECT_EQ(got[2].line, 3u);
  EXPECT_EQ(got[2].end, input.size());
}

TEST(FramerTest, BinaryInputEndingInsideAFrameIsTruncated) {
  Framer framer(InputFormat::kBinary, 100);
  auto got = Frames(framer, {std::string("\0\0\0\x09xyz", 7)}, true);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].truncated);
}

TEST(FramerTest, BinaryOversizedFrameIsSkippedWhole) {
  Framer framer(InputFormat::kBinary, 2);
  auto got = Frames(framer, {std::string("\0\0\0\x05hello\0\0\0\x01z", 14)}, true);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0].oversized);
  EXPECT_EQ(got[0].size, 5u);
  EXPECT_EQ(got[1].data, "z");
}

}  // namespace
}  // namespace kinesis::put
