// Runs every case of the AWS SigV4 test suite (testdata/aws-signing-test-suite/v4, from
// awslabs/aws-c-auth, Apache-2.0: see its LICENSE and NOTICE) through SigV4Signer, header and
// query signing both, and compares every intermediate value byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "auth/flat_json.h"
#include "auth/iso8601.h"
#include "auth/sigv4_canonical.h"
#include "auth/sigv4_signer.h"

namespace kinesis::auth {
namespace {

namespace fs = std::filesystem;

const fs::path kSuiteDir = fs::path(KP_SOURCE_DIR) / "src/auth/testdata/aws-signing-test-suite/v4";

// The suite holds 38 cases; a smaller count means cases went missing from the copy.
constexpr size_t kExpectedCases = 38;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> ListCases() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(kSuiteDir, error)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A request.txt parsed: the suite writes raw HTTP/1.1, with header continuation lines
// (obs-fold) and, in two cases, a body after the blank line.
struct SuiteRequest {
  std::string method;
  std::string path;
  std::string query;
  SigV4Signer::Headers headers;
  std::string body;
};

// The request line is "METHOD target HTTP/1.1", where the target may itself hold spaces
// (get-space-*): the method ends at the first space and the version starts after the last one.
::testing::AssertionResult ParseRequest(const std::string& text, SuiteRequest& out) {
  std::vector<std::string> lines;
  size_t start = 0;
  size_t body_at = std::string::npos;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    start = end + 1;
    if (line.empty() && !lines.empty()) {
      body_at = start;
      break;
    }
    lines.push_back(line);
  }
  if (lines.empty()) return ::testing::AssertionFailure() << "empty request.txt";
  const std::string& request_line = lines[0];
  size_t first = request_line.find(' ');
  size_t last = request_line.rfind(' ');
  if (first == std::string::npos || last == first || request_line.substr(last + 1) != "HTTP/1.1") {
    return ::testing::AssertionFailure() << "bad request line: " << request_line;
  }
  out.method = request_line.substr(0, first);
  std::string target = request_line.substr(first + 1, last - first - 1);
  size_t question = target.find('?');
  out.path = target.substr(0, question);
  out.query = question == std::string::npos ? "" : target.substr(question + 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line[0] == ' ' || line[0] == '\t') {
      if (out.headers.empty()) return ::testing::AssertionFailure() << "fold before any header";
      out.headers.back().second += "\n" + line;  // the signer must unfold it
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) return ::testing::AssertionFailure() << "bad header: " << line;
    out.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  if (body_at != std::string::npos && body_at < text.size()) out.body = text.substr(body_at);
  return ::testing::AssertionSuccess();
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The value of the first "Name:value" line of a signed-request file (names compared without
// case, as HTTP does: the suite writes "x-amz-content-sha256" in lower case).
std::string SignedRequestHeader(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (Lower(line.substr(0, name.size() + 1)) == Lower(name) + ":") {
      return line.substr(name.size() + 1);
    }
  }
  return "<absent>";
}

// Parameters percent-decoded, as a set: the suite's signed request keeps raw UTF-8 in its
// request line (get-vanilla-utf8-query) where ours is encoded; both mean the same bytes.
std::multiset<std::string> SplitQuery(const std::string& query) {
  std::multiset<std::string> params;
  std::istringstream in(query);
  std::string param;
  while (std::getline(in, param, '&')) {
    auto decoded = sigv4::PercentDecode(param);
    params.insert(decoded.ok() ? *decoded : "<malformed>" + param);
  }
  return params;
}

class SigV4SuiteTest : public ::testing::TestWithParam<std::string> {};

TEST(SigV4SuiteInventoryTest, EveryCaseIsPresentAndComplete) {
  std::vector<std::string> cases = ListCases();
  EXPECT_EQ(cases.size(), kExpectedCases) << "in " << kSuiteDir;
  EXPECT_TRUE(fs::exists(kSuiteDir.parent_path() / "LICENSE"));
  EXPECT_TRUE(fs::exists(kSuiteDir.parent_path() / "NOTICE"));
  for (const std::string& name : cases) {
    for (const char* file :
         {"request.txt", "context.json", "header-canonical-request.txt",
          "header-string-to-sign.txt", "header-signature.txt", "header-signed-request.txt",
          "query-canonical-request.txt", "query-string-to-sign.txt", "query-signature.txt",
          "query-signed-request.txt"}) {
      EXPECT_TRUE(fs::exists(kSuiteDir / name / file)) << name << " lacks " << file;
    }
  }
}

TEST_P(SigV4SuiteTest, MatchesTheSuiteByteForByte) {
  const fs::path dir = kSuiteDir / GetParam();
  SuiteRequest parsed;
  ASSERT_TRUE(ParseRequest(ReadFile(dir / "request.txt"), parsed));

  auto context = FlatJson::Parse(ReadFile(dir / "context.json"));
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  Credentials credentials;
  credentials.access_key_id = context->String("credentials.access_key_id").value_or("");
  credentials.secret_access_key = context->String("credentials.secret_access_key").value_or("");
  credentials.session_token = context->String("credentials.token").value_or("");
  auto now = ParseIso8601(context->String("timestamp").value_or(""));
  ASSERT_TRUE(now.ok()) << now.status().ToString();
  std::optional<std::string> expires = context->Number("expiration_in_seconds");
  ASSERT_TRUE(expires.has_value());
  SigningOptions options;
  options.normalize_path = context->Bool("normalize").value_or(true);
  options.add_content_sha256_header = context->Bool("sign_body").value_or(false);
  options.sign_session_token = !context->Bool("omit_session_token").value_or(false);
  SigV4Signer signer(context->String("region").value_or(""),
                     context->String("service").value_or(""), options);

  SignableRequest request{parsed.method, parsed.path, parsed.query, parsed.headers, parsed.body};

  // Header signing.
  auto header = signer.SignHeaderParts(request, credentials, *now);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(header->canonical_request, ReadFile(dir / "header-canonical-request.txt"));
  EXPECT_EQ(header->string_to_sign, ReadFile(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(header->signature, ReadFile(dir / "header-signature.txt"));
  const std::string signed_request = ReadFile(dir / "header-signed-request.txt");
  for (const auto& [name, value] : header->headers_to_add) {
    EXPECT_EQ(value, SignedRequestHeader(signed_request, name)) << name;
  }
  EXPECT_EQ(SignedRequestHeader(signed_request, "X-Amz-Security-Token") != "<absent>",
            !credentials.session_token.empty());
  // The step-by-step API gives the same values as the one-shot one.
  auto canonical = signer.CanonicalRequest(request, credentials, *now);
  ASSERT_TRUE(canonical.ok());
  EXPECT_EQ(*canonical, header->canonical_request);
  auto string_to_sign = signer.StringToSign(*canonical, *now);
  ASSERT_TRUE(string_to_sign.ok());
  EXPECT_EQ(*string_to_sign, header->string_to_sign);
  auto signature = signer.Signature(*string_to_sign, credentials, *now);
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(*signature, header->signature);

  // Query signing (presigned URL).
  auto query =
      signer.PresignParts(request, credentials, *now, std::chrono::seconds(std::stoll(*expires)));
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_EQ(query->canonical_request, ReadFile(dir / "query-canonical-request.txt"));
  EXPECT_EQ(query->string_to_sign, ReadFile(dir / "query-string-to-sign.txt"));
  EXPECT_EQ(query->signature, ReadFile(dir / "query-signature.txt"));
  // The suite writes the parameters in its own order; as a set they must be ours.
  SuiteRequest presigned;
  ASSERT_TRUE(ParseRequest(ReadFile(dir / "query-signed-request.txt"), presigned));
  EXPECT_EQ(SplitQuery(query->presigned_query), SplitQuery(presigned.query));
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(AwsSigningTestSuite, SigV4SuiteTest, ::testing::ValuesIn(ListCases()),
                         CaseName);

}  // namespace
}  // namespace kinesis::auth
