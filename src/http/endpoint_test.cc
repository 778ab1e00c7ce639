#include "http/endpoint.h"

#include <gtest/gtest.h>

#include <map>

namespace kinesis::http {
namespace {

TEST(ParseEndpoint, HttpsDefaultPort) {
  auto e = ParseEndpoint("https://kinesis.us-east-1.amazonaws.com");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(e->tls);
  EXPECT_EQ(e->host, "kinesis.us-east-1.amazonaws.com");
  EXPECT_EQ(e->port, 443);
  EXPECT_EQ(e->HostHeader(), "kinesis.us-east-1.amazonaws.com");
  EXPECT_EQ(e->Url(), "https://kinesis.us-east-1.amazonaws.com:443/");
}

TEST(ParseEndpoint, HttpWithPortAndSlash) {
  auto e = ParseEndpoint("http://127.0.0.1:4567/");
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->tls);
  EXPECT_EQ(e->port, 4567);
  EXPECT_EQ(e->HostHeader(), "127.0.0.1:4567");
}

TEST(ParseEndpoint, HttpDefaultPortHasBareHostHeader) {
  auto e = ParseEndpoint("http://localhost");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->port, 80);
  EXPECT_EQ(e->HostHeader(), "localhost");
}

TEST(ParseEndpoint, Ipv6Literal) {
  auto e = ParseEndpoint("http://[::1]:8080");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->host, "[::1]");
  EXPECT_EQ(e->port, 8080);
}

TEST(ParseEndpoint, RejectsMalformedUrlsNamingTheUrl) {
  for (const char* bad :
       {"", "kinesis.amazonaws.com", "ftp://host", "https://", "https://:443", "http://host:",
        "http://host:0", "http://host:65536", "http://host:12a", "http://host/path",
        "http://host?x=1", "http://host#f", "http://user@host", "http://ho st", "http://[::1",
        "http://[::1]x", "http://[]:80"}) {
    auto e = ParseEndpoint(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(e.status().message().find("'" + std::string(bad) + "'"), std::string::npos)
        << e.status().message();
  }
}

TEST(ValidateRegion, AcceptsAndRejects) {
  EXPECT_TRUE(ValidateRegion("us-east-1").ok());
  EXPECT_TRUE(ValidateRegion("cn-north-1").ok());
  EXPECT_FALSE(ValidateRegion("").ok());
  EXPECT_FALSE(ValidateRegion("US-EAST-1").ok());
  EXPECT_FALSE(ValidateRegion("us east").ok());
  EXPECT_FALSE(ValidateRegion("-us").ok());
  EXPECT_FALSE(ValidateRegion(std::string(65, 'a')).ok());
}

TEST(ResolveEndpoint, OrderOverrideThenServiceEnvThenGlobalEnvThenDefault) {
  auto env = MapEnvironment({{"AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:1"},
                      {"AWS_ENDPOINT_URL", "http://127.0.0.1:2"}});
  EXPECT_EQ(ResolveEndpoint("http://127.0.0.1:3", "us-east-1", env)->port, 3);
  EXPECT_EQ(ResolveEndpoint("", "us-east-1", env)->port, 1);
  EXPECT_EQ(ResolveEndpoint("", "us-east-1", MapEnvironment({{"AWS_ENDPOINT_URL", "http://h:2"}}))->port,
            2);
  auto def = ResolveEndpoint("", "eu-west-1", MapEnvironment({}));
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->host, "kinesis.eu-west-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint("", "cn-north-1", MapEnvironment({}))->host,
            "kinesis.cn-north-1.amazonaws.com.cn");
}

TEST(ResolveEndpoint, MalformedEnvValueNamesTheVariable) {
  auto e = ResolveEndpoint("", "us-east-1", MapEnvironment({{"AWS_ENDPOINT_URL_KINESIS", "nope"}}));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("AWS_ENDPOINT_URL_KINESIS"), std::string::npos);
}

TEST(ResolveEndpoint, BadRegionWithoutOverrideFails) {
  auto e = ResolveEndpoint("", "Not A Region", MapEnvironment({}));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
}

TEST(IsAwsHost, AwsServiceDomainsOnly) {
  for (const char* host : {"kinesis.us-east-1.amazonaws.com", "KINESIS.EU-WEST-1.AMAZONAWS.COM",
                           "kinesis.cn-north-1.amazonaws.com.cn", "kinesis.us-east-1.api.aws",
                           "vpce-1a2b.kinesis.us-east-1.vpce.amazonaws.com",
                           "kinesis.us-east-1.amazonaws.com."}) {
    EXPECT_TRUE(IsAwsHost(host)) << host;
  }
  for (const char* host : {"127.0.0.1", "[::1]", "localhost", "amazonaws.com", ".amazonaws.com",
                           "kinesis.amazonaws.com.example.org", "notamazonaws.com", "api.aws",
                           "kinesalite.internal", ""}) {
    EXPECT_FALSE(IsAwsHost(host)) << host;
  }
}

}  // namespace
}  // namespace kinesis::http
