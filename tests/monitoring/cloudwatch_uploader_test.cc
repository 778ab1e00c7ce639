// The CloudWatch uploader against a capture server of the test's own on 127.0.0.1: every field
// of every PutMetricData body is parsed back and checked against the registry, the signature
// is recomputed, and the failure paths (5xx, 4xx, timeouts, refused connections, malformed
// endpoints, missing credentials) are counted and logged.
#include "monitoring/cloudwatch_uploader.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <ctime>
#include <map>
#include <thread>

#include "../auth/fake_http_server.h"
#include "common/log.h"
#include "query_form.h"

namespace kinesis::monitoring {
namespace {

using auth::testing::FakeHttpServer;
using auth::testing::FakeRequest;
using auth::testing::FakeResponse;
using testing::Datums;
using testing::Form;
using testing::IdOf;
using testing::ParseForm;

class CloudWatchTest : public ::testing::Test {
 protected:
  CloudWatchTest() : registry_(MetricsLevel::kDetailed, MetricsGranularity::kShard) {
    registry_.SetClockForTesting([] { return int64_t{5000}; });
    creds_->access_key_id = "AKIDEXAMPLE";
    creds_->secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    creds_->session_token = "session-token-example";
    Logger::Get().SetSink([this](const LogEntry& e) {
      std::lock_guard lock(log_mu_);
      log_.push_back(e.line);
    });
    Logger::Get().SetRateLimit({0, std::chrono::seconds(1)});
  }
  ~CloudWatchTest() override { Logger::Get().SetSink(nullptr); }

  CloudWatchOptions Options(const FakeHttpServer& server) {
    CloudWatchOptions o;
    o.region = "us-west-2";
    o.endpoint = server.url();
    o.metrics_namespace = "Test Namespace/1";
    o.upload_period = std::chrono::seconds(60);
    o.use_proxy = false;
    o.request_timeout = std::chrono::milliseconds(2000);
    return o;
  }
  CredentialsSource Creds() {
    return [c = creds_]() -> Result<std::shared_ptr<const auth::Credentials>> {
      return std::shared_ptr<const auth::Credentials>(c);
    };
  }
  void RecordSome() {
    const std::string stream = "orders";
    for (int shard = 0; shard < 3; ++shard) {
      std::string id = "shardId-00000000000" + std::to_string(shard);
      registry_.Record(Metric::kUserRecordsPut, stream, id, 1, 10 + shard);
      registry_.Record(Metric::kBufferingTime, stream, id, 20 + shard, 4);
      registry_.Record(Metric::kUserRecordsDataPut, stream, id, 1024, 2);
    }
    registry_.Record(Metric::kErrorsByCode, stream, "shardId-000000000001", 1, 3,
                     "ProvisionedThroughputExceededException");
  }
  std::vector<std::string> Log() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  MetricsRegistry registry_;
  std::shared_ptr<auth::Credentials> creds_ = std::make_shared<auth::Credentials>();
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

TEST_F(CloudWatchTest, EveryFieldOfEveryDatumIsSentAndSigned) {
  RecordSome();
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::Answer(200, "<ok/>"); });
  auto options = Options(server);
  options.extra_dimensions = {{"Host", "web-1"}};
  options.storage_resolution = 1;
  auto uploader = CloudWatchUploader::Create(registry_, Creds(), options);
  ASSERT_TRUE(uploader.ok()) << uploader.status().ToString();
  auto before = std::chrono::system_clock::now();
  ASSERT_TRUE((*uploader)->UploadNow().ok());

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const FakeRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(r.Header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(r.Header("X-Amz-Security-Token"), "session-token-example");
  EXPECT_EQ(r.Header("Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(r.body.find(creds_->secret_access_key), std::string::npos);

  // The signature, recomputed from what arrived.
  std::string amz_date = r.Header("X-Amz-Date");
  ASSERT_EQ(amz_date.size(), 16u);
  std::tm tm{};
  ASSERT_NE(strptime(amz_date.c_str(), "%Y%m%dT%H%M%SZ", &tm), nullptr);
  auto signed_at = std::chrono::system_clock::from_time_t(timegm(&tm));
  auth::SigV4Signer signer("us-west-2", "monitoring");
  auth::SignableRequest again{
      "POST",
      "/",
      "",
      {{"Host", r.Header("Host")}, {"Content-Type", r.Header("Content-Type")}},
      r.body};
  auto expected_headers = signer.Sign(again, *creds_, signed_at);
  ASSERT_TRUE(expected_headers.ok());
  std::string authorization;
  for (const auto& [k, v] : *expected_headers) {
    if (k == "Authorization") authorization = v;
  }
  EXPECT_EQ(r.Header("Authorization"), authorization);
  EXPECT_NE(authorization.find("/us-west-2/monitoring/aws4_request"), std::string::npos);

  Form form = ParseForm(r.body);
  EXPECT_EQ(form["Action"], "PutMetricData");
  EXPECT_EQ(form["Version"], "2010-08-01");
  EXPECT_EQ(form["Namespace"], "Test Namespace/1");
  auto datums = Datums(form);
  auto expected = registry_.Read(std::chrono::seconds(60));
  ASSERT_EQ(datums.size(), expected.size());
  ASSERT_GT(expected.size(), 10u);
  for (const MetricValue& v : expected) {
    std::string id = IdOf(v, options.extra_dimensions);
    ASSERT_TRUE(datums.count(id)) << id;
    Form& d = datums[id];
    EXPECT_EQ(d["Unit"], v.unit) << id;
    EXPECT_EQ(std::stod(d["StatisticValues.SampleCount"]), static_cast<double>(v.count)) << id;
    EXPECT_EQ(std::stod(d["StatisticValues.Sum"]), v.sum) << id;
    EXPECT_EQ(std::stod(d["StatisticValues.Minimum"]), v.min) << id;
    EXPECT_EQ(std::stod(d["StatisticValues.Maximum"]), v.max) << id;
    EXPECT_EQ(d["StorageResolution"], "1");
    // Timestamp: now, to the second.
    std::tm ts{};
    ASSERT_NE(strptime(d["Timestamp"].c_str(), "%Y-%m-%dT%H:%M:%SZ", &ts), nullptr) << id;
    auto when = std::chrono::system_clock::from_time_t(timegm(&ts));
    EXPECT_LE(when, std::chrono::system_clock::now());
    EXPECT_GE(when, std::chrono::floor<std::chrono::seconds>(before));
    // Exactly the fields above, plus two per dimension.
    EXPECT_EQ(d.size(), 8u + 2 * (v.dimensions.size() + 1)) << id;
  }
  ASSERT_TRUE(
      datums.count("ErrorsByCode|ErrorCode=ProvisionedThroughputExceededException|ShardId="
                   "shardId-000000000001|StreamName=orders|Host=web-1"));
  auto stats = (*uploader)->stats();
  EXPECT_EQ(stats.calls_ok, 1u);
  EXPECT_EQ(stats.datums_sent, expected.size());
  EXPECT_EQ(stats.calls_failed, 0u);
}

TEST_F(CloudWatchTest, SplitsAtDatumAndByteLimits) {
  for (int shard = 0; shard < 250; ++shard) {
    registry_.Record(Metric::kUserRecordsPut, "s", "shardId-" + std::to_string(shard), 1, 1);
  }
  size_t total = registry_.Read(std::chrono::seconds(60)).size();  // 250 shards + stream + global
  ASSERT_EQ(total, 252u);
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::Answer(200, ""); });
  auto options = Options(server);
  options.send_timestamp = false;
  options.limits.max_datums = 100;
  auto uploader = CloudWatchUploader::Create(registry_, Creds(), options);
  ASSERT_TRUE(uploader.ok());
  ASSERT_TRUE((*uploader)->UploadNow().ok());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  size_t seen = 0;
  for (const auto& r : requests) {
    Form form = ParseForm(r.body);
    auto datums = Datums(form);
    EXPECT_LE(datums.size(), 100u);
    EXPECT_TRUE(form.count("MetricData.member.1.MetricName"));
    EXPECT_FALSE(form.count("MetricData.member.1.Timestamp"));
    EXPECT_FALSE(form.count("MetricData.member.1.StorageResolution"));
    seen += datums.size();
  }
  EXPECT_EQ(seen, total);

  // Bytes: every body under the limit, nothing lost.
  options.limits = {1000, 4000};
  auto small = CloudWatchUploader::Create(registry_, Creds(), options);
  ASSERT_TRUE(small.ok());
  ASSERT_TRUE((*small)->UploadNow().ok());
  requests = server.requests();
  ASSERT_GT(requests.size(), 10u);
  seen = 0;
  for (size_t i = 3; i < requests.size(); ++i) {
    EXPECT_LE(requests[i].body.size(), 4000u);
    seen += Datums(ParseForm(requests[i].body)).size();
  }
  EXPECT_EQ(seen, total);
  EXPECT_EQ((*small)->stats().datums_sent, total);
}

TEST_F(CloudWatchTest, BodyBuilderDropsWhatCloudWatchRefuses) {
  MetricValue ok{"UserRecordsPut", "Count", {}, 1, 1, 1, 1, 1};
  MetricValue empty{"UserRecordsPut", "Count", {}, 0, 0, 0, 0, 0};
  MetricValue nan = ok;
  nan.sum = std::nan("");
  MetricValue huge = ok;
  huge.dimensions["StreamName"] = std::string(5000, 'x');
  auto built =
      BuildPutMetricDataBodies("ns", {ok, empty, nan, huge, ok}, {}, nullptr, 0, {1000, 2000});
  EXPECT_EQ(built.dropped, 3u);
  ASSERT_EQ(built.bodies.size(), 1u);
  EXPECT_EQ(built.datums_per_body[0], 2u);
  EXPECT_EQ(FormEncode("a b/c~d_e.f-g=h&"), "a%20b%2Fc~d_e.f-g%3Dh%26");
}

TEST_F(CloudWatchTest, ServerErrorIsCountedAndLogged) {
  RecordSome();
  FakeHttpServer server([](const FakeRequest&) {
    return FakeResponse::Answer(
        500, "<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>");
  });
  auto uploader = CloudWatchUploader::Create(registry_, Creds(), Options(server));
  ASSERT_TRUE(uploader.ok());
  Status status = (*uploader)->UploadNow();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("HTTP 500 InternalFailure"), std::string::npos);
  auto stats = (*uploader)->stats();
  EXPECT_EQ(stats.calls_failed, 1u);
  EXPECT_EQ(stats.calls_ok, 0u);
  EXPECT_GT(stats.datums_dropped, 0u);
  EXPECT_NE(stats.last_error.find("InternalFailure"), std::string::npos);
  auto log = Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("WARNING [cloudwatch] PutMetricData failed"), std::string::npos);
  EXPECT_NE(log[0].find("InternalFailure"), std::string::npos);
}

TEST_F(CloudWatchTest, AccessDeniedIsPermissionDenied) {
  RecordSome();
  FakeHttpServer server([](const FakeRequest&) {
    return FakeResponse::Answer(403, "<Error><Code>AccessDenied</Code></Error>");
  });
  auto uploader = CloudWatchUploader::Create(registry_, Creds(), Options(server));
  ASSERT_TRUE(uploader.ok());
  EXPECT_EQ((*uploader)->UploadNow().code(), StatusCode::kPermissionDenied);
}

TEST_F(CloudWatchTest, TimeoutIsCountedNotBlocking) {
  RecordSome();
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse r;
    r.kind = FakeResponse::Kind::kStall;
    return r;
  });
  auto options = Options(server);
  options.request_timeout = std::chrono::milliseconds(200);
  auto uploader = CloudWatchUploader::Create(registry_, Creds(), options);
  ASSERT_TRUE(uploader.ok());
  EXPECT_EQ((*uploader)->UploadNow().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ((*uploader)->stats().calls_failed, 1u);
}

TEST_F(CloudWatchTest, RefusedConnectionIsUnavailable) {
  RecordSome();
  int port;
  {
    FakeHttpServer server([](const FakeRequest&) { return FakeResponse::Answer(200, ""); });
    port = server.port();
  }  // closed: nothing listens there now
  CloudWatchOptions options;
  options.region = "us-east-1";
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  options.use_proxy = false;
  auto uploader = CloudWatchUploader::Create(registry_, Creds(), options);
  ASSERT_TRUE(uploader.ok());
  EXPECT_EQ((*uploader)->UploadNow().code(), StatusCode::kUnavailable);
  EXPECT_EQ((*uploader)->stats().calls_failed, 1u);
}

TEST_F(CloudWatchTest, CredentialFailureSendsNothing) {
  RecordSome();
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::Answer(200, ""); });
  CredentialsSource failing = []() -> Result<std::shared_ptr<const auth::Credentials>> {
    return Status::PermissionDenied("no credentials configured");
  };
  auto uploader = CloudWatchUploader::Create(registry_, failing, Options(server));
  ASSERT_TRUE(uploader.ok());
  Status status = (*uploader)->UploadNow();
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find("no credentials configured"), std::string::npos);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_EQ((*uploader)->stats().calls_failed, 1u);
}

TEST_F(CloudWatchTest, MalformedSettingsAreRefused) {
  auto make = [&](std::string region, std::string endpoint) {
    CloudWatchOptions o;
    o.region = std::move(region);
    o.endpoint = std::move(endpoint);
    return CloudWatchUploader::Create(registry_, Creds(), o);
  };
  for (const char* bad : {"ftp://127.0.0.1", "http://", "http://host:0", "http://host:99999",
                          "http://host:abc", "http://ho st", "http://host/path", "://x"}) {
    auto u = make("us-east-1", bad);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(u.status().message().find(bad), std::string::npos) << u.status().message();
  }
  EXPECT_FALSE(make("", "").ok());
  EXPECT_FALSE(make("US EAST", "").ok());
  auto fine = make("eu-west-1", "");
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ((*fine)->url(), "https://monitoring.eu-west-1.amazonaws.com/");
  auto bare = make("eu-west-1", "monitoring.example.com:8443");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ((*bare)->url(), "https://monitoring.example.com:8443/");
  CloudWatchOptions many;
  many.region = "us-east-1";
  many.extra_dimensions.assign(28, {"a", "b"});
  EXPECT_FALSE(CloudWatchUploader::Create(registry_, Creds(), many).ok());
  CloudWatchOptions zero;
  zero.region = "us-east-1";
  zero.upload_period = std::chrono::milliseconds(0);
  EXPECT_FALSE(CloudWatchUploader::Create(registry_, Creds(), zero).ok());
}

TEST_F(CloudWatchTest, PeriodicUploadsTakeEachCompletedSecondOnceAndStop) {
  std::atomic<int64_t> now{5000};
  registry_.SetClockForTesting([&now] { return now.load(); });
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::Answer(200, ""); });
  auto options = Options(server);
  options.upload_period = std::chrono::milliseconds(20);
  auto uploader = CloudWatchUploader::Create(registry_, Creds(), options);
  ASSERT_TRUE(uploader.ok());
  (*uploader)->Start();
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (const FakeRequest& r : server.requests()) {
      for (size_t at = r.body.find(needle); at != std::string::npos;
           at = r.body.find(needle, at + 1)) {
        ++n;
      }
    }
    return n;
  };
  auto wait_for = [&](const std::string& needle) {  // bounded: a broken thread fails
    for (int i = 0; i < 1000 && count(needle) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  // Second 5000 gets 7 records; the periodic upload leaves it alone while it is in progress,
  // takes it once complete, and never again.
  registry_.Record(Metric::kUserRecordsPut, "orders", "shardId-000000000000", 1, 7);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(count("StatisticValues.Sum=7&"), 0u) << "a second in progress was uploaded";
  now = 5001;
  registry_.Record(Metric::kUserRecordsPut, "orders", "shardId-000000000000", 1, 5);
  wait_for("StatisticValues.Sum=7&");
  now = 5002;
  wait_for("StatisticValues.Sum=5&");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // several more periods
  (*uploader)->Stop();
  // One datum per series (global, stream, shard) and second: each exactly once.
  EXPECT_EQ(count("StatisticValues.Sum=7&"), 3u);
  EXPECT_EQ(count("StatisticValues.Sum=5&"), 3u);
  EXPECT_GE((*uploader)->stats().uploads, 2u);
  size_t after_stop = server.requests().size();
  (*uploader)->Stop();  // twice is fine
  EXPECT_EQ(server.requests().size(), after_stop);
}

}  // namespace
}  // namespace kinesis::monitoring
