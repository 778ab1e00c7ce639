#include "options.h"

#include <gtest/gtest.h>

#include <fstream>

namespace kinesis::put {
namespace {

Result<PutOptions> Parse(std::vector<std::string> args) { return ParseOptions(args); }

TEST(OptionsTest, FlagsWinOverConfigFile) {
  std::string path = "/tmp/kinesis-put-options-test.properties";
  std::ofstream(path)
      << "AggregationEnabled = true\nRecordMaxBufferedTime = 500\nRegion = eu-west-1\n";
  auto o = Parse({"--stream", "s", "--config", path, "--aggregation=off", "--region", "us-east-2",
                  "--set", "RateLimit=80", "in.txt"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_FALSE(o->config.aggregation_enabled);
  EXPECT_EQ(o->config.record_max_buffered_time_ms, 500u);
  EXPECT_EQ(o->config.region, "us-east-2");
  EXPECT_EQ(o->config.rate_limit_percent, 80u);
  EXPECT_EQ(o->flows[0].inputs, std::vector<std::string>{"in.txt"});
}

TEST(OptionsTest, RoleFlagsSetTheRole) {
  auto o = Parse(
      {"--stream", "s", "--role-arn", "arn:aws:iam::1:role/w", "--role-external-id", "partner-7"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->config.role_arn, "arn:aws:iam::1:role/w");
  EXPECT_EQ(o->config.role_external_id, "partner-7");
  auto alone = Parse({"--stream", "s", "--role-external-id", "partner-7"});
  ASSERT_FALSE(alone.ok());
  EXPECT_NE(alone.status().message().find("without RoleArn"), std::string::npos);
}

TEST(OptionsTest, DefaultsToStdinAndRandomKeys) {
  auto o = Parse({"--stream", "s"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->flows[0].inputs, std::vector<std::string>{"-"});
  EXPECT_EQ(o->flows[0].keys.mode, KeyMode::kRandom);
  EXPECT_EQ(o->config.record_ttl_ms, ProducerConfig().record_ttl_ms);
  EXPECT_EQ(o->config.buffer_max_records, 20000u);
  auto set = Parse({"--stream", "s", "--set", "BufferMaxRecords=7"});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->config.buffer_max_records, 7u);
}

TEST(OptionsTest, FollowRetriesLongUnlessTold) {
  auto o = Parse({"--stream", "s", "--follow", "a.log"});
  ASSERT_TRUE(o.ok());
  EXPECT_GT(o->config.record_ttl_ms, 3600u * 1000);
  auto t = Parse({"--stream", "s", "--follow", "--record-ttl-ms", "5000", "a.log"});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->config.record_ttl_ms, 5000u);
}

TEST(OptionsTest, ErrorsNameTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"--stream", "s", "--bogus"}, "--bogus"},
      {{"a.txt"}, "--stream"},
      {{"--stream"}, "needs a value"},
      {{"--stream", "s", "--format", "xml"}, "--format"},
      {{"--stream", "s", "--partition-key-field", "id"}, "--format jsonl"},
      {{"--stream", "s", "--buffering-ms", "ten"}, "--buffering-ms"},
      {{"--stream", "s", "--follow"}, "--follow"},
      {{"--stream", "s", "--checkpoint", "c"}, "--checkpoint"},
      {{"--stream-arn", "stream/x"}, "ARN"},
      {{"--stream", "s", "--set", "NoSuchKey=1"}, "NoSuchKey"},
      {{"--stream", "s", "--config", "/nonexistent/kpl.properties"}, "kpl.properties"},
      {{"--stream", "s", "--strict=yes"}, "--strict"},
  };
  for (const Case& c : cases) {
    auto o = Parse(c.args);
    ASSERT_FALSE(o.ok()) << c.args.back();
    EXPECT_NE(o.status().message().find(c.says), std::string::npos) << o.status().message();
  }
}

// A value on the command line shows in `ps` and shell history: secrets are refused there, with
// an error that names the key (never the value) and says where the secret belongs.
TEST(OptionsTest, RefusesSecretsOnTheCommandLine) {
  const std::string keys[] = {"AwsSecretKey", "ProxyPassword", "AwsSessionToken", "awssecretkey"};
  for (const std::string& key : keys) {
    for (bool joined : {false, true}) {
      std::vector<std::string> args = {"--stream", "s", "--set", "AwsAccessKeyId=AKIDEXAMPLE"};
      if (joined) {
        args.push_back("--set=" + key + "=hunter2-secret");
      } else {
        args.push_back("--set");
        args.push_back(key + "=hunter2-secret");
      }
      auto o = Parse(args);
      ASSERT_FALSE(o.ok()) << key << " was accepted on the command line";
      std::string m = o.status().message();
      EXPECT_NE(m.find(key), std::string::npos) << m;
      EXPECT_EQ(m.find("hunter2-secret"), std::string::npos) << m;
      EXPECT_NE(m.find("environment"), std::string::npos) << m;
      EXPECT_NE(m.find("--config"), std::string::npos) << m;
    }
  }
  // The non-secret half of a key pair, and a secret from a file, are fine.
  std::string path = "/tmp/kinesis-put-options-secret-test.properties";
  std::ofstream(path) << "AwsAccessKeyId = AKIDEXAMPLE\nAwsSecretKey = from-a-file\n";
  auto o = Parse({"--stream", "s", "--config", path, "--set", "ProxyUserName=u"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->config.aws_secret_key, "from-a-file");
}

TEST(OptionsTest, HelpMentionsEveryFlagGroup) {
  std::string help = HelpText();
  for (const char* flag :
       {"--stream", "--endpoint", "--config", "--aggregation", "--follow", "--checkpoint",
        "--summary-json", "--failed-out", "--strict", "--partition-key-field", "--format"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

TEST(OptionsTest, SeveralFlowsOnTheCommandLine) {
  auto o = ParseOptions({"--follow", "--region", "us-east-1", "--stream", "app", "--checkpoint",
                         "a.cp", "app/*.log", "--flow", "--stream", "web", "--format", "jsonl",
                         "--partition-key-field", "user", "--checkpoint", "w.cp", "web/*.log"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  ASSERT_EQ(o->flows.size(), 2u);
  EXPECT_EQ(o->flows[0].stream, "app");
  EXPECT_EQ(o->flows[0].inputs, std::vector<std::string>{"app/*.log"});
  EXPECT_EQ(o->flows[0].format, InputFormat::kLines);
  EXPECT_EQ(o->flows[1].stream, "web");
  EXPECT_EQ(o->flows[1].keys.mode, KeyMode::kField);
  EXPECT_EQ(o->flows[1].checkpoint, "w.cp");
  EXPECT_EQ(o->journal_base, "a.cp");
  struct Case {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"--stream", "a", "--stream", "b"}, "begin another flow with --flow"},
      {{"--stream", "a", "x", "--flow", "y"}, "flow 2: --stream NAME"},
      {{"--follow", "--stream", "a", "--checkpoint", "c", "x", "--flow", "--stream", "b",
        "--checkpoint", "c", "y"},
       "flow 2: --checkpoint c is another flow's already"},
      {{"--stream", "a", "--flow", "--stream", "b"}, "standard input can be read by one flow"},
      {{"--agent-config", "x.json", "--flow"}, "--flow is for the command line's flows"},
  };
  for (const Case& c : cases) {
    auto bad = ParseOptions(c.args);
    ASSERT_FALSE(bad.ok()) << c.says;
    EXPECT_NE(bad.status().message().find(c.says), std::string::npos) << bad.status().message();
  }
}

}  // namespace
}  // namespace kinesis::put
