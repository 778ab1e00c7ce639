// The Java side's half of the KPL child-process protocol (kpl_messages.h): encoding what the
// KPL's Java library sends and decoding what it receives. For tests, and for tools that drive
// kinesis-kpl-daemon without Java.
#ifndef KINESIS_TOOLS_KPL_DAEMON_KPL_PEER_H_
#define KINESIS_TOOLS_KPL_DAEMON_KPL_PEER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kpl_messages.h"

namespace kinesis::kpl {

// Encoders of the messages the Java side sends, for tests and tools driving the daemon.
std::string EncodePutRecordMessage(uint64_t id, const PutRecord& put);
std::string EncodeFlushMessage(uint64_t id, const Flush& flush);
std::string EncodeMetricsRequestMessage(uint64_t id, const MetricsRequest& request);
std::string EncodeSetCredentialsMessage(uint64_t id, const SetCredentials& credentials);
std::string EncodeStreamMetadataMessage(uint64_t id, const StreamMetadata& metadata);
std::string EncodeConfigurationMessage(const std::vector<ConfigField>& fields);
std::string EncodeAdditionalDimension(const AdditionalDimension& dimension);
std::string ToHex(std::string_view bytes);

// What the Java side receives, decoded (for tests).
struct DecodedAttempt {
  uint32_t delay_ms = 0, duration_ms = 0;
  bool success = false;
  std::string error_code, error_message;
};
struct DecodedPutRecordResult {
  bool success = false;
  std::string shard_id, sequence_number;
  std::vector<DecodedAttempt> attempts;
};
struct DecodedMetric {
  std::string name;
  std::vector<std::pair<std::string, std::string>> dimensions;
  double count = 0, sum = 0, mean = 0, min = 0, max = 0;
  uint64_t seconds = 0;
};
Result<DecodedPutRecordResult> DecodePutRecordResult(std::string_view body);
Result<std::vector<DecodedMetric>> DecodeMetricsResponse(std::string_view body);

}  // namespace kinesis::kpl

#endif  // KINESIS_TOOLS_KPL_DAEMON_KPL_PEER_H_
