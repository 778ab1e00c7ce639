// The KPL's own configuration files load as the KPL loads them: both major versions' sample
// files, every key of KinesisProducerConfiguration with the KPL's ranges, and for each setting
// that does nothing here one note saying so and why.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "kinesis/producer_config.h"

namespace kinesis {
namespace {

const std::string kTestdata = std::string(KP_SOURCE_DIR) + "/src/config/testdata/";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool HasNoteStartingWith(const ProducerConfig& c, const std::string& start) {
  for (const std::string& note : ProducerConfigNotes(c)) {
    if (note.rfind(start, 0) == 0) return true;
  }
  return false;
}

TEST(KplCompat, Kpl015SampleFileLoadsUnchanged) {
  Result<ProducerConfig> c =
      LoadProducerConfig(kTestdata + "kpl/kpl-0.15.12-default_config.properties");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->aggregation_max_count, 4294967295u);
  EXPECT_EQ(c->collection_max_size, 5242880u);
  EXPECT_EQ(c->kinesis_port, 443u);
  EXPECT_EQ(c->max_connections, 24u);
  EXPECT_EQ(c->log_level, LogLevel::kInfo);
  // ThreadingModel = PER_REQUEST: said once to mean nothing here.
  EXPECT_TRUE(HasNoteStartingWith(*c, "ThreadingModel=PER_REQUEST has no effect: "));
}

TEST(KplCompat, Kpl10SampleFileStraySemicolonIsNamedPlainly) {
  const std::string path = kTestdata + "kpl/kpl-1.0.7-default_config.properties";
  Result<ProducerConfig> c = LoadProducerConfig(path);
  // The KPL itself refuses this line (Long.valueOf("1048576;")); the message says why.
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  const std::string m = c.status().message();
  EXPECT_NE(m.find(":124: MaxUserRecordSize is '1048576;'"), std::string::npos) << m;
  EXPECT_NE(m.find("a stray ';' follows the number 1048576"), std::string::npos) << m;

  // Without the semicolon (the only change), the file loads.
  std::string text = ReadText(path);
  size_t at = text.find("MaxUserRecordSize = 1048576;");
  ASSERT_NE(at, std::string::npos);
  text.erase(at + std::string("MaxUserRecordSize = 1048576").size(), 1);
  ProducerConfig config;
  Status s = ApplyProperties(config, text, "fixed.properties");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(config.max_user_record_size, 1048576u);
}

TEST(KplCompat, EveryKeyOfBothVersionsLoads) {
  Result<ProducerConfig> c = LoadProducerConfig(kTestdata + "kpl_every_key.properties");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->log_level, LogLevel::kDebug);  // trace: our most detailed level
  EXPECT_EQ(c->collection_max_size, 9223372036854775807ull);
  EXPECT_EQ(c->proxy_user_name, "user");
  EXPECT_EQ(c->proxy_password, "password");
  EXPECT_EQ(c->sts_port, 8443u);
  for (const char* key :
       {"ThreadPoolSize=2147483647 has no effect: ", "MinConnections=16 has no effect: ",
        "CredentialsRefreshDelay=300000 has no effect: ", "ThreadingModel=POOLED has no effect: ",
        "EnableOldestFutureTracker=false has no effect: ",
        "ReturnUserRecordOnFailure=true has no effect: ",
        "EnableDaemonHealthCheck=true has no effect: ",
        "DaemonHealthCheckTimeoutMs=5000 has no effect: ",
        "GlueSchemaRegistryPropertiesFilePath=/etc/kpl/gsr.properties has no effect: ",
        "CredentialsProvider=x has no effect: ", "NativeExecutable=/opt/kpl/kinesis_producer",
        "UserRecordTimeoutInMillis=0 has no effect: ",
        "CollectionMaxSize=9223372036854775807 is above 10485760",
        "AggregationMaxSize=10485760 is above MaxUserRecordSize=64"}) {
    EXPECT_TRUE(HasNoteStartingWith(*c, key)) << key;
  }
}

TEST(KplCompat, RangesAreTheKplsAtEachEdge) {
  const uint64_t kLongMax = 9223372036854775807ull;
  struct Range {
    const char* key;
    uint64_t min;
    uint64_t max;
  } ranges[] = {
      {"AggregationMaxCount", 1, kLongMax},
      {"AggregationMaxSize", 64, 10485760},
      {"CloudwatchPort", 1, 65535},
      {"CollectionMaxCount", 1, 500},
      {"CollectionMaxSize", 52224, kLongMax},
      {"ConnectTimeout", 100, 300000},
      {"CredentialsRefreshDelay", 1, 300000},
      {"KinesisPort", 1, 65535},
      {"MaxConnections", 1, 256},
      {"MaxUserRecordSize", 64, 10485760},
      {"MetricsUploadDelay", 1, 60000},
      {"MinConnections", 1, 16},
      {"RateLimit", 1, kLongMax},
      {"RecordMaxBufferedTime", 0, kLongMax},
      {"RecordTtl", 100, kLongMax},
      {"RequestTimeout", 100, 600000},
      {"ProxyPort", 1, 65535},
      {"StsPort", 1, 65535},
      {"ThreadPoolSize", 0, 2147483647},
      {"UserRecordTimeoutInMillis", 0, kLongMax},
      {"DaemonHealthCheckTimeoutMs", 5000, kLongMax},
  };
  for (const Range& r : ranges) {
    ProducerConfig c;
    EXPECT_TRUE(ApplySetting(c, r.key, std::to_string(r.min)).ok()) << r.key << "=" << r.min;
    EXPECT_TRUE(ApplySetting(c, r.key, std::to_string(r.max)).ok()) << r.key << "=" << r.max;
    EXPECT_TRUE(ApplySetting(c, r.key, "+" + std::to_string(r.min)).ok())  // Long.valueOf
        << r.key << "=+" << r.min;
    if (r.min > 0) {
      Status below = ApplySetting(c, r.key, std::to_string(r.min - 1));
      EXPECT_EQ(below.code(), StatusCode::kOutOfRange) << r.key << ": " << below.ToString();
      EXPECT_NE(below.message().find("it must be " + std::to_string(r.min) + " to " +
                                     std::to_string(r.max)),
                std::string::npos)
          << below.message();
    }
    Status above = ApplySetting(c, r.key, std::to_string(r.max + 1));
    EXPECT_EQ(above.code(), StatusCode::kOutOfRange) << r.key << ": " << above.ToString();
  }
}

TEST(KplCompat, ChoicesAreTheKpls) {
  ProducerConfig c;
  EXPECT_TRUE(ApplySetting(c, "LogLevel", "trace").ok());
  EXPECT_EQ(c.log_level, LogLevel::kDebug);
  EXPECT_TRUE(ApplySetting(c, "ThreadingModel", "PER_REQUEST").ok());
  EXPECT_TRUE(ApplySetting(c, "ThreadingModel", "POOLED").ok());
  Status s = ApplySetting(c, "ThreadingModel", "pooled");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("ThreadingModel is 'pooled'; expected one of PER_REQUEST|POOLED"),
            std::string::npos)
      << s.message();
  for (const char* key : {"ReturnUserRecordOnFailure", "EnableOldestFutureTracker",
                          "EnableDaemonHealthCheck", "EnableCoreDumps"}) {
    EXPECT_TRUE(ApplySetting(c, key, "true").ok()) << key;
    EXPECT_EQ(ApplySetting(c, key, "maybe").code(), StatusCode::kInvalidArgument) << key;
  }
}

TEST(KplCompat, StraySemicolonAfterAnyNumberIsNamedPlainly) {
  ProducerConfig c;
  Status s = ApplySetting(c, "RecordTtl", "60000;");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("RecordTtl is '60000;': a stray ';' follows the number 60000; "
                             "remove it"),
            std::string::npos)
      << s.message();
}

TEST(KplCompat, EachSettingWithoutEffectIsNotedOnceWithItsLastValue) {
  ProducerConfig c;
  ASSERT_TRUE(ApplySetting(c, "ThreadPoolSize", "64").ok());
  ASSERT_TRUE(ApplySetting(c, "ThreadPoolSize", "128").ok());
  int seen = 0;
  for (const std::string& note : ProducerConfigNotes(c)) {
    if (note.find("ThreadPoolSize") != std::string::npos) {
      ++seen;
      EXPECT_EQ(note.rfind("ThreadPoolSize=128 has no effect: ", 0), 0u) << note;
    }
  }
  EXPECT_EQ(seen, 1);
  EXPECT_TRUE(ProducerConfigNotes(ProducerConfig{}).empty());
  // StsPort works with a bare StsEndpoint; alone it has nothing to apply to.
  ProducerConfig sts;
  ASSERT_TRUE(ApplySetting(sts, "StsPort", "8443").ok());
  EXPECT_TRUE(HasNoteStartingWith(sts, "StsPort=8443 has no effect: "));
  ASSERT_TRUE(ApplySetting(sts, "StsEndpoint", "sts.example.com").ok());
  EXPECT_FALSE(HasNoteStartingWith(sts, "StsPort"));
}

TEST(KplCompat, TheMigrationGuideNamesEverySetting) {
  const std::string guide = ReadText(std::string(KP_SOURCE_DIR) + "/docs/migrating-from-kpl.md");
  ASSERT_FALSE(guide.empty());
  for (std::string_view key : ProducerConfigKeys()) {
    EXPECT_NE(guide.find(std::string(key)), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace kinesis
