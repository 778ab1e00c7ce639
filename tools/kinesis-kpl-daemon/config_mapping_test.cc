#include "config_mapping.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kpl_messages.h"
#include "kpl_peer.h"

namespace kinesis::kpl {
namespace {

ConfigField Num(uint32_t n, uint64_t v) { return ConfigField{n, true, v, {}}; }
ConfigField Text(uint32_t n, std::string_view v) { return ConfigField{n, false, 0, v}; }

// The Configuration body (the Message's inner bytes) of `fields`.
std::string Body(const std::vector<ConfigField>& fields, std::string& storage) {
  storage = EncodeConfigurationMessage(fields);
  return std::string(DecodeMessage(storage)->body);
}

// Every field as KinesisProducerConfiguration.toProtobufMessage sends it, with non-default
// values where a default would not show the field was applied.
std::vector<ConfigField> AllFields() {
  return {Num(1, 0),
          Num(2, 1000),
          Num(3, 40000),
          Text(4, "monitoring.example"),
          Num(5, 8443),
          Num(6, 400),
          Num(7, 4000000),
          Num(8, 7000),
          Num(9, 1),
          Num(10, 1),
          Text(11, "kinesis.example"),
          Num(12, 4443),
          Text(13, "warning"),
          Num(14, 32),
          Text(15, "stream"),
          Text(16, "summary"),
          Text(17, "MyApp"),
          Num(18, 30000),
          Num(19, 2),
          Num(20, 80),
          Num(21, 250),
          Num(22, 45000),
          Text(23, "eu-west-1"),
          Num(24, 9000),
          Num(25, 0),
          Text(26, "proxy.example"),
          Num(27, 3128),
          Text(28, "proxy-user"),
          Text(29, "proxy-pass"),
          Num(30, 1),
          Num(31, 16),
          Text(32, "sts.example"),
          Num(33, 7443)};
}

TEST(ConfigMappingTest, EveryKplFieldLandsOnItsSetting) {
  std::string storage;
  std::vector<ConfigField> fields = AllFields();
  std::string dim = EncodeAdditionalDimension({"Service", "checkout", "global"});
  fields.push_back(Text(128, dim));
  ProducerConfig c;
  std::vector<std::string> skipped;
  ASSERT_TRUE(MapConfiguration(Body(fields, storage), c, skipped).ok());
  EXPECT_TRUE(skipped.empty()) << skipped.front();
  EXPECT_FALSE(c.aggregation_enabled);
  EXPECT_EQ(c.aggregation_max_count, 1000u);
  EXPECT_EQ(c.aggregation_max_size, 40000u);
  EXPECT_EQ(c.cloudwatch_endpoint, "monitoring.example");
  EXPECT_EQ(c.cloudwatch_port, 8443u);
  EXPECT_EQ(c.collection_max_count, 400u);
  EXPECT_EQ(c.collection_max_size, 4000000u);
  EXPECT_EQ(c.connect_timeout_ms, 7000u);
  EXPECT_TRUE(c.fail_if_throttled);
  EXPECT_EQ(c.kinesis_endpoint, "kinesis.example");
  EXPECT_EQ(c.kinesis_port, 4443u);
  EXPECT_EQ(c.log_level, LogLevel::kWarning);
  EXPECT_EQ(c.max_connections, 32u);
  EXPECT_EQ(c.metrics_granularity, MetricsGranularity::kStream);
  EXPECT_EQ(c.metrics_level, MetricsLevel::kSummary);
  EXPECT_EQ(c.metrics_namespace, "MyApp");
  EXPECT_EQ(c.metrics_upload_delay_ms, 30000u);
  EXPECT_EQ(c.rate_limit_percent, 80u);
  EXPECT_EQ(c.record_max_buffered_time_ms, 250u);
  EXPECT_EQ(c.record_ttl_ms, 45000u);
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_EQ(c.request_timeout_ms, 9000u);
  EXPECT_FALSE(c.verify_certificate);
  EXPECT_EQ(c.proxy_host, "proxy.example");
  EXPECT_EQ(c.proxy_port, 3128u);
  EXPECT_EQ(c.proxy_user_name, "proxy-user");
  EXPECT_EQ(c.proxy_password, "proxy-pass");
  // Settings without effect here are kept to be logged once (ProducerConfigNotes).
  const auto& noted = c.settings_without_effect;
  auto note = [&](const std::string& key, const std::string& value) {
    return std::find(noted.begin(), noted.end(), std::pair{key, value}) != noted.end();
  };
  EXPECT_TRUE(note("MinConnections", "2"));
  EXPECT_TRUE(note("ThreadPoolSize", "16"));
  EXPECT_EQ(c.sts_endpoint, "sts.example");
  EXPECT_EQ(c.sts_port, 7443u);
  ASSERT_EQ(c.metrics_extra_dimensions.size(), 1u);
  EXPECT_EQ(c.metrics_extra_dimensions[0],
            (std::pair<std::string, std::string>{"Service", "checkout"}));
  EXPECT_TRUE(c.Validate().ok()) << c.Validate().ToString();
}

TEST(ConfigMappingTest, KplDefaultsAsTheJavaSideSendsThemLeaveOurDefaults) {
  // 1.0.x's defaults, empty strings included (the Java side sets every field).
  std::vector<ConfigField> fields = {
      Num(1, 1),      Num(2, 4294967295u), Num(3, 51200),        Text(4, ""),
      Num(5, 443),    Num(6, 500),         Num(7, 5242880),      Num(8, 6000),
      Num(10, 0),     Text(11, ""),        Num(12, 443),         Text(13, "info"),
      Num(14, 24),    Text(15, "shard"),   Text(16, "detailed"), Text(17, "KinesisProducerLibrary"),
      Num(18, 60000), Num(19, 1),          Num(20, 150),         Num(21, 100),
      Num(22, 30000), Text(23, ""),        Num(24, 6000),        Num(25, 1),
      Text(26, ""),   Num(27, 443),        Text(28, ""),         Text(29, ""),
      Num(30, 0)};
  std::string storage;
  ProducerConfig c;
  std::vector<std::string> skipped;
  ASSERT_TRUE(MapConfiguration(Body(fields, storage), c, skipped).ok());
  EXPECT_TRUE(skipped.empty()) << skipped.front();
  ProducerConfig d;
  EXPECT_EQ(c.aggregation_max_count, d.aggregation_max_count);
  EXPECT_EQ(c.record_ttl_ms, d.record_ttl_ms);
  EXPECT_EQ(c.kinesis_endpoint, d.kinesis_endpoint);
  EXPECT_EQ(c.metrics_namespace, d.metrics_namespace);
  EXPECT_EQ(c.rate_limit_percent, d.rate_limit_percent);
}

TEST(ConfigMappingTest, RefusedAndUnknownFieldsAreNamedAndTheRestApplies) {
  std::string storage;
  std::vector<ConfigField> fields = {Num(6, 1000), Num(22, 45000), Num(77, 5), Text(13, "verbose"),
                                     Num(21, 7)};
  ProducerConfig c;
  std::vector<std::string> skipped;
  ASSERT_TRUE(MapConfiguration(Body(fields, storage), c, skipped).ok());
  ASSERT_EQ(skipped.size(), 3u);
  EXPECT_NE(skipped[0].find("CollectionMaxCount = \"1000\" not applied"), std::string::npos)
      << skipped[0];
  EXPECT_NE(skipped[0].find("500"), std::string::npos) << skipped[0];  // the limit
  EXPECT_EQ(skipped[1], "Configuration field 77: unknown to this daemon, ignored");
  EXPECT_NE(skipped[2].find("LogLevel = \"verbose\" not applied"), std::string::npos) << skipped[2];
  EXPECT_EQ(c.collection_max_count, 500u);  // unchanged
  EXPECT_EQ(c.record_ttl_ms, 45000u);
  EXPECT_EQ(c.record_max_buffered_time_ms, 7u);
}

TEST(ConfigMappingTest, SecretsAreNeverEchoed) {
  std::string storage;
  // ProxyPassword sent as a number: refused for its wire type, value not shown.
  std::vector<ConfigField> fields = {Num(29, 1234)};
  ProducerConfig c;
  std::vector<std::string> skipped;
  ASSERT_TRUE(MapConfiguration(Body(fields, storage), c, skipped).ok());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0], "ProxyPassword (field 29): wrong wire type, ignored");
}

TEST(ConfigMappingTest, DimensionGranularityOtherThanGlobalIsNoted) {
  std::string storage;
  std::string dim = EncodeAdditionalDimension({"Host", "h1", "shard"});
  ProducerConfig c;
  std::vector<std::string> skipped;
  ASSERT_TRUE(MapConfiguration(Body({Text(128, dim)}, storage), c, skipped).ok());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].find("granularity \"shard\""), std::string::npos) << skipped[0];
  ASSERT_EQ(c.metrics_extra_dimensions.size(), 1u);
  EXPECT_EQ(ConfigFieldKey(22), "RecordTtl");
  EXPECT_EQ(ConfigFieldKey(128), "AdditionalMetricsDimensions");
  EXPECT_EQ(ConfigFieldKey(99), "");
}

}  // namespace
}  // namespace kinesis::kpl
