#include "kpl_messages.h"

#include <algorithm>

#include "kpl_wire.h"

namespace kinesis::kpl {
namespace {

using wire::Field;
using wire::FieldWriter;
using wire::ForEachField;

Status Missing(std::string_view message, std::string_view field) {
  return Status::InvalidArgument(std::string(message) + ": required field " + std::string(field) +
                                 " is missing");
}

uint32_t ClampMs(std::chrono::nanoseconds d) {
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<uint32_t>(std::clamp<int64_t>(ms, 0, UINT32_MAX));
}

// Wraps `inner` as Message{id, source_id, <kind> = inner} and frames it onto `out`.
void AppendFramed(uint64_t id, uint64_t source_id, MessageKind kind, std::string_view inner,
                  std::string& out) {
  size_t at = out.size();
  out.append(4, '\0');
  FieldWriter w(out);
  w.Varint(1, id);
  w.Varint(2, source_id);
  w.Bytes(static_cast<uint32_t>(kind), inner);
  size_t n = out.size() - at - 4;
  for (int i = 0; i < 4; ++i)
    out[at + static_cast<size_t>(i)] = static_cast<char>((n >> (24 - 8 * i)) & 0xff);
}

void AppendAttempt(uint32_t delay_ms, uint32_t duration_ms, bool success, std::string_view code,
                   std::string_view message, std::string& out) {
  std::string attempt;
  FieldWriter a(attempt);
  a.Varint(1, delay_ms);
  a.Varint(2, duration_ms);
  a.Varint(3, success ? 1 : 0);
  if (!success) {
    a.Bytes(4, code);
    a.Bytes(5, message);
  }
  FieldWriter(out).Bytes(1, attempt);
}

}  // namespace

const char* MessageKindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kNone:
      return "none";
    case MessageKind::kPutRecord:
      return "PutRecord";
    case MessageKind::kFlush:
      return "Flush";
    case MessageKind::kPutRecordResult:
      return "PutRecordResult";
    case MessageKind::kConfiguration:
      return "Configuration";
    case MessageKind::kMetricsRequest:
      return "MetricsRequest";
    case MessageKind::kMetricsResponse:
      return "MetricsResponse";
    case MessageKind::kSetCredentials:
      return "SetCredentials";
    case MessageKind::kStreamMetadata:
      return "StreamMetadata";
  }
  return "unknown";
}

Result<Message> DecodeMessage(std::string_view bytes) {
  Message m;
  bool has_id = false;
  Status s = ForEachField(bytes, "Message", [&](const Field& f) {
    if (f.number == 1 && f.type == protobuf_wire::kVarint) {
      m.id = f.varint;
      has_id = true;
    } else if (f.number == 2 && f.type == protobuf_wire::kVarint) {
      m.source_id = f.varint;
    } else if (f.number >= 3 && f.number <= 10 && f.type == protobuf_wire::kLengthDelimited) {
      m.kind = static_cast<MessageKind>(f.number);  // oneof: the last one wins
      m.body = f.bytes;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!has_id) return Missing("Message", "id (1)");
  return m;
}

Result<PutRecord> DecodePutRecord(std::string_view body) {
  PutRecord p;
  bool stream = false, key = false, data = false;
  Status s = ForEachField(body, "PutRecord", [&](const Field& f) {
    if (f.type != protobuf_wire::kLengthDelimited) return Status::Ok();
    switch (f.number) {
      case 1:
        p.stream_name = f.bytes;
        stream = true;
        break;
      case 2:
        p.partition_key = f.bytes;
        key = true;
        break;
      case 3:
        p.explicit_hash_key = f.bytes;
        break;
      case 4:
        p.data = f.bytes;
        data = true;
        break;
      default:
        break;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!stream) return Missing("PutRecord", "stream_name (1)");
  if (!key) return Missing("PutRecord", "partition_key (2)");
  if (!data) return Missing("PutRecord", "data (4)");
  return p;
}

Result<Flush> DecodeFlush(std::string_view body) {
  Flush flush;
  Status s = ForEachField(body, "Flush", [&](const Field& f) {
    if (f.number == 1 && f.type == protobuf_wire::kLengthDelimited) flush.stream_name = f.bytes;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return flush;
}

Result<MetricsRequest> DecodeMetricsRequest(std::string_view body) {
  MetricsRequest r;
  Status s = ForEachField(body, "MetricsRequest", [&](const Field& f) {
    if (f.number == 1 && f.type == protobuf_wire::kLengthDelimited) r.name = f.bytes;
    if (f.number == 2 && f.type == protobuf_wire::kVarint) r.seconds = f.varint;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return r;
}

Result<SetCredentials> DecodeSetCredentials(std::string_view body) {
  SetCredentials c;
  bool has_credentials = false, has_akid = false, has_secret = false;
  Status s = ForEachField(body, "SetCredentials", [&](const Field& f) {
    if (f.number == 1 && f.type == protobuf_wire::kVarint) c.for_metrics = f.varint != 0;
    if (f.number != 2 || f.type != protobuf_wire::kLengthDelimited) return Status::Ok();
    has_credentials = true;
    return ForEachField(f.bytes, "Credentials", [&](const Field& g) {
      if (g.type != protobuf_wire::kLengthDelimited) return Status::Ok();
      if (g.number == 1) c.access_key_id = std::string(g.bytes), has_akid = true;
      if (g.number == 2) c.secret_key = std::string(g.bytes), has_secret = true;
      if (g.number == 3) c.session_token = std::string(g.bytes);
      return Status::Ok();
    });
  });
  if (!s.ok()) return s;
  if (!has_credentials) return Missing("SetCredentials", "credentials (2)");
  if (!has_akid) return Missing("Credentials", "akid (1)");
  if (!has_secret) return Missing("Credentials", "secret_key (2)");
  return c;
}

Result<StreamMetadata> DecodeStreamMetadata(std::string_view body) {
  StreamMetadata m;
  bool stream = false;
  Status s = ForEachField(body, "StreamMetadata", [&](const Field& f) {
    if (f.type != protobuf_wire::kLengthDelimited) return Status::Ok();
    if (f.number == 1) m.stream_name = f.bytes, stream = true;
    if (f.number == 2) m.stream_id = f.bytes;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!stream) return Missing("StreamMetadata", "stream_name (1)");
  return m;
}

Result<std::vector<ConfigField>> DecodeConfiguration(std::string_view body) {
  std::vector<ConfigField> fields;
  Status s = ForEachField(body, "Configuration", [&](const Field& f) {
    ConfigField c;
    c.number = f.number;
    c.is_varint = f.type == protobuf_wire::kVarint;
    c.varint = f.varint;
    c.bytes = f.bytes;
    if (c.is_varint || f.type == protobuf_wire::kLengthDelimited) fields.push_back(c);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return fields;
}

Result<AdditionalDimension> DecodeAdditionalDimension(std::string_view body) {
  AdditionalDimension d;
  Status s = ForEachField(body, "AdditionalDimension", [&](const Field& f) {
    if (f.type != protobuf_wire::kLengthDelimited) return Status::Ok();
    if (f.number == 1) d.key = f.bytes;
    if (f.number == 2) d.value = f.bytes;
    if (f.number == 3) d.granularity = f.bytes;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return d;
}

Result<std::string> DecodeHex(std::string_view option, std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return Status::InvalidArgument(std::string(option) + ": hexadecimal text of odd length " +
                                   std::to_string(hex.size()));
  }
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < hex.size(); ++i) {
    int v = nibble(hex[i]);
    if (v < 0) {
      return Status::InvalidArgument(std::string(option) + ": character '" +
                                     std::string(1, hex[i]) + "' at offset " + std::to_string(i) +
                                     " is not hexadecimal");
    }
    out[i / 2] = static_cast<char>(i % 2 == 0 ? v << 4 : (out[i / 2] | v));
  }
  return out;
}

void AppendPutRecordResult(uint64_t id, uint64_t source_id, const PutResult& result,
                           std::chrono::system_clock::time_point arrival, std::string& out) {
  std::string inner;
  // The KPL's delay: from the record's arrival (first attempt) or the previous attempt's end.
  std::chrono::system_clock::time_point previous_end = arrival;
  for (const Attempt& a : result.attempts) {
    AppendAttempt(ClampMs(a.start - previous_end), ClampMs(a.duration), a.success, a.error_code,
                  a.error_message, inner);
    previous_end =
        a.start + std::chrono::duration_cast<std::chrono::system_clock::duration>(a.duration);
  }
  if (result.attempts.empty() && !result.success) {
    // Failed before any try (expired while waiting, closed, no shard map): the Java side reads
    // the failure from the last attempt.
    AppendAttempt(ClampMs(std::chrono::system_clock::now() - arrival), 0, false, result.error_code,
                  result.error_message, inner);
  }
  FieldWriter w(inner);
  w.Varint(2, result.success ? 1 : 0);
  if (result.success) {
    w.Bytes(3, result.shard_id);
    w.Bytes(4, result.sequence_number);
  }
  AppendFramed(id, source_id, MessageKind::kPutRecordResult, inner, out);
}

void AppendRefusedResult(uint64_t id, uint64_t source_id, std::string_view code,
                         std::string_view message, std::string& out) {
  std::string inner;
  AppendAttempt(0, 0, false, code, message, inner);
  FieldWriter(inner).Varint(2, 0);
  AppendFramed(id, source_id, MessageKind::kPutRecordResult, inner, out);
}

void AppendMetricsResponse(uint64_t id, uint64_t source_id, const std::vector<MetricValue>& metrics,
                           uint64_t seconds, std::string& out) {
  std::string inner;
  std::string metric, part;
  for (const MetricValue& m : metrics) {
    metric.clear();
    FieldWriter w(metric);
    w.Bytes(1, m.name);
    // The KPL lists a metric's dimensions from the widest: StreamName, ShardId, then the rest.
    auto dimension = [&](const std::string& key, const std::string& value) {
      part.clear();
      FieldWriter d(part);
      d.Bytes(1, key);
      d.Bytes(2, value);
      w.Bytes(2, part);
    };
    for (const char* first : {"StreamName", "ShardId"}) {
      if (auto it = m.dimensions.find(first); it != m.dimensions.end()) {
        dimension(it->first, it->second);
      }
    }
    for (const auto& [key, value] : m.dimensions) {
      if (key != "StreamName" && key != "ShardId") dimension(key, value);
    }
    part.clear();
    FieldWriter st(part);
    st.Double(1, static_cast<double>(m.count));
    st.Double(2, m.sum);
    st.Double(3, m.mean);
    st.Double(4, m.min);
    st.Double(5, m.max);
    w.Bytes(3, part);
    w.Varint(4, seconds);
    FieldWriter(inner).Bytes(1, metric);
  }
  AppendFramed(id, source_id, MessageKind::kMetricsResponse, inner, out);
}

std::string Frame(std::string_view message) {
  std::string out(4, '\0');
  size_t n = message.size();
  for (int i = 0; i < 4; ++i)
    out[static_cast<size_t>(i)] = static_cast<char>((n >> (24 - 8 * i)) & 0xff);
  out.append(message);
  return out;
}

void FrameReader::Feed(std::string_view bytes) {
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<std::string_view>> FrameReader::Next() {
  size_t available = buffer_.size() - consumed_;
  if (available < 4) return std::optional<std::string_view>();
  const auto* p = reinterpret_cast<const uint8_t*>(buffer_.data() + consumed_);
  uint32_t length = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  if (length > max_) {
    return Status::OutOfRange("message length " + std::to_string(length) +
                              " bytes is above the limit of " + std::to_string(max_) +
                              " bytes (framing lost)");
  }
  if (available - 4 < length) return std::optional<std::string_view>();
  std::string_view message(buffer_.data() + consumed_ + 4, length);
  consumed_ += 4 + length;
  return std::optional<std::string_view>(message);
}

Status FrameReader::Finish() const {
  size_t left = buffer_.size() - consumed_;
  if (left == 0) return Status::Ok();
  if (left < 4) {
    return Status::InvalidArgument("input ended inside a length prefix: " + std::to_string(left) +
                                   " of 4 bytes");
  }
  const auto* p = reinterpret_cast<const uint8_t*>(buffer_.data() + consumed_);
  uint32_t length = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  return Status::InvalidArgument("input ended inside a message: " + std::to_string(left - 4) +
                                 " of " + std::to_string(length) + " bytes");
}

}  // namespace kinesis::kpl
