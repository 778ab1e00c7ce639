#include <gtest/gtest.h>

#include "auth/credentials_chain.h"
#include "auth/profile_credentials_provider.h"
#include "auth/region.h"
#include "fake_http_server.h"
#include "test_util.h"

namespace kinesis::auth {
namespace {

using testing::TempDir;

class ProfileProviderTest : public ::testing::Test {
 protected:
  EnvLookup Env(std::map<std::string, std::string> extra = {}) const {
    return testing::ProfileEnv(dir_, std::move(extra));
  }
  Result<Credentials> Fetch(std::map<std::string, std::string> extra = {},
                            std::string profile = "") {
    ProfileCredentialsProvider::Options options;
    options.profile = std::move(profile);
    options.process_timeout = std::chrono::milliseconds(2000);
    return ProfileCredentialsProvider(Env(std::move(extra)), DefaultHttpFetcher(), options).Fetch();
  }

  TempDir dir_;
};

TEST_F(ProfileProviderTest, DefaultProfileFromTheCredentialsFile) {
  dir_.Write("credentials",
             "[default]\naws_access_key_id = AKIDDEFAULT\n"
             "aws_secret_access_key = default-secret\n"
             "aws_session_token = default-token\n");
  auto credentials = Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(credentials->secret_access_key, "default-secret");
  EXPECT_EQ(credentials->session_token, "default-token");
  EXPECT_FALSE(credentials->expiration.has_value());
}

TEST_F(ProfileProviderTest, AwsProfileSelectsAProfileOfTheConfigFile) {
  dir_.Write("config",
             "[profile other]\naws_access_key_id = AKIDOTHER\n"
             "aws_secret_access_key = other-secret\n");
  auto credentials = Fetch({{"AWS_PROFILE", "other"}});
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "AKIDOTHER");
}

TEST_F(ProfileProviderTest, CredentialsFileWinsOverConfig) {
  dir_.Write("config", "[profile p]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = c\n");
  dir_.Write("credentials",
             "[p]\naws_access_key_id = FROMCREDENTIALS\naws_secret_access_key = s\n");
  auto credentials = Fetch({}, "p");
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "FROMCREDENTIALS");
}

TEST_F(ProfileProviderTest, MissingFilesOrProfileAreNotFound) {
  EXPECT_EQ(Fetch().status().code(), StatusCode::kNotFound);
  dir_.Write("credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = s\n");
  auto missing = Fetch({{"AWS_PROFILE", "nope"}});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("'nope'"), std::string::npos);
  dir_.Write("credentials", "[default]\nregion = us-west-2\n");
  EXPECT_EQ(Fetch().status().code(), StatusCode::kNotFound);
}

TEST_F(ProfileProviderTest, HalfAKeyPairIsInvalid) {
  dir_.Write("credentials", "[default]\naws_access_key_id = AKIDHALF\n");
  auto credentials = Fetch();
  EXPECT_EQ(credentials.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(credentials.status().message().find("AKIDHALF"), std::string::npos);
}

TEST_F(ProfileProviderTest, MalformedOrUnreadableFilesAreReported) {
  dir_.Write("credentials", "aws_access_key_id = A\n");
  auto malformed = Fetch();
  EXPECT_EQ(malformed.status().code(), StatusCode::kCorruption);
  EXPECT_NE(malformed.status().message().find("line 1"), std::string::npos);
  // A directory where the file should be cannot be read.
  std::filesystem::remove(dir_.path() + "/credentials");
  std::filesystem::create_directory(dir_.path() + "/credentials");
  EXPECT_EQ(Fetch().status().code(), StatusCode::kIoError);
}

TEST_F(ProfileProviderTest, CredentialProcessOutputIsUsed) {
  std::string out =
      dir_.Write("out.json",
                 "{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC\", \"SecretAccessKey\": "
                 "\"proc-secret\", \"SessionToken\": \"proc-token\", \"Expiration\": "
                 "\"2026-01-01T00:30:00Z\"}");
  dir_.Write("config", "[default]\ncredential_process = cat " + out + "\n");
  auto credentials = Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAPROC");
  EXPECT_EQ(credentials->session_token, "proc-token");
  EXPECT_EQ(credentials->expiration, testing::TestEpoch() + std::chrono::minutes(30));
}

TEST_F(ProfileProviderTest, CredentialProcessFailures) {
  dir_.Write("config", "[default]\ncredential_process = exit 3\n");
  auto exited = Fetch();
  EXPECT_EQ(exited.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(exited.status().message().find("status 3"), std::string::npos);
  dir_.Write("config", "[default]\ncredential_process = exec sleep 5\n");
  ProfileCredentialsProvider::Options quick;
  quick.process_timeout = std::chrono::milliseconds(200);
  EXPECT_EQ(ProfileCredentialsProvider(Env(), DefaultHttpFetcher(), quick).Fetch().status().code(),
            StatusCode::kDeadlineExceeded);
  for (std::string output :
       {std::string("not json"),
        std::string("{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}"),
        std::string("{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}"),
        std::string("{\"Version\": 1, \"SecretAccessKey\": \"s\"}"),
        std::string("{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\", "
                    "\"Expiration\": \"soon\"}")}) {
    std::string out = dir_.Write("bad.json", output);
    dir_.Write("config", "[default]\ncredential_process = cat " + out + "\n");
    EXPECT_EQ(Fetch().status().code(), StatusCode::kCorruption) << output;
  }
  // Long-lived keys from a process need no Expiration.
  std::string out = dir_.Write("ok.json",
                               "{\"Version\": 1, \"AccessKeyId\": \"A\", "
                               "\"SecretAccessKey\": \"s\"}");
  dir_.Write("config", "[default]\ncredential_process = cat " + out + "\n");
  auto credentials = Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_FALSE(credentials->expiration.has_value());
}

TEST_F(ProfileProviderTest, RoleWithWebIdentityTokenFileUsesSts) {
  testing::FakeHttpServer server([](const testing::FakeRequest&) {
    testing::FakeResponse response;
    response.body = testing::StsDocument("ASIAPROFILE", "s", "t", "2026-01-01T01:00:00Z");
    return response;
  });
  std::string token = dir_.Write("token", "jwt");
  dir_.Write("config", "[default]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = " +
                           token + "\n");
  auto credentials = Fetch({{"AWS_ENDPOINT_URL_STS", server.url()}});
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAPROFILE");
  ASSERT_EQ(server.requests().size(), 1u);
}

// Assumed roles are tested in assume_role_provider_test.cc; here only that a broken one stops
// the profile source instead of passing to the next.
TEST_F(ProfileProviderTest, RoleWithAMissingSourceProfileIsInvalid) {
  dir_.Write("config", "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
  EXPECT_EQ(Fetch().status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ProfileProviderTest, RegionResolutionOrder) {
  dir_.Write("config", "[default]\nregion = eu-central-1\n[profile other]\nregion = ap-south-1\n");
  EXPECT_EQ(*ResolveRegion("us-east-2", Env({{"AWS_REGION", "us-west-1"}})), "us-east-2");
  EXPECT_EQ(*ResolveRegion("", Env({{"AWS_REGION", "us-west-1"}, {"AWS_DEFAULT_REGION", "x-1"}})),
            "us-west-1");
  EXPECT_EQ(*ResolveRegion("", Env({{"AWS_DEFAULT_REGION", "sa-east-1"}})), "sa-east-1");
  EXPECT_EQ(*ResolveRegion("", Env()), "eu-central-1");
  EXPECT_EQ(*ResolveRegion("", Env({{"AWS_PROFILE", "other"}})), "ap-south-1");
  EXPECT_EQ(*ResolveRegion("", Env(), "other"), "ap-south-1");
  auto bad = ResolveRegion("", Env({{"AWS_REGION", "US East 1"}}));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("AWS_REGION"), std::string::npos);
  std::filesystem::remove(dir_.path() + "/config");
  EXPECT_EQ(ResolveRegion("", Env()).status().code(), StatusCode::kNotFound);
}

TEST_F(ProfileProviderTest, DefaultChainOrder) {
  dir_.Write("credentials",
             "[default]\naws_access_key_id = FROMPROFILE\naws_secret_access_key = s\n");
  DefaultChainOptions options;
  options.imds.endpoint = "http://127.0.0.1:9";  // never reached: disabled below
  auto env = Env({{"AWS_EC2_METADATA_DISABLED", "true"}});
  auto chain = DefaultCredentialsChain(env, options);
  auto from_profile = chain->Fetch();
  ASSERT_TRUE(from_profile.ok()) << from_profile.status().ToString();
  EXPECT_EQ(from_profile->access_key_id, "FROMPROFILE");
  EXPECT_EQ(chain->last_source(), "profile");

  auto env_first = DefaultCredentialsChain(
      Env({{"AWS_ACCESS_KEY_ID", "FROMENV"}, {"AWS_SECRET_ACCESS_KEY", "e"}}), options);
  EXPECT_EQ(env_first->Fetch()->access_key_id, "FROMENV");

  options.static_credentials = {"STATIC", "st", "", std::nullopt};
  auto static_first = DefaultCredentialsChain(
      Env({{"AWS_ACCESS_KEY_ID", "FROMENV"}, {"AWS_SECRET_ACCESS_KEY", "e"}}), options);
  EXPECT_EQ(static_first->Fetch()->access_key_id, "STATIC");
}

TEST_F(ProfileProviderTest, ChainStopsAtABrokenSourceAndListsReasonsWhenEmpty) {
  DefaultChainOptions options;
  auto broken = DefaultCredentialsChain(
      Env({{"AWS_ACCESS_KEY_ID", "ONLYID"}, {"AWS_EC2_METADATA_DISABLED", "true"}}), options);
  auto result = broken->Fetch();
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("environment"), std::string::npos);

  auto empty = DefaultCredentialsChain(Env({{"AWS_EC2_METADATA_DISABLED", "true"}}), options);
  auto none = empty->Fetch();
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  for (const char* name :
       {"environment", "web identity", "profile", "container", "instance metadata"}) {
    EXPECT_NE(none.status().message().find(name), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace kinesis::auth
