#include "sim/put_actions.h"

#include <vector>

#include "kinesis/hash_key.h"
#include "sim/base64.h"
#include "sim/put_answer.h"
#include "sim/put_cbor.h"
#include "sim/put_input.h"
#include "sim/put_json.h"
#include "sim/stream_actions.h"

namespace kinesis::sim {
namespace {

std::string Member(size_t i, const char* field) {
  return "'records." + std::to_string(i + 1) + ".member." + field + "'";
}

// Checks one record as the service's request validation does (before the stream is looked at).
// JSON data is base64: its decoded size follows from its length; the characters are checked
// only when `check_base64` (the data is about to be decoded and kept).
MaybeError ValidateRecord(const SimOptions& options, ParsedRecord& r, size_t i, WireFormat format,
                          bool check_base64) {
  if (!r.has_data) return MissingArg("records." + std::to_string(i + 1) + ".member.data");
  if (!r.has_key) {
    return MissingArg("records." + std::to_string(i + 1) + ".member.partitionKey");
  }
  if (format == WireFormat::kCbor) {
    r.data_size = r.data.size();
  } else {
    long long size = Base64DecodedSize(r.data);
    if (size < 0 || (check_base64 && !Base64Valid(r.data))) {
      return ClientError("SerializationException", "Base64 encoded data is not valid.");
    }
    r.data_size = static_cast<size_t>(size);
  }
  if (r.data_size > options.max_record_bytes) {
    std::string size = std::to_string(r.data_size);
    return ValidationError("Value 'java.nio.HeapByteBuffer[pos=0 lim=" + size + " cap=" + size +
                           "]' at " + Member(i, "data") +
                           " failed to satisfy constraint: Member must have length less than or "
                           "equal to " +
                           std::to_string(options.max_record_bytes));
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
                       "[0, 2^128-1]. Specified value was " +
                           std::string(r.explicit_hash_key));
  }
  r.hash = *parsed;
  return std::nullopt;
}

enum class Outcome { kAccepted, kThrottled, kFailed };

// Decides and records one record's fate; appends its sequence head on success. Under mu.
Outcome Apply(SimState& state, Stream& s, const ParsedRecord& r, WireFormat format, int64_t now_us,
              int64_t wall_ms, std::string* out, int* shard_index) {
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
  bool throttled = state.faults.ThrottleRecord(s.name, shard.id);
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
    if (format == WireFormat::kCbor) {
      stored.data.assign(r.data);
    } else {
      Base64Decode(r.data, &stored.data);
    }
    stored.arrival_ms = wall_ms;
    shard.records.push_back(std::move(stored));
  }
  return Outcome::kAccepted;
}

std::string ThrottleMessage(const SimState& state, const Stream& s, const Shard& shard) {
  return "Rate exceeded for shard " + shard.id + " in stream " + s.name + " under account " +
         state.options.account + ".";
}

// Where the CBOR decoders join indefinite-length strings; reused, so its capacity follows the
// largest body seen on this thread.
std::string& Scratch() {
  thread_local std::string scratch;
  return scratch;
}

ActionOutput PutRecordsParsed(SimState& state, PutRecordsInput& input, WireFormat format) {
  std::vector<ParsedRecord>& records = *input.records;
  const StreamField& stream = input.stream;
  if (!stream.has_name && !stream.has_arn) return ErrorOutput(MissingArg("streamName"));
  std::string_view stream_name =
      stream.has_name ? stream.name : stream.arn.substr(stream.arn.rfind('/') + 1);
  if (!input.has_records) return ErrorOutput(MissingArg("records"));
  if (records.empty() || records.size() > state.options.max_records) {
    return ErrorOutput(ValidationError(
        "Value '[...]' at 'records' failed to satisfy constraint: Member must have length " +
        (records.empty() ? std::string("greater than or equal to 1")
                         : "less than or equal to " + std::to_string(state.options.max_records))));
  }
  size_t total = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (auto e = ValidateRecord(state.options, records[i], i, format, state.options.storage)) {
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
  PutRecordsAnswer answer(format, records.size());
  std::lock_guard<std::mutex> lock(state.mu);
  Stream* s = state.registry.Find(stream_name);
  if (!s) return ErrorOutput(state.registry.NotFound(stream_name));
  int64_t now_us = state.NowUs();
  int64_t wall_ms = (state.options.storage ? SimState::WallMs() : 0);
  uint64_t written = 0;
  for (const ParsedRecord& r : records) {
    answer.BeginEntry();
    int index = 0;
    Outcome outcome = Apply(state, *s, r, format, now_us, wall_ms, answer.out(), &index);
    const Shard& shard = s->shards[index];
    if (outcome == Outcome::kAccepted) {
      answer.Succeeded(shard);
      ++written;
    } else if (outcome == Outcome::kFailed) {
      answer.Failed("InternalFailure", "Internal service failure.");
    } else {
      answer.Failed("ProvisionedThroughputExceededException", ThrottleMessage(state, *s, shard));
    }
  }
  ActionOutput out = answer.Finish();
  out.records_written = written;
  out.records_not_written = records.size() - written;
  return out;
}

// PutRecord names its stream as the other single-stream actions do (StreamNameArg).
ActionOutput PutRecordParsed(SimState& state, PutRecordInput& input, WireFormat format) {
  std::string name;
  if (input.stream.has_name) {
    name = std::string(input.stream.name);
  } else if (!input.stream.has_arn) {
    return ErrorOutput(MissingArg("streamName"));
  } else if (auto e = StreamNameFromArn(input.stream.arn, &name)) {
    return ErrorOutput(*e);
  }
  ParsedRecord& r = input.record;
  if (auto e = ValidateRecord(state.options, r, 0, format, true)) {
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
  Outcome outcome = Apply(state, *s, r, format, state.NowUs(),
                          (state.options.storage ? SimState::WallMs() : 0), &seq, &index);
  const Shard& shard = s->shards[index];
  ActionOutput out;
  if (outcome == Outcome::kFailed) {
    out = ErrorOutput(ApiError{500, "InternalFailure", "Internal service failure."});
  } else if (outcome == Outcome::kThrottled) {
    out = ErrorOutput(
        ClientError("ProvisionedThroughputExceededException", ThrottleMessage(state, *s, shard)));
  } else {
    out = PutRecordAnswer(format, shard.id, seq + shard.result_tail.substr(0, 30));
  }
  (outcome == Outcome::kAccepted ? out.records_written : out.records_not_written) = 1;
  return out;
}

}  // namespace

size_t Utf16Length(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;  // 4-byte sequences are surrogate pairs
  }
  return n;
}

ActionOutput PutRecords(SimState& state, std::string_view body, WireFormat format) {
  thread_local std::vector<ParsedRecord> records;
  records.clear();
  PutRecordsInput input;
  input.records = &records;
  MaybeError error = format == WireFormat::kCbor ? DecodePutRecordsCbor(body, &Scratch(), &input)
                                                 : DecodePutRecordsJson(body, &input);
  if (error) return ErrorOutput(*error);
  return PutRecordsParsed(state, input, format);
}

ActionOutput PutRecord(SimState& state, const RequestArgs& args) {
  std::string name, data, key, hash;
  if (auto e = StreamNameArg(args, &name)) return ErrorOutput(*e);
  if (auto e = args.String("Data", &data)) return ErrorOutput(*e);
  if (auto e = args.String("PartitionKey", &key)) return ErrorOutput(*e);
  if (auto e = args.String("ExplicitHashKey", &hash)) return ErrorOutput(*e);
  PutRecordInput input;
  input.stream.name = name;
  input.stream.has_name = true;
  input.record.data = data;
  input.record.has_data = args.Has("Data");
  input.record.partition_key = key;
  input.record.has_key = args.Has("PartitionKey");
  input.record.explicit_hash_key = hash;
  input.record.has_hash = args.Has("ExplicitHashKey");
  return PutRecordParsed(state, input, WireFormat::kJson);
}

ActionOutput PutRecordCbor(SimState& state, std::string_view body) {
  PutRecordInput input;
  if (auto e = DecodePutRecordCbor(body, &Scratch(), &input)) return ErrorOutput(*e);
  return PutRecordParsed(state, input, WireFormat::kCbor);
}

}  // namespace kinesis::sim
