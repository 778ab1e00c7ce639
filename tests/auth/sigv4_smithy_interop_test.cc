// Interoperability: SigV4Signer must produce the same Authorization header as the AWS SDK for
// JavaScript (@smithy/signature-v4, code we did not write) for Kinesis-style requests with and
// without session tokens, payload-hash headers, binary bodies, repeated query keys, paths to
// normalize and header white space.
// Needs node/node_modules (scripts/setup installs it); fails, never skips, without it.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "auth/flat_json.h"
#include "auth/sigv4_signer.h"
#include "test_util.h"

namespace kinesis::auth {
namespace {

struct Case {
  std::string service = "kinesis";
  std::string region = "us-east-1";
  std::string method = "POST";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> query;  // raw, unencoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string session_token;
  bool content_sha256 = false;
  std::chrono::system_clock::time_point date;
};

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

std::vector<Case> Cases() {
  std::mt19937 random(42);
  std::string big(64 << 10, '\0');
  for (char& c : big) c = static_cast<char>(random());
  const auto date = testing::TestEpoch() + std::chrono::hours(13) + std::chrono::seconds(7);
  const std::vector<std::pair<std::string, std::string>> kinesis_headers = {
      {"Host", "kinesis.us-east-1.amazonaws.com"},
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", "Kinesis_20131202.PutRecords"}};
  std::vector<Case> cases;
  Case put;
  put.headers = kinesis_headers;
  put.body = R"({"StreamName":"s","Records":[{"Data":"aGVsbG8=","PartitionKey":"k"}]})";
  put.date = date;
  cases.push_back(put);
  put.session_token = "FwoGZXIvYXdzEBYaDH+/session==";
  cases.push_back(put);
  put.content_sha256 = true;
  cases.push_back(put);
  Case binary = put;
  binary.body = big;
  binary.headers[1].second = "application/x-amz-cbor-1.1";
  cases.push_back(binary);
  Case odd;
  odd.service = "service";
  odd.region = "eu-west-3";
  odd.method = "GET";
  // The SDK double-encodes paths for services other than S3 (it takes the path as sent, already
  // encoded); this signer takes raw paths, as the SigV4 suite does: the path here needs no
  // encoding, so both readings agree.
  odd.path = "/a/./b//c~d/../e";
  odd.query = {{"b", "2"}, {"a", "x y"}, {"a", "1"}, {"c", ""}};
  odd.headers = {{"Host", "example.amazonaws.com"},
                 {"X-Custom", "  spaced    out  value "},
                 {"x-multi", "one,two"}};
  odd.date = date + std::chrono::hours(24 * 400);
  cases.push_back(odd);
  return cases;
}

std::string RawQuery(const Case& c) {
  std::string out;
  for (const auto& [k, v] : c.query) {
    if (!out.empty()) out.push_back('&');
    out += k + "=" + v;  // test values hold no '&', '=' or '%'
  }
  return out;
}

TEST(SigV4SmithyInteropTest, SameAuthorizationAsTheAwsSdkForJavaScript) {
  const std::string root = KP_SOURCE_DIR;
  ASSERT_TRUE(std::filesystem::exists(root + "/node/node_modules/@smithy/signature-v4"))
      << "node/node_modules is missing: run scripts/setup";
  const Credentials base{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                         std::nullopt};
  const std::vector<Case> cases = Cases();

  std::string json = "[";
  for (const Case& c : cases) {
    if (json.size() > 1) json += ",";
    std::string headers, query;
    for (const auto& [k, v] : c.headers) {
      if (!headers.empty()) headers += ',';
      headers += JsonString(k);
      headers += ':';
      headers += JsonString(v);
    }
    std::map<std::string, std::vector<std::string>> grouped;
    for (const auto& [k, v] : c.query) grouped[k].push_back(v);
    for (const auto& [k, values] : grouped) {
      std::string list;
      for (const auto& v : values) {
        if (!list.empty()) list += ',';
        list += JsonString(v);
      }
      if (!query.empty()) query += ',';
      query += JsonString(k);
      query += ':';
      query += values.size() == 1 ? list : "[" + list + "]";
    }
    json += "{\"service\":" + JsonString(c.service) + ",\"region\":" + JsonString(c.region) +
            ",\"method\":" + JsonString(c.method) + ",\"path\":" + JsonString(c.path) +
            ",\"query\":{" + query + "},\"headers\":{" + headers + "},\"bodyHex\":\"" +
            Hex(c.body) + "\",\"accessKeyId\":" + JsonString(base.access_key_id) +
            ",\"secretAccessKey\":" + JsonString(base.secret_access_key) +
            ",\"sessionToken\":" + JsonString(c.session_token) +
            ",\"applyChecksum\":" + (c.content_sha256 ? "true" : "false") + ",\"dateMs\":" +
            std::to_string(
                std::chrono::duration_cast<std::chrono::milliseconds>(c.date.time_since_epoch())
                    .count()) +
            "}";
  }
  json += "]";
  testing::TempDir dir;
  const std::string input = dir.Write("requests.json", json);
  const std::string command =
      std::string(KP_NODE) + " " + root + "/tests/auth/sign_with_smithy.js " + root + " " + input;
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  ASSERT_EQ(::pclose(pipe), 0) << "node failed; output: " << output;

  size_t start = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    const Case& c = cases[i];
    size_t end = output.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "too few answers from node: " << output;
    auto answer = FlatJson::Parse(output.substr(start, end - start));
    start = end + 1;
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();

    SigningOptions options;
    options.add_content_sha256_header = c.content_sha256;
    SigV4Signer signer(c.region, c.service, options);
    Credentials credentials = base;
    credentials.session_token = c.session_token;
    const std::string query = RawQuery(c);
    SignableRequest request{c.method, c.path, query, c.headers, c.body};
    auto headers = signer.Sign(request, credentials, c.date);
    ASSERT_TRUE(headers.ok()) << headers.status().ToString();
    std::map<std::string, std::string> ours(headers->begin(), headers->end());
    EXPECT_EQ(ours["Authorization"], answer->String("authorization").value_or("<none>"));
    if (c.content_sha256) {
      EXPECT_EQ(ours["X-Amz-Content-Sha256"], answer->String("contentSha256").value_or("<none>"));
    }
  }
}

}  // namespace
}  // namespace kinesis::auth
