// Assumed roles (STS AssumeRole) from profiles and from code, against LocalSts, which checks
// every call's SigV4 signature with the source credentials.
#include <gtest/gtest.h>

#include "auth/profile_credentials_provider.h"
#include "local_sts.h"
#include "test_util.h"

namespace kinesis::auth {
namespace {

using testing::LocalSts;
using testing::StsCall;
using testing::TempDir;

constexpr char kBase[] =
    "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n";

class AssumeRoleTest : public ::testing::Test {
 protected:
  void SetUp() override { sts_.Know("AKIDBASE", "base-secret"); }

  EnvLookup Env(std::map<std::string, std::string> extra = {}) const {
    extra.emplace("AWS_EC2_METADATA_DISABLED", "true");
    extra.emplace("AWS_ENDPOINT_URL_STS", sts_.url());
    return testing::ProfileEnv(dir_, std::move(extra));
  }
  Result<Credentials> Fetch(std::map<std::string, std::string> extra = {},
                            std::string profile = "") {
    ProfileCredentialsProvider::Options options;
    options.profile = std::move(profile);
    options.region = "eu-west-1";
    return ProfileCredentialsProvider(Env(std::move(extra)), DefaultHttpFetcher(), options).Fetch();
  }
  // Expects a refusal of `code` whose message holds every one of `words`, and no STS call.
  void ExpectRefused(StatusCode code, std::vector<std::string> words) {
    Result<Credentials> credentials = Fetch();
    ASSERT_EQ(credentials.status().code(), code) << credentials.status().ToString();
    for (const std::string& word : words) {
      EXPECT_NE(credentials.status().message().find(word), std::string::npos)
          << "'" << word << "' not in: " << credentials.status().message();
    }
    EXPECT_TRUE(sts_.calls().empty());
  }

  TempDir dir_;
  LocalSts sts_;
};

TEST_F(AssumeRoleTest, SourceProfileSignsAssumeRoleWithEveryParameter) {
  dir_.Write("config", std::string(kBase) +
                           "[default]\nrole_arn = arn:aws:iam::123456789012:role/writer\n"
                           "source_profile = base\nexternal_id = ext-id:42/x\n"
                           "role_session_name = ingest-01\nduration_seconds = 900\n");
  Result<Credentials> credentials = Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, LocalSts::Id(1));
  EXPECT_EQ(credentials->secret_access_key, LocalSts::Secret(1));
  EXPECT_EQ(credentials->session_token, LocalSts::Token(1));
  ASSERT_TRUE(credentials->expiration.has_value());
  EXPECT_GT(*credentials->expiration, std::chrono::system_clock::now());

  std::vector<StsCall> calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].signature_valid) << calls[0].why;
  EXPECT_EQ(calls[0].access_key_id, "AKIDBASE");
  EXPECT_NE(calls[0].scope.find("/eu-west-1/sts/aws4_request"), std::string::npos)
      << calls[0].scope;
  EXPECT_EQ(calls[0].security_token, "");
  EXPECT_EQ(calls[0].form["Action"], "AssumeRole");
  EXPECT_EQ(calls[0].form["Version"], "2011-06-15");
  EXPECT_EQ(calls[0].form["RoleArn"], "arn:aws:iam::123456789012:role/writer");
  EXPECT_EQ(calls[0].form["ExternalId"], "ext-id:42/x");
  EXPECT_EQ(calls[0].form["RoleSessionName"], "ingest-01");
  EXPECT_EQ(calls[0].form["DurationSeconds"], "900");
}

TEST_F(AssumeRoleTest, OptionalParametersAreLeftOutAndTheSessionNameGenerated) {
  dir_.Write("config", std::string(kBase) +
                           "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
  ASSERT_TRUE(Fetch().ok());
  std::vector<StsCall> calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].form.count("ExternalId"), 0u);
  EXPECT_EQ(calls[0].form.count("DurationSeconds"), 0u);
  EXPECT_EQ(calls[0].form["RoleSessionName"].rfind("kinesis-producer-", 0), 0u)
      << calls[0].form["RoleSessionName"];
}

TEST_F(AssumeRoleTest, ChainedRolesSignEachCallWithThePreviousRole) {
  dir_.Write("config", std::string(kBase) +
                           "[profile first]\nrole_arn = arn:aws:iam::1:role/first\n"
                           "source_profile = base\n"
                           "[default]\nrole_arn = arn:aws:iam::2:role/second\n"
                           "source_profile = first\n");
  Result<Credentials> credentials = Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, LocalSts::Id(2));
  std::vector<StsCall> calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls[0].signature_valid) << calls[0].why;
  EXPECT_EQ(calls[0].access_key_id, "AKIDBASE");
  EXPECT_EQ(calls[0].form["RoleArn"], "arn:aws:iam::1:role/first");
  EXPECT_TRUE(calls[1].signature_valid) << calls[1].why;
  EXPECT_EQ(calls[1].access_key_id, LocalSts::Id(1));
  EXPECT_EQ(calls[1].security_token, LocalSts::Token(1));
  EXPECT_EQ(calls[1].form["RoleArn"], "arn:aws:iam::2:role/second");
}

TEST_F(AssumeRoleTest, AProfileCanBeItsOwnSourceWithKeys) {
  dir_.Write("credentials",
             "[default]\naws_access_key_id = AKIDBASE\n"
             "aws_secret_access_key = base-secret\n");
  dir_.Write("config", "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n");
  Result<Credentials> credentials = Fetch();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, LocalSts::Id(1));
  ASSERT_EQ(sts_.calls().size(), 1u);
  EXPECT_EQ(sts_.calls()[0].access_key_id, "AKIDBASE");
}

TEST_F(AssumeRoleTest, CredentialSourceEnvironment) {
  sts_.Know("AKIDENV", "env-secret");
  dir_.Write("config",
             "[default]\nrole_arn = arn:aws:iam::1:role/r\n"
             "credential_source = Environment\n");
  Result<Credentials> credentials = Fetch({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                           {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                           {"AWS_SESSION_TOKEN", "env-token"}});
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, LocalSts::Id(1));
  std::vector<StsCall> calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_TRUE(calls[0].signature_valid) << calls[0].why;
  EXPECT_EQ(calls[0].access_key_id, "AKIDENV");
  EXPECT_EQ(calls[0].security_token, "env-token");

  // Configured but empty is an error, not a pass to the next source.
  Result<Credentials> none = Fetch();
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(none.status().message().find("Environment"), std::string::npos);
}

TEST_F(AssumeRoleTest, AWrongSignatureIsRefusedByTheServer) {
  // The verifier can fail: the profile's secret is not the one STS knows for its key.
  dir_.Write("config",
             "[profile base]\naws_access_key_id = AKIDBASE\n"
             "aws_secret_access_key = not-the-secret\n"
             "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
  Result<Credentials> credentials = Fetch();
  EXPECT_EQ(credentials.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(credentials.status().message().find("SignatureDoesNotMatch"), std::string::npos)
      << credentials.status().message();
  ASSERT_EQ(sts_.calls().size(), 1u);
  EXPECT_FALSE(sts_.calls()[0].signature_valid);
  EXPECT_EQ(credentials.status().message().find("not-the-secret"), std::string::npos);
}

TEST_F(AssumeRoleTest, MissingSourceProfile) {
  dir_.Write("config", "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = nope\n");
  ExpectRefused(StatusCode::kInvalidArgument, {"source_profile 'nope'", "neither file"});
}

TEST_F(AssumeRoleTest, CycleOfSourceProfiles) {
  dir_.Write("config",
             "[default]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
             "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = default\n");
  ExpectRefused(StatusCode::kInvalidArgument, {"cycle", "'default' -> 'b' -> 'default'"});
}

TEST_F(AssumeRoleTest, DurationOutsideTheLimits) {
  for (std::string bad : {"899", "43201", "1h", "-900"}) {
    SCOPED_TRACE(bad);
    dir_.Write("config", std::string(kBase) +
                             "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n"
                             "duration_seconds = " +
                             bad + "\n");
    ExpectRefused(StatusCode::kInvalidArgument, {"duration_seconds '" + bad + "'", "900..43200"});
  }
}

TEST_F(AssumeRoleTest, OtherBadSettings) {
  dir_.Write("config",
             "[default]\nrole_arn = arn:aws:iam::1:role/r\n"
             "credential_source = Ec2InstanceMetadata\n");
  ExpectRefused(StatusCode::kFailedPrecondition, {"AWS_EC2_METADATA_DISABLED"});
  dir_.Write("config", "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Disk\n");
  ExpectRefused(StatusCode::kInvalidArgument, {"'Disk'", "Environment, Ec2InstanceMetadata"});
  dir_.Write("config", std::string(kBase) +
                           "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n"
                           "credential_source = Environment\n");
  ExpectRefused(StatusCode::kInvalidArgument, {"both source_profile 'base'"});
  dir_.Write("config",
             std::string(kBase) + "[default]\nrole_arn = writer\nsource_profile = base\n");
  ExpectRefused(StatusCode::kInvalidArgument, {"role_arn 'writer'", "not a role ARN"});
  dir_.Write("config", std::string(kBase) +
                           "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n"
                           "role_session_name = has space\n");
  ExpectRefused(StatusCode::kInvalidArgument, {"role_session_name 'has space'"});
  dir_.Write("config", "[default]\nrole_arn = arn:aws:iam::1:role/r\n");
  ExpectRefused(StatusCode::kInvalidArgument, {"without source_profile"});
}

}  // namespace
}  // namespace kinesis::auth
