// FlatJson, ISO 8601 timestamps, XML element text, credential documents, and the simple
// providers (static, environment).
#include <gtest/gtest.h>

#include "auth/credentials_document.h"
#include "auth/environment_credentials_provider.h"
#include "auth/flat_json.h"
#include "auth/iso8601.h"
#include "auth/static_credentials_provider.h"
#include "auth/xml_text.h"

namespace kinesis::auth {
namespace {

using std::chrono::system_clock;

TEST(FlatJsonTest, FlattensObjectsAndKeepsScalarTypes) {
  auto json = FlatJson::Parse(
      " {\"a\": {\"b\": \"x\", \"c\": [1, {\"d\": 2}]}, \"n\": -1.5e3, \"t\": true, "
      "\"f\": false, \"z\": null, \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"} ");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(json->String("a.b"), "x");
  EXPECT_FALSE(json->Has("a.c"));
  EXPECT_EQ(json->Number("n"), "-1.5e3");
  EXPECT_EQ(json->Bool("t"), true);
  EXPECT_EQ(json->Bool("f"), false);
  EXPECT_TRUE(json->Has("z"));
  EXPECT_EQ(json->String("z"), std::nullopt);
  EXPECT_EQ(json->String("n"), std::nullopt);  // wrong type
  EXPECT_EQ(json->String("s"), "q\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(FlatJsonTest, RejectsMalformedDocumentsWithTheOffset) {
  for (const char* text :
       {"", "[]", "{", "{\"a\"}", "{\"a\": }", "{\"a\": 1,}", "{\"a\": 01}", "{\"a\": 1.}",
        "{\"a\": \"\\x\"}", "{\"a\": \"\\ud800\"}", "{\"a\": \"\\udc00\"}", "{\"a\": tru}",
        "{\"a\": 1} x", "{\"a\": \"line\nbreak\"}", "{\"a\": -}", "{\"a\": 1e}", "{a: 1}",
        "{\"a\": [1 2]}"}) {
    auto json = FlatJson::Parse(text);
    ASSERT_FALSE(json.ok()) << text;
    EXPECT_EQ(json.status().code(), StatusCode::kCorruption);
    EXPECT_NE(json.status().message().find("offset"), std::string::npos);
  }
}

TEST(FlatJsonTest, LimitsNestingAndSize) {
  std::string deep(20, '[');
  EXPECT_FALSE(FlatJson::Parse("{\"a\": " + deep + std::string(20, ']') + "}").ok());
  std::string nested;
  for (int i = 0; i < 20; ++i) nested += "{\"a\": ";
  nested += "1" + std::string(20, '}');
  EXPECT_FALSE(FlatJson::Parse(nested).ok());
  EXPECT_FALSE(FlatJson::Parse("{\"a\": \"" + std::string(2 << 20, 'x') + "\"}").ok());
}

TEST(Iso8601Test, ParsesUtcFractionsAndOffsets) {
  const auto base = system_clock::from_time_t(1440938160);  // 2015-08-30T12:36:00Z
  EXPECT_EQ(*ParseIso8601("2015-08-30T12:36:00Z"), base);
  EXPECT_EQ(*ParseIso8601("2015-08-30t12:36:00z"), base);
  EXPECT_EQ(*ParseIso8601("2015-08-30T12:36:00.250Z"), base + std::chrono::milliseconds(250));
  EXPECT_EQ(*ParseIso8601("2015-08-30T14:36:00+02:00"), base);
  EXPECT_EQ(*ParseIso8601("2015-08-30T04:36:00-0800"), base);
  EXPECT_EQ(*ParseIso8601("2024-02-29T00:00:00Z"), system_clock::from_time_t(1709164800));
  EXPECT_EQ(FormatIso8601(base), "2015-08-30T12:36:00Z");
}

TEST(Iso8601Test, RejectsMalformedTimestamps) {
  for (const char* text :
       {"", "2015-08-30", "2015-08-30T12:36:00", "2015-13-01T00:00:00Z", "2015-02-29T00:00:00Z",
        "2015-08-30T24:00:00Z", "2015-08-30T12:36:00.Z", "2015-08-30T12:36:00Zjunk",
        "2015-08-30T12:36:00+25:00", "15-08-30T12:36:00Z", "2015/08/30T12:36:00Z",
        "0578-01-01T00:00:00Z", "9999-01-01T00:00:00Z"}) {
    auto time = ParseIso8601(text);
    EXPECT_EQ(time.status().code(), StatusCode::kInvalidArgument) << text;
  }
}

TEST(XmlTextTest, FindsElementsAndDecodesEntities) {
  const char* xml =
      "<R xmlns=\"x\"><A>1</A><B attr=\"v\">a&amp;b&#65;&#x42;</B><C/><AB>no</AB></R>";
  EXPECT_EQ(XmlElementText(xml, "A"), "1");
  EXPECT_EQ(XmlElementText(xml, "B"), "a&bAB");
  EXPECT_EQ(XmlElementText(xml, "C"), "");
  EXPECT_EQ(XmlElementText(xml, "AB"), "no");
  EXPECT_EQ(XmlElementText(xml, "D"), std::nullopt);
  EXPECT_EQ(XmlElementText(xml, "R"), std::nullopt);  // has child elements
  EXPECT_EQ(XmlElementText("<A>x", "A"), std::nullopt);
  EXPECT_EQ(XmlElementText("<A>&bogus;</A>", "A"), std::nullopt);
  EXPECT_EQ(XmlElementText("<A>&#0;</A>", "A"), std::nullopt);
  EXPECT_EQ(XmlElementText("<A>&#xD800;</A>", "A"), std::nullopt);
  EXPECT_EQ(XmlElementText("<A>&amp</A>", "A"), std::nullopt);
}

TEST(CredentialsDocumentTest, MetadataAndProcessDocuments) {
  auto metadata = ParseCredentialsDocument(
      R"({"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T",)"
      R"("Expiration":"2015-08-30T12:36:00Z"})",
      CredentialsDocumentKind::kMetadata, "test");
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  EXPECT_EQ(metadata->session_token, "T");
  EXPECT_EQ(metadata->expiration, system_clock::from_time_t(1440938160));
  auto process = ParseCredentialsDocument(
      R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T"})",
      CredentialsDocumentKind::kCredentialProcess, "test");
  ASSERT_TRUE(process.ok()) << process.status().ToString();
  EXPECT_EQ(process->session_token, "T");
  EXPECT_FALSE(process->expiration.has_value());
  auto bad =
      ParseCredentialsDocument(R"({"Expiration": 5, "AccessKeyId":"A","SecretAccessKey":"S"})",
                               CredentialsDocumentKind::kMetadata, "source-name");
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(bad.status().message().rfind("source-name answer: ", 0), 0u);
}

TEST(SimpleProvidersTest, Static) {
  EXPECT_EQ(StaticCredentialsProvider({}).Fetch().status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StaticCredentialsProvider({"A", "", "", std::nullopt}).Fetch().status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(StaticCredentialsProvider({"", "S", "", std::nullopt}).Fetch().status().code(),
            StatusCode::kInvalidArgument);
  auto ok = StaticCredentialsProvider({"A", "S", "T", std::nullopt}).Fetch();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->session_token, "T");
}

TEST(SimpleProvidersTest, Environment) {
  EXPECT_EQ(EnvironmentCredentialsProvider(MapEnvironment({})).Fetch().status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(EnvironmentCredentialsProvider(MapEnvironment({{"AWS_ACCESS_KEY_ID", ""}}))
                .Fetch()
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(EnvironmentCredentialsProvider(MapEnvironment({{"AWS_ACCESS_KEY_ID", "A"}}))
                .Fetch()
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(EnvironmentCredentialsProvider(MapEnvironment({{"AWS_SECRET_ACCESS_KEY", "S"}}))
                .Fetch()
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  auto ok = EnvironmentCredentialsProvider(MapEnvironment({{"AWS_ACCESS_KEY_ID", "A"},
                                                           {"AWS_SECRET_ACCESS_KEY", "S"},
                                                           {"AWS_SESSION_TOKEN", "T"}}))
                .Fetch();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->access_key_id, "A");
  EXPECT_EQ(ok->secret_access_key, "S");
  EXPECT_EQ(ok->session_token, "T");
}

TEST(SimpleProvidersTest, EnvHelpers) {
  auto env = MapEnvironment({{"A", "TrUe"}, {"B", "1"}, {"E", ""}});
  EXPECT_TRUE(EnvIsTrue(env, "A"));
  EXPECT_FALSE(EnvIsTrue(env, "B"));
  EXPECT_FALSE(EnvIsTrue(env, "missing"));
  EXPECT_EQ(NonEmpty(env, "E"), std::nullopt);
  EXPECT_EQ(Redact("a SECRET b SECRET", {"SECRET", ""}), "a <redacted> b <redacted>");
}

}  // namespace
}  // namespace kinesis::auth
