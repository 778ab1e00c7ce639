// CredentialsChain: tries providers in order; the first that has credentials wins. A provider
// answering kNotFound ("not configured here") passes to the next; any other failure stops the
// chain, as the AWS SDKs do, so a broken configuration is reported instead of silently
// replaced by another identity.
//
// DefaultCredentialsChain builds the usual AWS order: static keys (when given), environment,
// web identity, shared profile files (with credential_process), container, instance metadata.
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_CREDENTIALS_CHAIN_H_
#define KINESIS_AUTH_CREDENTIALS_CHAIN_H_

#include <memory>
#include <vector>

#include "auth/container_credentials_provider.h"
#include "auth/credentials_provider.h"
#include "auth/http_fetcher.h"
#include "auth/imds_credentials_provider.h"

namespace kinesis::auth {

class CredentialsChain : public CredentialsProvider {
 public:
  explicit CredentialsChain(std::vector<std::unique_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}

  // The first provider's credentials; the first failure other than kNotFound; or kNotFound
  // listing why every provider had nothing.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "default chain"; }

  // Which provider gave the last credentials ("" before any).
  const std::string& last_source() const { return last_source_; }

 private:
  std::vector<std::unique_ptr<CredentialsProvider>> providers_;
  std::string last_source_;
};

struct DefaultChainOptions {
  Credentials static_credentials;  // used first when its keys are set
  std::string profile;             // empty: AWS_PROFILE, else "default"
  std::string region;              // for the STS endpoint of web identity
  std::string sts_endpoint;        // empty: AWS_ENDPOINT_URL_STS, else the regional endpoint
  ContainerCredentialsProvider::Options container;
  ImdsCredentialsProvider::Options imds;
  std::shared_ptr<HttpFetcher> http;  // null: DefaultHttpFetcher()
};

std::unique_ptr<CredentialsChain> DefaultCredentialsChain(EnvLookup env,
                                                          DefaultChainOptions options = {});

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_CREDENTIALS_CHAIN_H_
