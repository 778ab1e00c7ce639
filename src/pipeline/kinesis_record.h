// KinesisRecord: one Kinesis record on its way through the engine. Engine thread only.
#ifndef KINESIS_PIPELINE_KINESIS_RECORD_H_
#define KINESIS_PIPELINE_KINESIS_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/producer.h"
#include "pipeline/member_list.h"
#include "pipeline/pending_record.h"

namespace kinesis {

// One Kinesis record on its way: an aggregate of user records of one shard, or one plain user
// record.
struct KinesisRecord {
  MemberList members;
  bool aggregated = false;
  std::string aggregate;          // the encoded bytes when aggregated
  bool digest_pending = false;    // its MD5 trailer is still to be written (Send does)
  std::string explicit_hash_key;  // aggregated: first member's hash; plain: its own, if any
  std::string predicted_shard;
  int64_t send_by_ns = 0;       // earliest member's buffering deadline
  int64_t due_ns = 0;           // not before (retry backoff)
  int64_t answered_ns = 0;      // when its last attempt was answered (BufferingTime of a retry)
  uint32_t attempts = 0;        // requests this record has been in
  // Those requests, once, for all its members (a member's own `attempts` hold the ones it made
  // in Kinesis records it has left): one entry per request instead of one per user record.
  std::vector<Attempt> history;

  // Gives the history to a member that leaves this record without its result.
  void HandDownHistory(PendingRecord& member) const {
    member.attempts.insert(member.attempts.end(), history.begin(), history.end());
  }
  // The same for every member, before they all leave it.
  void HandDownHistory() {
    for (PendingRecord* m : members) HandDownHistory(*m);
    history.clear();
  }

  std::string_view data() const {
    return aggregated ? std::string_view(aggregate) : std::string_view(members[0]->data);
  }
  std::string_view partition_key() const {
    // Aggregates travel with a one-character outer key: it counts toward the record size, and
    // the explicit hash key does the routing.
    return aggregated ? std::string_view("a") : std::string_view(members[0]->partition_key);
  }
  // What the service counts: data plus partition key.
  uint64_t size() const { return data().size() + partition_key().size(); }
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_KINESIS_RECORD_H_
