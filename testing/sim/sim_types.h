// Plain value types of kinesis-sim: its options, the records it stores, the counters it keeps
// and the faults it injects. Shared by the library's parts and by tests.
//
// Thread safety: values; copy freely.
#ifndef KINESIS_SIM_SIM_TYPES_H_
#define KINESIS_SIM_SIM_TYPES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kinesis::sim {

// Faults the simulator injects. Rates are probabilities in [0, 1] drawn from a PRNG seeded with
// `seed`, so the same requests in the same order meet the same faults. Counts ("next N") are
// used up by the requests they hit.
struct FaultConfig {
  uint64_t seed = 1;
  // Per record (PutRecords) or per request (PutRecord).
  double record_internal_failure_rate = 0;
  double record_throttle_rate = 0;
  std::vector<std::string> fail_shards;      // every record routed there: InternalFailure
  std::vector<std::string> throttle_shards;  // every record routed there: throttled
  std::vector<std::string> throttle_streams;  // every record put to these streams: throttled
  // Whole-request errors on Kinesis API requests: the next `error_next` requests, then at
  // `error_rate`. Status 500 -> InternalFailure, 503 -> ServiceUnavailable, 400 -> error_type.
  int error_status = 500;
  std::string error_type;  // empty: chosen by status (400: LimitExceededException)
  int64_t error_next = 0;
  double error_rate = 0;
  // Added latency: fixed plus uniform random in [0, latency_jitter_ms].
  int64_t latency_ms = 0;
  int64_t latency_jitter_ms = 0;
  // Connection resets: before the request is processed (nothing happened) or after it (the
  // request took effect, the answer is lost).
  int64_t reset_before_next = 0;
  double reset_before_rate = 0;
  int64_t reset_after_next = 0;
  double reset_after_rate = 0;
  // Stalled answers: held for stall_ms (0: forever, until the client gives up).
  int64_t stall_next = 0;
  double stall_rate = 0;
  int64_t stall_ms = 0;
  // A reshard at a given moment: "split:STREAM:SHARD_ID", "merge:STREAM:SHARD_ID:ADJACENT_ID"
  // or "scale:STREAM:COUNT", after `reshard_after_requests` Kinesis requests or once
  // `reshard_at_ms` ms have passed since the faults were set (whichever is set; > 0).
  std::string reshard;
  int64_t reshard_after_requests = 0;
  int64_t reshard_at_ms = 0;
  // A stream that disappears (is deleted) at a given moment, same triggers.
  std::string vanish_stream;
  int64_t vanish_after_requests = 0;
  int64_t vanish_at_ms = 0;
};

struct SimOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port; read it back with KinesisSim::port()
  int threads = 1;    // worker threads, each with its own epoll loop
  bool storage = true;  // keep every accepted record (else only count)
  bool limits = true;   // per-shard write limits
  double shard_bytes_per_second = 1024 * 1024;
  double shard_records_per_second = 1000;
  size_t max_record_bytes = 1024 * 1024;       // data blob, decoded
  size_t max_request_bytes = 5 * 1024 * 1024;  // sum of data + partition keys
  size_t max_records = 500;
  size_t max_body_bytes = 16 * 1024 * 1024;  // HTTP bodies above: 413, connection closed
  // Both set: serve HTTPS only, with this PEM certificate (chain) and key; see
  // test_certificates.h for a CA and certificate made on the spot.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string account = "000000000000";
  std::string region = "us-east-1";
  // Microseconds of a monotonic clock; tests inject a manual one to make limits deterministic.
  std::function<int64_t()> clock_us;
  FaultConfig faults;
  std::vector<std::pair<std::string, int>> streams;  // created at start (name, shard count)
};

struct StoredRecord {
  std::string stream;
  std::string shard_id;
  std::string sequence_number;
  std::string partition_key;
  std::string explicit_hash_key;  // as sent; empty when none
  std::string data;               // decoded
  int64_t arrival_ms = 0;         // wall clock, ms since the epoch
};

struct ShardCounters {
  uint64_t records_accepted = 0;
  uint64_t records_throttled = 0;
  uint64_t records_failed = 0;
  uint64_t bytes_accepted = 0;  // data + partition key
};

struct SimCounters {
  uint64_t requests = 0;          // Kinesis API requests (not the control API)
  uint64_t put_requests = 0;      // PutRecord + PutRecords
  uint64_t records_accepted = 0;
  uint64_t records_throttled = 0;
  uint64_t records_failed = 0;    // per-record InternalFailure
  uint64_t bytes_accepted = 0;    // data + partition key of accepted records
  uint64_t resets = 0;
  uint64_t stalls = 0;
  // Records of put requests carried out and then reset (reset_after: the answer is lost): the
  // written ones are in the stream, and a client that sends them again writes them twice; the
  // others (throttled, failed) are not, so sending them again duplicates nothing.
  uint64_t answer_lost_records_written = 0;
  uint64_t answer_lost_records_not_written = 0;
  std::map<std::string, uint64_t> errors_by_code;  // whole-request and per-record codes
  std::map<std::string, ShardCounters> shards;     // key "STREAM/shardId-..."
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_SIM_TYPES_H_
