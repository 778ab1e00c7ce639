// RunStats: what one run of kinesis-put did, counted as it happens, shown live by Progress and
// at the end by the summary (text and JSON).
//
// Thread safety: counters are atomics, updated from the reading thread, the producer's
// callback thread and the backend's threads; the maps are guarded by mu.
#ifndef KINESIS_PUT_RUN_STATS_H_
#define KINESIS_PUT_RUN_STATS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace kinesis::put {

// One flow's share of a run (several flows: --agent-config), for the summary.
struct FlowCounts {
  std::string name;        // the stream and its file pattern
  uint64_t read = 0;       // records framed
  uint64_t succeeded = 0;  // records with a successful result
  uint64_t failed = 0;     // records that failed for good
  uint64_t bytes = 0;      // data + key of the records that succeeded
  uint64_t lag_bytes = 0;  // bytes of its files without a result (to their ends, at the end)
};

// Adds to a counter that only one thread writes (others only read it): a plain load and store
// instead of a locked read-modify-write, of which the reading and the callback thread each made
// four per record.
inline void AddOwn(std::atomic<uint64_t>& counter, uint64_t n) {
  counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

struct RunStats {
  // Input.
  // records_read, accepted and bytes_accepted: the reading thread's only (AddOwn).
  std::atomic<uint64_t> records_read{0};          // records framed, bad ones included
  std::atomic<uint64_t> bad_input{0};             // the sum of bad_input_by_kind
  std::atomic<uint64_t> resent_after_restart{0};  // possibly in the stream already
  std::atomic<uint64_t> records_truncated{0};     // cut to the limit, with the terminator
  std::atomic<uint64_t> records_skipped{0};       // dropped by a conversion (LOGTOJSON)
  // Following: truncations whose copy was not found, and the bytes known to be unread then.
  std::atomic<uint64_t> truncated_without_copy{0};
  std::atomic<uint64_t> lost_bytes_on_truncate{0};
  // Records (user records).
  std::atomic<uint64_t> accepted{0};        // taken by Producer::Put
  std::atomic<uint64_t> bytes_accepted{0};  // data + partition key
  // Written by the callback thread (succeeded and bytes_succeeded by it only: AddOwn): a cache
  // line apart from the reading thread's counters above, which would otherwise move between
  // the two cores at every record.
  alignas(64) std::atomic<uint64_t> succeeded{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> bytes_succeeded{0};
  std::atomic<uint64_t> retries{0};  // attempts beyond the first, over all records
  // Kinesis (what went over the wire).
  alignas(64) std::atomic<uint64_t> requests{0};  // PutRecords calls
  std::atomic<uint64_t> kinesis_records_sent{0};  // entries of those calls
  std::atomic<uint64_t> kinesis_records_put{0};   // entries answered with success
  std::atomic<uint64_t> throttled{0};             // entries answered with throttling
  std::atomic<uint64_t> request_failures{0};      // calls with no per-record answer
  std::atomic<uint64_t> possible_duplicates{0};   // user records in calls whose answer was lost

  std::mutex mu;
  std::map<std::string, uint64_t> failed_by_code;     // guarded by mu
  std::map<std::string, uint64_t> bad_input_by_kind;  // guarded by mu
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_RUN_STATS_H_
