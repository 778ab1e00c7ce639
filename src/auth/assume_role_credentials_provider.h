// AssumeRoleCredentialsProvider: temporary credentials of an IAM role, from STS AssumeRole
// signed (SigV4, service "sts") with the credentials of a source provider: a profile named by
// `source_profile`, a `credential_source`, or (ProducerConfig::role_arn) whatever the default
// chain finds. Every Fetch asks the source again and assumes the role again, so under a
// RefreshingCredentialsProvider the role's credentials are renewed before they expire and a
// rotated source is picked up.
//
//   auto role = std::make_unique<AssumeRoleCredentialsProvider>(
//       AssumeRoleCredentialsProvider::Settings{"arn:aws:iam::123456789012:role/writer"},
//       DefaultCredentialsChain(SystemEnvironment()), DefaultHttpFetcher(), options);
//
// Thread safety: see CredentialsProvider.
#ifndef KINESIS_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_H_
#define KINESIS_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/credentials_provider.h"
#include "auth/http_fetcher.h"

namespace kinesis::auth {

class AssumeRoleCredentialsProvider : public CredentialsProvider {
 public:
  // STS's limits on DurationSeconds (the role's MaxSessionDuration may be lower).
  static constexpr int64_t kMinDurationSeconds = 900;
  static constexpr int64_t kMaxDurationSeconds = 43200;

  struct Settings {
    std::string role_arn;
    std::string external_id;                  // empty: none sent
    std::string session_name;                 // empty: "kinesis-producer-<unix seconds>"
    std::optional<int64_t> duration_seconds;  // nullopt: STS's default (one hour)
  };
  struct Options {
    std::string endpoint;  // the STS endpoint (see StsEndpoint in sts_call.h)
    std::string region;    // of the signature; empty: us-east-1 (the global endpoint's)
    std::chrono::milliseconds timeout{5000};
    std::string origin = "assumed role";  // where the settings come from, for messages
  };

  // kInvalidArgument naming the value and the limit for a role ARN that is not an ARN, a
  // session name or external id outside STS's lengths and characters, or a duration outside
  // 900..43200 seconds; `what` says where the settings came from ("profile 'x'", "RoleArn").
  static Status Validate(const Settings& settings, std::string_view what);
  // Parses a profile's duration_seconds, checked against the limits.
  static Result<int64_t> ParseDuration(std::string_view text, std::string_view what);

  // One AssumeRole call signed with `source`.
  static Result<Credentials> Assume(const Settings& settings, const Credentials& source,
                                    HttpFetcher& http, const Options& options);

  AssumeRoleCredentialsProvider(Settings settings, std::unique_ptr<CredentialsProvider> source,
                                std::shared_ptr<HttpFetcher> http, Options options);

  // Validate's failure; the source's failure (kNotFound becomes kFailedPrecondition: a role needs a
  // source), else what STS answers: see CallSts.
  Result<Credentials> Fetch() override;
  std::string_view name() const override { return "assumed role"; }

 private:
  const Settings settings_;
  const std::unique_ptr<CredentialsProvider> source_;
  const std::shared_ptr<HttpFetcher> http_;
  const Options options_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_ASSUME_ROLE_CREDENTIALS_PROVIDER_H_
