#include "auth/credentials_chain.h"

#include "auth/environment_credentials_provider.h"
#include "auth/profile_credentials_provider.h"
#include "auth/static_credentials_provider.h"
#include "auth/web_identity_credentials_provider.h"

namespace kinesis::auth {

Result<Credentials> CredentialsChain::Fetch() {
  std::string reasons;
  for (const auto& provider : providers_) {
    Result<Credentials> credentials = provider->Fetch();
    if (credentials.ok()) {
      last_source_ = std::string(provider->name());
      return credentials;
    }
    if (credentials.status().code() != StatusCode::kNotFound) {
      return Status(credentials.status().code(), std::string(provider->name()) + " credentials: " +
                                                     credentials.status().message());
    }
    reasons += "; " + std::string(provider->name()) + ": " + credentials.status().message();
  }
  return Status::NotFound("no AWS credentials found" + reasons);
}

std::unique_ptr<CredentialsChain> DefaultCredentialsChain(EnvLookup env,
                                                          DefaultChainOptions options) {
  std::shared_ptr<HttpFetcher> http = options.http ? options.http : DefaultHttpFetcher();
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  if (options.static_credentials.HasKeys()) {
    providers.push_back(std::make_unique<StaticCredentialsProvider>(options.static_credentials));
  }
  providers.push_back(std::make_unique<EnvironmentCredentialsProvider>(env));
  WebIdentityCredentialsProvider::Options sts;
  sts.endpoint = options.sts_endpoint;
  sts.region = options.region;
  providers.push_back(
      std::make_unique<WebIdentityCredentialsProvider>(env, std::nullopt, http, sts));
  ProfileCredentialsProvider::Options profile;
  profile.profile = options.profile;
  profile.sts_endpoint = options.sts_endpoint;
  profile.region = options.region;
  profile.container = options.container;
  profile.imds = options.imds;
  providers.push_back(std::make_unique<ProfileCredentialsProvider>(env, http, profile));
  providers.push_back(std::make_unique<ContainerCredentialsProvider>(env, http, options.container));
  providers.push_back(std::make_unique<ImdsCredentialsProvider>(env, http, options.imds));
  return std::make_unique<CredentialsChain>(std::move(providers));
}

}  // namespace kinesis::auth
