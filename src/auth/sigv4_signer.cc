#include "auth/sigv4_signer.h"

#include <openssl/crypto.h>

#include "auth/region.h"
#include "auth/sha256.h"
#include "auth/sigv4_canonical.h"

namespace kinesis::auth {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::chrono::seconds kMaxPresignExpiry = std::chrono::hours(24 * 7);

// "yyyymmddThhmmssZ" in UTC. Written by hand: gmtime_r + strftime cost more than the rest of
// signing a small request's headers.
Result<std::string> FormatAmzDate(std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  const auto seconds = floor<std::chrono::seconds>(now);
  const auto day = floor<days>(seconds);
  const year_month_day date(day);
  const int year = static_cast<int>(date.year());
  if (seconds.time_since_epoch().count() < 0 || year > 9999) {
    return Status::OutOfRange("signing time " + std::to_string(seconds.time_since_epoch().count()) +
                              " s since 1970 is outside the years 1970..9999");
  }
  const hh_mm_ss<std::chrono::seconds> time(seconds - day);
  std::string text(16, '0');
  auto put = [&text](size_t at, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      text[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<unsigned>(year), 4);
  put(4, static_cast<unsigned>(date.month()), 2);
  put(6, static_cast<unsigned>(date.day()), 2);
  text[8] = 'T';
  put(9, static_cast<unsigned>(time.hours().count()), 2);
  put(11, static_cast<unsigned>(time.minutes().count()), 2);
  put(13, static_cast<unsigned>(time.seconds().count()), 2);
  text[15] = 'Z';
  return text;
}

Status CheckCredentials(const Credentials& credentials) {
  if (credentials.access_key_id.empty()) {
    return Status::PermissionDenied("cannot sign: the credentials have no access key id");
  }
  if (credentials.secret_access_key.empty()) {
    return Status::PermissionDenied("cannot sign: the credentials for access key id '" +
                                    credentials.access_key_id + "' have no secret access key");
  }
  return Status::Ok();
}

}  // namespace

SigV4Signer::SigV4Signer(std::string region, std::string service, SigningOptions options)
    : region_(std::move(region)), service_(std::move(service)), options_(options) {}

SigV4Signer::~SigV4Signer() {
  for (CachedKey& entry : cache_) {
    OPENSSL_cleanse(entry.key.data(), entry.key.size());
    if (!entry.secret.empty()) OPENSSL_cleanse(entry.secret.data(), entry.secret.size());
  }
}

Result<SigV4Signer::Headers> SigV4Signer::Sign(const SignableRequest& request,
                                               const Credentials& credentials,
                                               std::chrono::system_clock::time_point now) const {
  Result<Parts> parts = Compute(request, credentials, now, Mode::kHeader, {});
  if (!parts.ok()) return parts.status();
  return std::move(parts->headers_to_add);
}

Result<std::string> SigV4Signer::Presign(const SignableRequest& request,
                                         const Credentials& credentials,
                                         std::chrono::system_clock::time_point now,
                                         std::chrono::seconds expires) const {
  Result<Parts> parts = PresignParts(request, credentials, now, expires);
  if (!parts.ok()) return parts.status();
  return std::move(parts->presigned_query);
}

Result<SigV4Signer::Parts> SigV4Signer::SignHeaderParts(
    const SignableRequest& request, const Credentials& credentials,
    std::chrono::system_clock::time_point now) const {
  return Compute(request, credentials, now, Mode::kHeader, {});
}

Result<SigV4Signer::Parts> SigV4Signer::PresignParts(const SignableRequest& request,
                                                     const Credentials& credentials,
                                                     std::chrono::system_clock::time_point now,
                                                     std::chrono::seconds expires) const {
  if (expires < std::chrono::seconds(1) || expires > kMaxPresignExpiry) {
    return Status::OutOfRange("presign expiry " + std::to_string(expires.count()) +
                              " s is outside 1.." + std::to_string(kMaxPresignExpiry.count()) +
                              " s");
  }
  return Compute(request, credentials, now, Mode::kQuery, expires);
}

Result<std::string> SigV4Signer::CanonicalRequest(const SignableRequest& request,
                                                  const Credentials& credentials,
                                                  std::chrono::system_clock::time_point now) const {
  Result<Parts> parts = Compute(request, credentials, now, Mode::kHeader, {});
  if (!parts.ok()) return parts.status();
  return std::move(parts->canonical_request);
}

Result<std::string> SigV4Signer::StringToSign(std::string_view canonical_request,
                                              std::chrono::system_clock::time_point now) const {
  Result<std::string> amz_date = FormatAmzDate(now);
  if (!amz_date.ok()) return amz_date.status();
  std::string scope = amz_date->substr(0, 8) + "/" + region_ + "/" + service_ + "/aws4_request";
  return StringToSignFor(canonical_request, *amz_date, scope);
}

Result<std::string> SigV4Signer::Signature(std::string_view string_to_sign,
                                           const Credentials& credentials,
                                           std::chrono::system_clock::time_point now) const {
  KINESIS_RETURN_IF_ERROR(CheckCredentials(credentials));
  Result<std::string> amz_date = FormatAmzDate(now);
  if (!amz_date.ok()) return amz_date.status();
  return SignatureFor(string_to_sign, credentials.secret_access_key,
                      std::string_view(*amz_date).substr(0, 8));
}

Result<SigV4Signer::Parts> SigV4Signer::Compute(const SignableRequest& request,
                                                const Credentials& credentials,
                                                std::chrono::system_clock::time_point now,
                                                Mode mode, std::chrono::seconds expires) const {
  KINESIS_RETURN_IF_ERROR(CheckCredentials(credentials));
  // Both go into the credential scope, where a '/' or a line break would change its meaning.
  if (!IsValidRegionName(region_) || !IsValidRegionName(service_)) {
    return Status::InvalidArgument("cannot sign: region '" + region_ + "' and service '" +
                                   service_ +
                                   "' must both be non-empty lower-case letters, digits and '-'");
  }
  if (request.method.empty()) return Status::InvalidArgument("cannot sign: empty HTTP method");
  Parts parts;
  Result<std::string> amz_date = FormatAmzDate(now);
  if (!amz_date.ok()) return amz_date.status();
  parts.amz_date = std::move(*amz_date);
  std::string_view date = std::string_view(parts.amz_date).substr(0, 8);
  parts.credential_scope = std::string(date) + "/" + region_ + "/" + service_ + "/aws4_request";

  // The body hash is the whole cost of signing a large request.
  std::string payload_hash;
  if (request.body_sha256 != nullptr) {
    payload_hash = Sha256::Hex(*request.body_sha256);
  } else {
    Result<Sha256::Digest> body_hash = Sha256::Hash(request.body);
    if (!body_hash.ok()) return body_hash.status();
    payload_hash = Sha256::Hex(*body_hash);
  }

  const bool has_token = !credentials.session_token.empty();
  const bool sign_token = has_token && options_.sign_session_token;
  sigv4::HeaderViewList own_headers;
  if (mode == Mode::kHeader) {
    own_headers.emplace_back("X-Amz-Date", parts.amz_date);
    if (sign_token) own_headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
    if (options_.add_content_sha256_header) {
      own_headers.emplace_back("X-Amz-Content-Sha256", payload_hash);
    }
  }
  Result<sigv4::CanonicalHeaders> headers =
      sigv4::BuildCanonicalHeaders(request.headers, own_headers);
  if (!headers.ok()) return headers.status();
  parts.signed_headers = headers->signed_names;

  Result<std::string> uri = sigv4::CanonicalUri(request.path, options_.normalize_path);
  if (!uri.ok()) return uri.status();
  Result<std::vector<sigv4::EncodedParam>> params = sigv4::ParseQuery(request.query);
  if (!params.ok()) return params.status();
  auto add_param = [&params](std::string_view key, std::string_view value) {
    sigv4::EncodedParam param;
    sigv4::AppendUriEncoded(key, false, param.key);
    sigv4::AppendUriEncoded(value, false, param.value);
    params->push_back(std::move(param));
  };
  if (mode == Mode::kQuery) {
    add_param("X-Amz-Algorithm", kAlgorithm);
    add_param("X-Amz-Credential", credentials.access_key_id + "/" + parts.credential_scope);
    add_param("X-Amz-Date", parts.amz_date);
    add_param("X-Amz-Expires", std::to_string(expires.count()));
    add_param("X-Amz-SignedHeaders", parts.signed_headers);
    if (sign_token) add_param("X-Amz-Security-Token", credentials.session_token);
  }
  std::string canonical_query = sigv4::JoinCanonicalQuery(std::move(*params));

  std::string& canonical = parts.canonical_request;
  canonical.reserve(request.method.size() + uri->size() + canonical_query.size() +
                    headers->lines.size() + parts.signed_headers.size() + 72);
  canonical.append(request.method).push_back('\n');
  canonical.append(*uri).push_back('\n');
  canonical.append(canonical_query).push_back('\n');
  canonical.append(headers->lines).push_back('\n');
  canonical.append(parts.signed_headers).push_back('\n');
  canonical.append(payload_hash);

  Result<std::string> string_to_sign =
      StringToSignFor(canonical, parts.amz_date, parts.credential_scope);
  if (!string_to_sign.ok()) return string_to_sign.status();
  parts.string_to_sign = std::move(*string_to_sign);
  Result<std::string> signature =
      SignatureFor(parts.string_to_sign, credentials.secret_access_key, date);
  if (!signature.ok()) return signature.status();
  parts.signature = std::move(*signature);

  if (mode == Mode::kHeader) {
    std::string authorization;
    authorization.reserve(160 + parts.signed_headers.size());
    authorization.append(kAlgorithm)
        .append(" Credential=")
        .append(credentials.access_key_id)
        .append("/")
        .append(parts.credential_scope)
        .append(", SignedHeaders=")
        .append(parts.signed_headers)
        .append(", Signature=")
        .append(parts.signature);
    parts.headers_to_add.emplace_back("Authorization", std::move(authorization));
    parts.headers_to_add.emplace_back("X-Amz-Date", parts.amz_date);
    if (has_token) {
      parts.headers_to_add.emplace_back("X-Amz-Security-Token", credentials.session_token);
    }
    if (options_.add_content_sha256_header) {
      parts.headers_to_add.emplace_back("X-Amz-Content-Sha256", std::move(payload_hash));
    }
  } else {
    parts.presigned_query = std::move(canonical_query);
    if (has_token && !sign_token) {
      parts.presigned_query += "&X-Amz-Security-Token=";
      sigv4::AppendUriEncoded(credentials.session_token, false, parts.presigned_query);
    }
    parts.presigned_query += "&X-Amz-Signature=" + parts.signature;
  }
  return parts;
}

Result<std::string> SigV4Signer::StringToSignFor(std::string_view canonical_request,
                                                 std::string_view amz_date,
                                                 std::string_view scope) const {
  Result<Sha256::Digest> hash = Sha256::Hash(canonical_request);
  if (!hash.ok()) return hash.status();
  std::string out;
  out.reserve(kAlgorithm.size() + amz_date.size() + scope.size() + 3 + 64);
  out.append(kAlgorithm).push_back('\n');
  out.append(amz_date).push_back('\n');
  out.append(scope).push_back('\n');
  Sha256::AppendHex(*hash, out);
  return out;
}

Result<std::string> SigV4Signer::SignatureFor(std::string_view string_to_sign,
                                              std::string_view secret,
                                              std::string_view date) const {
  Result<Key> key = SigningKey(secret, date);
  if (!key.ok()) return key.status();
  Result<Sha256::Digest> signature = Sha256::Hmac(Sha256::AsView(*key), string_to_sign);
  OPENSSL_cleanse(key->data(), key->size());
  if (!signature.ok()) return signature.status();
  return Sha256::Hex(*signature);
}

Result<SigV4Signer::Key> SigV4Signer::SigningKey(std::string_view secret,
                                                 std::string_view date) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < cache_.size(); ++i) {
      if (cache_[i].date == date && cache_[i].secret == secret) {
        if (i != 0) std::swap(cache_[0], cache_[i]);
        return cache_[0].key;
      }
    }
  }
  // Derived outside the lock: two threads may both derive the same key once; that is cheaper
  // than making every signer wait behind one derivation.
  std::string seed = "AWS4";
  seed.append(secret);
  Result<Sha256::Digest> k_date = Sha256::Hmac(seed, date);
  OPENSSL_cleanse(seed.data(), seed.size());
  if (!k_date.ok()) return k_date.status();
  Result<Sha256::Digest> k_region = Sha256::Hmac(Sha256::AsView(*k_date), region_);
  if (!k_region.ok()) return k_region.status();
  Result<Sha256::Digest> k_service = Sha256::Hmac(Sha256::AsView(*k_region), service_);
  if (!k_service.ok()) return k_service.status();
  Result<Sha256::Digest> k_signing = Sha256::Hmac(Sha256::AsView(*k_service), "aws4_request");
  if (!k_signing.ok()) return k_signing.status();

  std::lock_guard<std::mutex> lock(mu_);
  ++derivations_;
  CachedKey& oldest = cache_.back();
  if (!oldest.secret.empty()) OPENSSL_cleanse(oldest.secret.data(), oldest.secret.size());
  oldest.date.assign(date);
  oldest.secret.assign(secret);
  oldest.key = *k_signing;
  std::swap(cache_[0], cache_.back());
  return *k_signing;
}

uint64_t SigV4Signer::key_derivations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return derivations_;
}

}  // namespace kinesis::auth
