// WebIdentityCredentialsProvider: exchanges an OIDC token (EKS IRSA, GitHub Actions...) for
// temporary credentials with STS AssumeRoleWithWebIdentity (query API, XML answer).
//
//   AWS_WEB_IDENTITY_TOKEN_FILE  the token file, read again on every fetch (it is rotated)
//   AWS_ROLE_ARN                 the role to assume
//   AWS_ROLE_SESSION_NAME        optional; "kinesis-producer-<unix seconds>" by default
//   AWS_ENDPOINT_URL_STS         optional STS endpoint (the option wins over it)
// The same settings can come from a profile (role_arn, web_identity_token_file,
// role_session_name): pass them in Settings.
//
// The call is unsigned (the token is the proof); the token goes in a POST body, never in a URL.
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_H_

#include <memory>

#include "auth/credentials_provider.h"
#include "auth/http_fetcher.h"
#include "auth/sts_call.h"  // ParseStsCredentials

namespace kinesis::auth {

class WebIdentityCredentialsProvider : public CredentialsProvider {
 public:
  struct Settings {
    std::string token_file;
    std::string role_arn;
    std::string session_name;  // empty: generated
  };
  struct Options {
    // Empty: AWS_ENDPOINT_URL_STS, else https://sts.<region>.amazonaws.com (or the global
    // https://sts.amazonaws.com without a region).
    std::string endpoint;
    std::string region;
    std::chrono::milliseconds timeout{5000};
  };

  // Settings from the environment; kNotFound when AWS_WEB_IDENTITY_TOKEN_FILE or AWS_ROLE_ARN
  // is missing (both are needed).
  static Result<Settings> SettingsFromEnvironment(const EnvLookup& env);

  // With settings == nullopt the provider reads the environment on every Fetch.
  WebIdentityCredentialsProvider(EnvLookup env, std::optional<Settings> settings,
                                 std::shared_ptr<HttpFetcher> http, Options options);

  // kNotFound when not configured; kIoError for an unreadable token file; kPermissionDenied
  // when STS refuses (4xx: its error code and message are kept, the token never);
  // kUnavailable for 5xx and transport failures; kCorruption for a malformed answer.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "web identity"; }

  std::string Endpoint() const;

 private:
  const EnvLookup env_;
  const std::optional<Settings> settings_;
  const std::shared_ptr<HttpFetcher> http_;
  const Options options_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_WEB_IDENTITY_CREDENTIALS_PROVIDER_H_
