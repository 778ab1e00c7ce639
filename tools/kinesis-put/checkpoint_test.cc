#include "checkpoint.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <vector>

#include "ack_tracker.h"

namespace kinesis::put {
namespace {

std::string TempDir() {
  char pattern[] = "/tmp/kinesis-put-test-XXXXXX";
  return mkdtemp(pattern);
}

TEST(AckTrackerTest, AcknowledgesOnlyTheDonePrefix) {
  AckTracker t({100, 10});
  uint64_t a = t.Add({110, 11});
  uint64_t b = t.Add({120, 12});
  uint64_t c = t.Add({130, 13});
  t.Done(b);
  EXPECT_EQ(t.acked().offset, 100u);  // a still in flight
  t.Done(a);
  EXPECT_EQ(t.acked().offset, 120u);
  EXPECT_EQ(t.acked().line, 12u);
  EXPECT_EQ(t.in_flight(), 1u);
  EXPECT_EQ(t.added().offset, 130u);
  t.Done(c);
  t.Done(c);  // a second Done is ignored
  EXPECT_EQ(t.acked().offset, 130u);
  EXPECT_EQ(t.in_flight(), 0u);
}

TEST(AckTrackerTest, RecordsAddedPastAChunkAreAllTracked) {
  // Add keeps records in chunks of 256 until another call takes them: more than that in
  // flight, with results in any order, must all count.
  AckTracker t({0, 0});
  std::vector<uint64_t> tickets;
  for (uint64_t i = 1; i <= 1000; ++i) tickets.push_back(t.Add({i * 10, i}));
  for (size_t i = 0; i < tickets.size(); ++i) EXPECT_EQ(tickets[i], i);
  for (size_t i = tickets.size() - 1; i > 0; --i) t.Done(tickets[i]);
  EXPECT_EQ(t.acked().offset, 0u);  // the first is still in flight
  EXPECT_EQ(t.in_flight(), 1000u);
  EXPECT_EQ(t.added().line, 1000u);
  t.Transmitted(tickets[0]);
  t.Done(tickets[0]);
  EXPECT_EQ(t.acked().offset, 10000u);
  EXPECT_EQ(t.in_flight(), 0u);
  EXPECT_EQ(t.state().transmitted_acked, 1u);
}

TEST(AckTrackerTest, CountsTransmittedRecordsOnceAndThoseAcknowledged) {
  AckTracker t;
  uint64_t a = t.Add({10, 1});
  uint64_t b = t.Add({20, 2});
  uint64_t c = t.Add({30, 3});
  t.Transmitted(a);
  t.Transmitted(a);  // a retry
  t.Transmitted(c);
  t.Done(a);
  TrackerState s = t.state();
  EXPECT_EQ(s.transmitted, 2u);
  EXPECT_EQ(s.transmitted_acked, 1u);  // c is after the acknowledged prefix
  t.Done(b);                           // failed before it was sent
  EXPECT_EQ(t.state().transmitted_acked, 1u);
  EXPECT_NE(t.id(), AckTracker().id());
}

TEST(CheckpointTest, ReadsVersionOneWithoutTrackers) {
  std::string path = TempDir() + "/state";
  std::ofstream(path) << "kinesis-put-checkpoint 1\nfile 1 2 100 10 150 15 4 abc /x/a.log\n";
  auto loaded = LoadCheckpoint(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].sent.offset, 150u);
  EXPECT_EQ((*loaded)[0].tracker_id, 0u);
  EXPECT_EQ((*loaded)[0].fingerprint, 0xabcu);
  EXPECT_EQ((*loaded)[0].path, "/x/a.log");
}

TEST(CheckpointTest, SaveAndLoadRoundTripWithSpacesInPath) {
  std::string dir = TempDir();
  std::string path = dir + "/state";
  CheckpointEntry e;
  e.id = {64769, 123456};
  e.acked = {1000, 20};
  e.sent = {1500, 30};
  e.tracker_id = 0xfedcba9876543210ull;
  e.transmitted_acked = 17;
  e.fingerprint_len = 256;
  e.fingerprint = 0xdeadbeefcafef00dull;
  e.path = dir + "/my log.txt";
  ASSERT_TRUE(SaveCheckpoint(path, {e, e}).ok());
  auto loaded = LoadCheckpoint(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 2u);
  const CheckpointEntry& l = (*loaded)[0];
  EXPECT_EQ(l.id, e.id);
  EXPECT_EQ(l.acked.offset, 1000u);
  EXPECT_EQ(l.acked.line, 20u);
  EXPECT_EQ(l.sent.offset, 1500u);
  EXPECT_EQ(l.tracker_id, e.tracker_id);
  EXPECT_EQ(l.transmitted_acked, 17u);
  EXPECT_EQ(l.fingerprint, e.fingerprint);
  EXPECT_EQ(l.path, e.path);
  EXPECT_NE(access((path + ".tmp").c_str(), F_OK), 0);  // renamed into place
}

TEST(CheckpointTest, MissingFileIsEmptyAndGarbageIsAnError) {
  std::string dir = TempDir();
  auto missing = LoadCheckpoint(dir + "/none");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->empty());
  std::ofstream(dir + "/bad") << "something else\n";
  auto bad = LoadCheckpoint(dir + "/bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(":1:"), std::string::npos);
  std::ofstream(dir + "/bad2") << "kinesis-put-checkpoint 1\nfile 1 2 x\n";
  auto bad2 = LoadCheckpoint(dir + "/bad2");
  ASSERT_FALSE(bad2.ok());
  EXPECT_NE(bad2.status().message().find(":2:"), std::string::npos);
}

TEST(CheckpointTest, FingerprintTellsFilesApart) {
  std::string dir = TempDir();
  std::ofstream(dir + "/a") << "first file content\n";
  std::ofstream(dir + "/b") << "other file content\n";
  int a = open((dir + "/a").c_str(), O_RDONLY);
  int b = open((dir + "/b").c_str(), O_RDONLY);
  CheckpointEntry e;
  ASSERT_TRUE(FingerprintFile(a, &e.fingerprint_len, &e.fingerprint).ok());
  EXPECT_EQ(e.fingerprint_len, 19u);
  EXPECT_TRUE(MatchesFingerprint(a, e));
  EXPECT_FALSE(MatchesFingerprint(b, e));
  close(a);
  close(b);
}

}  // namespace
}  // namespace kinesis::put
