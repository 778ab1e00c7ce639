// SentJournal: which records of which input file have gone over the wire, so that a restart
// after kill -9 can tell how many of the records it sends again may already be in the stream.
//
// The reading thread registers each record before handing it to the producer (Expect, keyed by
// a hash of its partition key and data); the backend calls Sending with every PutRecords
// request before it goes out. Each record found there (aggregates are opened) is marked
// Transmitted in its AckTracker, and the journal file (CHECKPOINT.sent) is rewritten with every
// tracker's count of transmitted records before the request is passed on:
//   kinesis-put-sent 1
//   tracker TRACKER_ID TRANSMITTED
// The file is written in place without fsync: it survives kill -9 (the kernel keeps the
// write), not necessarily a power loss, after which the count may be short. The checkpoint
// holds, per tracker, how many transmitted records it acknowledged; the difference is the count.
//
// Identical records (same key and data) are told apart only by order: the first registered is
// the first marked, which is enough to count them.
//
// Thread safety: Expect from one thread at a time (the reading thread); Forget and Sending from
// any thread. The records waiting to go out are spread over kShards maps, each with its mutex,
// so that the reading thread and a request being marked seldom wait for each other; mu_
// guards the trackers and the file.
#ifndef KINESIS_PUT_SENT_JOURNAL_H_
#define KINESIS_PUT_SENT_JOURNAL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ack_tracker.h"
#include "kinesis/kinesis_backend.h"
#include "kinesis/status.h"

namespace kinesis::put {

class SentJournal {
 public:
  // Creates (or empties) PATH.
  static Result<std::unique_ptr<SentJournal>> Create(const std::string& path);
  // Tracker id -> records transmitted, from a journal file; a missing file is empty.
  static Result<std::map<uint64_t, uint64_t>> Load(const std::string& path);
  static uint64_t Key(std::string_view partition_key, std::string_view data);

  ~SentJournal();
  SentJournal(const SentJournal&) = delete;
  SentJournal& operator=(const SentJournal&) = delete;

  void Expect(uint64_t key, const std::shared_ptr<AckTracker>& tracker, uint64_t ticket);
  // The record has its result; forgets it if it never went out.
  void Forget(uint64_t key, const AckTracker* tracker, uint64_t ticket);
  // Marks the records of a request about to be sent and saves the counts.
  void Sending(const std::vector<OutgoingRecord>& records);

 private:
  struct Pending {
    std::shared_ptr<AckTracker> tracker;
    uint64_t ticket;
  };
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::unordered_multimap<uint64_t, Pending> pending;  // guarded by mu
  };
  SentJournal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  void WriteLocked();

  const std::string path_;
  const int fd_;
  Shard shards_[kShards];
  const AckTracker* last_expected_ = nullptr;  // the Expect thread's
  std::mutex mu_;
  std::unordered_map<uint64_t, std::shared_ptr<AckTracker>> trackers_;  // guarded by mu_
  size_t written_size_ = 0;                                             // guarded by mu_
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_SENT_JOURNAL_H_
