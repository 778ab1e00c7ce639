#include "agent_config.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "agent_example.h"

namespace kinesis::put {
namespace {

Result<PutOptions> Apply(const std::string& text) {
  PutOptions o;
  Status s = ApplyAgentConfig(text, "agent.json", &o);
  if (!s.ok()) return s;
  return o;
}

bool Noted(const PutOptions& o, const std::string& key) {
  return std::any_of(o.notes.begin(), o.notes.end(), [&](const std::string& n) {
    return n.find(key + " is not supported") != std::string::npos;
  });
}

TEST(AgentConfigTest, ReadsTheAgentsSampleUnchanged) {
  auto o = Apply(kAgentExampleJson);
  ASSERT_TRUE(o.ok()) << o.status().message();
  ASSERT_EQ(o->flows.size(), 2u);
  EXPECT_TRUE(o->follow);
  EXPECT_EQ(o->journal_base, "/tmp/aws-kinesis-agent-checkpoints/main.log");
  EXPECT_EQ(o->config.kinesis_endpoint, "https://kinesis.us-west-2.amazonaws.com");
  EXPECT_EQ(o->config.region, "us-west-2");  // from the endpoint
  EXPECT_EQ(o->config.aws_access_key_id, "ACCESSKEY");
  EXPECT_EQ(o->config.aws_secret_key, "SECRETKEY");
  const FlowOptions& f1 = o->flows[0];
  EXPECT_EQ(f1.stream, "aws-kinesis-agent-test1");
  EXPECT_EQ(f1.inputs, std::vector<std::string>{"/tmp/aws-kinesis-agent-test1.log*"});
  EXPECT_TRUE(f1.start_at_end);
  EXPECT_TRUE(f1.newline_terminated);
  EXPECT_TRUE(f1.truncate);
  EXPECT_EQ(f1.truncated_record_terminator, "\n");
  EXPECT_EQ(f1.keys.mode, KeyMode::kRandom);
  ASSERT_EQ(f1.processing.size(), 1u);
  EXPECT_EQ(f1.processing[0].kind, ProcessingStep::Kind::kCsvToJson);
  EXPECT_EQ(f1.processing[0].delimiter, "\\t");
  EXPECT_EQ(f1.checkpoint.rfind("/tmp/aws-kinesis-agent-checkpoints/main.log.", 0), 0u);
  const FlowOptions& f2 = o->flows[1];
  EXPECT_FALSE(f2.start_at_end);
  EXPECT_EQ(f2.processing[0].log_format, "COMMONAPACHELOG");
  EXPECT_NE(f1.checkpoint, f2.checkpoint);
  for (const char* key :
       {"cloudwatch.emitMetrics", "cloudwatch.endpoint", "userDefinedCredentialsProvider.classname",
        "userDefinedCredentialsProvider.location"}) {
    EXPECT_TRUE(Noted(*o, key)) << key;
  }
  EXPECT_EQ(o->notes.size(), 4u);
  for (const std::string& n : o->notes) EXPECT_EQ(n.find("SECRETKEY"), std::string::npos);
}

TEST(AgentConfigTest, EveryFlowAndGlobalKey) {
  auto o = Apply(R"({
    "kinesis.endpoint": "http://127.0.0.1:4567", "kinesis.region": "eu-west-1",
    "sts.endpoint": "http://127.0.0.1:4568",
    "assumeRoleARN": "arn:aws:iam::123456789012:role/writer", "assumeRoleExternalId": "ext-1",
    "flows": [{
      "filePattern": "/var/log/app/*.log", "kinesisStream": "app",
      "partitionKeyOption": "DETERMINISTIC", "initialPosition": "START_OF_FILE",
      "multiLineStartPattern": "\\d{4}-", "skipHeaderLines": 2,
      "truncatedRecordTerminator": "...", "maxBufferAgeMillis": 5000,
      "maxBufferSizeRecords": 200, "maxBufferSizeBytes": 1048576,
      "fileFooterPattern": "END",
      "dataProcessingOptions": [
        {"optionName": "SINGLELINE", "parseOptions": ["NO_TRIM", "ESCAPE_NEW_LINE"]},
        {"optionName": "ADDMETADATA", "timestamp": "true", "metadata": {"env": "prod"}},
        {"optionName": "ADDBRACKETS"},
        {"optionName": "LOGTOJSON", "logFormat": "SYSLOG", "matchPattern": "^(\\w+)$",
         "customFieldNames": ["word"], "jsonFormat": "COMPACT"}]
    }, {
      "filePattern": "/var/log/app/*.log", "kinesisStream": "other", "maxBufferAgeMillis": 2000,
      "maxBufferSizeBytes": 100
    }]})");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->config.region, "eu-west-1");
  EXPECT_EQ(o->config.sts_endpoint, "http://127.0.0.1:4568");
  EXPECT_EQ(o->config.role_arn, "arn:aws:iam::123456789012:role/writer");
  EXPECT_EQ(o->config.role_external_id, "ext-1");
  EXPECT_EQ(o->journal_base, kAgentCheckpointFile);
  const FlowOptions& f = o->flows[0];
  EXPECT_EQ(f.keys.mode, KeyMode::kDeterministic);
  EXPECT_FALSE(f.start_at_end);
  ASSERT_NE(f.multiline_start, nullptr);
  EXPECT_TRUE(std::regex_search("2024-01-01 x", *f.multiline_start,
                                std::regex_constants::match_continuous));
  EXPECT_EQ(f.skip_header_lines, 2u);
  EXPECT_EQ(f.truncated_record_terminator, "...");
  ASSERT_EQ(f.processing.size(), 4u);
  EXPECT_TRUE(f.processing[0].no_trim && f.processing[0].escape_newline);
  EXPECT_TRUE(f.processing[1].timestamp);
  EXPECT_EQ(f.processing[1].metadata_json, "{\"env\":\"prod\"}");
  EXPECT_EQ(*f.processing[3].match_pattern, "^(\\w+)$");
  // One producer: the smallest of the flows' buffer settings.
  EXPECT_EQ(o->config.record_max_buffered_time_ms, 2000u);
  EXPECT_EQ(o->config.collection_max_count, 200u);
  EXPECT_EQ(o->config.collection_max_size, 52224u);
  EXPECT_TRUE(Noted(*o, "flow 1 fileFooterPattern"));
  EXPECT_EQ(o->flows[1].keys.mode, KeyMode::kRandom);
  EXPECT_TRUE(o->flows[1].start_at_end);  // END_OF_FILE, the Agent's default
}

TEST(AgentConfigTest, BadConfigurationsAreNamed) {
  struct Case {
    std::string json;
    std::string says;
  } cases[] = {
      {R"({"flows": [{"filePattern": "/a", "deliveryStream": "fh"}]})",
       "flow 1 writes to the Firehose delivery stream 'fh'"},
      {R"({"flows": [{"filePattern": "/a"}]})", "flow 1 needs kinesisStream"},
      {R"({"flows": [{"kinesisStream": "s"}]})", "flow 1 needs filePattern"},
      {R"({"flows": []})", "flows must list at least one flow"},
      {R"({"flows": [{"filePattern": "/a", "kinesisStream": "s",
           "partitionKeyOption": "FIELD"}]})",
       "partitionKeyOption 'FIELD' is not one of RANDOM, DETERMINISTIC"},
      {R"({"flows": [{"filePattern": "/a", "kinesisStream": "s", "initialPosition": "x"}]})",
       "initialPosition 'x' is not one of START_OF_FILE, END_OF_FILE"},
      {R"({"flows": [{"filePattern": "/a", "kinesisStream": "s", "maxBufferAgeMillis": 10}]})",
       "maxBufferAgeMillis is 10; it must be in 1000..900000"},
      {R"({"flows": [{"filePattern": "/a", "kinesisStream": "s",
           "maxBufferSizeRecords": 501}]})",
       "maxBufferSizeRecords is 501; it must be in 1..500"},
      {R"({"flows": [{"filePattern": "/a", "kinesisStream": "s",
           "multiLineStartPattern": "(("}]})",
       "multiLineStartPattern '(('"},
      {R"({"flows": [{"filePattern": "/a", "kinesisStream": "s",
           "dataProcessingOptions": [{"optionName": "ADDEC2METADATA"}]}]})",
       "optionName 'ADDEC2METADATA' is not supported"},
      {R"({"flows": [{"filePattern": "/a", "kinesisStream": "s",
           "dataProcessingOptions": [{"optionName": "LOGTOJSON", "logFormat": "X"}]}]})",
       "logFormat 'X'"},
      {R"({"awsAccessKeyId": "A", "flows": [{"filePattern": "/a", "kinesisStream": "s"}]})",
       "give both awsAccessKeyId and awsSecretAccessKey"},
      {R"({"assumeRoleARN": "writer", "flows": [{"filePattern": "/a", "kinesisStream": "s"}]})",
       "assumeRoleARN takes a role ARN (arn:...), not 'writer'"},
      {R"({"assumeRoleExternalId": "e", "flows": [{"filePattern": "/a", "kinesisStream": "s"}]})",
       "assumeRoleExternalId needs assumeRoleARN"},
      {R"({"flows": [{"filePattern": "/a", "kinesisStream": "s"},
                     {"filePattern": "/a", "kinesisStream": "s"}]})",
       "flow 2 repeats an earlier flow"},
      {"[1]", "not a JSON object"},
      {"{", "not JSON"},
  };
  for (const Case& c : cases) {
    auto o = Apply(c.json);
    ASSERT_FALSE(o.ok()) << c.json;
    EXPECT_NE(o.status().message().find(c.says), std::string::npos)
        << o.status().message() << "\n  wanted: " << c.says;
  }
}

TEST(AgentConfigTest, CommandLineTakesTheFileAndRefusesFlowFlags) {
  auto bad = ParseOptions({"--agent-config", "/nonexistent/agent.json"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("/nonexistent/agent.json"), std::string::npos);
  bad = ParseOptions({"--agent-config", "/x.json", "--stream", "s"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("give no --stream"), std::string::npos);
}

}  // namespace
}  // namespace kinesis::put
