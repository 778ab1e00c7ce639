#include "counting_backend.h"

#include "kinesis/aggregation.h"

namespace kinesis::put {

namespace {

// User records in these Kinesis records (an aggregate holds many).
uint64_t UserRecords(const std::vector<std::string_view>& sent) {
  uint64_t users = 0;
  DeaggregateOptions options;
  options.verify_checksum = false;
  std::vector<DeaggregatedRecord> members;
  for (std::string_view data : sent) {
    members.clear();
    users += IsAggregated(data) && Deaggregate(data, "k", std::nullopt, options, &members).ok()
                 ? members.size()
                 : 1;
  }
  return users;
}

}  // namespace

void CountingBackend::PutRecords(std::string_view stream,
                                 const std::vector<OutgoingRecord>& records,
                                 std::function<void(PutRecordsOutcome)> done) {
  if (journal_ != nullptr) journal_->Sending(records);
  stats_.requests.fetch_add(1, std::memory_order_relaxed);
  stats_.kinesis_records_sent.fetch_add(records.size(), std::memory_order_relaxed);
  // The bytes stay valid until the completion runs (KinesisBackend's contract): enough to
  // count the user records of a call whose answer was lost.
  std::vector<std::string_view> sent;
  sent.reserve(records.size());
  for (const OutgoingRecord& r : records) sent.push_back(r.data);
  inner_->PutRecords(
      stream, records,
      [this, sent = std::move(sent), done = std::move(done)](PutRecordsOutcome outcome) {
        if (outcome.failure == RequestFailure::kNone) {
          uint64_t ok = 0, throttled = 0;
          for (const RecordOutcome& r : outcome.records) {
            ok += r.error_code.empty();
            throttled += r.error_code == "ProvisionedThroughputExceededException";
          }
          stats_.kinesis_records_put.fetch_add(ok, std::memory_order_relaxed);
          stats_.throttled.fetch_add(throttled, std::memory_order_relaxed);
        } else {
          stats_.request_failures.fetch_add(1, std::memory_order_relaxed);
          if (outcome.failure == RequestFailure::kAmbiguous) {
            stats_.possible_duplicates.fetch_add(UserRecords(sent), std::memory_order_relaxed);
          }
        }
        done(std::move(outcome));
      });
}

}  // namespace kinesis::put
