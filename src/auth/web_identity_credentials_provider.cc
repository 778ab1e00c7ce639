#include "auth/web_identity_credentials_provider.h"

#include "auth/read_file.h"
#include "auth/sts_call.h"

namespace kinesis::auth {

Result<WebIdentityCredentialsProvider::Settings>
WebIdentityCredentialsProvider::SettingsFromEnvironment(const EnvLookup& env) {
  std::optional<std::string> file = NonEmpty(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
  std::optional<std::string> role = NonEmpty(env, "AWS_ROLE_ARN");
  if (!file || !role) {
    return Status::NotFound("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set");
  }
  return Settings{*file, *role, NonEmpty(env, "AWS_ROLE_SESSION_NAME").value_or("")};
}

WebIdentityCredentialsProvider::WebIdentityCredentialsProvider(EnvLookup env,
                                                               std::optional<Settings> settings,
                                                               std::shared_ptr<HttpFetcher> http,
                                                               Options options)
    : env_(std::move(env)),
      settings_(std::move(settings)),
      http_(std::move(http)),
      options_(std::move(options)) {}

std::string WebIdentityCredentialsProvider::Endpoint() const {
  return StsEndpoint(options_.endpoint, env_, options_.region);
}

Result<Credentials> WebIdentityCredentialsProvider::Fetch() {
  Result<Settings> settings =
      settings_ ? Result<Settings>(*settings_) : SettingsFromEnvironment(env_);
  if (!settings.ok()) return settings.status();
  Result<std::string> token_text = ReadSmallFile(settings->token_file, "web identity token file");
  if (!token_text.ok()) {
    // Configured but missing is a broken setup, not an absent source.
    if (token_text.status().code() == StatusCode::kNotFound) {
      return Status::IoError(token_text.status().message());
    }
    return token_text.status();
  }
  std::string token = TrimWhitespace(*token_text);
  if (token.empty()) {
    return Status::InvalidArgument("web identity token file '" + settings->token_file +
                                   "' is empty");
  }
  const std::string session_name =
      settings->session_name.empty() ? DefaultSessionName() : settings->session_name;
  StsRequest request;
  request.endpoint = Endpoint();
  request.action = "AssumeRoleWithWebIdentity";
  request.role_arn = settings->role_arn;
  request.fields = {{"RoleArn", settings->role_arn},
                    {"RoleSessionName", session_name},
                    {"WebIdentityToken", token}};
  request.timeout = options_.timeout;
  request.secrets = {token};
  return CallSts(*http_, request);
}

}  // namespace kinesis::auth
