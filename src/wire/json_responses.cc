#include "wire/json_responses.h"

#include <simdjson.h>

#include "wire/base64.h"
#include "wire/json_cursor.h"

namespace kinesis::wire {
namespace {

namespace dom = simdjson::dom;

Status Corrupt(std::string_view where, simdjson::error_code e) {
  return Status::Corruption("malformed Kinesis JSON response at " + std::string(where) + ": " +
                            simdjson::error_message(e));
}

Status Corrupt(std::string_view where, std::string_view why) {
  return Status::Corruption("malformed Kinesis JSON response at " + std::string(where) + ": " +
                            std::string(why));
}

// Calls f(key, value) for each field of `object`; stops at the first failure.
template <typename F>
Status ForEachField(dom::object object, std::string_view where, F&& f) {
  (void)where;
  for (dom::key_value_pair field : object) {
    KINESIS_RETURN_IF_ERROR(f(field.key, field.value));
  }
  return Status::Ok();
}

template <typename F>
Status ForEachObjectIn(dom::element value, std::string_view where, F&& f) {
  dom::array array;
  if (auto e = value.get_array().get(array)) return Corrupt(where, e);
  for (dom::element item : array) {
    dom::object object;
    if (auto e = item.get_object().get(object)) return Corrupt(where, e);
    KINESIS_RETURN_IF_ERROR(f(object));
  }
  return Status::Ok();
}

// Reads a string or null (as empty).
Status ReadString(dom::element value, std::string_view where, std::string& out) {
  if (value.is_null()) {
    out.clear();
    return Status::Ok();
  }
  std::string_view s;
  if (auto e = value.get_string().get(s)) return Corrupt(where, e);
  out.assign(s);
  return Status::Ok();
}

// Reads an unsigned number; null leaves `out` unchanged and sets *present false.
Status ReadUint(dom::element value, std::string_view where, uint64_t& out,
                bool* present = nullptr) {
  if (present != nullptr) *present = !value.is_null();
  if (value.is_null()) return Status::Ok();
  if (auto e = value.get_uint64().get(out)) return Corrupt(where, e);
  return Status::Ok();
}

// Parses `body` as one JSON object (the DOM parser validates all of it, trailing content
// included, with the best SIMD kernel the CPU has), calling f(key, value) for each top-level field.
template <typename F>
Status ParseObject(const std::string& body, std::string_view where, F&& f) {
  thread_local dom::parser parser;
  bool padded = body.capacity() >= body.size() + simdjson::SIMDJSON_PADDING;
  dom::element root;
  if (auto e = parser.parse(body.data(), body.size(), /*realloc_if_needed=*/!padded).get(root)) {
    return Corrupt(where, e);
  }
  dom::object object;
  if (auto e = root.get_object().get(object)) return Corrupt(where, e);
  return ForEachField(object, where, f);
}

Status ParseShard(dom::object object, Shard& shard) {
  return ForEachField(object, "ListShards.Shards[]", [&](std::string_view key, dom::element v) {
    if (key == "ShardId") return ReadString(v, "Shards[].ShardId", shard.shard_id);
    if (key == "ParentShardId")
      return ReadString(v, "Shards[].ParentShardId", shard.parent_shard_id);
    if (key == "AdjacentParentShardId") {
      return ReadString(v, "Shards[].AdjacentParentShardId", shard.adjacent_parent_shard_id);
    }
    if (key == "HashKeyRange") {
      dom::object range;
      if (auto e = v.get_object().get(range)) return Corrupt("Shards[].HashKeyRange", e);
      return ForEachField(range, "HashKeyRange", [&](std::string_view k, dom::element x) {
        if (k == "StartingHashKey")
          return ReadString(x, "StartingHashKey", shard.starting_hash_key);
        if (k == "EndingHashKey") return ReadString(x, "EndingHashKey", shard.ending_hash_key);
        return Status::Ok();
      });
    }
    if (key == "SequenceNumberRange") {
      dom::object range;
      if (auto e = v.get_object().get(range)) return Corrupt("Shards[].SequenceNumberRange", e);
      return ForEachField(range, "SequenceNumberRange", [&](std::string_view k, dom::element x) {
        if (k == "StartingSequenceNumber") {
          return ReadString(x, "StartingSequenceNumber", shard.starting_sequence_number);
        }
        if (k == "EndingSequenceNumber") {
          return ReadString(x, "EndingSequenceNumber", shard.ending_sequence_number);
        }
        return Status::Ok();
      });
    }
    return Status::Ok();
  });
}

}  // namespace

Result<PutRecordsResult> ParsePutRecordsJson(std::string body, size_t expected_records) {
  PutRecordsResult result;
  result.text = std::move(body);
  // On the heap even when tiny, so moving the result keeps the views valid.
  if (result.text.capacity() < 16) result.text.reserve(16);
  result.records.reserve(expected_records);
  JsonCursor in(result.text.data(), result.text.size());
  bool have_records = false;
  bool have_count = false;
  uint64_t failed = 0;
  auto entry_field = [&](PutRecordsResultEntry& entry, std::string_view k) {
    if (k == "SequenceNumber") return in.StringOrNull(entry.sequence_number);
    if (k == "ShardId") return in.StringOrNull(entry.shard_id);
    if (k == "ErrorCode") return in.StringOrNull(entry.error_code);
    if (k == "ErrorMessage") return in.StringOrNull(entry.error_message);
    return in.Skip();
  };
  bool parsed = in.Object([&](std::string_view key) {
    if (key == "FailedRecordCount") return in.Uint(failed, &have_count);
    if (key == "EncryptionType") {
      std::string_view type;
      if (!in.StringOrNull(type)) return false;
      result.encryption_type.assign(type);
      return true;
    }
    if (key != "Records") return in.Skip();
    have_records = true;
    result.records.clear();
    return in.Array([&] {
      PutRecordsResultEntry& entry = result.records.emplace_back();
      return in.Object([&](std::string_view k) { return entry_field(entry, k); });
    });
  });
  if (parsed && !in.AtEnd()) parsed = in.Fail("content after the object");
  if (!parsed) return Corrupt("PutRecords", in.Error());
  if (!have_records) return Corrupt("PutRecords", "no Records array");
  if (result.records.size() != expected_records) {
    return Corrupt("PutRecords", "Records has " + std::to_string(result.records.size()) +
                                     " entries for a request of " +
                                     std::to_string(expected_records));
  }
  uint64_t errors = 0;
  for (const auto& entry : result.records) {
    if (!entry.ok()) {
      errors++;
    } else if (entry.shard_id.empty() || entry.sequence_number.empty()) {
      return Corrupt("PutRecords", "an entry has neither ErrorCode nor ShardId and SequenceNumber");
    }
  }
  if (have_count && failed != errors) {
    return Corrupt("PutRecords", "FailedRecordCount " + std::to_string(failed) + " but " +
                                     std::to_string(errors) + " entries carry an ErrorCode");
  }
  result.failed_record_count = static_cast<uint32_t>(errors);
  return result;
}

Result<PutRecordResult> ParsePutRecordJson(const std::string& body) {
  PutRecordResult result;
  Status status = ParseObject(body, "PutRecord", [&](std::string_view key, dom::element v) {
    if (key == "ShardId") return ReadString(v, "ShardId", result.shard_id);
    if (key == "SequenceNumber") return ReadString(v, "SequenceNumber", result.sequence_number);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (result.shard_id.empty() || result.sequence_number.empty()) {
    return Corrupt("PutRecord", "ShardId or SequenceNumber missing");
  }
  return result;
}

Result<ListShardsResult> ParseListShardsJson(const std::string& body) {
  ListShardsResult result;
  Status status = ParseObject(body, "ListShards", [&](std::string_view key, dom::element v) {
    if (key == "NextToken") return ReadString(v, "NextToken", result.next_token);
    if (key != "Shards") return Status::Ok();
    return ForEachObjectIn(v, "Shards", [&](dom::object object) {
      Status s = ParseShard(object, result.shards.emplace_back());
      if (s.ok() && result.shards.back().shard_id.empty()) {
        return Corrupt("Shards[]", "a shard without ShardId");
      }
      return s;
    });
  });
  if (!status.ok()) return status;
  return result;
}

Result<StreamSummary> ParseDescribeStreamSummaryJson(const std::string& body) {
  StreamSummary s;
  bool found = false;
  Status status =
      ParseObject(body, "DescribeStreamSummary", [&](std::string_view key, dom::element v) {
        if (key != "StreamDescriptionSummary") return Status::Ok();
        found = true;
        dom::object object;
        if (auto e = v.get_object().get(object)) return Corrupt("StreamDescriptionSummary", e);
        return ForEachField(
            object, "StreamDescriptionSummary", [&](std::string_view k, dom::element x) {
              if (k == "StreamName") return ReadString(x, "StreamName", s.stream_name);
              if (k == "StreamARN") return ReadString(x, "StreamARN", s.stream_arn);
              if (k == "StreamStatus") return ReadString(x, "StreamStatus", s.stream_status);
              if (k == "EncryptionType") return ReadString(x, "EncryptionType", s.encryption_type);
              if (k == "OpenShardCount") return ReadUint(x, "OpenShardCount", s.open_shard_count);
              if (k == "MaxRecordSizeInKiB") {
                uint64_t n = 0;
                bool present = false;
                KINESIS_RETURN_IF_ERROR(ReadUint(x, "MaxRecordSizeInKiB", n, &present));
                if (present) s.max_record_size_kib = n;
                return Status::Ok();
              }
              if (k == "StreamModeDetails") {
                dom::object mode;
                if (auto e = x.get_object().get(mode)) return Corrupt("StreamModeDetails", e);
                return ForEachField(
                    mode, "StreamModeDetails", [&](std::string_view m, dom::element y) {
                      return m == "StreamMode" ? ReadString(y, "StreamMode", s.stream_mode)
                                               : Status::Ok();
                    });
              }
              return Status::Ok();
            });
      });
  if (!status.ok()) return status;
  if (!found) return Corrupt("DescribeStreamSummary", "no StreamDescriptionSummary");
  return s;
}

Result<std::string> ParseGetShardIteratorJson(const std::string& body) {
  std::string iterator;
  Status status = ParseObject(body, "GetShardIterator", [&](std::string_view key, dom::element v) {
    return key == "ShardIterator" ? ReadString(v, "ShardIterator", iterator) : Status::Ok();
  });
  if (!status.ok()) return status;
  if (iterator.empty()) return Corrupt("GetShardIterator", "no ShardIterator");
  return iterator;
}

Result<GetRecordsResult> ParseGetRecordsJson(const std::string& body) {
  GetRecordsResult result;
  Status status = ParseObject(body, "GetRecords", [&](std::string_view key, dom::element v) {
    if (key == "NextShardIterator")
      return ReadString(v, "NextShardIterator", result.next_shard_iterator);
    if (key == "MillisBehindLatest")
      return ReadUint(v, "MillisBehindLatest", result.millis_behind_latest);
    if (key != "Records") return Status::Ok();
    return ForEachObjectIn(v, "Records", [&](dom::object object) {
      GetRecordsRecord& record = result.records.emplace_back();
      return ForEachField(object, "Records[]", [&](std::string_view k, dom::element x) {
        if (k == "SequenceNumber") return ReadString(x, "SequenceNumber", record.sequence_number);
        if (k == "PartitionKey") return ReadString(x, "PartitionKey", record.partition_key);
        if (k != "Data") return Status::Ok();
        std::string text;
        KINESIS_RETURN_IF_ERROR(ReadString(x, "Data", text));
        auto data = Base64Decode(text);
        if (!data.ok()) return Corrupt("Records[].Data", data.status().message());
        record.data = std::move(*data);
        return Status::Ok();
      });
    });
  });
  if (!status.ok()) return status;
  return result;
}

Result<ServiceErrorBody> ParseErrorJson(const std::string& body) {
  ServiceErrorBody error;
  Status status = ParseObject(body, "error", [&](std::string_view key, dom::element v) {
    if (key == "__type") return ReadString(v, "__type", error.type);
    if (key == "message" || key == "Message") return ReadString(v, "message", error.message);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return error;
}

}  // namespace kinesis::wire
