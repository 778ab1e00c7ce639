#include <gtest/gtest.h>

#include "auth/container_credentials_provider.h"
#include "fake_http_server.h"
#include "test_util.h"

namespace kinesis::auth {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::MetadataDocument;
using testing::TempDir;
using testing::TestEpoch;

constexpr auto Answer = &FakeResponse::Answer;

FakeHttpServer::Handler Good() {
  return [](const FakeRequest&) {
    return Answer(200, MetadataDocument("ASIAKEY", "container-secret", "container-token",
                                        TestEpoch() + std::chrono::hours(1)));
  };
}

ContainerCredentialsProvider MakeProvider(const FakeHttpServer& server,
                                          std::map<std::string, std::string> env) {
  ContainerCredentialsProvider::Options options;
  options.relative_uri_host = server.url();
  options.timeout = std::chrono::milliseconds(500);
  return ContainerCredentialsProvider(MapEnvironment(std::move(env)), DefaultHttpFetcher(),
                                      options);
}

TEST(ContainerProviderTest, RelativeUriIsResolvedOnTheConfiguredHostWithTheToken) {
  FakeHttpServer server(Good());
  auto provider =
      MakeProvider(server, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
                            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "auth-token"}});
  auto credentials = provider.Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAKEY");
  EXPECT_EQ(credentials->secret_access_key, "container-secret");
  EXPECT_EQ(credentials->session_token, "container-token");
  ASSERT_TRUE(credentials->expiration.has_value());
  EXPECT_EQ(*credentials->expiration, TestEpoch() + std::chrono::hours(1));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/v2/credentials/abc");
  EXPECT_EQ(requests[0].Header("Authorization"), "auth-token");
}

TEST(ContainerProviderTest, FullUriUsesTheTokenFileBeforeTheTokenVariable) {
  FakeHttpServer server(Good());
  TempDir dir;
  std::string token_file = dir.Write("token", "file-token\n");
  auto provider =
      MakeProvider(server, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds"},
                            {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file},
                            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token"}});
  auto credentials = provider.Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].target, "/creds");
  EXPECT_EQ(server.requests()[0].Header("Authorization"), "file-token");
}

TEST(ContainerProviderTest, NotConfiguredIsNotFound) {
  ContainerCredentialsProvider provider(MapEnvironment({}));
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kNotFound);
}

TEST(ContainerProviderTest, RefusesPlainHttpToOtherHosts) {
  ContainerCredentialsProvider provider(
      MapEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds"}}));
  auto credentials = provider.Fetch();
  EXPECT_EQ(credentials.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(credentials.status().message().find("http://example.com/creds"), std::string::npos);
}

TEST(ContainerProviderTest, AllowedHttpHosts) {
  EXPECT_TRUE(IsAllowedContainerHttpUrl("http://127.0.0.1:8080/x"));
  EXPECT_TRUE(IsAllowedContainerHttpUrl("http://127.1.2.3/x"));
  EXPECT_TRUE(IsAllowedContainerHttpUrl("http://localhost/x"));
  EXPECT_TRUE(IsAllowedContainerHttpUrl("http://[::1]:80/x"));
  EXPECT_TRUE(IsAllowedContainerHttpUrl("http://169.254.170.2/v2"));
  EXPECT_TRUE(IsAllowedContainerHttpUrl("http://169.254.170.23/v1"));
  EXPECT_TRUE(IsAllowedContainerHttpUrl("http://[fd00:ec2::23]/v1"));
  EXPECT_FALSE(IsAllowedContainerHttpUrl("http://127.0.0.1.evil.com/x"));
  EXPECT_FALSE(IsAllowedContainerHttpUrl("http://user@127.0.0.1/x"));
  EXPECT_FALSE(IsAllowedContainerHttpUrl("http://10.0.0.1/x"));
  EXPECT_FALSE(IsAllowedContainerHttpUrl("ftp://127.0.0.1/x"));
}

TEST(ContainerProviderTest, RelativeUriMustStartWithSlash) {
  ContainerCredentialsProvider provider(
      MapEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/creds"}}));
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kInvalidArgument);
}

TEST(ContainerProviderTest, TokenWithALineBreakIsRefused) {
  FakeHttpServer server(Good());
  auto provider = MakeProvider(server, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"},
                                        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX-Evil: 1"}});
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(server.requests().empty());
}

TEST(ContainerProviderTest, MissingTokenFileIsAnIoError) {
  FakeHttpServer server(Good());
  auto provider =
      MakeProvider(server, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"},
                            {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nonexistent/t"}});
  auto credentials = provider.Fetch();
  EXPECT_EQ(credentials.status().code(), StatusCode::kIoError);
  EXPECT_NE(credentials.status().message().find("/nonexistent/t"), std::string::npos);
}

TEST(ContainerProviderTest, HttpErrorsAreClassified) {
  FakeHttpServer server([](const FakeRequest&) { return Answer(401, "{}"); });
  auto provider = MakeProvider(server, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}});
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kPermissionDenied);
  server.set_handler([](const FakeRequest&) { return Answer(500, "oops"); });
  auto failed = provider.Fetch();
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(failed.status().message().find("500"), std::string::npos);
}

TEST(ContainerProviderTest, MalformedAnswersAreCorruption) {
  FakeHttpServer server(Good());
  auto provider = MakeProvider(server, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}});
  for (std::string body :
       {std::string("not json"), std::string("{\"AccessKeyId\": \"A\""),
        std::string(
            "{\"AccessKeyId\": \"A\", \"Token\": \"t\", \"Expiration\": \"2026-01-01T00:00:00Z\"}"),
        std::string("{\"SecretAccessKey\": \"s\", \"Expiration\": \"2026-01-01T00:00:00Z\"}"),
        std::string("{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}"),
        std::string(
            "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\", \"Expiration\": \"tomorrow\"}"),
        std::string("{\"AccessKeyId\": 5, \"SecretAccessKey\": \"s\", \"Expiration\": "
                    "\"2026-01-01T00:00:00Z\"}"),
        std::string("[]"), std::string("")}) {
    server.set_handler([body](const FakeRequest&) { return Answer(200, body); });
    auto credentials = provider.Fetch();
    EXPECT_EQ(credentials.status().code(), StatusCode::kCorruption) << body;
  }
}

TEST(ContainerProviderTest, UnansweredRequestTimesOut) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.kind = FakeResponse::Kind::kStall;
    return response;
  });
  auto provider = MakeProvider(server, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}});
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kDeadlineExceeded);
}

TEST(ContainerProviderTest, ConnectionClosedWithoutAnswerIsUnavailable) {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.kind = FakeResponse::Kind::kCloseWithoutAnswer;
    return response;
  });
  auto provider = MakeProvider(server, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}});
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace kinesis::auth
