#include <gtest/gtest.h>

#include "auth/web_identity_credentials_provider.h"
#include "fake_http_server.h"
#include "test_util.h"

namespace kinesis::auth {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::StsDocument;
using testing::TempDir;

constexpr auto Answer = &FakeResponse::Answer;

FakeResponse GoodSts(const FakeRequest&) {
  return Answer(200,
                StsDocument("ASIASTS", "sts-secret", "sts-session-token", "2026-01-01T01:00:00Z"));
}

class WebIdentityProviderTest : public ::testing::Test {
 protected:
  WebIdentityCredentialsProvider Make(const FakeHttpServer& server,
                                      std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = {
        {"AWS_WEB_IDENTITY_TOKEN_FILE", token_file_},
        {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/producer"},
        {"AWS_ROLE_SESSION_NAME", "session-1"}};
    for (auto& [k, v] : extra) env[k] = v;
    WebIdentityCredentialsProvider::Options options;
    options.endpoint = server.url();
    options.timeout = std::chrono::milliseconds(500);
    return WebIdentityCredentialsProvider(MapEnvironment(env), std::nullopt, DefaultHttpFetcher(),
                                          options);
  }

  TempDir dir_;
  std::string token_file_ = dir_.Write("token", "eyJ.web-identity-jwt.sig\n");
};

TEST_F(WebIdentityProviderTest, ExchangesTheTokenForCredentials) {
  FakeHttpServer server(GoodSts);
  auto credentials = Make(server).Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIASTS");
  EXPECT_EQ(credentials->secret_access_key, "sts-secret");
  EXPECT_EQ(credentials->session_token, "sts-session-token");
  EXPECT_EQ(credentials->expiration, testing::TestEpoch() + std::chrono::hours(1));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/");  // the token never travels in the URL
  EXPECT_EQ(requests[0].body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
            "123456789012%3Arole%2Fproducer&RoleSessionName=session-1&WebIdentityToken=eyJ.web-"
            "identity-jwt.sig");
  EXPECT_NE(requests[0].Header("Content-Type").find("application/x-www-form-urlencoded"),
            std::string::npos);
}

TEST_F(WebIdentityProviderTest, EndpointComesFromTheEnvironmentOrTheRegion) {
  FakeHttpServer server(GoodSts);
  WebIdentityCredentialsProvider from_env(MapEnvironment({{"AWS_ENDPOINT_URL_STS", server.url()}}),
                                          std::nullopt, DefaultHttpFetcher(), {});
  EXPECT_EQ(from_env.Endpoint(), server.url());
  WebIdentityCredentialsProvider::Options regional;
  regional.region = "eu-west-1";
  EXPECT_EQ(WebIdentityCredentialsProvider(MapEnvironment({}), std::nullopt, DefaultHttpFetcher(),
                                           regional)
                .Endpoint(),
            "https://sts.eu-west-1.amazonaws.com");
}

TEST_F(WebIdentityProviderTest, NotConfiguredIsNotFound) {
  WebIdentityCredentialsProvider provider(MapEnvironment({{"AWS_ROLE_ARN", "arn"}}), std::nullopt,
                                          DefaultHttpFetcher(), {});
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kNotFound);
}

TEST_F(WebIdentityProviderTest, TokenFileProblems) {
  FakeHttpServer server(GoodSts);
  auto missing = Make(server, {{"AWS_WEB_IDENTITY_TOKEN_FILE", dir_.path() + "/none"}}).Fetch();
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
  auto empty = Make(server, {{"AWS_WEB_IDENTITY_TOKEN_FILE", dir_.Write("empty", " \n")}}).Fetch();
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(WebIdentityProviderTest, StsRefusalKeepsCodeAndMessage) {
  FakeHttpServer server([](const FakeRequest&) {
    return Answer(400,
                  "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
                  "<Message>Token expired: current date/time 1 must be before 0</Message>"
                  "</Error></ErrorResponse>");
  });
  auto credentials = Make(server).Fetch();
  EXPECT_EQ(credentials.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(credentials.status().message().find("InvalidIdentityToken"), std::string::npos);
  EXPECT_NE(credentials.status().message().find("Token expired"), std::string::npos);
  EXPECT_NE(credentials.status().message().find("role/producer"), std::string::npos);
}

TEST_F(WebIdentityProviderTest, ServerErrorsAndThrottlingAreUnavailable) {
  FakeHttpServer server([](const FakeRequest&) { return Answer(503, "busy"); });
  EXPECT_EQ(Make(server).Fetch().status().code(), StatusCode::kUnavailable);
  server.set_handler([](const FakeRequest&) {
    return Answer(400, "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>");
  });
  EXPECT_EQ(Make(server).Fetch().status().code(), StatusCode::kUnavailable);
}

TEST_F(WebIdentityProviderTest, MalformedAnswersAreCorruption) {
  for (std::string body :
       {std::string("<html>hello</html>"), StsDocument("ASIA", "s", "", "2026-01-01T01:00:00Z"),
        StsDocument("", "s", "t", "2026-01-01T01:00:00Z"),
        StsDocument("ASIA", "", "t", "2026-01-01T01:00:00Z"),
        StsDocument("ASIA", "s", "t", "never"),
        std::string("<Credentials><AccessKeyId>A</AccessKeyId>"),
        StsDocument("ASIA", "s&bogus;", "t", "2026-01-01T01:00:00Z")}) {
    FakeHttpServer server([body](const FakeRequest&) { return Answer(200, body); });
    EXPECT_EQ(Make(server).Fetch().status().code(), StatusCode::kCorruption) << body;
  }
}

TEST(StsParseTest, DecodesEntities) {
  auto credentials = ParseStsCredentials(
      StsDocument("ASIA", "a&amp;b&#x2F;c&#43;", "t&lt;&gt;&quot;&apos;", "2026-01-01T01:00:00Z"));
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->secret_access_key, "a&b/c+");
  EXPECT_EQ(credentials->session_token, "t<>\"'");
}

}  // namespace
}  // namespace kinesis::auth
