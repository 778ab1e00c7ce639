// ContainerCredentialsProvider: ECS task roles and EKS Pod Identity.
//
//   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI  path on http://169.254.170.2 (the host is an option,
//                                           so tests point it at 127.0.0.1)
//   AWS_CONTAINER_CREDENTIALS_FULL_URI      full URL; plain http only to loopback or the ECS/EKS
//                                           link-local addresses, https anywhere
//   AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE  file holding the Authorization header value (read on
//                                           every fetch: EKS rotates it); wins over
//   AWS_CONTAINER_AUTHORIZATION_TOKEN       the header value itself
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_CONTAINER_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_CONTAINER_CREDENTIALS_PROVIDER_H_

#include <memory>

#include "auth/credentials_provider.h"
#include "auth/http_fetcher.h"

namespace kinesis::auth {

class ContainerCredentialsProvider : public CredentialsProvider {
 public:
  struct Options {
    // Where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is resolved.
    std::string relative_uri_host = "http://169.254.170.2";
    std::chrono::milliseconds timeout{2000};
  };
  ContainerCredentialsProvider(EnvLookup env, std::shared_ptr<HttpFetcher> http, Options options);
  explicit ContainerCredentialsProvider(EnvLookup env)
      : ContainerCredentialsProvider(std::move(env), DefaultHttpFetcher(), Options()) {}

  // kNotFound when neither URI variable is set; kInvalidArgument for a refused FULL_URI or a
  // token with a line break; kPermissionDenied for 401/403; kUnavailable for other HTTP errors
  // and transport failures; kCorruption for a malformed answer.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "container"; }

 private:
  Result<std::string> Url() const;
  Result<std::string> AuthorizationToken() const;

  const EnvLookup env_;
  const std::shared_ptr<HttpFetcher> http_;
  const Options options_;
};

// True when plain http to this URL is allowed for container credentials.
bool IsAllowedContainerHttpUrl(std::string_view url);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_CONTAINER_CREDENTIALS_PROVIDER_H_
