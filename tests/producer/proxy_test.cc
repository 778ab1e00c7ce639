// ProxyHost, ProxyPort, ProxyUserName and ProxyPassword, end to end: records, CloudWatch
// uploads and STS calls all go through an HTTP proxy on 127.0.0.1 that demands
// Proxy-Authorization (answering 407 without it), as a company proxy does. The proxy forwards
// Kinesis calls to kinesis-sim; the service hosts exist only for the proxy, so nothing can
// reach them directly.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "../auth/fake_http_server.h"
#include "auth/http_fetcher.h"
#include "kinesis/http_backend.h"
#include "kinesis/producer.h"
#include "sim/kinesis_sim.h"

namespace kinesis {
namespace {

using auth::testing::FakeHttpServer;
using auth::testing::FakeRequest;
using auth::testing::FakeResponse;

constexpr char kUser[] = "kpl-user";
constexpr char kPassword[] = "proxy-secret-1234";
// Basic base64("kpl-user:proxy-secret-1234")
constexpr char kExpectedAuthorization[] = "Basic a3BsLXVzZXI6cHJveHktc2VjcmV0LTEyMzQ=";
constexpr char kKinesisHost[] = "http://kinesis.proxy-test";
constexpr char kCloudWatchHost[] = "http://monitoring.proxy-test";

// A forward proxy: 407 without the right Proxy-Authorization; with it, Kinesis calls go on to
// the sim and CloudWatch calls are answered 200; anything else is 403.
class AuthenticatingProxy {
 public:
  // Kinesis calls are those to `kinesis_host` (a URL without a port).
  explicit AuthenticatingProxy(std::string sim_endpoint, std::string kinesis_host = kKinesisHost)
      : server_([sim_endpoint, kinesis_host](const FakeRequest& r) {
          return Handle(r, sim_endpoint, kinesis_host);
        }) {}

  ProducerConfig Apply(ProducerConfig c) const {
    c.proxy_host = "127.0.0.1";
    c.proxy_port = static_cast<uint64_t>(server_.port());
    c.proxy_user_name = kUser;
    c.proxy_password = kPassword;
    return c;
  }
  std::vector<FakeRequest> requests() const { return server_.requests(); }

 private:
  static FakeResponse Handle(const FakeRequest& r, const std::string& sim_endpoint,
                             const std::string& kinesis_host) {
    if (r.Header("Proxy-Authorization") != kExpectedAuthorization) {
      FakeResponse denied = FakeResponse::Answer(407, "proxy authentication required");
      denied.headers = {{"Proxy-Authenticate", "Basic realm=\"test\""}};
      return denied;
    }
    if (r.target.rfind(kCloudWatchHost, 0) == 0) return FakeResponse::Answer(200, "");
    if (r.target.rfind(kinesis_host, 0) != 0) return FakeResponse::Answer(403, "not here");
    auth::HttpFetchRequest forward;
    forward.method = r.method;
    forward.url = sim_endpoint + r.target.substr(r.target.find('/', kinesis_host.size()));
    for (const auto& [name, value] : r.headers) {
      std::string lower;
      for (char ch : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (lower == "host" || lower == "content-length" || lower.rfind("proxy-", 0) == 0 ||
          lower == "expect" || lower == "connection") {
        continue;
      }
      forward.headers.emplace_back(name, value);
    }
    forward.body = r.body;
    forward.timeout = std::chrono::milliseconds(10000);
    auto answer = auth::CurlHttpFetcher().Send(forward);
    if (!answer.ok()) return FakeResponse::Answer(502, answer.status().message());
    FakeResponse response =
        FakeResponse::Answer(static_cast<int>(answer->status), std::move(answer->body));
    response.headers = {{"Content-Type", std::string(r.Header("Content-Type"))}};
    return response;
  }

  FakeHttpServer server_;
};

ProducerConfig BaseConfig() {
  ProducerConfig c;
  c.region = "us-east-1";
  c.aws_access_key_id = "AKIDPROXYTEST";
  c.aws_secret_key = "proxy-test-secret";
  c.kinesis_endpoint = std::string(kKinesisHost) + ":80";
  c.aggregation_enabled = false;  // one stored record per put, counted below
  c.record_max_buffered_time_ms = 20;
  c.retry_backoff_base_ms = 10;
  c.retry_backoff_max_ms = 200;
  c.record_ttl_ms = 10000;  // without the proxy's consent, records fail within this
  c.metrics_level = MetricsLevel::kSummary;
  c.cloudwatch_endpoint = std::string(kCloudWatchHost) + ":80";
  c.metrics_upload_delay_ms = 100;
  return c;
}

TEST(ProducerThroughProxy, RecordsAndMetricsPassAnAuthenticatingProxy) {
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  sim::SimOptions options;
  options.streams = {{"s", 2}};
  auto sim = sim::KinesisSim::Start(options);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  AuthenticatingProxy proxy((*sim)->endpoint());
  ProducerConfig c = proxy.Apply(BaseConfig());

  auto backend = CreateHttpBackend(c);
  ASSERT_TRUE(backend.ok()) << backend.status().ToString();
  auto producer = Producer::Create(c, backend.value());
  ASSERT_TRUE(producer.ok()) << producer.status().ToString();
  std::vector<std::future<PutResult>> results;
  for (int i = 0; i < 20; ++i) {
    auto put = (*producer)->Put("s", "key-" + std::to_string(i), "record-" + std::to_string(i));
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    results.push_back(std::move(put.value()));
  }
  for (auto& f : results) {
    PutResult r = f.get();
    EXPECT_TRUE(r.success) << r.error_code << ": " << r.error_message;
  }
  EXPECT_EQ((*sim)->Records("s").size(), 20u);

  // A CloudWatch upload (every MetricsUploadDelay) reaches the proxy with the credentials.
  auto uploaded = [&] {
    for (const FakeRequest& r : proxy.requests()) {
      if (r.target.rfind(kCloudWatchHost, 0) == 0 &&
          r.Header("Proxy-Authorization") == kExpectedAuthorization) {
        return true;
      }
    }
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!uploaded() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(uploaded()) << "no CloudWatch call reached the proxy";
  ASSERT_TRUE((*producer)->Close(std::chrono::seconds(10)).ok());
  (*sim)->Stop();
}

// Protocol=auto (the default): CBOR to AWS's own hosts, as the AWS SDK for Java talks to
// Kinesis; JSON to any other endpoint (kinesalite, for one, mangles CBOR). The proxy lets the
// producer believe it reaches an AWS host.
TEST(ProducerThroughProxy, ProtocolAutoSpeaksCborToAwsHostsAndJsonToOthers) {
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  sim::SimOptions options;
  options.streams = {{"s", 2}};
  auto sim = sim::KinesisSim::Start(options);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  struct Case {
    std::string host;
    std::string content_type;
  };
  for (const Case& test : {Case{kKinesisHost, "application/x-amz-json-1.1"},
                           Case{"http://kinesis.us-east-1.amazonaws.com", "application/x-amz-cbor-1.1"},
                           Case{"http://kinesis-fips.us-gov-west-1.amazonaws.com.",
                                "application/x-amz-cbor-1.1"}}) {
    SCOPED_TRACE(test.host);
    AuthenticatingProxy proxy((*sim)->endpoint(), test.host);
    ProducerConfig c = proxy.Apply(BaseConfig());
    ASSERT_EQ(c.protocol, WireProtocol::kAuto);
    c.kinesis_endpoint = test.host + ":80";
    c.metrics_level = MetricsLevel::kNone;
    auto backend = CreateHttpBackend(c);
    ASSERT_TRUE(backend.ok()) << backend.status().ToString();
    auto producer = Producer::Create(c, backend.value());
    ASSERT_TRUE(producer.ok()) << producer.status().ToString();
    auto put = (*producer)->Put("s", "key", "record");
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    PutResult r = put->get();
    EXPECT_TRUE(r.success) << r.error_code << ": " << r.error_message;
    ASSERT_TRUE((*producer)->Close(std::chrono::seconds(10)).ok());
    int puts = 0;  // the calls that carry data; the others (ListShards) are JSON always
    for (const FakeRequest& request : proxy.requests()) {
      std::string target = request.Header("X-Amz-Target");
      if (request.Header("Proxy-Authorization") != kExpectedAuthorization ||
          !target.starts_with("Kinesis_20131202.PutRecord")) {
        continue;
      }
      ++puts;
      EXPECT_EQ(request.Header("Content-Type"), test.content_type) << target;
    }
    EXPECT_GE(puts, 1);
  }
  (*sim)->Stop();
}

TEST(ProducerThroughProxy, StsCallsGoThroughTheProxyToStsEndpointAndStsPort) {
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  std::string token_file = ::testing::TempDir() + "/proxy_test_web_identity_token";
  std::ofstream(token_file) << "token";
  setenv("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.c_str(), 1);
  setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/proxy-test", 1);
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  AuthenticatingProxy proxy("http://127.0.0.1:1");  // answers 403 to the STS tunnel
  ProducerConfig c = proxy.Apply(BaseConfig());
  c.aws_access_key_id.clear();
  c.aws_secret_key.clear();
  c.sts_endpoint = "sts.proxy-test";
  c.sts_port = 8443;
  c.connect_timeout_ms = 5000;

  auto backend = CreateHttpBackend(c);  // fails: the proxy refuses the tunnel
  EXPECT_FALSE(backend.ok());
  unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
  unsetenv("AWS_ROLE_ARN");
  std::remove(token_file.c_str());

  bool tunnel = false;
  for (const FakeRequest& r : proxy.requests()) {
    if (r.method == "CONNECT" && r.target == "sts.proxy-test:8443") {
      tunnel = true;
      EXPECT_EQ(r.Header("Proxy-Authorization"), kExpectedAuthorization);
    }
  }
  EXPECT_TRUE(tunnel) << "no STS call reached the proxy";
}

}  // namespace
}  // namespace kinesis
