// Where a producer's metrics and logs go, end to end through Producer::Create: record
// problems logged with stream, shard, code and attempt; secrets of the configuration never
// logged; the Prometheus endpoint and the JSON statistics callback serving the producer's own
// metrics; gauges (BufferBytes) and the configuration errors of the monitoring settings.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../auth/fake_http_server.h"
#include "common/log.h"
#include "fake_kinesis.h"
#include "kinesis/log.h"
#include "kinesis/producer.h"
#include "local_http.h"

namespace kinesis {
namespace {

using testing::FakeKinesis;
using testing::FreePort;
using testing::HttpGet;

ProducerConfig TestConfig() { return testing::FastTestConfig(); }

// Captures every log line while alive; restores the stderr sink after.
class CapturedLog {
 public:
  CapturedLog() {
    SetLogSink([this](const LogEntry& e) {
      std::lock_guard lock(mu_);
      entries_.push_back(e);
    });
  }
  ~CapturedLog() {
    SetLogSink(nullptr);
    SetLogLevel(LogLevel::kInfo);
  }
  std::vector<LogEntry> entries() {
    std::lock_guard lock(mu_);
    return entries_;
  }
  static std::string Field(const LogEntry& e, std::string_view key) {
    for (const auto& [k, v] : e.fields) {
      if (k == key) return v;
    }
    return "<absent>";
  }

 private:
  std::mutex mu_;
  std::vector<LogEntry> entries_;
};

void PutAndFlush(Producer& p, const std::string& stream, int n) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(p.Put(stream, "key-" + std::to_string(i), std::string(100, 'x'), std::nullopt,
                      [](PutResult) {})
                    .ok());
  }
  ASSERT_TRUE(p.Flush().get().ok());
}

TEST(ProducerMonitoring, ThrottledRecordsAreLoggedWithStreamShardCodeAndAttempt) {
  CapturedLog log;
  auto kinesis = testing::FakeWithThrottledShard("clicks");
  ProducerConfig c = TestConfig();
  c.fail_if_throttled = true;
  auto producer = Producer::Create(c, kinesis).value();
  PutAndFlush(*producer, "clicks", 50);
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());

  bool seen = false;
  for (const LogEntry& e : log.entries()) {
    if (e.message != "record throttled") continue;
    seen = true;
    EXPECT_EQ(e.level, LogLevel::kWarning);
    EXPECT_EQ(CapturedLog::Field(e, "stream"), "clicks");
    EXPECT_EQ(CapturedLog::Field(e, "shard"), "shardId-000000000000");
    EXPECT_EQ(CapturedLog::Field(e, "code"), "ProvisionedThroughputExceededException");
    EXPECT_EQ(CapturedLog::Field(e, "attempt"), "1");
    EXPECT_NE(e.line.find("stream=clicks"), std::string::npos) << e.line;
  }
  EXPECT_TRUE(seen);
}

TEST(ProducerMonitoring, FatalAndExpiredRecordsAreLogged) {
  CapturedLog log;
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("s", 1);
  FakeKinesis::Faults f;
  f.fatal_record_code = "KMSAccessDeniedException";
  kinesis->SetFaults(f);
  auto producer = Producer::Create(TestConfig(), kinesis).value();
  PutAndFlush(*producer, "s", 10);

  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());

  // A shard that always throttles, and a short TTL: the records expire while retried.
  FakeKinesis::Faults throttle;
  throttle.throttle_shards = {"shardId-000000000000"};
  kinesis->SetFaults(throttle);
  ProducerConfig c = TestConfig();
  c.record_ttl_ms = 200;
  auto expiring = Producer::Create(c, kinesis).value();
  PutAndFlush(*expiring, "s", 10);
  ASSERT_TRUE(expiring->Close(std::chrono::seconds(5)).ok());

  bool fatal = false;
  for (const LogEntry& e : log.entries()) {
    if (e.message == "record failed" && CapturedLog::Field(e, "code") == "KMSAccessDeniedException") {
      fatal = true;
      EXPECT_EQ(e.level, LogLevel::kError);
      EXPECT_EQ(CapturedLog::Field(e, "stream"), "s");
    }
  }
  EXPECT_TRUE(fatal);
  bool expired = false;
  bool expired_while_retried = false;
  for (const LogEntry& e : log.entries()) {
    if (e.message != "record expired") continue;
    expired = true;
    EXPECT_EQ(CapturedLog::Field(e, "code"), "Expired");
    EXPECT_EQ(CapturedLog::Field(e, "shard"), "shardId-000000000000");
    // A record the shard's limiter held back after the throttling may expire before its first
    // attempt (attempt=0, seen once in CI on a loaded machine); the others were retried.
    std::string attempt = CapturedLog::Field(e, "attempt");
    EXPECT_FALSE(attempt.empty());
    expired_while_retried |= attempt != "0";
  }
  EXPECT_TRUE(expired);
  EXPECT_TRUE(expired_while_retried);
}

TEST(ProducerMonitoring, ConfiguredSecretsNeverReachTheLog) {
  CapturedLog log;
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("s", 1);
  ProducerConfig c = TestConfig();
  c.aws_access_key_id = "AKIDEXAMPLE";
  c.aws_secret_key = "wJalrXUtnFEMI-very-secret";
  c.proxy_password = "proxy-pass-1234";
  c.log_level = LogLevel::kDebug;
  auto producer = Producer::Create(c, kinesis).value();
  // Anything that logs a message containing them (an error text echoing a config, say).
  SetLogLevel(LogLevel::kDebug);
  Logger& logger = Logger::Get();
  logger.Log(LogLevel::kError, "test", "failed with wJalrXUtnFEMI-very-secret and proxy-pass-1234",
             {{"detail", "key=wJalrXUtnFEMI-very-secret"}});
  for (const LogEntry& e : log.entries()) {
    EXPECT_EQ(e.line.find("wJalrXUtnFEMI-very-secret"), std::string::npos) << e.line;
    EXPECT_EQ(e.line.find("proxy-pass-1234"), std::string::npos) << e.line;
  }
  ASSERT_FALSE(log.entries().empty());
}

// Each producer logs at its own level to its own sink; one without a sink of its own writes to
// the process-wide sink at its own level, whatever the process-wide level.
TEST(ProducerMonitoring, TwoProducersLogAtTheirOwnLevelsToTheirOwnSinks) {
  CapturedLog global;  // the process-wide sink, at the process-wide level info
  std::mutex mu;
  std::vector<LogEntry> own;
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("verbose", 1);
  kinesis->CreateStream("quiet", 1);
  kinesis->CreateStream("default", 1);

  ProducerConfig verbose_config = TestConfig();
  verbose_config.log_level = LogLevel::kDebug;
  verbose_config.log_sink = [&](const LogEntry& e) {
    std::lock_guard lock(mu);
    own.push_back(e);
  };
  ProducerConfig quiet_config = TestConfig();
  quiet_config.log_level = LogLevel::kWarning;
  ProducerConfig default_sink_config = TestConfig();
  default_sink_config.log_level = LogLevel::kDebug;

  auto verbose = Producer::Create(verbose_config, kinesis).value();
  auto quiet = Producer::Create(quiet_config, kinesis).value();
  auto default_sink = Producer::Create(default_sink_config, kinesis).value();
  PutAndFlush(*verbose, "verbose", 10);
  PutAndFlush(*quiet, "quiet", 10);
  PutAndFlush(*default_sink, "default", 10);
  ASSERT_TRUE(verbose->Close(std::chrono::seconds(5)).ok());
  ASSERT_TRUE(quiet->Close(std::chrono::seconds(5)).ok());
  ASSERT_TRUE(default_sink->Close(std::chrono::seconds(5)).ok());
  EXPECT_EQ(Logger::Get().level(), LogLevel::kInfo);  // no producer changed it

  auto debug_lines_of = [](const std::vector<LogEntry>& entries, const std::string& stream) {
    int n = 0;
    for (const LogEntry& e : entries) {
      if (e.level == LogLevel::kDebug && CapturedLog::Field(e, "stream") == stream) ++n;
    }
    return n;
  };
  std::vector<LogEntry> own_lines;
  {
    std::lock_guard lock(mu);
    own_lines = own;
  }
  std::vector<LogEntry> global_lines = global.entries();
  EXPECT_GT(debug_lines_of(own_lines, "verbose"), 0);    // its level, its sink
  EXPECT_EQ(debug_lines_of(global_lines, "verbose"), 0);  // and only there
  EXPECT_EQ(debug_lines_of(global_lines, "quiet"), 0);    // its level is warning
  EXPECT_EQ(debug_lines_of(own_lines, "quiet"), 0);
  EXPECT_GT(debug_lines_of(global_lines, "default"), 0);  // debug, through the process sink
  EXPECT_EQ(debug_lines_of(own_lines, "default"), 0);
}

TEST(ProducerMonitoring, KplSettingsWithoutEffectAreLoggedOnceEachAtStart) {
  CapturedLog log;
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("s", 1);
  ProducerConfig c = TestConfig();
  ASSERT_TRUE(ApplySetting(c, "ThreadPoolSize", "64").ok());
  ASSERT_TRUE(ApplySetting(c, "ThreadPoolSize", "128").ok());  // the last value counts
  ASSERT_TRUE(ApplySetting(c, "GlueSchemaRegistryPropertiesFilePath", "/etc/gsr.properties").ok());
  ASSERT_TRUE(ApplySetting(c, "CollectionMaxSize", "20971520").ok());
  auto producer = Producer::Create(c, kinesis).value();
  PutAndFlush(*producer, "s", 10);  // the producer at work says nothing more about them
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());

  auto count = [&](std::string_view start) {
    int n = 0;
    for (const LogEntry& e : log.entries()) n += e.message.rfind(start, 0) == 0 ? 1 : 0;
    return n;
  };
  EXPECT_EQ(count("ThreadPoolSize=128 has no effect: requests run on one event-loop thread"), 1);
  EXPECT_EQ(count("ThreadPoolSize="), 1);
  EXPECT_EQ(count("GlueSchemaRegistryPropertiesFilePath=/etc/gsr.properties has no effect: the "
                  "Glue schema registry is not supported"),
            1);
  EXPECT_EQ(count("CollectionMaxSize=20971520 is above 10485760"), 1);
}

TEST(ProducerMonitoring, PrometheusEndpointServesTheProducersMetrics) {
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("orders", 2);
  ProducerConfig c = TestConfig();
  c.prometheus_port = FreePort();
  auto producer = Producer::Create(c, kinesis).value();
  PutAndFlush(*producer, "orders", 300);
  std::string scrape = HttpGet(static_cast<uint16_t>(c.prometheus_port), "/metrics");
  ASSERT_NE(scrape.find("200 OK"), std::string::npos) << scrape.substr(0, 200);
  EXPECT_NE(scrape.find("UserRecordsPut"), std::string::npos);
  EXPECT_NE(scrape.find("orders"), std::string::npos);
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());
  producer.reset();
  EXPECT_EQ(HttpGet(static_cast<uint16_t>(c.prometheus_port), "/metrics"), "")
      << "the endpoint must close with the producer";
}

TEST(ProducerMonitoring, PrometheusPortInUseIsAnErrorNamingTheSetting) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ProducerConfig c = TestConfig();
  c.prometheus_port = ntohs(addr.sin_port);
  auto producer = Producer::Create(c, std::make_shared<FakeKinesis>());
  close(fd);
  ASSERT_FALSE(producer.ok());
  EXPECT_NE(producer.status().message().find("PrometheusPort " + std::to_string(c.prometheus_port)),
            std::string::npos)
      << producer.status().ToString();
}

TEST(ProducerMonitoring, JsonStatsCallbackGetsDocumentsOfTheProducersMetrics) {
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("s", 1);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> docs;
  ProducerConfig c = TestConfig();
  c.stats_interval_ms = 100;
  c.stats_callback = [&](const std::string& json) {
    std::lock_guard lock(mu);
    docs.push_back(json);
    cv.notify_all();
  };
  auto producer = Producer::Create(c, kinesis).value();
  PutAndFlush(*producer, "s", 100);
  {
    std::unique_lock lock(mu);
    // Documents keep coming every interval; wait for one taken after the records finished.
    size_t before = docs.size();
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return docs.size() > before + 1; }));
    EXPECT_NE(docs.back().find("UserRecordsPut"), std::string::npos) << docs.back();
    EXPECT_EQ(docs.back().front(), '{');
  }
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());
}

TEST(ProducerMonitoring, GaugesIncludeBufferBytesAndInFlightRequests) {
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("s", 1);
  auto producer = Producer::Create(TestConfig(), kinesis).value();
  PutAndFlush(*producer, "s", 10);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // gauges: once a second
  PutAndFlush(*producer, "s", 10);
  std::vector<MetricValue> m = producer->Metrics(std::chrono::seconds(60));
  bool buffer = false, in_flight = false;
  for (const MetricValue& v : m) {
    buffer |= v.name == "BufferBytes";
    in_flight |= v.name == "InFlightRequests";
  }
  EXPECT_TRUE(buffer);
  EXPECT_TRUE(in_flight);
}

TEST(ProducerMonitoring, MonitoringSettingsAreCheckedByName) {
  ProducerConfig c;
  EXPECT_TRUE(ApplySetting(c, "PrometheusPort", "9464").ok());
  EXPECT_EQ(c.prometheus_port, 9464u);
  Status bad = ApplySetting(c, "PrometheusPort", "70000");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("PrometheusPort"), std::string::npos) << bad.ToString();
  EXPECT_TRUE(ApplySetting(c, "AdditionalMetricsDimensions", "Service=web,Stage=prod").ok());
  ASSERT_EQ(c.metrics_extra_dimensions.size(), 2u);
  EXPECT_EQ(c.metrics_extra_dimensions[1].first, "Stage");
  EXPECT_EQ(c.metrics_extra_dimensions[1].second, "prod");
  Status malformed = ApplySetting(c, "AdditionalMetricsDimensions", "Service");
  EXPECT_FALSE(malformed.ok());
  EXPECT_NE(malformed.message().find("AdditionalMetricsDimensions"), std::string::npos);
  EXPECT_TRUE(ApplySetting(c, "CloudwatchUpload", "false").ok());
  EXPECT_FALSE(c.cloudwatch_upload);
  EXPECT_TRUE(ApplySetting(c, "StatsInterval", "5000").ok());
  EXPECT_EQ(c.stats_interval_ms, 5000u);
}

TEST(ProducerMonitoring, MetricsAreUploadedToTheConfiguredCloudWatchEndpoint) {
  auth::testing::FakeHttpServer cloudwatch(
      [](const auth::testing::FakeRequest&) {
        return auth::testing::FakeResponse::Answer(200, "<PutMetricDataResponse/>");
      });
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("s", 1);
  ProducerConfig c = TestConfig();
  c.aws_access_key_id = "AKIDEXAMPLE";
  c.aws_secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.cloudwatch_endpoint = cloudwatch.url();
  c.metrics_upload_delay_ms = 100;
  c.metrics_namespace = "ProducerTest";
  c.metrics_extra_dimensions = {{"Service", "checkout"}};
  auto producer = Producer::Create(c, kinesis).value();
  PutAndFlush(*producer, "s", 100);
  bool uploaded = false;
  for (int i = 0; i < 300 && !uploaded; ++i) {
    for (const auto& r : cloudwatch.requests()) {
      uploaded |= r.body.find("UserRecordsPut") != std::string::npos;
    }
    if (!uploaded) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(uploaded) << cloudwatch.requests().size() << " requests; the first: "
                        << (cloudwatch.requests().empty() ? "" : cloudwatch.requests()[0].body);
  const auto requests = cloudwatch.requests();
  const auth::testing::FakeRequest& r = requests.back();
  EXPECT_NE(r.body.find("Action=PutMetricData"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("Namespace=ProducerTest"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("checkout"), std::string::npos) << r.body;
  EXPECT_NE(r.Header("Authorization").find("/monitoring/aws4_request"), std::string::npos);
  EXPECT_EQ(r.body.find(c.aws_secret_key), std::string::npos);
}

TEST(ProducerMonitoring, NothingIsUploadedForALocalKinesisWithoutACloudWatchEndpoint) {
  // A fake back-end is not the AWS endpoint: with no CloudwatchEndpoint, no upload is tried
  // (and no credentials looked for).
  auto kinesis = std::make_shared<FakeKinesis>();
  kinesis->CreateStream("s", 1);
  ProducerConfig c = TestConfig();
  c.metrics_upload_delay_ms = 50;
  CapturedLog log;
  auto producer = Producer::Create(c, kinesis).value();
  PutAndFlush(*producer, "s", 10);
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());
  for (const LogEntry& e : log.entries()) EXPECT_EQ(e.component, "pipeline") << e.line;
}

}  // namespace
}  // namespace kinesis
