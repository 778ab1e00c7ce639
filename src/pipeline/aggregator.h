// Aggregator: the open aggregate of one shard: the encoder building it and the user records in
// it, kept in step.
//
// Records join in put order (routing's order); Seal turns what is held into one Kinesis record
// (a KPL aggregate, or the one record plain when it is alone, as the KPL does) and starts the
// next. The aggregate is built without its MD5 trailer: Engine::Send digests a request's
// aggregates together.
//
// Invariants (KP_DCHECK): the encoder holds exactly the records of members(), in order;
// send_by_ns() is the earliest buffering deadline among them.
//
// Engine thread only.
#ifndef KINESIS_PIPELINE_AGGREGATOR_H_
#define KINESIS_PIPELINE_AGGREGATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/aggregation.h"
#include "pipeline/kinesis_record.h"
#include "pipeline/member_list.h"

namespace kinesis {

class Aggregator {
 public:
  // Adds `record` when the aggregate with it is at most `max_size` bytes; otherwise leaves
  // everything as it was and returns false (an empty aggregator refuses only a record too
  // large to aggregate at all).
  bool Add(PendingRecord* record, size_t max_size);

  bool empty() const { return members_.empty(); }
  size_t size() const { return members_.size(); }
  int64_t send_by_ns() const { return send_by_ns_; }
  const MemberList& members() const { return members_; }
  // Loads the key-table slot of that partition-key hash into the cache, ahead of Add.
  void Prefetch(uint64_t key_hash) const { encoder_.Prefetch(key_hash); }

  // The Kinesis record of what it holds, predicted for `shard_id`, and starts the next
  // aggregate. An aggregate is built into a buffer taken from `spares` when there is one (its
  // storage is reused: no allocation, no zero fill). Not empty.
  std::unique_ptr<KinesisRecord> Seal(std::string_view shard_id,
                                      std::vector<std::string>& spares);
  // Gives its records back, in order, and starts empty.
  std::vector<PendingRecord*> Release();

 private:
  AggregateEncoder encoder_;
  MemberList members_;
  int64_t send_by_ns_ = 0;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_AGGREGATOR_H_
