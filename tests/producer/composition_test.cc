// The composition root (src/producer/): a producer built on the HTTP back-end resolves its
// credentials once for Kinesis and CloudWatch (AwsContext), so a credentials source is asked
// once, and both services sign with what it gave.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <string>
#include <thread>

#include "../auth/fake_http_server.h"
#include "../auth/test_util.h"
#include "kinesis/http_backend.h"
#include "kinesis/producer.h"

namespace kinesis {
namespace {

using auth::testing::FakeHttpServer;
using auth::testing::FakeRequest;
using auth::testing::FakeResponse;

TEST(Composition, KinesisAndCloudWatchShareOneCredentialsSource) {
  FakeHttpServer credentials([](const FakeRequest&) {
    return FakeResponse::Answer(
        200, auth::testing::MetadataDocument("ASIASHAREDKEY", "shared-secret", "shared-token",
                                             std::chrono::system_clock::now() +
                                                 std::chrono::hours(6)));
  });
  FakeHttpServer cloudwatch(
      [](const FakeRequest&) { return FakeResponse::Answer(200, "<PutMetricDataResponse/>"); });
  FakeHttpServer kinesis([](const FakeRequest&) { return FakeResponse::Answer(200, "{}"); });
  // The chain finds nothing before the container source, which the fake server answers.
  setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", (credentials.url() + "/creds").c_str(), 1);
  setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
  setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
  unsetenv("AWS_PROFILE");

  ProducerConfig config;
  config.region = "us-east-1";
  config.kinesis_endpoint = kinesis.url();
  config.cloudwatch_endpoint = cloudwatch.url();
  config.metrics_upload_delay_ms = 100;
  auto backend = CreateHttpBackend(config);
  ASSERT_TRUE(backend.ok()) << backend.status().ToString();
  auto producer = Producer::Create(config, *backend);
  ASSERT_TRUE(producer.ok()) << producer.status().ToString();

  // CloudWatch signs with the credentials the Kinesis back-end fetched.
  bool signed_with_shared = false;
  for (int i = 0; i < 100 && !signed_with_shared; ++i) {
    for (const FakeRequest& r : cloudwatch.requests()) {
      signed_with_shared |= r.Header("Authorization").find("ASIASHAREDKEY") != std::string::npos &&
                            r.Header("X-Amz-Security-Token") == "shared-token";
    }
    if (!signed_with_shared) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(signed_with_shared) << cloudwatch.requests().size() << " CloudWatch requests";
  EXPECT_EQ(credentials.requests().size(), 1u);
  ASSERT_TRUE((*producer)->Close(std::chrono::seconds(5)).ok());
  unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
}

}  // namespace
}  // namespace kinesis
