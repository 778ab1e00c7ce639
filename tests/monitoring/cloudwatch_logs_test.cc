// CloudWatch Logs: PutLogEvents batches within the service's rules (10,000 events, 1 MiB
// counting 26 bytes per event, time order, 24 hours), and the shipper against a receiver of the
// tests' own on 127.0.0.1: the events it gets, the log group and stream created when missing,
// and a bounded queue that drops the oldest (counted) while the endpoint stalls, without ever
// making the logging thread wait.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../auth/fake_http_server.h"
#include "auth/credentials.h"
#include "monitoring/cloudwatch_logs_request.h"
#include "monitoring/cloudwatch_logs_shipper.h"

namespace kinesis::monitoring {
namespace {

using auth::testing::FakeHttpServer;
using auth::testing::FakeRequest;
using auth::testing::FakeResponse;

struct Parsed {
  std::string group, stream;
  std::vector<std::pair<int64_t, std::string>> events;
};

Parsed Parse(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  Parsed out;
  EXPECT_EQ(parser.parse(body).get(doc), simdjson::SUCCESS) << body.substr(0, 200);
  out.group = std::string(doc["logGroupName"].get_string().value());
  out.stream = std::string(doc["logStreamName"].get_string().value());
  for (simdjson::dom::element e : doc["logEvents"].get_array()) {
    out.events.emplace_back(e["timestamp"].get_int64().value(),
                            std::string(e["message"].get_string().value()));
  }
  return out;
}

size_t Bytes(const Parsed& p) {
  size_t bytes = 0;
  for (const auto& [t, m] : p.events) bytes += m.size() + 26;
  return bytes;
}

TEST(PutLogEventsBatches, AtMostTenThousandEventsPerCall) {
  std::vector<LogEvent> events;
  for (int i = 0; i < 25000; ++i) events.push_back({1000 + i, "e" + std::to_string(i)});
  auto batches = BuildPutLogEventsBatches("g", "s", std::move(events), {});
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].events, 10000u);
  EXPECT_EQ(batches[1].events, 10000u);
  EXPECT_EQ(batches[2].events, 5000u);
  Parsed first = Parse(batches[0].body);
  EXPECT_EQ(first.group, "g");
  EXPECT_EQ(first.stream, "s");
  ASSERT_EQ(first.events.size(), 10000u);
  EXPECT_EQ(first.events[0].second, "e0");
}

TEST(PutLogEventsBatches, AtMostOneMebibyteCountingTwentySixBytesPerEvent) {
  std::vector<LogEvent> events;
  for (int i = 0; i < 2000; ++i) events.push_back({1000, std::string(1000, 'x')});
  auto batches = BuildPutLogEventsBatches("g", "s", std::move(events), {});
  ASSERT_EQ(batches.size(), 2u);
  // 1,048,576 / (1000 + 26) = 1022 events in the first.
  EXPECT_EQ(batches[0].events, 1022u);
  EXPECT_EQ(batches[1].events, 978u);
  for (const auto& b : batches) {
    EXPECT_LE(Bytes(Parse(b.body)), 1048576u);
    EXPECT_EQ(b.bytes, Bytes(Parse(b.body)));
  }
}

TEST(PutLogEventsBatches, EventsInTimeOrderAndEachCallWithinTwentyFourHours) {
  std::vector<LogEvent> events;
  std::mt19937 random(7);
  const int64_t day = 24LL * 3600 * 1000;
  for (int i = 0; i < 500; ++i) {
    events.push_back({static_cast<int64_t>(random() % 1000000), "a" + std::to_string(i)});
  }
  events.push_back({day + 1000000 + 5, "a day later"});
  auto batches = BuildPutLogEventsBatches("g", "s", std::move(events), {});
  ASSERT_EQ(batches.size(), 2u);
  int64_t last = -1;
  size_t total = 0;
  for (const auto& b : batches) {
    Parsed p = Parse(b.body);
    ASSERT_FALSE(p.events.empty());
    EXPECT_LE(p.events.back().first - p.events.front().first, day);
    for (const auto& [t, m] : p.events) {
      EXPECT_GE(t, last) << m;
      last = t;
    }
    total += p.events.size();
  }
  EXPECT_EQ(total, 501u);
  EXPECT_EQ(Parse(batches[1].body).events[0].second, "a day later");
}

TEST(PutLogEventsBatches, AnEventOverTheServicesLimitIsCutToIt) {
  std::vector<LogEvent> events = {{1, std::string(300000, 'y')}};
  auto batches = BuildPutLogEventsBatches("g", "s", std::move(events), {});
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(Parse(batches[0].body).events[0].second.size(), 262144u - 26u);
}

CredentialsSource TestCredentials() {
  return []() -> Result<std::shared_ptr<const auth::Credentials>> {
    auth::Credentials c;
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    return std::make_shared<const auth::Credentials>(c);
  };
}

std::string Target(const FakeRequest& r) {
  std::string t = r.Header("X-Amz-Target");
  return t.substr(t.find('.') + 1);
}

TEST(CloudWatchLogsShipper, CreatesTheGroupAndStreamWhenMissingAndSendsTheEvents) {
  bool created = false;
  FakeHttpServer logs([&](const FakeRequest& r) {
    std::string target = Target(r);
    if (target == "PutLogEvents" && !created) {
      return FakeResponse::Answer(
          400,
          R"({"__type":"ResourceNotFoundException","message":"The specified log group does not exist."})");
    }
    if (target == "CreateLogStream") created = true;
    return FakeResponse::Answer(200, "{}");
  });
  CloudWatchLogsOptions options;
  options.region = "us-east-1";
  options.endpoint = logs.url();
  options.log_group = "/app/clicks";
  options.log_stream = "host-1";
  options.flush_interval = std::chrono::hours(1);  // only FlushNow sends
  auto shipper = CloudWatchLogsShipper::Create(TestCredentials(), options).value();
  auto now = std::chrono::system_clock::now();
  shipper->Enqueue(now + std::chrono::milliseconds(2), "second");
  shipper->Enqueue(now, "first");
  ASSERT_TRUE(shipper->FlushNow().ok()) << shipper->stats().last_error;

  std::vector<FakeRequest> requests = logs.requests();
  std::vector<std::string> targets;
  for (const FakeRequest& r : requests) targets.push_back(Target(r));
  EXPECT_EQ(targets, (std::vector<std::string>{"PutLogEvents", "CreateLogGroup", "CreateLogStream",
                                               "PutLogEvents"}));
  for (const FakeRequest& r : requests) {
    EXPECT_EQ(r.Header("Content-Type"), "application/x-amz-json-1.1");
    EXPECT_NE(r.Header("Authorization").find("/us-east-1/logs/aws4_request"), std::string::npos)
        << r.Header("Authorization");
  }
  EXPECT_EQ(requests[1].body, R"({"logGroupName":"/app/clicks"})");
  EXPECT_EQ(requests[2].body, R"({"logGroupName":"/app/clicks","logStreamName":"host-1"})");
  Parsed sent = Parse(requests[3].body);
  EXPECT_EQ(sent.group, "/app/clicks");
  EXPECT_EQ(sent.stream, "host-1");
  ASSERT_EQ(sent.events.size(), 2u);
  EXPECT_EQ(sent.events[0].second, "first");  // in time order, not arrival order
  EXPECT_EQ(sent.events[1].second, "second");
  EXPECT_EQ(shipper->stats().events_sent, 2u);
  EXPECT_EQ(shipper->stats().events_dropped, 0u);
  if (const char* path = std::getenv("KINESIS_SAVE_PUT_LOG_EVENTS")) {
    std::ofstream(path) << requests[3].body;
  }
}

TEST(CloudWatchLogsShipper, BoundedQueueDropsTheOldestAndCountsThemWhileTheEndpointStalls) {
  FakeHttpServer logs([](const FakeRequest&) {
    FakeResponse r;
    r.kind = FakeResponse::Kind::kStall;
    return r;
  });
  CloudWatchLogsOptions options;
  options.region = "us-east-1";
  options.endpoint = logs.url();
  options.log_group = "g";
  options.log_stream = "s";
  options.max_buffered_events = 100;
  options.flush_interval = std::chrono::milliseconds(100);
  options.request_timeout = std::chrono::milliseconds(1000);
  uint64_t reported = 0;
  options.on_dropped = [&](uint64_t n) { reported += n; };
  auto shipper = CloudWatchLogsShipper::Create(TestCredentials(), options).value();
  auto now = std::chrono::system_clock::now();
  // Not started yet: the queue alone bounds memory.
  for (int i = 0; i < 1000; ++i) shipper->Enqueue(now, "early " + std::to_string(i));
  EXPECT_EQ(shipper->stats().events_dropped, 900u);
  EXPECT_EQ(shipper->stats().events_queued, 100u);

  shipper->Start();
  // The thread takes the 100 and waits on the stalled endpoint.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (logs.requests().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_FALSE(logs.requests().empty());
  for (int i = 0; i < 1000; ++i) shipper->Enqueue(now, "late " + std::to_string(i));
  CloudWatchLogsShipper::Stats stats = shipper->stats();
  EXPECT_EQ(stats.events_queued, 100u);
  // The 100 in flight are neither queued nor dropped yet (they fail back into the queue, where
  // the oldest go first).
  EXPECT_GE(stats.events_dropped, 1800u);
  shipper->Stop(std::chrono::milliseconds(0));
  stats = shipper->stats();
  EXPECT_EQ(stats.events_sent, 0u);
  EXPECT_EQ(stats.events_enqueued, 2000u);
  EXPECT_EQ(stats.events_dropped + stats.events_queued, 2000u);
  EXPECT_EQ(reported, stats.events_dropped);  // every drop reported to the metric
}

TEST(CloudWatchLogsShipper, BadSettingsAreRefusedNamingThem) {
  CloudWatchLogsOptions options;
  options.region = "us-east-1";
  options.log_stream = "s";
  auto no_group = CloudWatchLogsShipper::Create(TestCredentials(), options);
  ASSERT_FALSE(no_group.ok());
  EXPECT_NE(no_group.status().message().find("log group"), std::string::npos);
  options.log_group = "g";
  options.endpoint = "ftp://127.0.0.1:1";
  auto bad_endpoint = CloudWatchLogsShipper::Create(TestCredentials(), options);
  ASSERT_FALSE(bad_endpoint.ok());
  EXPECT_NE(bad_endpoint.status().message().find("ftp://127.0.0.1:1"), std::string::npos);
}

}  // namespace
}  // namespace kinesis::monitoring
