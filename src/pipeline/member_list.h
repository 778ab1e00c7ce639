// MemberList: the user records of a Kinesis record (or of an aggregate being filled), with what
// the engine needs of them after routing kept beside the pointers.
//
// A record is read when it joins the list, while its memory is still in the engine's cache.
// By the time its Kinesis record is sent and answered, tens of thousands of other records have
// passed through and it is not: reading each member's fields then (expiry, put time, flush
// epoch, size) cost a cache miss per member and field. The summary here (a contiguous array of
// put times, the earliest expiry, flush-epoch counts, byte total) lets sending and succeeding
// touch no member; the result dispatcher, which must, prefetches them.
//
// Members are only added (push_back), never removed: a list with fewer members is built anew.
// Engine thread only.
#ifndef KINESIS_PIPELINE_MEMBER_LIST_H_
#define KINESIS_PIPELINE_MEMBER_LIST_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "pipeline/pending_record.h"

namespace kinesis {

class MemberList {
 public:
  // Records of one flush epoch, consecutive in the list.
  struct EpochRun {
    uint64_t epoch;
    uint64_t count;
  };

  void push_back(PendingRecord* record) {
    records_.push_back(record);
    put_ns_.push_back(record->put_ns);
    if (epochs_.empty() || epochs_.back().epoch != record->epoch) {
      epochs_.push_back(EpochRun{record->epoch, 0});
    }
    ++epochs_.back().count;
    earliest_expiry_ns_ = records_.size() == 1 ? record->expires_ns
                                               : std::min(earliest_expiry_ns_, record->expires_ns);
    const uint64_t bytes = record->data.size();
    data_bytes_ += bytes;
    min_data_bytes_ = records_.size() == 1 ? bytes : std::min(min_data_bytes_, bytes);
    max_data_bytes_ = std::max(max_data_bytes_, bytes);
    if (!record->attempts.empty()) ++with_own_attempts_;
  }

  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  PendingRecord* operator[](size_t i) const { return records_[i]; }
  PendingRecord* front() const { return records_.front(); }
  auto begin() const { return records_.begin(); }
  auto end() const { return records_.end(); }

  // The members' put times (steady clock), in list order.
  const std::vector<int64_t>& put_ns() const { return put_ns_; }
  const std::vector<EpochRun>& epochs() const { return epochs_; }
  // The earliest RecordTtl deadline among the members (0 when empty).
  int64_t earliest_expiry_ns() const { return earliest_expiry_ns_; }
  // Their data bytes (without keys).
  uint64_t data_bytes() const { return data_bytes_; }
  // The smallest and largest member's data bytes (0 when empty).
  uint64_t min_data_bytes() const { return min_data_bytes_; }
  uint64_t max_data_bytes() const { return max_data_bytes_; }
  // Members that carry attempts of their own (made in Kinesis records they left) when they
  // joined: only those need reading to count a member's attempts.
  size_t with_own_attempts() const { return with_own_attempts_; }

  // Hands the record pointers over and empties the list.
  std::vector<PendingRecord*> TakeRecords() {
    std::vector<PendingRecord*> records = std::move(records_);
    clear();
    return records;
  }
  void reserve(size_t n) {
    records_.reserve(n);
    put_ns_.reserve(n);
  }
  void clear() {
    records_.clear();
    put_ns_.clear();
    epochs_.clear();
    earliest_expiry_ns_ = 0;
    data_bytes_ = 0;
    min_data_bytes_ = 0;
    max_data_bytes_ = 0;
    with_own_attempts_ = 0;
  }
  void swap(MemberList& other) noexcept {
    records_.swap(other.records_);
    put_ns_.swap(other.put_ns_);
    epochs_.swap(other.epochs_);
    std::swap(earliest_expiry_ns_, other.earliest_expiry_ns_);
    std::swap(data_bytes_, other.data_bytes_);
    std::swap(min_data_bytes_, other.min_data_bytes_);
    std::swap(max_data_bytes_, other.max_data_bytes_);
    std::swap(with_own_attempts_, other.with_own_attempts_);
  }

 private:
  std::vector<PendingRecord*> records_;
  std::vector<int64_t> put_ns_;
  std::vector<EpochRun> epochs_;
  int64_t earliest_expiry_ns_ = 0;
  uint64_t data_bytes_ = 0;
  uint64_t min_data_bytes_ = 0;
  uint64_t max_data_bytes_ = 0;
  size_t with_own_attempts_ = 0;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_MEMBER_LIST_H_
