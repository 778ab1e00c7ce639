#include "sent_journal.h"

#include <gtest/gtest.h>
#include <stdlib.h>

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

}  // namespace
}  // namespace kinesis::put
