#include <gtest/gtest.h>

#include "auth/imds_credentials_provider.h"
#include "fake_http_server.h"
#include "test_util.h"

namespace kinesis::auth {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::MetadataDocument;
using testing::TestEpoch;

constexpr char kRolePath[] = "/latest/meta-data/iam/security-credentials/";

constexpr auto Answer = &FakeResponse::Answer;

// A well-behaved IMDSv2 that refuses calls without its session token.
FakeResponse Imds(const FakeRequest& request) {
  if (request.method == "PUT" && request.target == "/latest/api/token") {
    if (request.Header("X-aws-ec2-metadata-token-ttl-seconds").empty()) return Answer(400, "");
    return Answer(200, "session-token-1");
  }
  if (request.Header("X-aws-ec2-metadata-token") != "session-token-1") return Answer(401, "");
  if (request.target == kRolePath) return Answer(200, "my-role\n");
  if (request.target == std::string(kRolePath) + "my-role") {
    return Answer(200, MetadataDocument("ASIAIMDS", "imds-secret", "imds-token",
                                        TestEpoch() + std::chrono::hours(6)));
  }
  return Answer(404, "");
}

ImdsCredentialsProvider MakeProvider(const FakeHttpServer& server,
                                     std::map<std::string, std::string> env = {}) {
  ImdsCredentialsProvider::Options options;
  options.endpoint = server.url();
  options.timeout = std::chrono::milliseconds(500);
  return ImdsCredentialsProvider(MapEnvironment(std::move(env)), DefaultHttpFetcher(), options);
}

TEST(ImdsProviderTest, FetchesTokenThenRoleThenCredentials) {
  FakeHttpServer server(Imds);
  auto provider = MakeProvider(server);
  auto credentials = provider.Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAIMDS");
  EXPECT_EQ(credentials->secret_access_key, "imds-secret");
  EXPECT_EQ(credentials->session_token, "imds-token");
  EXPECT_EQ(credentials->expiration, TestEpoch() + std::chrono::hours(6));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].Header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].target, kRolePath);
  EXPECT_EQ(requests[2].target, std::string(kRolePath) + "my-role");
}

TEST(ImdsProviderTest, EndpointComesFromTheEnvironment) {
  FakeHttpServer server(Imds);
  ImdsCredentialsProvider provider(
      MapEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url() + "/"}}));
  EXPECT_EQ(provider.Endpoint(), server.url());
  EXPECT_TRUE(provider.Fetch().ok());
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(ImdsProviderTest, DisabledMeansNotFoundWithoutAnyRequest) {
  FakeHttpServer server(Imds);
  auto provider = MakeProvider(server, {{"AWS_EC2_METADATA_DISABLED", "TRUE"}});
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(server.requests().empty());
}

TEST(ImdsProviderTest, RefusedTokenIsPermissionDenied) {
  FakeHttpServer server([](const FakeRequest&) { return Answer(403, ""); });
  EXPECT_EQ(MakeProvider(server).Fetch().status().code(), StatusCode::kPermissionDenied);
}

TEST(ImdsProviderTest, ServerErrorsAreUnavailable) {
  FakeHttpServer server([](const FakeRequest&) { return Answer(503, ""); });
  EXPECT_EQ(MakeProvider(server).Fetch().status().code(), StatusCode::kUnavailable);
  server.set_handler([](const FakeRequest& request) {
    return request.method == "PUT" ? Answer(200, "session-token-1") : Answer(500, "");
  });
  EXPECT_EQ(MakeProvider(server).Fetch().status().code(), StatusCode::kUnavailable);
  server.set_handler([](const FakeRequest&) { return Answer(200, ""); });  // empty token
  EXPECT_EQ(MakeProvider(server).Fetch().status().code(), StatusCode::kUnavailable);
}

TEST(ImdsProviderTest, NoRoleIsNotFound) {
  FakeHttpServer server([](const FakeRequest& request) {
    return request.method == "PUT" ? Answer(200, "session-token-1") : Answer(404, "");
  });
  EXPECT_EQ(MakeProvider(server).Fetch().status().code(), StatusCode::kNotFound);
  server.set_handler([](const FakeRequest& request) {
    return request.method == "PUT" ? Answer(200, "session-token-1") : Answer(200, "\n");
  });
  EXPECT_EQ(MakeProvider(server).Fetch().status().code(), StatusCode::kNotFound);
}

TEST(ImdsProviderTest, MalformedAnswersAreCorruption) {
  for (std::string document :
       {std::string("{\"Code\": \"AssumeRoleUnauthorizedAccess\", \"AccessKeyId\": \"A\"}"),
        std::string("{bad json"), std::string("{\"Code\": \"Success\"}")}) {
    FakeHttpServer server([document](const FakeRequest& request) {
      if (request.method == "PUT") return Answer(200, "session-token-1");
      if (request.target == kRolePath) return Answer(200, "my-role");
      return Answer(200, document);
    });
    EXPECT_EQ(MakeProvider(server).Fetch().status().code(), StatusCode::kCorruption) << document;
  }
  FakeHttpServer bad_role([](const FakeRequest& request) {
    return request.method == "PUT" ? Answer(200, "t") : Answer(200, "../../evil");
  });
  EXPECT_EQ(MakeProvider(bad_role).Fetch().status().code(), StatusCode::kCorruption);
}

TEST(ImdsProviderTest, UnreachableEndpointIsUnavailable) {
  int port;
  {
    FakeHttpServer server(Imds);
    port = server.port();
  }  // closed: connections are refused now
  ImdsCredentialsProvider::Options options;
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  ImdsCredentialsProvider provider(MapEnvironment({}), DefaultHttpFetcher(), options);
  EXPECT_EQ(provider.Fetch().status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace kinesis::auth
