#include "sim/stream_actions.h"

#include <cstdio>

#include "sim/base64.h"
#include "sim/json_out.h"

namespace kinesis::sim {
namespace {

void AppendShard(std::string* out, const Stream& s, const Shard& shard) {
  out->append("{");
  AppendJsonField(out, "ShardId", shard.id);
  if (shard.parent >= 0) {
    out->push_back(',');
    AppendJsonField(out, "ParentShardId", s.shards[shard.parent].id);
  }
  if (shard.adjacent >= 0) {
    out->push_back(',');
    AppendJsonField(out, "AdjacentParentShardId", s.shards[shard.adjacent].id);
  }
  out->append(",\"HashKeyRange\":{");
  AppendJsonField(out, "StartingHashKey", shard.start.ToString());
  out->push_back(',');
  AppendJsonField(out, "EndingHashKey", shard.end.ToString());
  out->append("},\"SequenceNumberRange\":{");
  AppendJsonField(out, "StartingSequenceNumber", shard.starting_sequence);
  if (!shard.open()) {
    out->push_back(',');
    AppendJsonField(out, "EndingSequenceNumber", shard.ending_sequence);
  }
  out->append("}}");
}

ActionOutput Ok(std::string body) { return SuccessOutput(std::move(body)); }

// Which shards a ShardFilter (or none) selects.
bool Selected(const Stream& s, const Shard& shard, size_t index, std::string_view type,
              double timestamp_ms) {
  if (type.empty() || type == "FROM_TRIM_HORIZON") return true;
  if (type == "AT_LATEST") return shard.open();
  if (type == "AT_TRIM_HORIZON") return index < s.initial_shards;  // nothing is ever trimmed
  if (type == "AT_TIMESTAMP") {
    return shard.created_ms <= timestamp_ms && (shard.open() || shard.closed_ms > timestamp_ms);
  }
  if (type == "FROM_TIMESTAMP") return shard.open() || shard.closed_ms >= timestamp_ms;
  return true;
}

}  // namespace

void AppendTimestamp(std::string* out, std::string_view key, int64_t wall_ms) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.3f", static_cast<double>(wall_ms) / 1000.0);
  AppendJsonString(out, key);
  out->push_back(':');
  out->append(buf);
}

MaybeError StreamNameFromArn(std::string_view arn, std::string* name) {
  size_t slash = arn.rfind('/');
  if (!arn.starts_with("arn:") || slash == std::string_view::npos) {
    return ClientError("InvalidArgumentException", "Invalid StreamARN " + std::string(arn));
  }
  *name = std::string(arn.substr(slash + 1));
  return std::nullopt;
}

MaybeError StreamNameArg(const RequestArgs& args, std::string* name) {
  if (args.Has("StreamName")) return args.String("StreamName", name);
  if (args.Has("StreamARN")) {
    std::string arn;
    if (auto e = args.String("StreamARN", &arn)) return e;
    return StreamNameFromArn(arn, name);
  }
  return MissingArg("streamName");
}

ActionOutput CreateStream(SimState& state, const RequestArgs& args) {
  std::string name;
  int64_t count = 4;  // on-demand streams start with 4 shards
  if (!args.Has("StreamName")) return ErrorOutput(MissingArg("streamName"));
  if (auto e = args.String("StreamName", &name)) return ErrorOutput(*e);
  if (auto e = args.Int("ShardCount", &count)) return ErrorOutput(*e);
  std::lock_guard<std::mutex> lock(state.mu);
  if (auto e =
          state.registry.Create(name, static_cast<int>(count), state.NowUs(), SimState::WallMs())) {
    return ErrorOutput(*e);
  }
  return Ok("");
}

ActionOutput DeleteStream(SimState& state, const RequestArgs& args) {
  std::string name;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  std::lock_guard<std::mutex> lock(state.mu);
  if (auto e = state.registry.Delete(name)) return ErrorOutput(*e);
  return Ok("");
}

ActionOutput ListStreams(SimState& state, const RequestArgs& args) {
  int64_t limit = 100;
  std::string start;
  if (auto e = args.Int("Limit", &limit)) return ErrorOutput(*e);
  if (auto e = args.String("ExclusiveStartStreamName", &start)) return ErrorOutput(*e);
  if (limit < 1 || limit > 10000) {
    return ErrorOutput(ValidationError("Value '" + std::to_string(limit) +
                                       "' at 'limit' failed to satisfy constraint: Member must "
                                       "have value less than or equal to 10000"));
  }
  std::lock_guard<std::mutex> lock(state.mu);
  std::string out = "{\"StreamNames\":[";
  std::string summaries = "\"StreamSummaries\":[";
  int64_t n = 0;
  bool more = false;
  for (const auto& [name, s] : state.registry.streams()) {
    if (!start.empty() && name <= start) continue;
    if (n == limit) {
      more = true;
      break;
    }
    if (n++) {
      out.push_back(',');
      summaries.push_back(',');
    }
    AppendJsonString(&out, name);
    summaries.append("{");
    AppendJsonField(&summaries, "StreamName", name);
    summaries.push_back(',');
    AppendJsonField(&summaries, "StreamARN", s.arn);
    summaries.append(
        ",\"StreamStatus\":\"ACTIVE\",\"StreamModeDetails\":{\"StreamMode\":"
        "\"PROVISIONED\"},");
    AppendTimestamp(&summaries, "StreamCreationTimestamp", s.created_ms);
    summaries.append("}");
  }
  out += "],\"HasMoreStreams\":";
  out += more ? "true," : "false,";
  out += summaries + "]}";
  return Ok(std::move(out));
}

namespace {
void AppendSummaryFields(std::string* out, const Stream& s) {
  AppendJsonField(out, "StreamName", s.name);
  out->push_back(',');
  AppendJsonField(out, "StreamARN", s.arn);
  out->append(
      ",\"StreamStatus\":\"ACTIVE\",\"StreamModeDetails\":{\"StreamMode\":"
      "\"PROVISIONED\"},\"RetentionPeriodHours\":24,");
  AppendTimestamp(out, "StreamCreationTimestamp", s.created_ms);
  out->append(",\"EnhancedMonitoring\":[{\"ShardLevelMetrics\":[]}],\"EncryptionType\":\"NONE\"");
}
}  // namespace

ActionOutput DescribeStreamSummary(SimState& state, const RequestArgs& args) {
  std::string name;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  std::lock_guard<std::mutex> lock(state.mu);
  const Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  std::string out = "{\"StreamDescriptionSummary\":{";
  AppendSummaryFields(&out, *s);
  AppendJsonNumber(&(out += ","), "OpenShardCount", static_cast<int64_t>(s->open.size()));
  out += ",\"ConsumerCount\":0}}";
  return Ok(std::move(out));
}

ActionOutput DescribeStream(SimState& state, const RequestArgs& args) {
  std::string name, start;
  int64_t limit = 100;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  if (auto e = args.Int("Limit", &limit)) return ErrorOutput(*e);
  if (auto e = args.String("ExclusiveStartShardId", &start)) return ErrorOutput(*e);
  std::lock_guard<std::mutex> lock(state.mu);
  const Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  std::string out = "{\"StreamDescription\":{";
  AppendSummaryFields(&out, *s);
  out += ",\"Shards\":[";
  int64_t n = 0;
  bool more = false;
  for (const Shard& shard : s->shards) {
    if (!start.empty() && shard.id <= start) continue;
    if (n == limit) {
      more = true;
      break;
    }
    if (n++) out.push_back(',');
    AppendShard(&out, *s, shard);
  }
  out += more ? "],\"HasMoreShards\":true}}" : "],\"HasMoreShards\":false}}";
  return Ok(std::move(out));
}

ActionOutput ListShards(SimState& state, const RequestArgs& args) {
  std::string name, token, after, type, filter_shard;
  int64_t max_results = 1000;
  double timestamp_s = 0;
  if (auto e = args.String("NextToken", &token)) return ErrorOutput(*e);
  if (auto e = args.Int("MaxResults", &max_results)) return ErrorOutput(*e);
  if (max_results < 1 || max_results > 10000) {
    return ErrorOutput(ValidationError("Value '" + std::to_string(max_results) +
                                       "' at 'maxResults' failed to satisfy constraint: Member "
                                       "must have value less than or equal to 10000"));
  }
  size_t offset = 0;
  if (!token.empty()) {
    if (args.Has("StreamName") || args.Has("StreamARN")) {
      return ErrorOutput(ClientError("InvalidArgumentException",
                                     "NextToken and StreamName cannot be provided together."));
    }
    // Our tokens: base64 of "offset|type|shard|timestamp|stream".
    std::string decoded;
    size_t pos[4];
    bool ok = Base64Decode(token, &decoded);
    size_t at = 0;
    for (size_t& p : pos) {
      p = ok ? decoded.find('|', at) : std::string::npos;
      ok = p != std::string::npos;
      at = p + 1;
    }
    if (!ok) return ErrorOutput(ClientError("InvalidArgumentException", "Invalid NextToken."));
    offset = std::strtoull(decoded.c_str(), nullptr, 10);
    type = decoded.substr(pos[0] + 1, pos[1] - pos[0] - 1);
    filter_shard = decoded.substr(pos[1] + 1, pos[2] - pos[1] - 1);
    timestamp_s = std::strtod(decoded.c_str() + pos[2] + 1, nullptr);
    name = decoded.substr(pos[3] + 1);
  } else {
    if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
    if (auto e = args.String("ExclusiveStartShardId", &after)) return ErrorOutput(*e);
    if (auto e = args.String("ShardFilter.Type", &type)) return ErrorOutput(*e);
    if (auto e = args.String("ShardFilter.ShardId", &filter_shard)) return ErrorOutput(*e);
    if (auto e = args.Number("ShardFilter.Timestamp", &timestamp_s)) return ErrorOutput(*e);
    if (type == "AFTER_SHARD_ID") {
      if (filter_shard.empty()) {
        return ErrorOutput(ClientError("InvalidArgumentException",
                                       "ShardId is required for ShardFilter type AFTER_SHARD_ID."));
      }
      after = filter_shard;
    }
    if ((type == "AT_TIMESTAMP" || type == "FROM_TIMESTAMP") &&
        !args.Has("ShardFilter.Timestamp")) {
      return ErrorOutput(ClientError("InvalidArgumentException",
                                     "Timestamp is required for ShardFilter type " + type + "."));
    }
  }
  std::lock_guard<std::mutex> lock(state.mu);
  const Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  std::string out = "{\"Shards\":[";
  size_t seen = 0, written = 0;
  bool more = false;
  for (size_t i = 0; i < s->shards.size(); ++i) {
    const Shard& shard = s->shards[i];
    if (!after.empty() && shard.id <= after) continue;
    if (!Selected(*s, shard, i, type, timestamp_s * 1000)) continue;
    if (seen++ < offset) continue;
    if (written == static_cast<size_t>(max_results)) {
      more = true;
      break;
    }
    if (written++) out.push_back(',');
    AppendShard(&out, *s, shard);
  }
  out += "]";
  if (more) {
    char ts[32];
    std::snprintf(ts, sizeof(ts), "%.3f", timestamp_s);
    std::string raw = std::to_string(offset + written) + "|" + type + "|" +
                      (type == "AFTER_SHARD_ID" ? filter_shard : after) + "|" + ts + "|" + name;
    out.push_back(',');
    AppendJsonField(&out, "NextToken", Base64Encode(raw));
  }
  out += "}";
  return Ok(std::move(out));
}

ActionOutput SplitShard(SimState& state, const RequestArgs& args) {
  std::string name, shard, key;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  if (!args.Has("ShardToSplit")) return ErrorOutput(MissingArg("shardToSplit"));
  if (!args.Has("NewStartingHashKey")) return ErrorOutput(MissingArg("newStartingHashKey"));
  if (auto e = args.String("ShardToSplit", &shard)) return ErrorOutput(*e);
  if (auto e = args.String("NewStartingHashKey", &key)) return ErrorOutput(*e);
  std::lock_guard<std::mutex> lock(state.mu);
  Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  if (auto e = state.registry.Split(*s, shard, key, state.NowUs(), SimState::WallMs())) {
    return ErrorOutput(*e);
  }
  return Ok("");
}

ActionOutput MergeShards(SimState& state, const RequestArgs& args) {
  std::string name, shard, adjacent;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  if (!args.Has("ShardToMerge")) return ErrorOutput(MissingArg("shardToMerge"));
  if (!args.Has("AdjacentShardToMerge")) return ErrorOutput(MissingArg("adjacentShardToMerge"));
  if (auto e = args.String("ShardToMerge", &shard)) return ErrorOutput(*e);
  if (auto e = args.String("AdjacentShardToMerge", &adjacent)) return ErrorOutput(*e);
  std::lock_guard<std::mutex> lock(state.mu);
  Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  if (auto e = state.registry.Merge(*s, shard, adjacent, state.NowUs(), SimState::WallMs())) {
    return ErrorOutput(*e);
  }
  return Ok("");
}

ActionOutput UpdateShardCount(SimState& state, const RequestArgs& args) {
  std::string name, scaling;
  int64_t target = 0;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  if (!args.Has("TargetShardCount")) return ErrorOutput(MissingArg("targetShardCount"));
  if (auto e = args.Int("TargetShardCount", &target)) return ErrorOutput(*e);
  if (auto e = args.String("ScalingType", &scaling)) return ErrorOutput(*e);
  if (!scaling.empty() && scaling != "UNIFORM_SCALING") {
    return ErrorOutput(ValidationError("Value '" + scaling +
                                       "' at 'scalingType' failed to satisfy constraint: Member "
                                       "must satisfy enum value set: [UNIFORM_SCALING]"));
  }
  std::lock_guard<std::mutex> lock(state.mu);
  Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  int64_t current = static_cast<int64_t>(s->open.size());
  if (auto e =
          state.registry.Scale(*s, static_cast<int>(target), state.NowUs(), SimState::WallMs())) {
    return ErrorOutput(*e);
  }
  std::string out = "{";
  AppendJsonField(&out, "StreamName", name);
  out.push_back(',');
  AppendJsonNumber(&out, "CurrentShardCount", current);
  out.push_back(',');
  AppendJsonNumber(&out, "TargetShardCount", target);
  out += ",";
  AppendJsonField(&out, "StreamARN", s->arn);
  out += "}";
  return Ok(std::move(out));
}

}  // namespace kinesis::sim
