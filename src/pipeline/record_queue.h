// RecordQueue: the Kinesis records of one shard waiting to be sent (sealed ones, or ones
// waiting for a retry), in the order they are to go, with what collection needs of them kept
// as a summary: their count, their bytes, and a lower bound of their buffering deadlines.
//
// Deciding whether a request is worth sending used to walk every waiting record of every
// shard for each request (with aggregation off, tens of thousands of them: 56% of the CPU at
// full load). With the summary it reads one entry per shard.
//
// Invariants (checked by KP_DCHECK):
//   - bytes() is the sum of size() of the records held; empty() means bytes() == 0.
//   - earliest_send_by() <= every held record's send_by_ns (it may be earlier: records that
//     left are not subtracted; it is reset when the queue empties).
//
// Engine thread only.
#ifndef KINESIS_PIPELINE_RECORD_QUEUE_H_
#define KINESIS_PIPELINE_RECORD_QUEUE_H_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <vector>

#include "common/dcheck.h"
#include "pipeline/kinesis_record.h"

namespace kinesis {

class RecordQueue {
 public:
  using Ptr = std::unique_ptr<KinesisRecord>;
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

  bool empty() const { return records_.empty(); }
  size_t size() const { return records_.size(); }
  uint64_t bytes() const { return bytes_; }
  int64_t earliest_send_by() const { return earliest_send_by_; }
  KinesisRecord& front() const { return *records_.front(); }
  auto begin() const { return records_.begin(); }
  auto end() const { return records_.end(); }

  void push_back(Ptr record) {
    Note(*record);
    records_.push_back(std::move(record));
  }
  // Puts `records`, in their order, before every record held.
  void PushFront(std::vector<Ptr> records) {
    for (const Ptr& r : records) Note(*r);
    records_.insert(records_.begin(), std::make_move_iterator(records.begin()),
                    std::make_move_iterator(records.end()));
  }
  Ptr PopFront() {
    Ptr record = std::move(records_.front());
    records_.pop_front();
    Forget(*record);
    return record;
  }
  // Removes, in order, the records for which `take(record)` returns true; `take` may keep
  // them (it receives the owning pointer by reference and moves from it).
  template <typename Take>
  void Extract(Take take) {
    bool any = false;
    for (Ptr& slot : records_) {
      KinesisRecord* record = slot.get();
      uint64_t size = record->size();
      if (!take(slot)) continue;
      KP_DCHECK(slot == nullptr);
      bytes_ -= size;
      any = true;
    }
    if (!any) return;
    std::erase_if(records_, [](const Ptr& r) { return r == nullptr; });
    if (records_.empty()) Reset();
    KP_DCHECK(!records_.empty() || bytes_ == 0);
  }
  // Hands every record over, in order, and empties the queue.
  std::deque<Ptr> TakeAll() {
    std::deque<Ptr> all;
    all.swap(records_);
    bytes_ = 0;
    Reset();
    return all;
  }

 private:
  void Note(const KinesisRecord& record) {
    bytes_ += record.size();
    earliest_send_by_ = std::min(earliest_send_by_, record.send_by_ns);
  }
  void Forget(const KinesisRecord& record) {
    KP_DCHECK(bytes_ >= record.size());
    bytes_ -= record.size();
    if (records_.empty()) Reset();
  }
  void Reset() {
    KP_DCHECK(bytes_ == 0);
    bytes_ = 0;
    earliest_send_by_ = kNever;
  }

  std::deque<Ptr> records_;
  uint64_t bytes_ = 0;
  int64_t earliest_send_by_ = kNever;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_RECORD_QUEUE_H_
