// ImdsCredentialsProvider: EC2 instance-profile credentials from the instance metadata service,
// IMDSv2 only (a session token first, then the role and its credentials):
//   PUT  /latest/api/token                            X-aws-ec2-metadata-token-ttl-seconds
//   GET  /latest/meta-data/iam/security-credentials/  -> role name
//   GET  /latest/meta-data/iam/security-credentials/<role> -> credentials JSON
// The endpoint is http://169.254.169.254 unless AWS_EC2_METADATA_SERVICE_ENDPOINT (or the
// option) says otherwise; AWS_EC2_METADATA_DISABLED=true turns the provider off.
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_IMDS_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_IMDS_CREDENTIALS_PROVIDER_H_

#include <memory>

#include "auth/credentials_provider.h"
#include "auth/http_fetcher.h"

namespace kinesis::auth {

class ImdsCredentialsProvider : public CredentialsProvider {
 public:
  struct Options {
    // Empty: AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254.
    std::string endpoint;
    std::chrono::milliseconds timeout{1000};
  };
  ImdsCredentialsProvider(EnvLookup env, std::shared_ptr<HttpFetcher> http, Options options);
  explicit ImdsCredentialsProvider(EnvLookup env)
      : ImdsCredentialsProvider(std::move(env), DefaultHttpFetcher(), Options()) {}

  // kNotFound when disabled or when the instance has no role (404); kUnavailable for transport
  // failures and other HTTP errors; kPermissionDenied when the token PUT is refused (403: IMDS
  // turned off for the instance); kCorruption for a malformed answer.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "instance metadata"; }

  // The endpoint the provider talks to (without a trailing slash).
  std::string Endpoint() const;

 private:
  Result<std::string> Get(const std::string& path, const std::string& token) const;

  const EnvLookup env_;
  const std::shared_ptr<HttpFetcher> http_;
  const Options options_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_IMDS_CREDENTIALS_PROVIDER_H_
