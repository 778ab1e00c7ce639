// ProducerConfig's RoleArn, RoleExternalId, RoleSessionName and RoleDurationSeconds: the
// producer's credentials context assumes the role over what the chain finds (here static keys),
// at StsEndpoint and through ProxyHost, and renews it before it expires.
#include <gtest/gtest.h>

#include <atomic>

#include "auth/assume_role_credentials_provider.h"
#include "auth/credentials_chain.h"
#include "auth/refreshing_credentials_provider.h"
#include "backend/aws_context.h"
#include "kinesis/http_backend.h"
#include "local_sts.h"
#include "test_util.h"

namespace kinesis {
namespace {

using auth::testing::LocalSts;
using auth::testing::StsCall;
using std::chrono::seconds;

constexpr std::chrono::milliseconds kWait{10000};  // a bound for waits that end at once

ProducerConfig RoleConfig(const LocalSts& sts) {
  ProducerConfig config;
  config.region = "ap-southeast-2";
  config.aws_access_key_id = "AKIDAPP";
  config.aws_secret_key = "app-secret";
  config.sts_endpoint = sts.url();
  config.role_arn = "arn:aws:iam::210987654321:role/cross-account-writer";
  config.role_external_id = "partner-7";
  config.role_session_name = "agent-host-1";
  return config;
}

TEST(AssumeRoleConfigTest, TheContextAssumesTheRoleWithTheChainsCredentials) {
  LocalSts sts;
  sts.Know("AKIDAPP", "app-secret");
  ProducerConfig config = RoleConfig(sts);
  ASSERT_TRUE(config.Validate().ok()) << config.Validate().ToString();
  std::shared_ptr<const AwsContext> context = MakeAwsContext(config);
  ASSERT_TRUE(context->refreshing->WaitUntilReady(kWait).ok());
  Result<auth::Credentials> credentials = context->credentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, LocalSts::Id(1));
  EXPECT_EQ(credentials->session_token, LocalSts::Token(1));

  std::vector<StsCall> calls = sts.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].signature_valid) << calls[0].why;
  EXPECT_EQ(calls[0].access_key_id, "AKIDAPP");
  EXPECT_NE(calls[0].scope.find("/ap-southeast-2/sts/"), std::string::npos) << calls[0].scope;
  EXPECT_EQ(calls[0].form["RoleArn"], config.role_arn);
  EXPECT_EQ(calls[0].form["ExternalId"], "partner-7");
  EXPECT_EQ(calls[0].form["RoleSessionName"], "agent-host-1");
  EXPECT_EQ(calls[0].form["DurationSeconds"], "3600");
}

TEST(AssumeRoleConfigTest, StsIsReachedThroughTheProxy) {
  LocalSts sts;  // the proxy too: it answers a request for any URL
  sts.Know("AKIDAPP", "app-secret");
  ProducerConfig config = RoleConfig(sts);
  config.sts_endpoint = "sts.unreachable.invalid";  // only the proxy can reach it
  config.sts_port = 8443;
  config.proxy_host = sts.url();
  config.proxy_user_name = "proxy-user";
  config.proxy_password = "proxy-password";
  std::shared_ptr<const AwsContext> context = MakeAwsContext(config);
  Status ready = context->refreshing->WaitUntilReady(kWait);
  std::vector<StsCall> calls = sts.calls();
  ASSERT_EQ(calls.size(), 1u) << ready.ToString();
  // https through a proxy is a CONNECT tunnel: the proxy sees the host and port it is asked for.
  EXPECT_NE(calls[0].target.find("sts.unreachable.invalid:8443"), std::string::npos)
      << calls[0].target;
  EXPECT_EQ(calls[0].proxy_authorization.rfind("Basic ", 0), 0u);

  // Plain http through the proxy: the proxy gets the signed call itself.
  LocalSts proxy;
  proxy.Know("AKIDAPP", "app-secret");
  config.sts_endpoint = "http://sts.unreachable.invalid:8080";
  config.proxy_host = proxy.url();
  context = MakeAwsContext(config);
  ASSERT_TRUE(context->refreshing->WaitUntilReady(kWait).ok());
  EXPECT_EQ(context->credentials()->access_key_id, LocalSts::Id(1));
  calls = proxy.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].target, "http://sts.unreachable.invalid:8080/");
  EXPECT_TRUE(calls[0].signature_valid) << calls[0].why;
  EXPECT_EQ(calls[0].form["RoleArn"], config.role_arn);
  EXPECT_EQ(calls[0].proxy_authorization.rfind("Basic ", 0), 0u);
}

TEST(AssumeRoleConfigTest, RefreshedBeforeExpiry) {
  LocalSts sts;
  sts.Know("AKIDENV", "env-secret");
  std::atomic<std::chrono::system_clock::rep> now{
      auth::testing::TestEpoch().time_since_epoch().count()};
  auto clock = [&now] {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now.load()));
  };
  sts.set_now(clock);
  sts.set_lifetime(seconds(900));
  auth::DefaultChainOptions chain_options;
  chain_options.imds.endpoint = "http://127.0.0.1:9";  // never asked: keys come first
  auto source =
      auth::DefaultCredentialsChain(MapEnvironment({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                                    {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                                    {"AWS_EC2_METADATA_DISABLED", "true"}}),
                                    chain_options);
  auth::AssumeRoleCredentialsProvider::Settings role{"arn:aws:iam::1:role/r", "", "", 900};
  auth::AssumeRoleCredentialsProvider::Options sts_options;
  sts_options.endpoint = sts.url();
  auth::RefreshingCredentialsProvider::Options options;
  options.clock = clock;
  options.refresh_before_expiry = seconds(300);
  auth::RefreshingCredentialsProvider refreshing(
      std::make_unique<auth::AssumeRoleCredentialsProvider>(
          role, std::move(source), auth::DefaultHttpFetcher(), sts_options),
      options);
  ASSERT_TRUE(refreshing.WaitUntilReady(kWait).ok());
  EXPECT_EQ((*refreshing.Current())->access_key_id, LocalSts::Id(1));
  // 900 s of life, renewed 300 s before the end.
  EXPECT_EQ(refreshing.next_refresh(), auth::testing::TestEpoch() + seconds(600));

  now = (auth::testing::TestEpoch() + seconds(600)).time_since_epoch().count();
  refreshing.Wake();
  ASSERT_TRUE(refreshing.WaitForFetches(2, kWait));
  EXPECT_EQ((*refreshing.Current())->access_key_id, LocalSts::Id(2));
  EXPECT_EQ(refreshing.next_refresh(), auth::testing::TestEpoch() + seconds(1200));
  std::vector<StsCall> calls = sts.calls();
  ASSERT_EQ(calls.size(), 2u);
  for (const StsCall& call : calls) {
    EXPECT_TRUE(call.signature_valid) << call.why;
    EXPECT_EQ(call.access_key_id, "AKIDENV");  // the source, never the role's own keys
    EXPECT_EQ(call.form.at("DurationSeconds"), "900");
  }
}

TEST(AssumeRoleConfigTest, BadRoleSettingsAreRefusedNamingTheValue) {
  ProducerConfig config;
  EXPECT_EQ(ApplySetting(config, "RoleDurationSeconds", "600").code(), StatusCode::kOutOfRange);
  Status duration = ApplySetting(config, "RoleDurationSeconds", "50000");
  EXPECT_NE(duration.message().find("43200"), std::string::npos) << duration.ToString();
  ASSERT_TRUE(ApplySetting(config, "RoleExternalId", "partner-7").ok());
  Status alone = config.Validate();
  EXPECT_EQ(alone.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(alone.message().find("without RoleArn"), std::string::npos) << alone.ToString();

  LocalSts sts;
  config = RoleConfig(sts);
  config.role_arn = "cross-account-writer";
  config.kinesis_endpoint = "http://127.0.0.1:9";  // never reached: credentials fail first
  Result<std::shared_ptr<KinesisBackend>> backend = CreateHttpBackend(config);
  ASSERT_FALSE(backend.ok());
  EXPECT_NE(backend.status().message().find("RoleArn: role_arn 'cross-account-writer'"),
            std::string::npos)
      << backend.status().ToString();
  EXPECT_TRUE(sts.calls().empty());
}

}  // namespace
}  // namespace kinesis
