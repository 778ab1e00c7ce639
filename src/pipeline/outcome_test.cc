#include "pipeline/outcome.h"

#include <gtest/gtest.h>

namespace kinesis {
namespace {

RecordOutcome Ok(std::string shard) { return RecordOutcome{std::move(shard), "49", "", ""}; }
RecordOutcome Error(std::string code) { return RecordOutcome{"", "", std::move(code), "m"}; }

TEST(Outcome, SuccessInThePredictedShardOrNotAggregatedSucceeds) {
  EXPECT_EQ(JudgeEntry(Ok("shardId-1"), "shardId-1", true), Verdict::kSucceeded);
  EXPECT_EQ(JudgeEntry(Ok("shardId-2"), "shardId-1", false), Verdict::kSucceeded);
}

TEST(Outcome, AnAggregateInAnotherShardIsCheckedMemberByMember) {
  EXPECT_EQ(JudgeEntry(Ok("shardId-2"), "shardId-1", true), Verdict::kReachedOtherShard);
}

TEST(Outcome, EntryErrorsByTheOneTable) {
  EXPECT_EQ(JudgeEntry(Error(std::string(errors::kThrottled)), "s", true), Verdict::kThrottled);
  EXPECT_EQ(JudgeEntry(Error("InternalFailure"), "s", true), Verdict::kRetry);
  EXPECT_EQ(JudgeEntry(Error("ServiceUnavailable"), "s", true), Verdict::kRetry);
  // A credentials code never comes in an entry; were one to, it is retried.
  EXPECT_EQ(JudgeEntry(Error("ExpiredTokenException"), "s", true), Verdict::kRetry);
  EXPECT_EQ(JudgeEntry(Error("KMSAccessDeniedException"), "s", true), Verdict::kFail);
  EXPECT_EQ(JudgeEntry(Error("ValidationException"), "s", true), Verdict::kFail);
}

TEST(Outcome, AFailedRequestRetriesUnlessFatal) {
  EXPECT_EQ(JudgeRequest(RequestFailure::kRetriable), Verdict::kRetry);
  EXPECT_EQ(JudgeRequest(RequestFailure::kAmbiguous), Verdict::kRetry);
  EXPECT_EQ(JudgeRequest(RequestFailure::kFatal), Verdict::kFail);
}

}  // namespace
}  // namespace kinesis
