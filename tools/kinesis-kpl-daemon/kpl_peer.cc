#include "kpl_peer.h"

#include "kpl_wire.h"

namespace kinesis::kpl {
namespace {

using wire::Field;
using wire::FieldWriter;
using wire::ForEachField;

std::string Wrap(uint64_t id, MessageKind kind, std::string_view inner) {
  std::string out;
  FieldWriter w(out);
  w.Varint(1, id);
  w.Bytes(static_cast<uint32_t>(kind), inner);
  return out;
}

}  // namespace

std::string EncodePutRecordMessage(uint64_t id, const PutRecord& put) {
  std::string inner;
  FieldWriter w(inner);
  w.Bytes(1, put.stream_name);
  w.Bytes(2, put.partition_key);
  if (put.explicit_hash_key) w.Bytes(3, *put.explicit_hash_key);
  w.Bytes(4, put.data);
  return Wrap(id, MessageKind::kPutRecord, inner);
}

std::string EncodeFlushMessage(uint64_t id, const Flush& flush) {
  std::string inner;
  if (flush.stream_name) FieldWriter(inner).Bytes(1, *flush.stream_name);
  return Wrap(id, MessageKind::kFlush, inner);
}

std::string EncodeMetricsRequestMessage(uint64_t id, const MetricsRequest& request) {
  std::string inner;
  FieldWriter w(inner);
  if (request.name) w.Bytes(1, *request.name);
  if (request.seconds) w.Varint(2, *request.seconds);
  return Wrap(id, MessageKind::kMetricsRequest, inner);
}

std::string EncodeSetCredentialsMessage(uint64_t id, const SetCredentials& credentials) {
  std::string creds;
  FieldWriter c(creds);
  c.Bytes(1, credentials.access_key_id);
  c.Bytes(2, credentials.secret_key);
  if (!credentials.session_token.empty()) c.Bytes(3, credentials.session_token);
  std::string inner;
  FieldWriter w(inner);
  w.Varint(1, credentials.for_metrics ? 1 : 0);
  w.Bytes(2, creds);
  return Wrap(id, MessageKind::kSetCredentials, inner);
}

std::string EncodeStreamMetadataMessage(uint64_t id, const StreamMetadata& metadata) {
  std::string inner;
  FieldWriter w(inner);
  w.Bytes(1, metadata.stream_name);
  w.Bytes(2, metadata.stream_id);
  return Wrap(id, MessageKind::kStreamMetadata, inner);
}

std::string EncodeConfigurationMessage(const std::vector<ConfigField>& fields) {
  std::string inner;
  FieldWriter w(inner);
  for (const ConfigField& f : fields) {
    if (f.is_varint) {
      w.Varint(f.number, f.varint);
    } else {
      w.Bytes(f.number, f.bytes);
    }
  }
  return Wrap(0, MessageKind::kConfiguration, inner);
}

std::string EncodeAdditionalDimension(const AdditionalDimension& dimension) {
  std::string out;
  FieldWriter w(out);
  w.Bytes(1, dimension.key);
  w.Bytes(2, dimension.value);
  w.Bytes(3, dimension.granularity);
  return out;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<uint8_t>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

Result<DecodedPutRecordResult> DecodePutRecordResult(std::string_view body) {
  DecodedPutRecordResult r;
  bool has_success = false;
  Status s = ForEachField(body, "PutRecordResult", [&](const Field& f) {
    switch (f.number) {
      case 1: {
        DecodedAttempt a;
        Status inner = ForEachField(f.bytes, "Attempt", [&](const Field& g) {
          if (g.number == 1) a.delay_ms = static_cast<uint32_t>(g.varint);
          if (g.number == 2) a.duration_ms = static_cast<uint32_t>(g.varint);
          if (g.number == 3) a.success = g.varint != 0;
          if (g.number == 4) a.error_code = std::string(g.bytes);
          if (g.number == 5) a.error_message = std::string(g.bytes);
          return Status::Ok();
        });
        if (!inner.ok()) return inner;
        r.attempts.push_back(std::move(a));
        break;
      }
      case 2:
        r.success = f.varint != 0;
        has_success = true;
        break;
      case 3:
        r.shard_id = std::string(f.bytes);
        break;
      case 4:
        r.sequence_number = std::string(f.bytes);
        break;
      default:
        break;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!has_success)
    return Status::InvalidArgument("PutRecordResult: required field success (2) is missing");
  return r;
}

Result<std::vector<DecodedMetric>> DecodeMetricsResponse(std::string_view body) {
  std::vector<DecodedMetric> metrics;
  Status s = ForEachField(body, "MetricsResponse", [&](const Field& f) {
    if (f.number != 1) return Status::Ok();
    DecodedMetric m;
    Status inner = ForEachField(f.bytes, "Metric", [&](const Field& g) {
      if (g.number == 1) m.name = std::string(g.bytes);
      if (g.number == 4) m.seconds = g.varint;
      if (g.number == 2) {
        std::pair<std::string, std::string> dim;
        Status d = ForEachField(g.bytes, "Dimension", [&](const Field& h) {
          if (h.number == 1) dim.first = std::string(h.bytes);
          if (h.number == 2) dim.second = std::string(h.bytes);
          return Status::Ok();
        });
        if (!d.ok()) return d;
        m.dimensions.push_back(std::move(dim));
      }
      if (g.number == 3) {
        return ForEachField(g.bytes, "Stats", [&](const Field& h) {
          double v = wire::AsDouble(h.fixed64);
          if (h.number == 1) m.count = v;
          if (h.number == 2) m.sum = v;
          if (h.number == 3) m.mean = v;
          if (h.number == 4) m.min = v;
          if (h.number == 5) m.max = v;
          return Status::Ok();
        });
      }
      return Status::Ok();
    });
    if (!inner.ok()) return inner;
    metrics.push_back(std::move(m));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return metrics;
}

}  // namespace kinesis::kpl
