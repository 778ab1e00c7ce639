#include "auth/profile_credentials_provider.h"

#include <algorithm>

#include "auth/assume_role_credentials_provider.h"
#include "auth/environment_credentials_provider.h"
#include "auth/process_credentials_provider.h"
#include "auth/profile_file.h"
#include "auth/sts_call.h"
#include "auth/web_identity_credentials_provider.h"

namespace kinesis::auth {
namespace {

std::string Joined(const std::vector<std::string>& names, const std::string& last) {
  std::string text;
  for (const std::string& name : names) text += "'" + name + "' -> ";
  return text + "'" + last + "'";
}

}  // namespace

ProfileCredentialsProvider::ProfileCredentialsProvider(EnvLookup env,
                                                       std::shared_ptr<HttpFetcher> http,
                                                       Options options)
    : env_(std::move(env)), http_(std::move(http)), options_(std::move(options)) {}

Result<Credentials> ProfileCredentialsProvider::Fetch() {
  Result<ProfileFile> files = ProfileFile::LoadShared(env_);
  if (!files.ok()) return files.status();
  const std::string profile = options_.profile.empty() ? SelectedProfile(env_) : options_.profile;
  if (files->Profile(profile) == nullptr) {
    return Status::NotFound("profile '" + profile + "' is not in " + files->sources());
  }
  std::vector<std::string> chain;
  return FetchProfile(*files, profile, chain);
}

Result<Credentials> ProfileCredentialsProvider::FetchProfile(const ProfileFile& files,
                                                             const std::string& profile,
                                                             std::vector<std::string>& chain) {
  const ProfileFile::Properties* properties = files.Profile(profile);
  auto get = [properties](const std::string& key) -> std::string {
    auto it = properties->find(key);
    return it == properties->end() ? "" : it->second;
  };
  const std::string id = get("aws_access_key_id");
  const std::string secret = get("aws_secret_access_key");
  const std::string role_arn = get("role_arn");
  const bool assumes_role =
      !role_arn.empty() && (!get("source_profile").empty() || !get("credential_source").empty());
  // A role is assumed even when the profile has keys (they may be its own source_profile),
  // except in a profile used as a source, whose keys are the source (as the AWS CLI does).
  if (!id.empty() && !secret.empty() && (!assumes_role || !chain.empty())) {
    Credentials credentials;
    credentials.access_key_id = id;
    credentials.secret_access_key = secret;
    credentials.session_token = get("aws_session_token");
    return credentials;
  }
  if (assumes_role) return AssumeRole(files, profile, chain);
  if (!id.empty() || !secret.empty()) {
    return Status::InvalidArgument(
        "profile '" + profile + "' in " + files.sources() + " has " +
        (id.empty() ? "aws_secret_access_key without aws_access_key_id"
                    : "aws_access_key_id '" + id + "' without aws_secret_access_key"));
  }
  if (std::string command = get("credential_process"); !command.empty()) {
    return ProcessCredentialsProvider(command, profile, options_.process_timeout).Fetch();
  }
  if (!role_arn.empty() && !get("web_identity_token_file").empty()) {
    WebIdentityCredentialsProvider::Settings settings{get("web_identity_token_file"), role_arn,
                                                      get("role_session_name")};
    WebIdentityCredentialsProvider::Options sts;
    sts.endpoint = options_.sts_endpoint;
    sts.region = options_.region.empty() ? get("region") : options_.region;
    return WebIdentityCredentialsProvider(env_, settings, http_, sts).Fetch();
  }
  if (!role_arn.empty()) {
    return Status::InvalidArgument("profile '" + profile + "' in " + files.sources() +
                                   " has role_arn '" + role_arn +
                                   "' without source_profile, credential_source or "
                                   "web_identity_token_file");
  }
  return Status::NotFound("profile '" + profile + "' in " + files.sources() +
                          " names no credentials (keys, credential_process or role_arn)");
}

Result<Credentials> ProfileCredentialsProvider::AssumeRole(const ProfileFile& files,
                                                           const std::string& profile,
                                                           std::vector<std::string>& chain) {
  auto get = [&](const std::string& key) { return files.Get(profile, key).value_or(""); };
  const std::string what = "profile '" + profile + "' in " + files.sources();
  AssumeRoleCredentialsProvider::Settings settings;
  settings.role_arn = get("role_arn");
  settings.external_id = get("external_id");
  settings.session_name = get("role_session_name");
  if (std::string duration = get("duration_seconds"); !duration.empty()) {
    Result<int64_t> seconds = AssumeRoleCredentialsProvider::ParseDuration(duration, what);
    if (!seconds.ok()) return seconds.status();
    settings.duration_seconds = *seconds;
  }
  KINESIS_RETURN_IF_ERROR(AssumeRoleCredentialsProvider::Validate(settings, what));
  const std::string source_profile = get("source_profile");
  const std::string credential_source = get("credential_source");
  if (!source_profile.empty() && !credential_source.empty()) {
    return Status::InvalidArgument(what + " has both source_profile '" + source_profile +
                                   "' and credential_source '" + credential_source + "'; give one");
  }
  Result<Credentials> source = Status::NotFound("");
  if (!source_profile.empty()) {
    if (files.Profile(source_profile) == nullptr) {
      return Status::InvalidArgument(what + " names source_profile '" + source_profile +
                                     "', which is in neither file");
    }
    chain.push_back(profile);
    const bool has_keys = files.Get(source_profile, "aws_access_key_id").has_value() &&
                          files.Get(source_profile, "aws_secret_access_key").has_value();
    if (!has_keys && std::find(chain.begin(), chain.end(), source_profile) != chain.end()) {
      return Status::InvalidArgument(
          "profiles assume roles in a cycle: " + Joined(chain, source_profile) + " (in " +
          files.sources() + ")");
    }
    source = FetchProfile(files, source_profile, chain);
    chain.pop_back();
    if (!source.ok() && source.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument(what + ": source_profile '" + source_profile +
                                     "' names no credentials");
    }
  } else {
    source = FetchCredentialSource(credential_source, what);
  }
  if (!source.ok()) return source.status();
  AssumeRoleCredentialsProvider::Options sts;
  sts.region = options_.region.empty() ? get("region") : options_.region;
  sts.endpoint = StsEndpoint(options_.sts_endpoint, env_, sts.region);
  return AssumeRoleCredentialsProvider::Assume(settings, *source, *http_, sts);
}

Result<Credentials> ProfileCredentialsProvider::FetchCredentialSource(const std::string& source,
                                                                      const std::string& what) {
  Result<Credentials> credentials = Status::NotFound("");
  if (source == "Environment") {
    credentials = EnvironmentCredentialsProvider(env_).Fetch();
  } else if (source == "Ec2InstanceMetadata") {
    if (EnvIsTrue(env_, "AWS_EC2_METADATA_DISABLED")) {
      return Status::FailedPrecondition(
          what +
          " has credential_source Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED is "
          "true");
    }
    credentials = ImdsCredentialsProvider(env_, http_, options_.imds).Fetch();
  } else if (source == "EcsContainer") {
    credentials = ContainerCredentialsProvider(env_, http_, options_.container).Fetch();
  } else {
    return Status::InvalidArgument(what + " has credential_source '" + source +
                                   "'; known: Environment, Ec2InstanceMetadata, EcsContainer");
  }
  if (!credentials.ok() && credentials.status().code() == StatusCode::kNotFound) {
    return Status::FailedPrecondition(what + ": credential_source " + source +
                                      " has no credentials: " + credentials.status().message());
  }
  return credentials;
}

}  // namespace kinesis::auth
