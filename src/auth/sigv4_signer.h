// SigV4Signer: AWS Signature Version 4 for one region and service (header signing, and query
// "presigning" for completeness).
//
// Example:
//   SigV4Signer signer("us-east-1", "kinesis");
//   SignableRequest request{"POST", "/", "", {{"Host", host}, {"Content-Type", type}}, body};
//   auto headers = signer.Sign(request, credentials, std::chrono::system_clock::now());
//   if (!headers.ok()) ...;  // add *headers to the request as they are
//
// The signing key (four chained HMACs) is derived once per (date, secret) and cached, since the
// region and service are fixed per signer; the cost of a signature is then one SHA-256 of the
// body, one of the canonical request and one HMAC.
//
// Thread safety: every method is const and may be called from any number of threads at once.
#ifndef KINESIS_AUTH_SIGV4_SIGNER_H_
#define KINESIS_AUTH_SIGV4_SIGNER_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "auth/sha256.h"
#include "kinesis/status.h"

namespace kinesis::auth {

// What the signer reads. Views and headers must stay valid for the call only.
struct SignableRequest {
  std::string_view method;  // "POST"
  std::string_view path;    // "/" (raw, unencoded path as sent)
  std::string_view query;   // raw query string without '?', may be empty
  std::vector<std::pair<std::string, std::string>> headers;  // must include Host
  std::string_view body;
  // The body's SHA-256 when the caller computed it while writing the body (Sha256Stream), so
  // that the signer need not read the body again; null: the signer hashes `body`.
  const Sha256::Digest* body_sha256 = nullptr;
};

struct SigningOptions {
  // Remove "." and ".." segments and repeated slashes from the path before signing. Every service
  // but S3 wants this; Kinesis always signs "/".
  bool normalize_path = true;
  // Add (and sign) X-Amz-Content-Sha256 with the payload hash, as S3-style services require.
  bool add_content_sha256_header = false;
  // Sign X-Amz-Security-Token. A few services want the token added after signing; with false the
  // token is still returned, but not signed.
  bool sign_session_token = true;
};

class SigV4Signer {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  SigV4Signer(std::string region, std::string service, SigningOptions options = {});
  ~SigV4Signer();  // wipes the cached signing keys
  SigV4Signer(const SigV4Signer&) = delete;
  SigV4Signer& operator=(const SigV4Signer&) = delete;

  // Returns the headers to add to the request: Authorization, X-Amz-Date, and
  // X-Amz-Security-Token when the credentials have a session token (also included in the signed
  // headers), and X-Amz-Content-Sha256 when the options ask for it. Request headers with the same
  // names (and a few hop-by-hop ones, see sigv4::IsUnsignedHeader) are not signed: replace them.
  // Fails with kPermissionDenied when the key pair is incomplete, kInvalidArgument for a request
  // that cannot be signed (no Host, bad path or query escape), kOutOfRange for a time before 1970
  // or after 9999.
  Result<Headers> Sign(const SignableRequest& request, const Credentials& credentials,
                       std::chrono::system_clock::time_point now) const;

  // Query signing ("presigned URL"): returns the query string (without '?') to send in place of
  // request.query, carrying X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, the
  // session token and X-Amz-Signature. Same failures as Sign, plus kOutOfRange for `expires`
  // outside 1 s .. 7 days.
  Result<std::string> Presign(const SignableRequest& request, const Credentials& credentials,
                              std::chrono::system_clock::time_point now,
                              std::chrono::seconds expires) const;

  // Every intermediate value of one signature, for the test suite and for debugging signature
  // mismatches (none of these contains the secret key).
  struct Parts {
    std::string amz_date;          // 20150830T123600Z
    std::string credential_scope;  // 20150830/us-east-1/service/aws4_request
    std::string canonical_request;
    std::string signed_headers;  // host;x-amz-date
    std::string string_to_sign;
    std::string signature;        // lower-case hex
    Headers headers_to_add;       // what Sign returns (header signing only)
    std::string presigned_query;  // what Presign returns (query signing only)
  };
  Result<Parts> SignHeaderParts(const SignableRequest& request, const Credentials& credentials,
                                std::chrono::system_clock::time_point now) const;
  Result<Parts> PresignParts(const SignableRequest& request, const Credentials& credentials,
                             std::chrono::system_clock::time_point now,
                             std::chrono::seconds expires) const;

  // The three lower-level steps, as the SigV4 test suite names them (header signing).
  Result<std::string> CanonicalRequest(const SignableRequest& request,
                                       const Credentials& credentials,
                                       std::chrono::system_clock::time_point now) const;
  Result<std::string> StringToSign(std::string_view canonical_request,
                                   std::chrono::system_clock::time_point now) const;
  Result<std::string> Signature(std::string_view string_to_sign, const Credentials& credentials,
                                std::chrono::system_clock::time_point now) const;

  const std::string& region() const { return region_; }
  const std::string& service() const { return service_; }

  // How many times a signing key was derived (not served from the cache); for tests.
  uint64_t key_derivations() const;

 private:
  using Key = std::array<uint8_t, 32>;
  enum class Mode { kHeader, kQuery };

  Result<Parts> Compute(const SignableRequest& request, const Credentials& credentials,
                        std::chrono::system_clock::time_point now, Mode mode,
                        std::chrono::seconds expires) const;
  Result<std::string> StringToSignFor(std::string_view canonical_request, std::string_view amz_date,
                                      std::string_view scope) const;
  Result<std::string> SignatureFor(std::string_view string_to_sign, std::string_view secret,
                                   std::string_view date) const;
  Result<Key> SigningKey(std::string_view secret, std::string_view date) const;

  const std::string region_;
  const std::string service_;
  const SigningOptions options_;

  // Two entries so that a credential rotation (old and new secret in flight at once) or the
  // change of day does not make every request derive a key.
  struct CachedKey {
    std::string date;    // yyyymmdd
    std::string secret;  // compared, never shown
    Key key{};
  };
  mutable std::mutex mu_;
  mutable std::array<CachedKey, 2> cache_;  // guarded by mu_; cache_[0] is the newest
  mutable uint64_t derivations_ = 0;        // guarded by mu_
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_SIGV4_SIGNER_H_
