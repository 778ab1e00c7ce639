#include "counting_backend.h"

namespace kinesis::put {

void CountingBackend::PutRecords(std::string_view stream,
                                 const std::vector<OutgoingRecord>& records,
                                 std::function<void(PutRecordsOutcome)> done) {
  stats_.requests.fetch_add(1, std::memory_order_relaxed);
  stats_.kinesis_records_sent.fetch_add(records.size(), std::memory_order_relaxed);
  size_t count = records.size();
  inner_->PutRecords(stream, records,
                     [this, count, done = std::move(done)](PutRecordsOutcome outcome) {
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
                           stats_.possible_duplicates.fetch_add(count, std::memory_order_relaxed);
                         }
                       }
                       done(std::move(outcome));
                     });
}

}  // namespace kinesis::put
