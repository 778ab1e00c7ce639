#include "config_mapping.h"

#include <array>
#include <utility>

#include "kpl_messages.h"

namespace kinesis::kpl {
namespace {

enum class Type { kBool, kNumber, kText, kThreadConfig };

struct FieldKey {
  uint32_t number;
  std::string_view key;
  Type type;
};

// config.proto's field numbers (0.15.x adds 32 and 33; 128 is handled apart).
constexpr std::array<FieldKey, 33> kFields{{
    {1, "AggregationEnabled", Type::kBool},
    {2, "AggregationMaxCount", Type::kNumber},
    {3, "AggregationMaxSize", Type::kNumber},
    {4, "CloudwatchEndpoint", Type::kText},
    {5, "CloudwatchPort", Type::kNumber},
    {6, "CollectionMaxCount", Type::kNumber},
    {7, "CollectionMaxSize", Type::kNumber},
    {8, "ConnectTimeout", Type::kNumber},
    {9, "EnableCoreDumps", Type::kBool},
    {10, "FailIfThrottled", Type::kBool},
    {11, "KinesisEndpoint", Type::kText},
    {12, "KinesisPort", Type::kNumber},
    {13, "LogLevel", Type::kText},
    {14, "MaxConnections", Type::kNumber},
    {15, "MetricsGranularity", Type::kText},
    {16, "MetricsLevel", Type::kText},
    {17, "MetricsNamespace", Type::kText},
    {18, "MetricsUploadDelay", Type::kNumber},
    {19, "MinConnections", Type::kNumber},
    {20, "RateLimit", Type::kNumber},
    {21, "RecordMaxBufferedTime", Type::kNumber},
    {22, "RecordTtl", Type::kNumber},
    {23, "Region", Type::kText},
    {24, "RequestTimeout", Type::kNumber},
    {25, "VerifyCertificate", Type::kBool},
    {26, "ProxyHost", Type::kText},
    {27, "ProxyPort", Type::kNumber},
    {28, "ProxyUserName", Type::kText},
    {29, "ProxyPassword", Type::kText},
    {30, "ThreadingModel", Type::kThreadConfig},
    {31, "ThreadPoolSize", Type::kNumber},
    {32, "StsEndpoint", Type::kText},
    {33, "StsPort", Type::kNumber},
}};

constexpr uint32_t kAdditionalMetricDims = 128;

const FieldKey* Find(uint32_t number) {
  for (const FieldKey& f : kFields) {
    if (f.number == number) return &f;
  }
  return nullptr;
}

std::string Shown(std::string_view key, std::string_view value) {
  return IsSecretSetting(key) ? std::string("<redacted>") : "\"" + std::string(value) + "\"";
}

}  // namespace

std::string_view ConfigFieldKey(uint32_t number) {
  if (number == kAdditionalMetricDims) return "AdditionalMetricsDimensions";
  const FieldKey* f = Find(number);
  return f == nullptr ? std::string_view() : f->key;
}

Status MapConfiguration(std::string_view configuration, ProducerConfig& config,
                        std::vector<std::string>& skipped) {
  Result<std::vector<ConfigField>> fields = DecodeConfiguration(configuration);
  if (!fields.ok()) return fields.status();
  std::string dimensions;  // "Name=Value,..." of every AdditionalDimension
  for (const ConfigField& field : *fields) {
    if (field.number == kAdditionalMetricDims && !field.is_varint) {
      Result<AdditionalDimension> d = DecodeAdditionalDimension(field.bytes);
      if (!d.ok()) {
        skipped.push_back("AdditionalMetricsDimensions: " + d.status().message());
        continue;
      }
      if (d->granularity != "global") {
        skipped.push_back("AdditionalMetricsDimensions: dimension " + std::string(d->key) +
                          " asks for granularity \"" + std::string(d->granularity) +
                          "\"; it is added to every metric (granularity is not supported)");
      }
      if (!dimensions.empty()) dimensions += ',';
      dimensions += std::string(d->key) + "=" + std::string(d->value);
      continue;
    }
    const FieldKey* key = Find(field.number);
    if (key == nullptr) {
      skipped.push_back("Configuration field " + std::to_string(field.number) +
                        ": unknown to this daemon, ignored");
      continue;
    }
    bool expects_varint = key->type != Type::kText;
    if (field.is_varint != expects_varint) {
      skipped.push_back(std::string(key->key) + " (field " + std::to_string(field.number) +
                        "): wrong wire type, ignored");
      continue;
    }
    std::string value;
    switch (key->type) {
      case Type::kBool:
        value = field.varint != 0 ? "true" : "false";
        break;
      case Type::kNumber:
        value = std::to_string(field.varint);
        break;
      case Type::kText:
        value = std::string(field.bytes);
        break;
      case Type::kThreadConfig:
        value = field.varint == 0   ? "PER_REQUEST"
                : field.varint == 1 ? "POOLED"
                                    : std::to_string(field.varint);
        break;
    }
    Status s = ApplySetting(config, key->key, value);
    if (!s.ok()) {
      skipped.push_back(std::string(key->key) + " = " + Shown(key->key, value) +
                        " not applied: " + s.message());
    }
  }
  if (!dimensions.empty()) {
    Status s = ApplySetting(config, "AdditionalMetricsDimensions", dimensions);
    if (!s.ok()) {
      skipped.push_back("AdditionalMetricsDimensions = \"" + dimensions +
                        "\" not applied: " + s.message());
    }
  }
  return Status::Ok();
}

}  // namespace kinesis::kpl
