// Kinesis JSON 1.1 request bodies (Content-Type application/x-amz-json-1.1, header
// X-Amz-Target: Kinesis_20131202.<Operation>), written straight into one caller-owned string:
// base64 of record data is encoded in place, nothing is built twice.
//
// The request structs hold views: they must outlive the Build call only. A stream is named by
// exactly one of StreamName and StreamARN. Builders check only what the JSON needs (a stream
// named, counts not negative); the service's own limits are checked by the layers above.
//
// Thread safety: pure functions.
#ifndef KINESIS_WIRE_JSON_REQUESTS_H_
#define KINESIS_WIRE_JSON_REQUESTS_H_

#include <span>
#include <string>
#include <string_view>

#include "kinesis/status.h"

namespace kinesis::wire {

enum class Operation {
  kPutRecords,
  kPutRecord,
  kListShards,
  kDescribeStreamSummary,
  kCreateStream,
  kDeleteStream,
  kSplitShard,
  kMergeShards,
  kUpdateShardCount,
  kGetShardIterator,
  kGetRecords,
};
// "PutRecords"
std::string_view OperationName(Operation op);
// "Kinesis_20131202.PutRecords"
std::string TargetHeader(Operation op);

struct StreamRef {
  std::string_view name;
  std::string_view arn;
};

struct PutRecordsEntry {
  std::string_view data;  // raw bytes (base64 on the wire)
  std::string_view partition_key;
  std::string_view explicit_hash_key;  // decimal, empty = none
};

struct PutRecordRequest {
  StreamRef stream;
  PutRecordsEntry record;
  std::string_view sequence_number_for_ordering;  // empty = none
};

struct ListShardsRequest {
  StreamRef stream;  // ignored (and not sent) when next_token is set
  std::string_view next_token;
  int max_results = 0;  // 0 = service default
  std::string_view exclusive_start_shard_id;
  std::string_view shard_filter_type;      // e.g. "AT_LATEST"; empty = no filter
  std::string_view shard_filter_shard_id;  // for AFTER_SHARD_ID
};

struct CreateStreamRequest {
  std::string_view name;
  int shard_count = 1;     // ignored when on_demand
  bool on_demand = false;  // StreamModeDetails ON_DEMAND
};

struct SplitShardRequest {
  StreamRef stream;
  std::string_view shard_to_split;
  std::string_view new_starting_hash_key;
};

struct MergeShardsRequest {
  StreamRef stream;
  std::string_view shard_to_merge;
  std::string_view adjacent_shard_to_merge;
};

struct UpdateShardCountRequest {
  StreamRef stream;
  int target_shard_count = 1;  // UNIFORM_SCALING
};

struct GetShardIteratorRequest {
  StreamRef stream;
  std::string_view shard_id;
  std::string_view iterator_type = "TRIM_HORIZON";
  std::string_view starting_sequence_number;  // for AT_/AFTER_SEQUENCE_NUMBER
};

struct GetRecordsRequest {
  std::string_view shard_iterator;
  int limit = 0;  // 0 = service default
};

// Each replaces `out` with the body (whatever `out` held, its buffer is reused). Failures:
// kInvalidArgument naming the field.
Status BuildPutRecordsJson(StreamRef stream, std::span<const PutRecordsEntry> records,
                           std::string& out);
Status BuildPutRecordJson(const PutRecordRequest& request, std::string& out);
Status BuildListShardsJson(const ListShardsRequest& request, std::string& out);
Status BuildDescribeStreamSummaryJson(StreamRef stream, std::string& out);
Status BuildCreateStreamJson(const CreateStreamRequest& request, std::string& out);
Status BuildDeleteStreamJson(StreamRef stream, std::string& out);
Status BuildSplitShardJson(const SplitShardRequest& request, std::string& out);
Status BuildMergeShardsJson(const MergeShardsRequest& request, std::string& out);
Status BuildUpdateShardCountJson(const UpdateShardCountRequest& request, std::string& out);
Status BuildGetShardIteratorJson(const GetShardIteratorRequest& request, std::string& out);
Status BuildGetRecordsJson(const GetRecordsRequest& request, std::string& out);

// Checks that exactly one of name and arn is set.
Status CheckStreamRef(StreamRef stream);

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_JSON_REQUESTS_H_
