#include "auth/web_identity_credentials_provider.h"

#include "auth/iso8601.h"
#include "auth/read_file.h"
#include "auth/sigv4_canonical.h"
#include "auth/xml_text.h"

namespace kinesis::auth {
namespace {

void AppendFormField(std::string& body, std::string_view name, std::string_view value) {
  if (!body.empty()) body.push_back('&');
  body.append(name).push_back('=');
  sigv4::AppendUriEncoded(value, /*keep_slash=*/false, body);
}

}  // namespace

Result<Credentials> ParseStsCredentials(std::string_view xml) {
  std::optional<std::string_view> block = XmlElement(xml, "Credentials");
  if (!block) return Status::Corruption("STS answer has no <Credentials> element");
  std::optional<std::string> id = XmlElementText(*block, "AccessKeyId");
  std::optional<std::string> secret = XmlElementText(*block, "SecretAccessKey");
  std::optional<std::string> token = XmlElementText(*block, "SessionToken");
  std::optional<std::string> expiration = XmlElementText(*block, "Expiration");
  if (!id || id->empty()) return Status::Corruption("STS answer has no <AccessKeyId>");
  if (!secret || secret->empty()) return Status::Corruption("STS answer has no <SecretAccessKey>");
  if (!token || token->empty()) return Status::Corruption("STS answer has no <SessionToken>");
  if (!expiration) return Status::Corruption("STS answer has no <Expiration>");
  Result<std::chrono::system_clock::time_point> time = ParseIso8601(TrimWhitespace(*expiration));
  if (!time.ok()) {
    return Status::Corruption("STS answer: " + Redact(time.status().message(), {*secret, *token}));
  }
  Credentials credentials;
  credentials.access_key_id = TrimWhitespace(*id);
  credentials.secret_access_key = TrimWhitespace(*secret);
  credentials.session_token = TrimWhitespace(*token);
  credentials.expiration = *time;
  return credentials;
}

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
  if (!options_.endpoint.empty()) return options_.endpoint;
  if (std::optional<std::string> url = NonEmpty(env_, "AWS_ENDPOINT_URL_STS")) return *url;
  if (options_.region.empty()) return "https://sts.amazonaws.com";
  return "https://sts." + options_.region + ".amazonaws.com";
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
  std::string session_name = settings->session_name;
  if (session_name.empty()) {
    session_name = "kinesis-producer-" +
                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
  }
  HttpFetchRequest request;
  request.method = "POST";
  request.url = Endpoint() + "/";
  request.timeout = options_.timeout;
  request.use_proxy = true;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.headers.emplace_back("Accept", "text/xml");
  AppendFormField(request.body, "Action", "AssumeRoleWithWebIdentity");
  AppendFormField(request.body, "Version", "2011-06-15");
  AppendFormField(request.body, "RoleArn", settings->role_arn);
  AppendFormField(request.body, "RoleSessionName", session_name);
  AppendFormField(request.body, "WebIdentityToken", token);
  Result<HttpFetchResponse> response = http_->Send(request);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    std::string code = XmlElementText(response->body, "Code").value_or("no error code");
    std::string message = XmlElementText(response->body, "Message").value_or("");
    std::string text = "STS AssumeRoleWithWebIdentity for role '" + settings->role_arn + "' at " +
                       request.url + " failed with HTTP " + std::to_string(response->status) +
                       ": " + code.substr(0, 128) +
                       (message.empty() ? "" : ": " + message.substr(0, 512));
    text = Redact(std::move(text), {token});
    // Throttling and an unreachable identity provider are worth retrying; the rest is refusal.
    if (response->status >= 500 || response->status == 429 || code == "Throttling" ||
        code == "IDPCommunicationError") {
      return Status::Unavailable(std::move(text));
    }
    return Status::PermissionDenied(std::move(text));
  }
  return ParseStsCredentials(response->body);
}

}  // namespace kinesis::auth
