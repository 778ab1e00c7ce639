// Secrets never appear in a Status message: every provider is fed secret values and driven
// through its error paths, and each message (and ToString) is searched for the secrets.
#include <gtest/gtest.h>

#include "auth/container_credentials_provider.h"
#include "auth/credentials_chain.h"
#include "auth/environment_credentials_provider.h"
#include "auth/imds_credentials_provider.h"
#include "auth/profile_credentials_provider.h"
#include "auth/refreshing_credentials_provider.h"
#include "auth/sigv4_signer.h"
#include "auth/static_credentials_provider.h"
#include "auth/web_identity_credentials_provider.h"
#include "fake_http_server.h"
#include "test_util.h"

namespace kinesis::auth {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::TempDir;

const std::string kSecret = "SECRETkeyQ9xZ7vW1/abc+def";
const std::string kToken = "SESSIONtokenR4kP0mN8Lq";
const std::string kWebToken = "WEBIDENTITYjwtT5hG2";
const std::string kAuthToken = "CONTAINERauthY6uJ3";

class SecretsTest : public ::testing::Test {
 protected:
  // Checks one failure; counts it so the test proves it saw every path.
  void Check(const Status& status, const std::string& what) {
    ++checked_;
    EXPECT_FALSE(status.ok()) << what << " was expected to fail";
    for (const std::string& secret : {kSecret, kToken, kWebToken, kAuthToken}) {
      EXPECT_EQ(status.ToString().find(secret), std::string::npos)
          << what << " leaked a secret: " << status.ToString();
    }
  }
  template <typename T>
  void Check(const Result<T>& result, const std::string& what) {
    Check(result.status(), what);
  }

  static FakeResponse Answer(int status, std::string body) {
    return FakeResponse::Answer(status, std::move(body));
  }

  int checked_ = 0;
  TempDir dir_;
};

// Bodies that carry the secrets in every place a careless error message would quote them.
std::vector<std::string> HostileJsonBodies() {
  return {
      "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + kSecret + "\", \"Token\": \"" + kToken +
          "\", \"Expiration\": \"" + kSecret + "\"}",
      "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + kSecret + "\", \"Token\": \"" + kToken +
          "\"}",
      "{\"SecretAccessKey\": \"" + kSecret + "\", \"Token\": \"" + kToken + "\" garbage",
      "{\"Code\": \"" + kSecret + "\", \"SecretAccessKey\": \"" + kSecret + "\"}",
      "{\"Version\": \"" + kSecret + "\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" +
          kSecret + "\"}",
      kSecret + kToken,
  };
}

TEST_F(SecretsTest, SignerAndSimpleProviders) {
  SigV4Signer signer("us-east-1", "kinesis");
  SignableRequest request{"POST", "/", "", {{"Host", "h"}}, "{}"};
  Check(signer.Sign(request, {"", kSecret, kToken, std::nullopt}, std::chrono::system_clock::now()),
        "signer without key id");
  request.headers.clear();
  Check(
      signer.Sign(request, {"A", kSecret, kToken, std::nullopt}, std::chrono::system_clock::now()),
      "signer without host");
  Check(StaticCredentialsProvider({"", kSecret, kToken, std::nullopt}).Fetch(), "static");
  Check(EnvironmentCredentialsProvider(
            MapEnvironment({{"AWS_SECRET_ACCESS_KEY", kSecret}, {"AWS_SESSION_TOKEN", kToken}}))
            .Fetch(),
        "environment");
}

TEST_F(SecretsTest, ContainerAndImds) {
  FakeHttpServer server([](const FakeRequest&) { return Answer(200, ""); });
  ContainerCredentialsProvider::Options container;
  container.relative_uri_host = server.url();
  ContainerCredentialsProvider from_container(
      MapEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"},
                      {"AWS_CONTAINER_AUTHORIZATION_TOKEN", kAuthToken}}),
      DefaultHttpFetcher(), container);
  ImdsCredentialsProvider::Options imds;
  imds.endpoint = server.url();
  ImdsCredentialsProvider from_imds(MapEnvironment({}), DefaultHttpFetcher(), imds);

  for (const std::string& body : HostileJsonBodies()) {
    server.set_handler([body](const FakeRequest& request) {
      if (request.method == "PUT") return Answer(200, kToken);  // the IMDS session token
      if (request.target == "/latest/meta-data/iam/security-credentials/") return Answer(200, "r");
      return Answer(200, body);
    });
    Check(from_container.Fetch(), "container: " + body);
    Check(from_imds.Fetch(), "imds: " + body);
  }
  for (int status : {401, 403, 404, 500}) {
    server.set_handler([status](const FakeRequest&) {
      return Answer(status, kSecret + " " + kToken + " " + kAuthToken);
    });
    Check(from_container.Fetch(), "container HTTP " + std::to_string(status));
    Check(from_imds.Fetch(), "imds HTTP " + std::to_string(status));
  }
  Check(ContainerCredentialsProvider(
            MapEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"},
                            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", kAuthToken + "\n"}}),
            DefaultHttpFetcher(), container)
            .Fetch(),
        "container token with line break");
}

TEST_F(SecretsTest, WebIdentity) {
  std::string token_file = dir_.Write("token", kWebToken);
  FakeHttpServer server([](const FakeRequest&) { return Answer(200, ""); });
  WebIdentityCredentialsProvider::Options options;
  options.endpoint = server.url();
  WebIdentityCredentialsProvider provider(
      MapEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file}, {"AWS_ROLE_ARN", "arn:r"}}),
      std::nullopt, DefaultHttpFetcher(), options);
  // STS can only echo what it was sent: the web identity token.
  const std::string echo =
      "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad "
      "token " +
      kWebToken + "</Message></Error></ErrorResponse>";
  for (int status : {400, 403, 429, 500}) {
    server.set_handler([status, echo](const FakeRequest&) { return Answer(status, echo); });
    Check(provider.Fetch(), "sts HTTP " + std::to_string(status));
  }
  for (const std::string& body :
       {testing::StsDocument("A", kSecret, kToken, kSecret),
        testing::StsDocument("A", kSecret, "", "2026-01-01T00:00:00Z"),
        testing::StsDocument("", kSecret, kToken, "2026-01-01T00:00:00Z"),
        "<Credentials><SecretAccessKey>" + kSecret + "</SecretAccessKey>"}) {
    server.set_handler([body](const FakeRequest&) { return Answer(200, body); });
    Check(provider.Fetch(), "sts answer " + body);
  }
}

TEST_F(SecretsTest, ProfilesAndCredentialProcess) {
  auto env = MapEnvironment({{"AWS_SHARED_CREDENTIALS_FILE", dir_.path() + "/credentials"},
                             {"AWS_CONFIG_FILE", dir_.path() + "/config"}});
  auto fetch = [&env] { return ProfileCredentialsProvider(env, DefaultHttpFetcher(), {}).Fetch(); };
  dir_.Write("credentials", "[default]\naws_secret_access_key = " + kSecret + "\n");
  Check(fetch(), "profile with secret only");
  dir_.Write("credentials", "[default]\n" + kSecret + "\n");
  Check(fetch(), "profile line that is only a secret");
  dir_.Write("credentials", "aws_secret_access_key = " + kSecret + "\n");
  Check(fetch(), "property before a profile");
  dir_.Write("credentials", "[default\naws_secret_access_key = " + kSecret + "\n");
  Check(fetch(), "unclosed section");
  std::filesystem::remove(dir_.path() + "/credentials");

  for (const std::string& body : HostileJsonBodies()) {
    std::string out = dir_.Write("out.json", body);
    dir_.Write("config", "[default]\ncredential_process = cat " + out + "\n");
    Check(fetch(), "credential_process output " + body);
  }
  dir_.Write("config", "[default]\ncredential_process = echo " + kSecret + "; exit 1\n");
  Check(fetch(), "credential_process with secret on its command line");
}

TEST_F(SecretsTest, ChainAndRefreshingProviderPassMessagesOnClean) {
  auto env = MapEnvironment({{"AWS_SECRET_ACCESS_KEY", kSecret},
                             {"AWS_SESSION_TOKEN", kToken},
                             {"AWS_EC2_METADATA_DISABLED", "true"}});
  Check(DefaultCredentialsChain(env)->Fetch(), "chain");
  RefreshingCredentialsProvider refreshing(DefaultCredentialsChain(env));
  Check(refreshing.WaitUntilReady(std::chrono::seconds(10)), "refreshing wait");
  Check(refreshing.Current(), "refreshing current");
}

}  // namespace
}  // namespace kinesis::auth
