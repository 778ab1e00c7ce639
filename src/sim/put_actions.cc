#include "sim/put_actions.h"

#include <simdjson.h>

#include <vector>

#include "kinesis/hash_key.h"
#include "sim/base64.h"
#include "sim/http_server.h"
#include "sim/json_out.h"
#include "sim/stream_actions.h"

namespace kinesis::sim {
namespace {

struct ParsedRecord {
  std::string_view data;  // base64 as sent
  std::string_view partition_key;
  std::string_view explicit_hash_key;
  bool has_data = false;
  bool has_key = false;
  bool has_hash = false;
  HashKey hash;
  size_t data_size = 0;
};

ApiError Serialization() {
  return ClientError("SerializationException",
                     "Start of structure or map found where not expected.");
}

// The contents of a JSON string token; false when the token is not a string.
bool StringToken(std::string_view token, std::string_view* out) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  if (token.size() < 2 || token.front() != '"' || token.back() != '"') return false;
  *out = token.substr(1, token.size() - 2);
  return true;
}

bool ParseRecord(simdjson::ondemand::value value, ParsedRecord* r) {
  simdjson::ondemand::object obj;
  if (value.get_object().get(obj)) return false;
  for (auto field : obj) {
    simdjson::ondemand::raw_json_string key;
    if (field.key().get(key)) return false;
    simdjson::ondemand::value v = field.value();
    if (key == "Data") {
      std::string_view token;
      // Base64 needs no unescaping: take the raw token, no copy.
      token = v.raw_json_token();
      if (!StringToken(token, &r->data)) return false;
      r->has_data = true;
    } else if (key == "PartitionKey") {
      if (v.get_string().get(r->partition_key)) return false;
      r->has_key = true;
    } else if (key == "ExplicitHashKey") {
      if (v.get_string().get(r->explicit_hash_key)) return false;
      r->has_hash = true;
    }
  }
  return true;
}

std::string Member(size_t i, const char* field) {
  return "'records." + std::to_string(i + 1) + ".member." + field + "'";
}

// Checks one record as the service's request validation does (before the stream is looked at).
MaybeError ValidateRecord(const SimOptions& options, ParsedRecord& r, size_t i, bool decode) {
  if (!r.has_data) return MissingArg("records." + std::to_string(i + 1) + ".member.data");
  if (!r.has_key) {
    return MissingArg("records." + std::to_string(i + 1) + ".member.partitionKey");
  }
  long long size = Base64DecodedSize(r.data);
  if (size < 0 || (decode && !Base64Valid(r.data))) {
    return ClientError("SerializationException", "Base64 encoded data is not valid.");
  }
  r.data_size = static_cast<size_t>(size);
  if (r.data_size > options.max_record_bytes) {
    return ValidationError("Value 'java.nio.HeapByteBuffer[pos=0 lim=" + std::to_string(size) +
                           " cap=" + std::to_string(size) + "]' at " + Member(i, "data") +
                           " failed to satisfy constraint: Member must have length less than or "
                           "equal to " + std::to_string(options.max_record_bytes));
  }
  size_t key_length = Utf16Length(r.partition_key);
  if (key_length < 1 || key_length > 256) {
    return ValidationError("Value '" + std::string(r.partition_key) + "' at " +
                           Member(i, "partitionKey") +
                           (key_length < 1 ? " failed to satisfy constraint: Member must have "
                                             "length greater than or equal to 1"
                                           : " failed to satisfy constraint: Member must have "
                                             "length less than or equal to 256"));
  }
  if (r.has_hash) {
    std::string_view h = r.explicit_hash_key;
    bool pattern = h == "0" || (!h.empty() && h.size() <= 39 && h[0] >= '1' && h[0] <= '9' &&
                                h.find_first_not_of("0123456789") == std::string_view::npos);
    if (!pattern) {
      return ValidationError("Value '" + std::string(h) + "' at " + Member(i, "explicitHashKey") +
                             " failed to satisfy constraint: Member must satisfy regular "
                             "expression pattern: 0|([1-9]\\d{0,38})");
    }
  }
  return std::nullopt;
}

MaybeError HashOf(ParsedRecord& r) {
  if (!r.has_hash) {
    r.hash = HashPartitionKey(r.partition_key);
    return std::nullopt;
  }
  auto parsed = HashKey::Parse(r.explicit_hash_key);
  if (!parsed.ok()) {
    return ClientError("InvalidArgumentException",
                       "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
                       "[0, 2^128-1]. Specified value was " + std::string(r.explicit_hash_key));
  }
  r.hash = *parsed;
  return std::nullopt;
}

enum class Outcome { kAccepted, kThrottled, kFailed };

// Decides and records one record's fate; appends its sequence head on success. Under mu.
Outcome Apply(SimState& state, Stream& s, const ParsedRecord& r, int64_t now_us, int64_t wall_ms,
              std::string* out, int* shard_index) {
  int index = s.Route(r.hash);
  *shard_index = index;
  Shard& shard = s.shards[index];
  SimCounters& c = state.counters;
  if (state.faults.FailRecord(shard.id)) {
    ++shard.counters.records_failed;
    ++c.records_failed;
    ++c.errors_by_code["InternalFailure"];
    return Outcome::kFailed;
  }
  double bytes = static_cast<double>(r.data_size + r.partition_key.size());
  bool throttled = state.faults.ThrottleRecord(shard.id);
  if (!throttled && state.options.limits) {
    throttled = !shard.byte_limit.Has(bytes, now_us) || !shard.record_limit.Has(1, now_us);
    if (!throttled) {
      shard.byte_limit.Take(bytes);
      shard.record_limit.Take(1);
    }
  }
  if (throttled) {
    ++shard.counters.records_throttled;
    ++c.records_throttled;
    ++c.errors_by_code["ProvisionedThroughputExceededException"];
    return Outcome::kThrottled;
  }
  size_t seq_at = out->size();
  s.AppendNextSequenceHead(out);
  ++shard.counters.records_accepted;
  shard.counters.bytes_accepted += static_cast<uint64_t>(bytes);
  ++c.records_accepted;
  c.bytes_accepted += static_cast<uint64_t>(bytes);
  if (state.options.storage) {
    StoredRecord stored;
    stored.stream = s.name;
    stored.shard_id = shard.id;
    stored.sequence_number = out->substr(seq_at) + shard.result_tail.substr(0, 30);
    stored.partition_key = std::string(r.partition_key);
    stored.explicit_hash_key = std::string(r.explicit_hash_key);
    Base64Decode(r.data, &stored.data);
    stored.arrival_ms = wall_ms;
    shard.records.push_back(std::move(stored));
  }
  return Outcome::kAccepted;
}

std::string ThrottleMessage(const SimState& state, const Stream& s, const Shard& shard) {
  return "Rate exceeded for shard " + shard.id + " in stream " + s.name + " under account " +
         state.options.account + ".";
}

}  // namespace

size_t Utf16Length(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;  // 4-byte sequences are surrogate pairs
  }
  return n;
}

ActionOutput PutRecords(SimState& state, std::string_view body) {
  thread_local simdjson::ondemand::parser parser;
  thread_local std::vector<ParsedRecord> records;
  records.clear();
  std::string_view stream_name;
  bool has_stream = false;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (parser.iterate(body.data(), body.size(), body.size() + kBodyPadding).get(doc) ||
      doc.get_object().get(obj)) {
    return ErrorOutput(Serialization());
  }
  bool has_records = false;
  for (auto field : obj) {
    simdjson::ondemand::raw_json_string key;
    if (field.key().get(key)) return ErrorOutput(Serialization());
    if (key == "Records") {
      simdjson::ondemand::array array;
      if (field.value().get_array().get(array)) return ErrorOutput(Serialization());
      has_records = true;
      for (auto element : array) {
        simdjson::ondemand::value value;
        records.emplace_back();
        if (element.get(value) || !ParseRecord(value, &records.back())) {
          return ErrorOutput(Serialization());
        }
      }
    } else if (key == "StreamName" || key == "StreamARN") {
      bool arn = key == "StreamARN";
      std::string_view text;
      if (field.value().get_string().get(text)) return ErrorOutput(Serialization());
      if (arn) text = text.substr(text.rfind('/') + 1);
      if (!has_stream || !arn) stream_name = text;
      has_stream = true;
    }
  }
  if (!has_stream) return ErrorOutput(MissingArg("streamName"));
  if (!has_records) return ErrorOutput(MissingArg("records"));
  if (records.empty() || records.size() > state.options.max_records) {
    return ErrorOutput(ValidationError(
        "Value '[...]' at 'records' failed to satisfy constraint: Member must have length " +
        (records.empty() ? std::string("greater than or equal to 1")
                         : "less than or equal to " + std::to_string(state.options.max_records))));
  }
  size_t total = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (auto e = ValidateRecord(state.options, records[i], i, state.options.storage)) {
      return ErrorOutput(*e);
    }
    total += records[i].data_size + records[i].partition_key.size();
  }
  for (auto& r : records) {
    if (auto e = HashOf(r)) return ErrorOutput(*e);
  }
  if (total > state.options.max_request_bytes) {
    return ErrorOutput(ClientError("InvalidArgumentException",
                                   "Records size exceeds " +
                                       std::to_string(state.options.max_request_bytes) +
                                       " bytes limit: " + std::to_string(total) + " bytes"));
  }
  std::string out;
  out.reserve(64 + records.size() * 96);
  out.append("{\"Records\":[");
  size_t failed = 0;
  {
    std::lock_guard<std::mutex> lock(state.mu);
    Stream* s = state.registry.Find(stream_name);
    if (!s) return ErrorOutput(state.registry.NotFound(stream_name));
    int64_t now_us = state.NowUs();
    int64_t wall_ms = (state.options.storage ? SimState::WallMs() : 0);
    for (size_t i = 0; i < records.size(); ++i) {
      if (i) out.push_back(',');
      out.append("{\"SequenceNumber\":\"");
      size_t entry_at = out.size() - 19;
      int index = 0;
      Outcome outcome = Apply(state, *s, records[i], now_us, wall_ms, &out, &index);
      if (outcome == Outcome::kAccepted) {
        out.append(s->shards[index].result_tail);
        continue;
      }
      ++failed;
      out.resize(entry_at);
      out.append("{");
      if (outcome == Outcome::kFailed) {
        AppendJsonField(&out, "ErrorCode", "InternalFailure");
        out.push_back(',');
        AppendJsonField(&out, "ErrorMessage", "Internal service failure.");
      } else {
        AppendJsonField(&out, "ErrorCode", "ProvisionedThroughputExceededException");
        out.push_back(',');
        AppendJsonField(&out, "ErrorMessage", ThrottleMessage(state, *s, s->shards[index]));
      }
      out.push_back('}');
    }
  }
  out.append("],\"FailedRecordCount\":");
  out.append(std::to_string(failed));
  out.append(",\"EncryptionType\":\"NONE\"}");
  return ActionOutput{200, std::move(out), ""};
}

ActionOutput PutRecord(SimState& state, const RequestArgs& args) {
  std::string name, data, key, hash;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  if (auto e = args.String("Data", &data)) return ErrorOutput(*e);
  if (auto e = args.String("PartitionKey", &key)) return ErrorOutput(*e);
  if (auto e = args.String("ExplicitHashKey", &hash)) return ErrorOutput(*e);
  ParsedRecord r;
  r.data = data;
  r.has_data = args.Has("Data");
  r.partition_key = key;
  r.has_key = args.Has("PartitionKey");
  r.explicit_hash_key = hash;
  r.has_hash = args.Has("ExplicitHashKey");
  if (auto e = ValidateRecord(state.options, r, 0, true)) {
    // The single-record call names its members without the "records.N.member." prefix.
    std::string& m = e->message;
    for (size_t at; (at = m.find("records.1.member.")) != std::string::npos;) m.erase(at, 17);
    return ErrorOutput(*e);
  }
  if (auto e = HashOf(r)) return ErrorOutput(*e);
  std::lock_guard<std::mutex> lock(state.mu);
  Stream* s = state.registry.Find(name);
  if (!s) return ErrorOutput(state.registry.NotFound(name));
  std::string seq;
  int index = 0;
  Outcome outcome = Apply(state, *s, r, state.NowUs(), (state.options.storage ? SimState::WallMs() : 0), &seq, &index);
  const Shard& shard = s->shards[index];
  if (outcome == Outcome::kFailed) {
    return ErrorOutput(ApiError{500, "InternalFailure", "Internal service failure."});
  }
  if (outcome == Outcome::kThrottled) {
    return ErrorOutput(ClientError("ProvisionedThroughputExceededException",
                                   ThrottleMessage(state, *s, shard)));
  }
  std::string out = "{";
  AppendJsonField(&out, "ShardId", shard.id);
  out.push_back(',');
  AppendJsonField(&out, "SequenceNumber", seq + shard.result_tail.substr(0, 30));
  out += ",\"EncryptionType\":\"NONE\"}";
  return ActionOutput{200, std::move(out), ""};
}

}  // namespace kinesis::sim
