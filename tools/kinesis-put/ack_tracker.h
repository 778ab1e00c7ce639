// AckTracker: how far into one input file every record has its result, so a checkpoint never
// claims a record that is still in flight, and how many of its records went over the wire, so
// a restart after a crash can say how many of the records it sends again may be duplicates.
//
// Records are registered in file order (Add) and finish in any order (Done); the acknowledged
// position is the end of the longest prefix of finished records. A record that failed for good
// (its result says so, and it went to --failed-out) counts as finished: it is not lost, and
// resending it after a restart would not help. Transmitted marks a record as sent in a
// PutRecords call (the first time only; retries do not count again).
//
// Every tracker has a random 64-bit id, written in the checkpoint and in the sent journal
// (sent_journal.h), which tells whether the two describe the same reading of a file.
//
// Thread safety: Add from the reading thread, Done from the producer's callback thread,
// Transmitted from the backend's threads. Add takes no lock: it appends the record's end to a
// list of chunks only the reading thread writes, which any other method, under the tracker's
// mutex, empties into the records in flight. Every other method takes the mutex, so each sees
// every Add that happened before it.
#ifndef KINESIS_PUT_ACK_TRACKER_H_
#define KINESIS_PUT_ACK_TRACKER_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace kinesis::put {

struct FilePosition {
  uint64_t offset = 0;  // bytes
  uint64_t line = 0;    // lines (or binary records) before `offset`
};

// One consistent view of a tracker.
struct TrackerState {
  FilePosition acked;  // everything before this has its result
  FilePosition added;  // the end of the last record added (read and handed on)
  // Records transmitted at least once, in all and among those before `acked`; their
  // difference is how many records after `acked` may already be in the stream.
  uint64_t transmitted = 0;
  uint64_t transmitted_acked = 0;
};

class AckTracker {
 public:
  explicit AckTracker(FilePosition start = {});
  ~AckTracker();
  AckTracker(const AckTracker&) = delete;
  AckTracker& operator=(const AckTracker&) = delete;

  // Registers the next record, which ends at `end`; returns its ticket for Done.
  uint64_t Add(FilePosition end);
  void Done(uint64_t ticket);
  // The record went out in a request (before its answer, hence before Done).
  void Transmitted(uint64_t ticket);
  void Transmitted(const std::vector<uint64_t>& tickets);  // under one lock

  uint64_t id() const { return id_; }
  TrackerState state() const;
  // Everything before this position has its result.
  FilePosition acked() const;
  // The end of the last record added (what was read and handed on).
  FilePosition added() const;
  uint64_t in_flight() const;

 private:
  struct Entry {
    FilePosition end;
    bool done = false;
    bool transmitted = false;
  };
  // Records added and not yet in entries_, kChunk to a chunk: ticket t is in the chunk of
  // tickets t - t % kChunk while drained_ <= t < added_count_. Add taking the mutex made its
  // cache line move between the reading and the callback thread twice per record; a ring
  // the reading thread emptied itself when full had it write entries_, which Done then
  // missed in its cache.
  static constexpr uint64_t kChunk = 256;
  struct Chunk {
    std::array<FilePosition, kChunk> ends;
    Chunk* next = nullptr;  // written by Add before it publishes the chunk's first record
  };

  // Moves the records added since the last time into entries_; under mu_.
  void DrainLocked() const;

  const uint64_t id_;
  // The reading thread's: the chunk Add writes, and the next ticket.
  Chunk* adding_;
  uint64_t next_ = 0;
  alignas(64) std::atomic<uint64_t> added_count_{0};  // next_, published by Add
  alignas(64) mutable std::mutex mu_;
  mutable Chunk* draining_;            // guarded by mu_: the chunk of ticket drained_
  mutable uint64_t drained_ = 0;       // guarded by mu_: records moved into entries_
  mutable uint64_t first_ticket_ = 0;  // guarded by mu_: ticket of entries_.front()
  mutable std::deque<Entry> entries_;  // guarded by mu_
  mutable TrackerState state_;         // guarded by mu_
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_ACK_TRACKER_H_
