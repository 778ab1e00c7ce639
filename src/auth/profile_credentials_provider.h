// ProfileCredentialsProvider: credentials named by a profile of the shared credentials and
// config files (see ProfileFile): static keys (aws_access_key_id, aws_secret_access_key,
// aws_session_token), credential_process, role_arn with web_identity_token_file, or an assumed
// role (STS AssumeRole, see AssumeRoleCredentialsProvider):
//
//   [profile writer]                          [profile ops]
//   role_arn = arn:aws:iam::1:role/writer     role_arn = arn:aws:iam::2:role/ops
//   source_profile = base                     credential_source = Environment
//   external_id = shared-secret-id            duration_seconds = 3600
//   role_session_name = ingest-01
//
// source_profile may itself assume a role (chained roles; a cycle is refused); a source
// profile's own keys are used as they are. credential_source is Environment,
// Ec2InstanceMetadata (refused when AWS_EC2_METADATA_DISABLED is true) or EcsContainer.
// A profile that assumes a role does so even when it has keys of its own. The files are read
// again on every Fetch, so edits are picked up at the next refresh.
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_PROFILE_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_PROFILE_CREDENTIALS_PROVIDER_H_

#include <memory>
#include <string>
#include <vector>

#include "auth/container_credentials_provider.h"
#include "auth/credentials_provider.h"
#include "auth/http_fetcher.h"
#include "auth/imds_credentials_provider.h"

namespace kinesis::auth {

class ProfileFile;

class ProfileCredentialsProvider : public CredentialsProvider {
 public:
  struct Options {
    std::string profile;  // empty: AWS_PROFILE, else "default"
    std::chrono::milliseconds process_timeout{30000};
    std::string sts_endpoint;  // for role_arn; empty: AWS_ENDPOINT_URL_STS, else regional
    std::string region;        // for the STS endpoint and signature; empty: the profile's
    ContainerCredentialsProvider::Options container;  // credential_source = EcsContainer
    ImdsCredentialsProvider::Options imds;            // credential_source = Ec2InstanceMetadata
  };
  ProfileCredentialsProvider(EnvLookup env, std::shared_ptr<HttpFetcher> http, Options options);
  explicit ProfileCredentialsProvider(EnvLookup env)
      : ProfileCredentialsProvider(std::move(env), DefaultHttpFetcher(), Options()) {}

  // kNotFound when no file exists, the profile is in neither file, or it names no credentials;
  // kInvalidArgument for half a key pair, a role_arn without a source, a missing source
  // profile, a cycle of source profiles, an unknown credential_source, or a role setting out
  // of STS's limits (duration_seconds 900..43200), each naming the value and the limit;
  // kFailedPrecondition for a credential_source without credentials; kIoError / kCorruption
  // for unreadable or malformed files; whatever credential_process or STS fail with.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "profile"; }

 private:
  // `chain`: the profiles whose roles are being assumed with this one's credentials.
  Result<Credentials> FetchProfile(const ProfileFile& files, const std::string& profile,
                                   std::vector<std::string>& chain);
  Result<Credentials> AssumeRole(const ProfileFile& files, const std::string& profile,
                                 std::vector<std::string>& chain);
  Result<Credentials> FetchCredentialSource(const std::string& source, const std::string& what);

  const EnvLookup env_;
  const std::shared_ptr<HttpFetcher> http_;
  const Options options_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_PROFILE_CREDENTIALS_PROVIDER_H_
