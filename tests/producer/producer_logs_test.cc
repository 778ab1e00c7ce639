// The producer's log lines for real-time analysis: with CloudwatchLogs on, the producer's own
// lines and the application's (Producer::Log) reach a CloudWatch Logs receiver of the tests'
// own on 127.0.0.1 as JSON events, in PutLogEvents calls to the configured group and stream;
// with LogFormat json, every line a sink gets is one JSON object.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "../auth/fake_http_server.h"
#include "fake_kinesis.h"
#include "kinesis/log.h"
#include "kinesis/producer.h"

namespace kinesis {
namespace {

using auth::testing::FakeHttpServer;
using auth::testing::FakeRequest;
using auth::testing::FakeResponse;

TEST(ProducerLogs, ProducerAndApplicationLinesReachCloudWatchLogs) {
  FakeHttpServer logs([](const FakeRequest&) { return FakeResponse::Answer(200, "{}"); });
  auto kinesis = testing::FakeWithStream("clicks", 1);
  ProducerConfig c = testing::FastTestConfig();
  c.aws_access_key_id = "AKIDEXAMPLE";
  c.aws_secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.cloudwatch_logs = true;
  c.cloudwatch_logs_group = "/app/clicks";
  c.cloudwatch_logs_stream = "host-1";
  c.cloudwatch_logs_endpoint = logs.url();
  // Noted in the log at start: one of the producer's own lines.
  ASSERT_TRUE(ApplySetting(c, "ThreadPoolSize", "4").ok());
  c.log_sink = [](const LogEntry&) {};  // keep stderr quiet
  auto producer = Producer::Create(c, kinesis).value();
  producer->Log(LogLevel::kInfo, "checkout done", {{"page", "/cart"}, {"ms", "42"}});
  ASSERT_TRUE(producer->Close(std::chrono::seconds(10)).ok());

  std::vector<std::string> messages;
  for (const FakeRequest& r : logs.requests()) {
    EXPECT_EQ(r.Header("X-Amz-Target"), "Logs_20140328.PutLogEvents");
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(r.body).get(doc), simdjson::SUCCESS) << r.body;
    EXPECT_EQ(std::string(doc["logGroupName"].get_string().value()), "/app/clicks");
    EXPECT_EQ(std::string(doc["logStreamName"].get_string().value()), "host-1");
    for (simdjson::dom::element e : doc["logEvents"].get_array()) {
      messages.emplace_back(e["message"].get_string().value());
    }
    if (const char* path = std::getenv("KINESIS_SAVE_PUT_LOG_EVENTS")) {
      std::ofstream(path) << r.body;
    }
  }
  bool app = false, own = false;
  for (const std::string& m : messages) {
    app |=
        m.find(
            R"("component":"app","message":"checkout done","fields":{"page":"/cart","ms":"42"})") !=
        std::string::npos;
    own |= m.find(R"("level":"WARNING","component":"config")") != std::string::npos &&
           m.find("ThreadPoolSize=4 has no effect") != std::string::npos;
  }
  EXPECT_TRUE(app) << "the application's line was not shipped";
  EXPECT_TRUE(own) << "the producer's own line was not shipped";
}

TEST(ProducerLogs, CloudWatchLogsWithoutAGroupIsRefusedNamingTheSetting) {
  ProducerConfig c = testing::FastTestConfig();
  c.cloudwatch_logs = true;
  auto producer = Producer::Create(c, testing::FakeWithStream("clicks", 1));
  ASSERT_FALSE(producer.ok());
  EXPECT_NE(producer.status().message().find("CloudwatchLogsGroup"), std::string::npos)
      << producer.status().ToString();
}

TEST(ProducerLogs, JsonLinesFormat) {
  std::mutex mu;
  std::vector<std::string> lines;
  ProducerConfig c = testing::FastTestConfig();
  c.log_format = LogFormat::kJson;
  c.log_sink = [&](const LogEntry& e) {
    std::lock_guard lock(mu);
    lines.push_back(e.line);
  };
  auto producer = Producer::Create(c, testing::FakeWithStream("clicks", 1)).value();
  producer->Log(LogLevel::kWarning, "cart \"full\"", {{"items", "12"}});
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());
  std::lock_guard lock(mu);
  ASSERT_FALSE(lines.empty());
  simdjson::dom::parser parser;
  bool found = false;
  for (const std::string& line : lines) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    if (std::string(doc["component"].get_string().value()) != "app") continue;
    found = true;
    EXPECT_EQ(std::string(doc["level"].get_string().value()), "WARNING");
    EXPECT_EQ(std::string(doc["message"].get_string().value()), "cart \"full\"");
    EXPECT_EQ(std::string(doc["fields"]["items"].get_string().value()), "12");
    EXPECT_EQ(std::string(doc["time"].get_string().value()).size(), 24u);  // ...T..:..:..123Z
  }
  EXPECT_TRUE(found);
}

TEST(ProducerLogs, SettingsLoad) {
  ProducerConfig c;
  ASSERT_TRUE(ApplySetting(c, "LogFormat", "json").ok());
  EXPECT_EQ(c.log_format, LogFormat::kJson);
  ASSERT_TRUE(ApplySetting(c, "CloudwatchLogs", "true").ok());
  ASSERT_TRUE(ApplySetting(c, "CloudwatchLogsGroup", "/g").ok());
  ASSERT_TRUE(ApplySetting(c, "CloudwatchLogsStream", "s").ok());
  ASSERT_TRUE(ApplySetting(c, "CloudwatchLogsFlushInterval", "1000").ok());
  ASSERT_TRUE(ApplySetting(c, "CloudwatchLogsMaxBufferedEvents", "500").ok());
  EXPECT_TRUE(c.Validate().ok());
  EXPECT_FALSE(ApplySetting(c, "LogFormat", "xml").ok());
  Status bad = ApplySetting(c, "CloudwatchLogsStream", "a:b");
  Status invalid = bad.ok() ? c.Validate() : bad;
  EXPECT_FALSE(invalid.ok());
  EXPECT_NE(invalid.message().find("CloudwatchLogsStream"), std::string::npos)
      << invalid.ToString();
}

}  // namespace
}  // namespace kinesis
