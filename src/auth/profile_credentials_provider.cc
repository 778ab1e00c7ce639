#include "auth/profile_credentials_provider.h"

#include "auth/process_credentials_provider.h"
#include "auth/profile_file.h"
#include "auth/web_identity_credentials_provider.h"

namespace kinesis::auth {

ProfileCredentialsProvider::ProfileCredentialsProvider(EnvLookup env,
                                                       std::shared_ptr<HttpFetcher> http,
                                                       Options options)
    : env_(std::move(env)), http_(std::move(http)), options_(std::move(options)) {}

Result<Credentials> ProfileCredentialsProvider::Fetch() {
  Result<ProfileFile> files = ProfileFile::LoadShared(env_);
  if (!files.ok()) return files.status();
  const std::string profile = options_.profile.empty() ? SelectedProfile(env_) : options_.profile;
  const ProfileFile::Properties* properties = files->Profile(profile);
  if (properties == nullptr) {
    return Status::NotFound("profile '" + profile + "' is not in " + files->sources());
  }
  auto get = [properties](const std::string& key) -> std::string {
    auto it = properties->find(key);
    return it == properties->end() ? "" : it->second;
  };
  const std::string id = get("aws_access_key_id");
  const std::string secret = get("aws_secret_access_key");
  if (!id.empty() && !secret.empty()) {
    Credentials credentials;
    credentials.access_key_id = id;
    credentials.secret_access_key = secret;
    credentials.session_token = get("aws_session_token");
    return credentials;
  }
  if (!id.empty() || !secret.empty()) {
    return Status::InvalidArgument(
        "profile '" + profile + "' in " + files->sources() + " has " +
        (id.empty() ? "aws_secret_access_key without aws_access_key_id"
                    : "aws_access_key_id '" + id + "' without aws_secret_access_key"));
  }
  if (std::string command = get("credential_process"); !command.empty()) {
    return ProcessCredentialsProvider(command, profile, options_.process_timeout).Fetch();
  }
  const std::string role_arn = get("role_arn");
  if (!role_arn.empty() && !get("web_identity_token_file").empty()) {
    WebIdentityCredentialsProvider::Settings settings{get("web_identity_token_file"), role_arn,
                                                      get("role_session_name")};
    WebIdentityCredentialsProvider::Options sts;
    sts.endpoint = options_.sts_endpoint;
    sts.region = options_.region.empty() ? get("region") : options_.region;
    return WebIdentityCredentialsProvider(env_, settings, http_, sts).Fetch();
  }
  if (!role_arn.empty()) {
    return Status::FailedPrecondition(
        "profile '" + profile + "' assumes role '" + role_arn +
        "' through source_profile or credential_source, which this library does not support; "
        "use web_identity_token_file, credential_process or keys");
  }
  return Status::NotFound("profile '" + profile + "' in " + files->sources() +
                          " names no credentials (keys, credential_process or role_arn)");
}

}  // namespace kinesis::auth
