// What Kinesis answers, as plain values shared by the JSON and CBOR decoders.
//
// Thread safety: values.
#ifndef KINESIS_WIRE_RESPONSES_H_
#define KINESIS_WIRE_RESPONSES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis::wire {

// One PutRecords entry, in request order: either shard_id + sequence_number, or error_code +
// error_message (the other pair empty; nulls are read as empty). The views point into the
// PutRecordsResult's `text`.
struct PutRecordsResultEntry {
  std::string_view shard_id;
  std::string_view sequence_number;
  std::string_view error_code;
  std::string_view error_message;
  bool ok() const { return error_code.empty(); }
};

// Move-only: the entries view `text` (the answer's own bytes, kept on the heap, so a move
// leaves the views valid). A 500-entry answer is read without an allocation per entry.
struct PutRecordsResult {
  PutRecordsResult() = default;
  PutRecordsResult(PutRecordsResult&&) = default;
  PutRecordsResult& operator=(PutRecordsResult&&) = default;
  PutRecordsResult(const PutRecordsResult&) = delete;
  PutRecordsResult& operator=(const PutRecordsResult&) = delete;

  uint32_t failed_record_count = 0;
  std::vector<PutRecordsResultEntry> records;
  std::string encryption_type;
  std::string text;  // what `records` view
};

struct PutRecordResult {
  std::string shard_id;
  std::string sequence_number;
};

struct Shard {
  std::string shard_id;
  std::string parent_shard_id;
  std::string adjacent_parent_shard_id;
  std::string starting_hash_key;  // decimal
  std::string ending_hash_key;    // decimal
  std::string starting_sequence_number;
  std::string ending_sequence_number;  // set only for closed shards
  bool closed() const { return !ending_sequence_number.empty(); }
};

struct ListShardsResult {
  std::vector<Shard> shards;
  std::string next_token;  // empty on the last page
};

struct StreamSummary {
  std::string stream_name;
  std::string stream_arn;
  std::string stream_status;  // CREATING, ACTIVE, ...
  std::string stream_mode;    // PROVISIONED or ON_DEMAND (empty when not reported)
  uint64_t open_shard_count = 0;
  std::string encryption_type;
  std::optional<uint64_t> max_record_size_kib;  // MaxRecordSizeInKiB, when reported
};

struct GetRecordsRecord {
  std::string sequence_number;
  std::string partition_key;
  std::string data;  // decoded bytes
};

struct GetRecordsResult {
  std::vector<GetRecordsRecord> records;
  std::string next_shard_iterator;
  uint64_t millis_behind_latest = 0;
};

struct ServiceErrorBody {
  std::string type;     // __type as sent (may carry a "prefix#")
  std::string message;  // "message" or "Message"
};

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_RESPONSES_H_
