// The engine's per-stream and per-shard state. Engine thread only.
#ifndef KINESIS_PIPELINE_ENGINE_STATE_H_
#define KINESIS_PIPELINE_ENGINE_STATE_H_

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kinesis/aggregation.h"
#include "kinesis/kinesis_backend.h"
#include "pipeline/backoff.h"
#include "pipeline/aggregator.h"
#include "pipeline/kinesis_record.h"
#include "pipeline/record_queue.h"
#include "pipeline/shard_limiter.h"
#include "shard_map/shard_map.h"

namespace kinesis {

// What one engine pass observed for a shard (or, in StreamPassMetrics::unsharded, for records
// of no known shard); recorded into the metrics at the pass's end, so the registry's lock is
// taken a few times per pass, never per record. As the KPL puts them: per user record result
// (UserRecordsPut 1 or 0, RetriesPerRecord, UserRecordExpired), per Kinesis record answered
// (KinesisRecordsPut 1 or 0, AllErrors 0 or 1, ErrorsByCode), per Kinesis record sent
// (BufferingTime of its members, UserRecordsPerKinesisRecord).
struct ShardPassMetrics {
  uint64_t user_records_put = 0;
  uint64_t user_records_failed = 0;
  uint64_t user_bytes_put = 0;
  uint64_t user_bytes_min = 0, user_bytes_max = 0;  // of one user record put
  uint64_t kinesis_records_put = 0;
  uint64_t kinesis_records_failed = 0;  // entries answered with an error
  uint64_t kinesis_bytes_put = 0;
  uint64_t kinesis_bytes_min = 0, kinesis_bytes_max = 0;  // of one Kinesis record put
  uint64_t throttled = 0;
  uint64_t expired = 0;
  std::vector<double> user_per_kinesis;
  std::vector<double> buffering_ms;
  std::vector<double> retries_per_record;
  std::map<std::string, uint64_t> errors_by_code;
  bool any() const {
    return user_records_put + user_records_failed + kinesis_records_put + kinesis_records_failed +
                   throttled + expired >
               0 ||
           !user_per_kinesis.empty() || !buffering_ms.empty() || !retries_per_record.empty() ||
           !errors_by_code.empty();
  }
};

struct StreamPassMetrics {
  uint64_t received = 0;
  std::vector<double> put_latency_ms;
  // Per PutRecords request of the stream.
  std::vector<double> request_ms, kinesis_per_request, user_per_request;
  // Results and errors of no known shard: request-wide failures, records failed before
  // reaching a shard.
  ShardPassMetrics unsharded;
};

struct ShardState {
  ShardState(const ShardListing& listing, ShardLimits limits, double rate_limit_percent)
      : info(listing), limiter(limits, rate_limit_percent) {}

  ShardListing info;
  Aggregator open;  // the aggregate being filled
  RecordQueue ready;    // sealed, waiting to be collected
  RecordQueue retries;  // failed once or more, oldest first
  ShardLimiter limiter;
  int in_flight = 0;  // Kinesis records of this shard in requests not yet answered
  // Its aggregates that reached a shard the map does not know yet (StreamState::parked): under
  // StrictOrdering the shard sends nothing newer until the refreshed map says which of their
  // members must be sent again, and it is not erased before.
  int parked = 0;
  // StrictOrdering without aggregation: the partition keys (key_hash) of the records in
  // flight, with their counts. A record is sent only when no earlier record of its key is in
  // flight or queued before it (Engine::TakeInKeyOrder).
  std::unordered_map<uint64_t, uint32_t> keys_in_flight;
  // The shard left the map (split, merged, or its range changed) while requests of it were in
  // flight: it holds no records and is erased when the last of them is answered. Under
  // StrictOrdering its children send nothing until then (Engine::WaitsForParents).
  bool retired = false;
  ShardPassMetrics pass;
};

struct FlushWaiter;

struct StreamState {
  std::string name;
  std::shared_ptr<const ShardMap> map;
  uint64_t map_generation = 0;
  bool has_retired_shards = false;
  bool listing = false;       // a ListShards is in flight
  bool map_stale = false;     // a wrong-shard answer asked for a refresh
  int64_t next_list_ns = 0;   // earliest time for the next ListShards
  int64_t refresh_at_ns = 0;  // periodic refresh
  uint32_t list_failures = 0;
  Status list_error;  // the last ListShards failure
  std::vector<PendingRecord*> waiting_for_map;
  std::unordered_map<std::string, std::unique_ptr<ShardState>> shards;
  // The state of map->shards()[i], filled as records reach it: routing a record costs no
  // hashing of the shard id. Reset with the map.
  std::vector<ShardState*> shard_by_index;
  // Aggregates written to a shard the map does not know yet (with the service's answer):
  // their members are checked against that shard's range when the refreshed map comes.
  std::vector<std::pair<std::unique_ptr<KinesisRecord>, RecordOutcome>> parked;
  int64_t next_expiry_check_ns = 0;  // for records waiting for the map
  // The earliest RecordTtl deadline of the records queued in its shards (ready or waiting for
  // a retry), or earlier: when it passes, ExpireQueued looks for expired records.
  int64_t next_queued_expiry_ns = std::numeric_limits<int64_t>::max();
  int in_flight_requests = 0;
  int64_t last_active_ns = 0;  // the last time a record of it was ingested or sent

  // Flush accounting: records not yet finished, by the epoch they were ingested in.
  uint64_t epoch = 0;
  std::map<uint64_t, uint64_t> open_by_epoch;
  // A flush waits for the records of epochs up to flush_through: those are sealed and sent
  // without waiting for their deadlines. Records put after the flush are not hurried (the KPL's
  // flushSync flushes every 500 ms: hurrying everything would send tiny aggregates throughout).
  bool flush_waiting = false;
  uint64_t flush_through = 0;
  // Whether `members` hold a record a waiting flush covers.
  bool FlushCovers(const MemberList& members) const {
    if (!flush_waiting) return false;
    for (const MemberList::EpochRun& run : members.epochs()) {
      if (run.epoch <= flush_through) return true;
    }
    return false;
  }
  StreamPassMetrics pass;
};

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_ENGINE_STATE_H_
