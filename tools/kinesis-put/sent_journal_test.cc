#include "sent_journal.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace kinesis::put {
namespace {

// A process killed after it made its journal and before it wrote to it (kill -9 at the
// start, or nothing went out) leaves an empty file: the next start reads it as no counts.
TEST(SentJournalTest, EmptyJournalIsNoCounts) {
  char pattern[] = "/tmp/kinesis-put-journal-XXXXXX";
  std::string path = std::string(mkdtemp(pattern)) + "/state.sent";
  auto journal = SentJournal::Create(path);
  ASSERT_TRUE(journal.ok()) << journal.status().ToString();
  auto counts = SentJournal::Load(path);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_TRUE(counts->empty());
}

TEST(SentJournalTest, MarksRecordsAsTheyGoOutAndSavesTheCounts) {
  char pattern[] = "/tmp/kinesis-put-journal-XXXXXX";
  std::string path = std::string(mkdtemp(pattern)) + "/state.sent";
  auto journal = SentJournal::Create(path);
  ASSERT_TRUE(journal.ok()) << journal.status().ToString();
  auto tracker = std::make_shared<AckTracker>();
  uint64_t a = tracker->Add({2, 1});
  uint64_t b = tracker->Add({4, 2});
  uint64_t c = tracker->Add({6, 3});
  (*journal)->Expect(SentJournal::Key("k", "a"), tracker, a);
  (*journal)->Expect(SentJournal::Key("k", "b"), tracker, b);
  (*journal)->Expect(SentJournal::Key("k", "c"), tracker, c);
  (*journal)->Forget(SentJournal::Key("k", "c"), tracker.get(), c);  // failed unsent

  std::vector<OutgoingRecord> request = {{"b", "k", ""}, {"c", "k", ""}};
  (*journal)->Sending(request);
  (*journal)->Sending(request);  // a retry counts nothing more
  EXPECT_EQ(tracker->state().transmitted, 1u);
  auto counts = SentJournal::Load(path);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ((*counts)[tracker->id()], 1u);

  request = {{"a", "k", ""}};
  (*journal)->Sending(request);
  counts = SentJournal::Load(path);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[tracker->id()], 2u);
  EXPECT_TRUE(SentJournal::Load(path + ".missing").ok());
}

// The three threads of a run: reading (Add, Expect), sending (Sending), results (Forget, Done).
TEST(SentJournalTest, ReadingSendingAndResultsOnTheirOwnThreads) {
  char pattern[] = "/tmp/kinesis-put-journal-XXXXXX";
  std::string path = std::string(mkdtemp(pattern)) + "/state.sent";
  auto journal = SentJournal::Create(path);
  ASSERT_TRUE(journal.ok());
  SentJournal& j = **journal;
  auto tracker = std::make_shared<AckTracker>();
  constexpr int kRecords = 20000;
  std::vector<std::string> data(kRecords);
  for (int i = 0; i < kRecords; ++i) data[i] = "record-" + std::to_string(i);
  std::atomic<int> expected{0}, sent{0};
  std::thread reader([&] {
    for (int i = 0; i < kRecords; ++i) {
      uint64_t ticket = tracker->Add({static_cast<uint64_t>(i + 1), static_cast<uint64_t>(i)});
      j.Expect(SentJournal::Key("k", data[i]), tracker, ticket);
      expected.store(i + 1, std::memory_order_release);
    }
  });
  std::thread sender([&] {
    while (sent.load() < kRecords) {
      int end = expected.load(std::memory_order_acquire);
      std::vector<OutgoingRecord> request;
      for (int i = sent.load(); i < end && request.size() < 500; ++i) {
        request.push_back({data[i], "k", ""});
      }
      j.Sending(request);
      sent.fetch_add(static_cast<int>(request.size()), std::memory_order_release);
    }
  });
  std::thread results([&] {
    for (int i = 0; i < kRecords; ++i) {
      while (sent.load(std::memory_order_acquire) <= i) std::this_thread::yield();
      j.Forget(SentJournal::Key("k", data[i]), tracker.get(), static_cast<uint64_t>(i));
      tracker->Done(static_cast<uint64_t>(i));
    }
  });
  reader.join();
  sender.join();
  results.join();
  TrackerState state = tracker->state();
  EXPECT_EQ(state.transmitted, static_cast<uint64_t>(kRecords));
  EXPECT_EQ(state.transmitted_acked, static_cast<uint64_t>(kRecords));
  EXPECT_EQ(state.acked.line, static_cast<uint64_t>(kRecords - 1));
  auto counts = SentJournal::Load(path);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[tracker->id()], static_cast<uint64_t>(kRecords));
}

// The tracker on its own threads, as kinesis-put runs it: Add on the reading thread without a
// lock, Done on the callback thread in another order (each window of 100 tickets backwards),
// Transmitted and state() from a third. Every record counts once; nothing is acknowledged
// before its result.
TEST(AckTrackerThreadsTest, AddOnOneThreadAndResultsOutOfOrderOnAnother) {
  AckTracker tracker;
  constexpr uint64_t kRecords = 100000, kWindow = 100;
  std::atomic<uint64_t> added{0}, transmitted{0};  // tickets below these were added, marked
  std::thread reader([&] {
    for (uint64_t i = 0; i < kRecords; ++i) {
      EXPECT_EQ(tracker.Add({(i + 1) * 10, i + 1}), i);
      added.store(i + 1, std::memory_order_release);
    }
  });
  std::thread results([&] {
    for (uint64_t start = 0; start < kRecords; start += kWindow) {
      // A record goes out (Transmitted) before its result.
      while (transmitted.load(std::memory_order_acquire) < start + kWindow) {
        std::this_thread::yield();
      }
      for (uint64_t t = start + kWindow; t-- > start;) {
        tracker.Done(t);
        // Records before this window all have their results; t's window is still open.
        uint64_t acked = tracker.acked().line;
        EXPECT_TRUE(acked == start || (t == start && acked == start + kWindow)) << acked;
      }
    }
  });
  std::thread sender([&] {
    for (uint64_t t = 0; t < kRecords; t += 7) {
      while (added.load(std::memory_order_acquire) <= t) std::this_thread::yield();
      tracker.Transmitted(t);
      TrackerState seen = tracker.state();
      EXPECT_LE(seen.acked.line, seen.added.line);
      transmitted.store(std::min(t + 7, kRecords), std::memory_order_release);
    }
  });
  reader.join();
  results.join();
  sender.join();
  TrackerState state = tracker.state();
  EXPECT_EQ(state.acked.line, kRecords);
  EXPECT_EQ(state.added.offset, kRecords * 10);
  EXPECT_EQ(state.transmitted, (kRecords + 6) / 7);
  EXPECT_EQ(tracker.in_flight(), 0u);
}

}  // namespace
}  // namespace kinesis::put
