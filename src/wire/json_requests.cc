#include "wire/json_requests.h"

#include <cstring>

#include "common/json_string.h"
#include "wire/base64.h"

namespace kinesis::wire {
namespace {

// Writes one flat-ish JSON object; Field() adds the comma.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  void Key(std::string_view key) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(key);
    out_.append("\":");
  }
  void String(std::string_view key, std::string_view value) {
    Key(key);
    AppendJsonString(out_, value);
  }
  void StringIfSet(std::string_view key, std::string_view value) {
    if (!value.empty()) String(key, value);
  }
  void Int(std::string_view key, long long value) {
    Key(key);
    out_.append(std::to_string(value));
  }
  void Stream(StreamRef stream) {
    if (!stream.name.empty()) String("StreamName", stream.name);
    if (!stream.arn.empty()) String("StreamARN", stream.arn);
  }
  void End() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

template <size_t N>
char* WriteLiteral(const char (&text)[N], char* out) {
  std::memcpy(out, text, N - 1);
  return out + N - 1;
}

Status CheckPositive(std::string_view field, long long value) {
  if (value < 1) {
    return Status::InvalidArgument(std::string(field) + " " + std::to_string(value) +
                                   " must be at least 1");
  }
  return Status::Ok();
}

Status CheckSet(std::string_view field, std::string_view value) {
  if (value.empty()) return Status::InvalidArgument(std::string(field) + " is empty");
  return Status::Ok();
}

void AppendRecordFields(const PutRecordsEntry& record, ObjectWriter& w, std::string& out) {
  w.Key("Data");
  out.push_back('"');
  AppendBase64(record.data, out);
  out.push_back('"');
  w.String("PartitionKey", record.partition_key);
  w.StringIfSet("ExplicitHashKey", record.explicit_hash_key);
}

}  // namespace

std::string_view OperationName(Operation op) {
  switch (op) {
    case Operation::kPutRecords:
      return "PutRecords";
    case Operation::kPutRecord:
      return "PutRecord";
    case Operation::kListShards:
      return "ListShards";
    case Operation::kDescribeStreamSummary:
      return "DescribeStreamSummary";
    case Operation::kCreateStream:
      return "CreateStream";
    case Operation::kDeleteStream:
      return "DeleteStream";
    case Operation::kSplitShard:
      return "SplitShard";
    case Operation::kMergeShards:
      return "MergeShards";
    case Operation::kUpdateShardCount:
      return "UpdateShardCount";
    case Operation::kGetShardIterator:
      return "GetShardIterator";
    case Operation::kGetRecords:
      return "GetRecords";
  }
  return "Unknown";
}

std::string TargetHeader(Operation op) {
  return "Kinesis_20131202." + std::string(OperationName(op));
}

Status CheckStreamRef(StreamRef stream) {
  if (stream.name.empty() == stream.arn.empty()) {
    return Status::InvalidArgument(
        stream.name.empty() ? "a stream needs a StreamName or a StreamARN"
                            : "give StreamName '" + std::string(stream.name) + "' or StreamARN '" +
                                  std::string(stream.arn) + "', not both");
  }
  return Status::Ok();
}

// Written through a pointer into memory sized once for the worst case (every key byte escaped),
// then trimmed: a 100-byte record costs its base64 and a few copies, not a dozen appends.
Status BuildPutRecordsJson(StreamRef stream, std::span<const PutRecordsEntry> records,
                           std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(stream));
  size_t bound = 64 + JsonStringBound(stream.name.size()) + JsonStringBound(stream.arn.size());
  for (const PutRecordsEntry& r : records) {
    bound += 64 + Base64EncodedSize(r.data.size()) + JsonStringBound(r.partition_key.size()) +
             JsonStringBound(r.explicit_hash_key.size());
  }
  out.resize(bound);
  char* p = WriteLiteral("{\"Records\":[", out.data());
  for (size_t i = 0; i < records.size(); ++i) {
    const PutRecordsEntry& r = records[i];
    if (i != 0) *p++ = ',';
    p = WriteLiteral("{\"Data\":\"", p);
    p = Base64Encode(r.data.data(), r.data.size(), p);
    p = WriteLiteral("\",\"PartitionKey\":", p);
    p = WriteJsonString(r.partition_key, p);
    if (!r.explicit_hash_key.empty()) {
      p = WriteLiteral(",\"ExplicitHashKey\":", p);
      p = WriteJsonString(r.explicit_hash_key, p);
    }
    *p++ = '}';
  }
  if (!stream.name.empty()) {
    p = WriteJsonString(stream.name, WriteLiteral("],\"StreamName\":", p));
  } else {
    p = WriteJsonString(stream.arn, WriteLiteral("],\"StreamARN\":", p));
  }
  *p++ = '}';
  out.resize(static_cast<size_t>(p - out.data()));
  return Status::Ok();
}

Status BuildPutRecordJson(const PutRecordRequest& request, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(request.stream));
  out.clear();
  out.reserve(Base64EncodedSize(request.record.data.size()) + 256);
  ObjectWriter w(out);
  w.Stream(request.stream);
  AppendRecordFields(request.record, w, out);
  w.StringIfSet("SequenceNumberForOrdering", request.sequence_number_for_ordering);
  w.End();
  return Status::Ok();
}

Status BuildListShardsJson(const ListShardsRequest& request, std::string& out) {
  // With a NextToken the service rejects StreamName/StreamARN: the token names the stream.
  if (request.next_token.empty()) KINESIS_RETURN_IF_ERROR(CheckStreamRef(request.stream));
  if (request.max_results != 0)
    KINESIS_RETURN_IF_ERROR(CheckPositive("MaxResults", request.max_results));
  out.clear();
  ObjectWriter w(out);
  if (!request.next_token.empty()) {
    w.String("NextToken", request.next_token);
  } else {
    w.Stream(request.stream);
    w.StringIfSet("ExclusiveStartShardId", request.exclusive_start_shard_id);
  }
  if (request.max_results != 0) w.Int("MaxResults", request.max_results);
  if (!request.shard_filter_type.empty()) {
    w.Key("ShardFilter");
    ObjectWriter filter(out);
    filter.String("Type", request.shard_filter_type);
    filter.StringIfSet("ShardId", request.shard_filter_shard_id);
    filter.End();
  }
  w.End();
  return Status::Ok();
}

Status BuildDescribeStreamSummaryJson(StreamRef stream, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(stream));
  out.clear();
  ObjectWriter w(out);
  w.Stream(stream);
  w.End();
  return Status::Ok();
}

Status BuildCreateStreamJson(const CreateStreamRequest& request, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckSet("StreamName", request.name));
  if (!request.on_demand) KINESIS_RETURN_IF_ERROR(CheckPositive("ShardCount", request.shard_count));
  out.clear();
  ObjectWriter w(out);
  w.String("StreamName", request.name);
  if (request.on_demand) {
    w.Key("StreamModeDetails");
    out.append("{\"StreamMode\":\"ON_DEMAND\"}");
  } else {
    w.Int("ShardCount", request.shard_count);
  }
  w.End();
  return Status::Ok();
}

Status BuildDeleteStreamJson(StreamRef stream, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(stream));
  out.clear();
  ObjectWriter w(out);
  w.Stream(stream);
  w.End();
  return Status::Ok();
}

// A stream and two required string fields: SplitShard and MergeShards.
Status BuildStreamAndPair(StreamRef stream, std::string_view key1, std::string_view value1,
                          std::string_view key2, std::string_view value2, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(stream));
  KINESIS_RETURN_IF_ERROR(CheckSet(key1, value1));
  KINESIS_RETURN_IF_ERROR(CheckSet(key2, value2));
  out.clear();
  ObjectWriter w(out);
  w.Stream(stream);
  w.String(key1, value1);
  w.String(key2, value2);
  w.End();
  return Status::Ok();
}

Status BuildSplitShardJson(const SplitShardRequest& request, std::string& out) {
  return BuildStreamAndPair(request.stream, "ShardToSplit", request.shard_to_split,
                            "NewStartingHashKey", request.new_starting_hash_key, out);
}

Status BuildMergeShardsJson(const MergeShardsRequest& request, std::string& out) {
  return BuildStreamAndPair(request.stream, "ShardToMerge", request.shard_to_merge,
                            "AdjacentShardToMerge", request.adjacent_shard_to_merge, out);
}

Status BuildUpdateShardCountJson(const UpdateShardCountRequest& request, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(request.stream));
  KINESIS_RETURN_IF_ERROR(CheckPositive("TargetShardCount", request.target_shard_count));
  out.clear();
  ObjectWriter w(out);
  w.Stream(request.stream);
  w.Int("TargetShardCount", request.target_shard_count);
  w.String("ScalingType", "UNIFORM_SCALING");
  w.End();
  return Status::Ok();
}

Status BuildGetShardIteratorJson(const GetShardIteratorRequest& request, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(request.stream));
  KINESIS_RETURN_IF_ERROR(CheckSet("ShardId", request.shard_id));
  KINESIS_RETURN_IF_ERROR(CheckSet("ShardIteratorType", request.iterator_type));
  out.clear();
  ObjectWriter w(out);
  w.Stream(request.stream);
  w.String("ShardId", request.shard_id);
  w.String("ShardIteratorType", request.iterator_type);
  w.StringIfSet("StartingSequenceNumber", request.starting_sequence_number);
  w.End();
  return Status::Ok();
}

Status BuildGetRecordsJson(const GetRecordsRequest& request, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckSet("ShardIterator", request.shard_iterator));
  if (request.limit != 0) KINESIS_RETURN_IF_ERROR(CheckPositive("Limit", request.limit));
  out.clear();
  ObjectWriter w(out);
  w.String("ShardIterator", request.shard_iterator);
  if (request.limit != 0) w.Int("Limit", request.limit);
  w.End();
  return Status::Ok();
}

}  // namespace kinesis::wire
