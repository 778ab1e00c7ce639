#include "auth/profile_file.h"

#include <gtest/gtest.h>

namespace kinesis::auth {
namespace {

using Kind = ProfileFile::Kind;

TEST(ProfileFileTest, ParsesProfilesCommentsAndWhitespace) {
  auto file = ProfileFile::Parse(
      "# comment\n"
      "; another\n"
      "[default]\n"
      "aws_access_key_id=AKID\n"
      "  \n"
      "aws_secret_access_key =  se/cr+et   ; trailing comment\n"
      "[ other ]   # comment after header\r\n"
      "region = us-west-2\r\n"
      "key_with_hash = a#b\n",
      Kind::kCredentials, "test");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->Get("default", "aws_access_key_id"), "AKID");
  EXPECT_EQ(file->Get("default", "aws_secret_access_key"), "se/cr+et");
  EXPECT_EQ(file->Get("other", "region"), "us-west-2");
  EXPECT_EQ(file->Get("other", "key_with_hash"), "a#b");  // no white space before '#'
  EXPECT_EQ(file->Get("missing", "region"), std::nullopt);
}

TEST(ProfileFileTest, ConfigFileNeedsTheProfilePrefixExceptForDefault) {
  auto file = ProfileFile::Parse(
      "[default]\nregion = a\n"
      "[profile  dev]\nregion = b\n"
      "[profile default]\noutput = json\n"
      "[sso-session corp]\nsso_region = c\n"
      "[bare]\nregion = d\n"
      "[profiler]\nregion = e\n",
      Kind::kConfig, "config");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->Get("default", "region"), "a");
  EXPECT_EQ(file->Get("default", "output"), "json");
  EXPECT_EQ(file->Get("dev", "region"), "b");
  EXPECT_EQ(file->Profile("corp"), nullptr);
  EXPECT_EQ(file->Profile("sso-session corp"), nullptr);
  EXPECT_EQ(file->Profile("bare"), nullptr);
  EXPECT_EQ(file->Profile("profiler"), nullptr);
  EXPECT_EQ(file->profiles().size(), 2u);
}

TEST(ProfileFileTest, CredentialsFileTakesNamesAsWritten) {
  auto file = ProfileFile::Parse("[profile x]\na = 1\n", Kind::kCredentials, "credentials");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->Get("profile x", "a"), "1");
}

TEST(ProfileFileTest, ContinuationLinesAndSubProperties) {
  auto file = ProfileFile::Parse(
      "[default]\n"
      "long = first\n"
      "  second\n"
      "\tthird\n"
      "s3 =\n"
      "  max_concurrent_requests = 20\n"
      "  addressing_style = path\n",
      Kind::kCredentials, "test");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->Get("default", "long"), "first\nsecond\nthird");
  EXPECT_EQ(file->Get("default", "s3"), "");
  EXPECT_EQ(file->Get("default", "s3.max_concurrent_requests"), "20");
  EXPECT_EQ(file->Get("default", "s3.addressing_style"), "path");
}

TEST(ProfileFileTest, RepeatedProfilesMergeAndLaterValuesWin) {
  auto file = ProfileFile::Parse("[p]\na = 1\nb = 2\n[q]\n[p]\nb = 3\n", Kind::kCredentials, "t");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->Get("p", "a"), "1");
  EXPECT_EQ(file->Get("p", "b"), "3");
}

TEST(ProfileFileTest, MergeFromOverridesPerProperty) {
  auto config = ProfileFile::Parse("[default]\na = 1\nb = 2\n", Kind::kConfig, "config");
  auto credentials = ProfileFile::Parse("[default]\nb = 3\n", Kind::kCredentials, "credentials");
  ASSERT_TRUE(config.ok() && credentials.ok());
  config->MergeFrom(*credentials);
  EXPECT_EQ(config->Get("default", "a"), "1");
  EXPECT_EQ(config->Get("default", "b"), "3");
}

TEST(ProfileFileTest, MalformedLinesNameTheLineButNotItsText) {
  struct Case {
    const char* text;
    const char* line;
  };
  for (const Case& c :
       {Case{"key = value\n", "line 1"}, Case{"[default\n", "line 1"},
        Case{"[default]\nno equals sign here\n", "line 2"}, Case{"[]\n", "line 1"},
        Case{"[default]\n = value\n", "line 2"}, Case{"  indented first\n", "line 1"},
        Case{"[default] trailing\n", "line 1"}, Case{"[default]\ns3 =\n  no_equals\n", "line 3"}}) {
    auto file = ProfileFile::Parse(c.text, Kind::kCredentials, "src");
    ASSERT_FALSE(file.ok()) << c.text;
    EXPECT_EQ(file.status().code(), StatusCode::kCorruption);
    EXPECT_NE(file.status().message().find(std::string("src ") + c.line), std::string::npos)
        << file.status().message();
  }
  auto secret = ProfileFile::Parse("[default]\nsecretvalue123\n", Kind::kCredentials, "src");
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().message().find("secretvalue123"), std::string::npos);
}

TEST(ProfileFileTest, SelectedProfile) {
  EXPECT_EQ(SelectedProfile(MapEnvironment({})), "default");
  EXPECT_EQ(SelectedProfile(MapEnvironment({{"AWS_PROFILE", ""}})), "default");
  EXPECT_EQ(SelectedProfile(MapEnvironment({{"AWS_PROFILE", "dev"}})), "dev");
}

TEST(ProfileFileTest, PathsFollowTheEnvironmentAndHome) {
  auto env = MapEnvironment({{"HOME", "/home/u"}});
  EXPECT_EQ(ProfileFile::CredentialsPath(env), "/home/u/.aws/credentials");
  EXPECT_EQ(ProfileFile::ConfigPath(env), "/home/u/.aws/config");
  auto custom = MapEnvironment({{"HOME", "/h"},
                                {"AWS_CONFIG_FILE", "~/cfg"},
                                {"AWS_SHARED_CREDENTIALS_FILE", "/etc/creds"}});
  EXPECT_EQ(ProfileFile::ConfigPath(custom), "/h/cfg");
  EXPECT_EQ(ProfileFile::CredentialsPath(custom), "/etc/creds");
}

}  // namespace
}  // namespace kinesis::auth
