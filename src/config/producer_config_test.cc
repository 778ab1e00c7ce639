#include "kinesis/producer_config.h"

#include <gtest/gtest.h>

#include <string>

namespace kinesis {
namespace {

TEST(ProducerConfigTest, DefaultsAreTheKplsAndValid) {
  ProducerConfig c;
  EXPECT_TRUE(c.Validate().ok()) << c.Validate().ToString();
  EXPECT_TRUE(c.aggregation_enabled);
  EXPECT_EQ(c.aggregation_max_size, 51200u);
  EXPECT_EQ(c.collection_max_count, 500u);
  EXPECT_EQ(c.collection_max_size, 5242880u);
  EXPECT_EQ(c.record_max_buffered_time_ms, 100u);
  EXPECT_EQ(c.record_ttl_ms, 30000u);
  EXPECT_EQ(c.rate_limit_percent, 150u);
  EXPECT_TRUE(c.verify_certificate);
  EXPECT_EQ(c.metrics_namespace, "KinesisProducerLibrary");
}

TEST(ProducerConfigTest, LoadsAKplPropertiesFile) {
  Result<ProducerConfig> c =
      LoadProducerConfig(std::string(KP_SOURCE_DIR) + "/src/config/testdata/kpl_style.properties");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->log_level, LogLevel::kWarning);
  EXPECT_EQ(c->metrics_granularity, MetricsGranularity::kStream);
  EXPECT_EQ(c->metrics_level, MetricsLevel::kSummary);
  EXPECT_EQ(c->metrics_namespace, "MyApplication");
  EXPECT_EQ(c->kinesis_port, 4567u);
  EXPECT_EQ(c->rate_limit_percent, 100u);
  EXPECT_EQ(c->record_max_buffered_time_ms, 250u);
  EXPECT_EQ(c->record_ttl_ms, 9223372036854775807ull);
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_EQ(c->kinesis_endpoint, "kinesis.eu-west-1.amazonaws.com");  // continuation line
}

TEST(ProducerConfigTest, ParsesEveryPropertiesSyntax) {
  ProducerConfig c;
  Status s = ApplyProperties(c,
                             "# comment\n"
                             "   ! another comment\n"
                             "\n"
                             "Region:us-east-2\r\n"
                             "MetricsNamespace   My\\u00e9App\\tX  \n"
                             "ProxyHost = proxy\\:host\n"
                             "Protocol=cbor",
                             "inline");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(c.region, "us-east-2");
  EXPECT_EQ(c.metrics_namespace,
            "My\xc3\xa9"
            "App\tX");
  EXPECT_EQ(c.proxy_host, "proxy:host");
  EXPECT_EQ(c.protocol, WireProtocol::kCbor);
}

TEST(ProducerConfigTest, UnknownKeysAreErrorsNamingKeyAndLine) {
  ProducerConfig c;
  Status s = ApplyProperties(c, "Region = us-east-1\nRecordTTL = 5000\n", "my.properties");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("my.properties:2: unknown setting 'RecordTTL'"), std::string::npos)
      << s.message();
}

TEST(ProducerConfigTest, BadValuesNameTheKeyTheValueAndTheLimit) {
  struct Case {
    const char* key;
    const char* value;
    StatusCode code;
    const char* words;
  } cases[] = {
      {"RecordTtl", "50", StatusCode::kOutOfRange, "RecordTtl is '50'; it must be 100 to"},
      {"CollectionMaxCount", "501", StatusCode::kOutOfRange, "it must be 1 to 500"},
      {"RecordTtl", "99999999999999999999", StatusCode::kOutOfRange, "RecordTtl"},
      {"RecordTtl", "-1", StatusCode::kInvalidArgument, "expected a whole number"},
      {"RecordTtl", "", StatusCode::kInvalidArgument, "expected a whole number"},
      {"RecordTtl", "10s", StatusCode::kInvalidArgument, "RecordTtl is '10s'"},
      {"AggregationEnabled", "yes", StatusCode::kInvalidArgument, "expected true or false"},
      {"MetricsLevel", "verbose", StatusCode::kInvalidArgument, "none|summary|detailed"},
      {"Port", "70000", StatusCode::kOutOfRange, "1 to 65535"},
      {"BufferFullPolicy", "drop", StatusCode::kInvalidArgument, "block|fail"},
  };
  for (const Case& c : cases) {
    ProducerConfig config;
    Status s = ApplySetting(config, c.key, c.value);
    EXPECT_EQ(s.code(), c.code) << c.key << "=" << c.value << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.words), std::string::npos) << s.message();
  }
}

TEST(ProducerConfigTest, ValidateChecksRelationsBetweenSettings) {
  ProducerConfig c;
  c.retry_backoff_base_ms = 1000;
  c.retry_backoff_max_ms = 10;
  EXPECT_NE(c.Validate().message().find("RetryBackoffMax"), std::string::npos);
  c = ProducerConfig{};
  c.metrics_namespace = "AWS/Kinesis";
  EXPECT_NE(c.Validate().message().find("MetricsNamespace"), std::string::npos);
  c = ProducerConfig{};
  c.record_ttl_ms = 1;  // set from code, bypassing ApplySetting
  EXPECT_EQ(c.Validate().code(), StatusCode::kOutOfRange);
  EXPECT_NE(c.Validate().message().find("RecordTtl is 1"), std::string::npos);
}

TEST(ProducerConfigTest, SecretsNeverAppearInErrors) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
  ProducerConfig c;
  std::string text = "AwsSecretKey = " + secret + "\nProxyPassword = " + secret + "\n";
  // Without the access key id, validation fails: the message must not carry the secret.
  Status s = ApplyProperties(c, text, "secret.properties");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find(secret), std::string::npos) << s.message();
  // A bad line after the secrets: the error names the line, not the secrets.
  s = ApplyProperties(c, text + "AwsAccessKeyId = AKID\nRateLimit = x\n", "secret.properties");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find(secret), std::string::npos) << s.message();
}

TEST(ProducerConfigTest, MissingFileIsNotFoundNamingThePath) {
  Result<ProducerConfig> c = LoadProducerConfig("/nonexistent/kpl.properties");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("/nonexistent/kpl.properties"), std::string::npos);
}

TEST(ProducerConfigTest, SecretSettingsAreKnownAsSuch) {
  EXPECT_TRUE(IsSecretSetting("AwsSecretKey"));
  EXPECT_TRUE(IsSecretSetting("ProxyPassword"));
  EXPECT_FALSE(IsSecretSetting("AwsAccessKeyId"));
  EXPECT_FALSE(IsSecretSetting("ProxyUserName"));
  EXPECT_FALSE(IsSecretSetting("NoSuchKey"));
}

TEST(ProducerConfigTest, EveryKeyRoundTripsThroughApplySetting) {
  for (std::string_view key : ProducerConfigKeys()) {
    ProducerConfig c;
    // Each key accepts at least one of these spellings of a valid value.
    bool accepted = false;
    for (const char* v : {"true", "1", "100", "64", "52224", "1048576", "3600", "x", "json", "block",
                          "detailed", "shard", "info", "Name=Value", "POOLED"}) {
      if (ApplySetting(c, key, v).ok()) {
        accepted = true;
        break;
      }
    }
    EXPECT_TRUE(accepted) << key;
  }
}

}  // namespace
}  // namespace kinesis
