// AckTracker: how far into one input file every record has its result, so a checkpoint never
// claims a record that is still in flight.
//
// Records are registered in file order (Add) and finish in any order (Done); the acknowledged
// position is the end of the longest prefix of finished records. A record that failed for good
// (its result says so, and it went to --failed-out) counts as finished: it is not lost, and
// resending it after a restart would not help.
//
// Thread safety: Add from the reading thread, Done from the producer's callback thread; every
// method takes the tracker's mutex.
#ifndef KINESIS_PUT_ACK_TRACKER_H_
#define KINESIS_PUT_ACK_TRACKER_H_

#include <cstdint>
#include <deque>
#include <mutex>

namespace kinesis::put {

struct FilePosition {
  uint64_t offset = 0;  // bytes
  uint64_t line = 0;    // lines (or binary records) before `offset`
};

class AckTracker {
 public:
  explicit AckTracker(FilePosition start = {});

  // Registers the next record, which ends at `end`; returns its ticket for Done.
  uint64_t Add(FilePosition end);
  void Done(uint64_t ticket);

  // Everything before this position has its result.
  FilePosition acked() const;
  // The end of the last record added (what was read and handed on).
  FilePosition added() const;
  uint64_t in_flight() const;

 private:
  mutable std::mutex mu_;
  uint64_t first_ticket_ = 0;                          // guarded by mu_: ticket of entries_.front()
  std::deque<std::pair<FilePosition, bool>> entries_;  // guarded by mu_: (end, done)
  FilePosition acked_;                                 // guarded by mu_
  FilePosition added_;                                 // guarded by mu_
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_ACK_TRACKER_H_
