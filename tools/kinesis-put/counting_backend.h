// CountingBackend: a KinesisBackend that passes every call on and counts what went over the
// wire (requests, Kinesis records, throttled entries, lost answers) into RunStats, which the
// producer's results alone cannot tell; and tells the sent journal what goes out.
//
// Thread safety: as KinesisBackend; the counters are atomics.
#ifndef KINESIS_PUT_COUNTING_BACKEND_H_
#define KINESIS_PUT_COUNTING_BACKEND_H_

#include <memory>

#include "kinesis/kinesis_backend.h"
#include "run_stats.h"
#include "sent_journal.h"

namespace kinesis::put {

class CountingBackend : public KinesisBackend {
 public:
  // `stats` (and `journal`, which may be null) must outlive the backend and every call's
  // completion. The journal hears of every request before it goes out.
  CountingBackend(std::shared_ptr<KinesisBackend> inner, RunStats& stats,
                  SentJournal* journal = nullptr)
      : inner_(std::move(inner)), stats_(stats), journal_(journal) {}

  void PutRecords(std::string_view stream, const std::vector<OutgoingRecord>& records,
                  std::function<void(PutRecordsOutcome)> done) override;
  void ListShards(std::string_view stream,
                  std::function<void(Result<std::vector<ShardListing>>)> done) override {
    inner_->ListShards(stream, std::move(done));
  }

 private:
  std::shared_ptr<KinesisBackend> inner_;
  RunStats& stats_;
  SentJournal* const journal_;
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_COUNTING_BACKEND_H_
