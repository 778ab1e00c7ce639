#include "sim/read_actions.h"

#include <algorithm>
#include <cstdlib>

#include "sim/base64.h"
#include "sim/json_out.h"
#include "sim/stream_actions.h"

namespace kinesis::sim {
namespace {

// Iterators are opaque to clients: base64 of "position|shard index|stream".
std::string MakeIterator(const std::string& stream, int shard, size_t position) {
  return Base64Encode(std::to_string(position) + "|" + std::to_string(shard) + "|" + stream);
}

bool ReadIterator(const std::string& iterator, std::string* stream, int* shard, size_t* position) {
  std::string raw;
  if (!Base64Decode(iterator, &raw)) return false;
  size_t a = raw.find('|');
  size_t b = a == std::string::npos ? a : raw.find('|', a + 1);
  if (b == std::string::npos) return false;
  *position = std::strtoull(raw.c_str(), nullptr, 10);
  *shard = std::atoi(raw.c_str() + a + 1);
  *stream = raw.substr(b + 1);
  return true;
}

ApiError StorageOff() {
  return ClientError("InvalidArgumentException",
                     "kinesis-sim runs with storage off: records are counted, not kept.");
}

}  // namespace

ActionOutput GetShardIterator(SimState& state, const RequestArgs& args) {
  std::string name, shard_id, type, sequence;
  double timestamp_s = 0;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  if (!args.Has("ShardId")) return ErrorOutput(MissingArg("shardId"));
  if (!args.Has("ShardIteratorType")) return ErrorOutput(MissingArg("shardIteratorType"));
  if (auto e = args.String("ShardId", &shard_id)) return ErrorOutput(*e);
  if (auto e = args.String("ShardIteratorType", &type)) return ErrorOutput(*e);
  if (auto e = args.String("StartingSequenceNumber", &sequence)) return ErrorOutput(*e);
  if (auto e = args.Number("Timestamp", &timestamp_s)) return ErrorOutput(*e);
  if (!state.options.storage) return ErrorOutput(StorageOff());
  std::lock_guard<std::mutex> lock(state.mu);
  Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  int index = StreamRegistry::ShardIndex(*s, shard_id);
  if (index < 0) {
    return ErrorOutput(ClientError("ResourceNotFoundException",
                                   "Shard " + shard_id + " in stream " + name + " under account " +
                                       state.options.account + " does not exist"));
  }
  const auto& records = s->shards[index].records;
  auto by_sequence = [](const StoredRecord& r, const std::string& seq) {
    return r.sequence_number < seq;
  };
  size_t position = 0;
  if (type == "TRIM_HORIZON") {
    position = 0;
  } else if (type == "LATEST") {
    position = records.size();
  } else if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
    if (sequence.empty()) {
      return ErrorOutput(ClientError("InvalidArgumentException",
                                     "You must specify a starting sequence number for " + type));
    }
    auto it = std::lower_bound(records.begin(), records.end(), sequence, by_sequence);
    if (type == "AFTER_SEQUENCE_NUMBER" && it != records.end() && it->sequence_number == sequence) {
      ++it;
    }
    position = static_cast<size_t>(it - records.begin());
  } else if (type == "AT_TIMESTAMP") {
    auto it = std::find_if(records.begin(), records.end(), [&](const StoredRecord& r) {
      return static_cast<double>(r.arrival_ms) >= timestamp_s * 1000;
    });
    position = static_cast<size_t>(it - records.begin());
  } else {
    return ErrorOutput(ValidationError(
        "Value '" + type +
        "' at 'shardIteratorType' failed to satisfy constraint: Member must "
        "satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, "
        "TRIM_HORIZON, LATEST]"));
  }
  std::string out = "{";
  AppendJsonField(&out, "ShardIterator", MakeIterator(name, index, position));
  out += "}";
  return SuccessOutput(std::move(out));
}

ActionOutput GetRecords(SimState& state, const RequestArgs& args) {
  std::string iterator, name;
  int64_t limit = 10000;
  if (!args.Has("ShardIterator")) return ErrorOutput(MissingArg("shardIterator"));
  if (auto e = args.String("ShardIterator", &iterator)) return ErrorOutput(*e);
  if (auto e = args.Int("Limit", &limit)) return ErrorOutput(*e);
  if (limit < 1 || limit > 10000) {
    return ErrorOutput(ValidationError("Value '" + std::to_string(limit) +
                                       "' at 'limit' failed to satisfy constraint: Member must "
                                       "have value less than or equal to 10000"));
  }
  int shard = 0;
  size_t position = 0;
  if (!ReadIterator(iterator, &name, &shard, &position)) {
    return ErrorOutput(ClientError("InvalidArgumentException", "Invalid ShardIterator."));
  }
  if (!state.options.storage) return ErrorOutput(StorageOff());
  std::lock_guard<std::mutex> lock(state.mu);
  Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  if (shard < 0 || static_cast<size_t>(shard) >= s->shards.size()) {
    return ErrorOutput(ClientError("InvalidArgumentException", "Invalid ShardIterator."));
  }
  const Shard& sh = s->shards[shard];
  size_t end = std::min(sh.records.size(), position + static_cast<size_t>(limit));
  std::string out = "{\"Records\":[";
  for (size_t i = position; i < end; ++i) {
    const StoredRecord& r = sh.records[i];
    if (i > position) out.push_back(',');
    out.push_back('{');
    AppendJsonField(&out, "SequenceNumber", r.sequence_number);
    out.push_back(',');
    AppendTimestamp(&out, "ApproximateArrivalTimestamp", r.arrival_ms);
    out.push_back(',');
    AppendJsonField(&out, "Data", Base64Encode(r.data));
    out.push_back(',');
    AppendJsonField(&out, "PartitionKey", r.partition_key);
    out.push_back('}');
  }
  out += "],";
  size_t next = std::max(end, position);
  if (sh.open() || next < sh.records.size()) {
    AppendJsonField(&out, "NextShardIterator", MakeIterator(name, shard, next));
    out += ",";
  }
  out += "\"MillisBehindLatest\":0}";
  return SuccessOutput(std::move(out));
}

}  // namespace kinesis::sim
