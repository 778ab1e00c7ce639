#include "sent_journal.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace kinesis::put {
namespace {

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

}  // namespace
}  // namespace kinesis::put
