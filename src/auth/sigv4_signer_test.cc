#include "auth/sigv4_signer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace kinesis::auth {
namespace {

using std::chrono::system_clock;

// 2015-08-30T12:36:00Z, the time of the AWS SigV4 test suite.
system_clock::time_point SuiteTime() { return system_clock::from_time_t(1440938160); }

Credentials SuiteCredentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt};
}

SignableRequest VanillaGet() { return {"GET", "/", "", {{"Host", "example.amazonaws.com"}}, ""}; }

std::string HeaderValue(const SigV4Signer::Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

TEST(SigV4SignerTest, SignsVanillaGetAsTheSuiteDoes) {
  SigV4Signer signer("us-east-1", "service");
  auto headers = signer.Sign(VanillaGet(), SuiteCredentials(), SuiteTime());
  ASSERT_TRUE(headers.ok()) << headers.status().ToString();
  EXPECT_EQ(HeaderValue(*headers, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(HeaderValue(*headers, "X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(HeaderValue(*headers, "X-Amz-Security-Token"), "<absent>");
}

TEST(SigV4SignerTest, SessionTokenIsReturnedAndSigned) {
  SigV4Signer signer("us-east-1", "service");
  Credentials credentials = SuiteCredentials();
  credentials.session_token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
  auto parts = signer.SignHeaderParts(VanillaGet(), credentials, SuiteTime());
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ(parts->signed_headers, "host;x-amz-date;x-amz-security-token");
  EXPECT_EQ(parts->signature, "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
  EXPECT_EQ(HeaderValue(parts->headers_to_add, "X-Amz-Security-Token"), credentials.session_token);
}

TEST(SigV4SignerTest, DerivesTheSigningKeyOncePerDayAndSecret) {
  SigV4Signer signer("us-east-1", "service");
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(signer.Sign(VanillaGet(), SuiteCredentials(), SuiteTime()).ok());
  }
  EXPECT_EQ(signer.key_derivations(), 1u);
  // A later time on the same day reuses the key; the next day derives a new one.
  ASSERT_TRUE(
      signer.Sign(VanillaGet(), SuiteCredentials(), SuiteTime() + std::chrono::hours(3)).ok());
  EXPECT_EQ(signer.key_derivations(), 1u);
  ASSERT_TRUE(
      signer.Sign(VanillaGet(), SuiteCredentials(), SuiteTime() + std::chrono::hours(12)).ok());
  EXPECT_EQ(signer.key_derivations(), 2u);
  // Another secret derives its own key, and both stay cached.
  Credentials other = SuiteCredentials();
  other.secret_access_key = "another-secret";
  ASSERT_TRUE(signer.Sign(VanillaGet(), other, SuiteTime() + std::chrono::hours(12)).ok());
  ASSERT_TRUE(
      signer.Sign(VanillaGet(), SuiteCredentials(), SuiteTime() + std::chrono::hours(12)).ok());
  EXPECT_EQ(signer.key_derivations(), 3u);
}

TEST(SigV4SignerTest, CachedKeyGivesTheSameSignatureAsAFreshSigner) {
  SigV4Signer warm("us-east-1", "service");
  ASSERT_TRUE(warm.Sign(VanillaGet(), SuiteCredentials(), SuiteTime()).ok());
  auto again = warm.Sign(VanillaGet(), SuiteCredentials(), SuiteTime());
  SigV4Signer cold("us-east-1", "service");
  auto fresh = cold.Sign(VanillaGet(), SuiteCredentials(), SuiteTime());
  ASSERT_TRUE(again.ok() && fresh.ok());
  EXPECT_EQ(*again, *fresh);
}

TEST(SigV4SignerTest, SignsFromManyThreadsAtOnce) {
  SigV4Signer signer("us-east-1", "service");
  auto expected = signer.Sign(VanillaGet(), SuiteCredentials(), SuiteTime());
  ASSERT_TRUE(expected.ok());
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto headers = signer.Sign(VanillaGet(), SuiteCredentials(), SuiteTime());
        if (!headers.ok() || *headers != *expected) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(SigV4SignerTest, RejectsIncompleteCredentialsWithoutShowingTheSecret) {
  SigV4Signer signer("us-east-1", "service");
  Credentials no_id = SuiteCredentials();
  no_id.access_key_id.clear();
  auto a = signer.Sign(VanillaGet(), no_id, SuiteTime());
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(a.status().message().find(no_id.secret_access_key), std::string::npos);
  Credentials no_secret = SuiteCredentials();
  no_secret.secret_access_key.clear();
  auto b = signer.Sign(VanillaGet(), no_secret, SuiteTime());
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(b.status().message().find("AKIDEXAMPLE"), std::string::npos);
}

TEST(SigV4SignerTest, RejectsARequestWithoutHost) {
  SigV4Signer signer("us-east-1", "service");
  SignableRequest request = VanillaGet();
  request.headers = {{"Content-Type", "application/json"}};
  auto headers = signer.Sign(request, SuiteCredentials(), SuiteTime());
  ASSERT_FALSE(headers.ok());
  EXPECT_EQ(headers.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(headers.status().message().find("Host"), std::string::npos);
}

TEST(SigV4SignerTest, RejectsEmptyMethodRegionAndHeaderName) {
  SigV4Signer signer("us-east-1", "service");
  SignableRequest request = VanillaGet();
  request.method = "";
  EXPECT_EQ(signer.Sign(request, SuiteCredentials(), SuiteTime()).status().code(),
            StatusCode::kInvalidArgument);
  SigV4Signer no_region("", "service");
  EXPECT_EQ(no_region.Sign(VanillaGet(), SuiteCredentials(), SuiteTime()).status().code(),
            StatusCode::kInvalidArgument);
  SigV4Signer slash_region("us-east-1/evil", "service");
  EXPECT_EQ(slash_region.Sign(VanillaGet(), SuiteCredentials(), SuiteTime()).status().code(),
            StatusCode::kInvalidArgument);
  SigV4Signer newline_service("us-east-1", "kinesis\n");
  EXPECT_EQ(newline_service.Sign(VanillaGet(), SuiteCredentials(), SuiteTime()).status().code(),
            StatusCode::kInvalidArgument);
  request = VanillaGet();
  request.headers.emplace_back("", "x");
  EXPECT_EQ(signer.Sign(request, SuiteCredentials(), SuiteTime()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SigV4SignerTest, RejectsBadPathAndQuery) {
  SigV4Signer signer("us-east-1", "service");
  SignableRequest request = VanillaGet();
  request.path = "relative";
  auto bad_path = signer.Sign(request, SuiteCredentials(), SuiteTime());
  EXPECT_EQ(bad_path.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_path.status().message().find("relative"), std::string::npos);
  request = VanillaGet();
  request.query = "a=%zz";
  auto bad_query = signer.Sign(request, SuiteCredentials(), SuiteTime());
  EXPECT_EQ(bad_query.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_query.status().message().find("%zz"), std::string::npos);
}

TEST(SigV4SignerTest, RejectsTimesBefore1970) {
  SigV4Signer signer("us-east-1", "service");
  auto headers = signer.Sign(VanillaGet(), SuiteCredentials(),
                             system_clock::from_time_t(0) - std::chrono::hours(1));
  EXPECT_EQ(headers.status().code(), StatusCode::kOutOfRange);
}

TEST(SigV4SignerTest, ReplacesSignerHeadersTheRequestAlreadyHas) {
  SigV4Signer signer("us-east-1", "service");
  SignableRequest request = VanillaGet();
  request.headers.emplace_back("X-Amz-Date", "19990101T000000Z");
  request.headers.emplace_back("Authorization", "stale");
  request.headers.emplace_back("User-Agent", "kinesis-producer");
  auto parts = signer.SignHeaderParts(request, SuiteCredentials(), SuiteTime());
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->signed_headers, "host;x-amz-date");
  EXPECT_EQ(parts->signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4SignerTest, ContentSha256OptionAddsTheSignedPayloadHash) {
  SigningOptions options;
  options.add_content_sha256_header = true;
  SigV4Signer signer("us-east-1", "service", options);
  auto parts = signer.SignHeaderParts(VanillaGet(), SuiteCredentials(), SuiteTime());
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->signed_headers, "host;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(HeaderValue(parts->headers_to_add, "X-Amz-Content-Sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// A body hash given with the request (computed while the body was written) signs exactly as the
// signer's own hash of the body; the body is then not read (a wrong one shows it).
TEST(SigV4SignerTest, GivenBodyHashSignsAsTheSignersOwn) {
  SigV4Signer signer("us-east-1", "kinesis");
  std::string body(100000, 'x');
  SignableRequest request{"POST", "/", "", {{"Host", "example.amazonaws.com"}}, body};
  auto hashed_here = signer.SignHeaderParts(request, SuiteCredentials(), SuiteTime());
  Result<Sha256::Digest> digest = Sha256::Hash(body);
  ASSERT_TRUE(hashed_here.ok() && digest.ok());
  request.body_sha256 = &*digest;
  auto given = signer.SignHeaderParts(request, SuiteCredentials(), SuiteTime());
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(given->canonical_request, hashed_here->canonical_request);
  EXPECT_EQ(given->signature, hashed_here->signature);
  request.body = "not the body that was hashed";
  auto unread = signer.SignHeaderParts(request, SuiteCredentials(), SuiteTime());
  ASSERT_TRUE(unread.ok());
  EXPECT_EQ(unread->signature, hashed_here->signature);
}

// Pieces of any sizes, on block boundaries and not, give the one-shot digest.
TEST(Sha256StreamTest, PiecesGiveTheOneShotDigest) {
  std::string message;
  for (int i = 0; i < 70000; ++i) message.push_back(static_cast<char>('a' + i * 7 % 26));
  Result<Sha256::Digest> whole = Sha256::Hash(message);
  ASSERT_TRUE(whole.ok());
  for (size_t piece : {1, 63, 64, 65, 1000, 16384, 70000}) {
    Sha256Stream stream;
    for (size_t at = 0; at < message.size(); at += piece) {
      stream.Update(std::string_view(message).substr(at, piece));
    }
    Result<Sha256::Digest> digest = stream.Final();
    ASSERT_TRUE(digest.ok());
    EXPECT_EQ(Sha256::Hex(*digest), Sha256::Hex(*whole)) << "pieces of " << piece;
  }
  Sha256Stream empty;
  Result<Sha256::Digest> nothing = empty.Final();
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(Sha256::Hex(*nothing),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4SignerTest, PresignRejectsExpiryOutsideSevenDays) {
  SigV4Signer signer("us-east-1", "service");
  EXPECT_EQ(signer.Presign(VanillaGet(), SuiteCredentials(), SuiteTime(), std::chrono::seconds(0))
                .status()
                .code(),
            StatusCode::kOutOfRange);
  EXPECT_EQ(
      signer.Presign(VanillaGet(), SuiteCredentials(), SuiteTime(), std::chrono::hours(24 * 7 + 1))
          .status()
          .code(),
      StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace kinesis::auth
