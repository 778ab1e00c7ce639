// ProfileCredentialsProvider: credentials named by a profile of the shared credentials and
// config files (see ProfileFile): static keys (aws_access_key_id, aws_secret_access_key,
// aws_session_token), credential_process, or role_arn with web_identity_token_file. The files
// are read again on every Fetch, so edits are picked up at the next refresh.
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_PROFILE_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_PROFILE_CREDENTIALS_PROVIDER_H_

#include <memory>

#include "auth/credentials_provider.h"
#include "auth/http_fetcher.h"

namespace kinesis::auth {

class ProfileCredentialsProvider : public CredentialsProvider {
 public:
  struct Options {
    std::string profile;  // empty: AWS_PROFILE, else "default"
    std::chrono::milliseconds process_timeout{30000};
    std::string sts_endpoint;  // for role_arn + web_identity_token_file; empty: the default
    std::string region;        // for the STS endpoint
  };
  ProfileCredentialsProvider(EnvLookup env, std::shared_ptr<HttpFetcher> http, Options options);
  explicit ProfileCredentialsProvider(EnvLookup env)
      : ProfileCredentialsProvider(std::move(env), DefaultHttpFetcher(), Options()) {}

  // kNotFound when no file exists, the profile is in neither file, or it names no credentials;
  // kInvalidArgument for half a key pair; kFailedPrecondition for role_arn with source_profile
  // or credential_source (AssumeRole chains are not supported); kIoError / kCorruption for
  // unreadable or malformed files; whatever credential_process or STS fail with.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "profile"; }

 private:
  const EnvLookup env_;
  const std::shared_ptr<HttpFetcher> http_;
  const Options options_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_PROFILE_CREDENTIALS_PROVIDER_H_
