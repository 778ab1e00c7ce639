// The KPL's child-process protocol (docs/kpl-daemon.md): the messages the Java library's
// Daemon class exchanges with its native process over two pipes, decoded and encoded by hand
// on the protobuf wire format (field numbers are those of the KPL's messages.proto and
// config.proto; 0.15.x and 1.0.x share them).
//
// Framing: each message is a 4-byte big-endian length followed by that many bytes of a
// serialized Message. Decoded messages view the bytes they were decoded from.
//
// Thread safety: plain functions and value types; FrameReader belongs to one thread.
#ifndef KINESIS_TOOLS_KPL_DAEMON_KPL_MESSAGES_H_
#define KINESIS_TOOLS_KPL_DAEMON_KPL_MESSAGES_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/metrics.h"
#include "kinesis/producer.h"
#include "kinesis/status.h"

namespace kinesis::kpl {

// The largest message either side accepts: the KPL's native limit (11 MiB). The Java side
// reads at most 12 MiB.
inline constexpr uint32_t kMaxMessageBytes = 11u * 1024 * 1024;

// Message.actual_message, by field number.
enum class MessageKind : uint32_t {
  kNone = 0,
  kPutRecord = 3,
  kFlush = 4,
  kPutRecordResult = 5,
  kConfiguration = 6,
  kMetricsRequest = 7,
  kMetricsResponse = 8,
  kSetCredentials = 9,
  kStreamMetadata = 10,  // 1.0.x
};

const char* MessageKindName(MessageKind kind);

struct Message {
  uint64_t id = 0;
  std::optional<uint64_t> source_id;
  MessageKind kind = MessageKind::kNone;
  std::string_view body;  // the inner message's bytes
};

struct PutRecord {
  std::string_view stream_name;
  std::string_view partition_key;
  std::optional<std::string_view> explicit_hash_key;  // decimal, as the Java side sends it
  std::string_view data;
};

struct Flush {
  std::optional<std::string_view> stream_name;  // none: every stream
};

struct MetricsRequest {
  std::optional<std::string_view> name;  // none: every metric
  std::optional<uint64_t> seconds;       // none: as long as we keep
};

struct SetCredentials {
  bool for_metrics = false;
  std::string access_key_id;
  std::string secret_key;  // secret: never logged
  std::string session_token;
};

struct StreamMetadata {
  std::string_view stream_name;
  std::string_view stream_id;
};

// One field of the Configuration message: a varint (bools, numbers, the ThreadConfig enum) or
// bytes (strings, the AdditionalDimension sub-message).
struct ConfigField {
  uint32_t number = 0;
  bool is_varint = false;
  uint64_t varint = 0;
  std::string_view bytes;
};

struct AdditionalDimension {
  std::string_view key, value, granularity;
};

// Each fails with InvalidArgument naming what is wrong (a required field missing, a truncated
// field) when the bytes are not such a message.
Result<Message> DecodeMessage(std::string_view bytes);
Result<PutRecord> DecodePutRecord(std::string_view body);
Result<Flush> DecodeFlush(std::string_view body);
Result<MetricsRequest> DecodeMetricsRequest(std::string_view body);
Result<SetCredentials> DecodeSetCredentials(std::string_view body);
Result<StreamMetadata> DecodeStreamMetadata(std::string_view body);
Result<std::vector<ConfigField>> DecodeConfiguration(std::string_view body);
Result<AdditionalDimension> DecodeAdditionalDimension(std::string_view body);

// Hex text (either case) to bytes, as the Java side passes -c, -k and -w; the error names the
// option, the offending character and its offset.
Result<std::string> DecodeHex(std::string_view option, std::string_view hex);

// Appends a whole frame (length + Message) to `out`. `arrival` is when the record was put, for
// the first attempt's delay.
void AppendPutRecordResult(uint64_t id, uint64_t source_id, const PutResult& result,
                           std::chrono::system_clock::time_point arrival, std::string& out);
// A failed result with one attempt carrying `code` and `message`, for a record the producer
// refused at once.
void AppendRefusedResult(uint64_t id, uint64_t source_id, std::string_view code,
                         std::string_view message, std::string& out);
void AppendMetricsResponse(uint64_t id, uint64_t source_id, const std::vector<MetricValue>& metrics,
                           uint64_t seconds, std::string& out);

// `message` prefixed with its 4-byte big-endian length.
std::string Frame(std::string_view message);

// Splits a byte stream into frames. Feed bytes as they arrive; Next() returns each complete
// message (valid until the next Feed), nullopt when more bytes are needed, or an error for a
// length above kMaxMessageBytes (the stream cannot be resynchronised after that).
class FrameReader {
 public:
  explicit FrameReader(uint32_t max_message_bytes = kMaxMessageBytes) : max_(max_message_bytes) {}
  void Feed(std::string_view bytes);
  Result<std::optional<std::string_view>> Next();
  // At end of input: OK when no partial frame is left, else an error saying how much is missing.
  Status Finish() const;

 private:
  const uint32_t max_;
  std::string buffer_;
  size_t consumed_ = 0;  // bytes of buffer_ already returned
};

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_KPL_MESSAGES_H_
