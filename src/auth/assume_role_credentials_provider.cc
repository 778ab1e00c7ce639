#include "auth/assume_role_credentials_provider.h"

#include <algorithm>
#include <charconv>

#include "auth/sts_call.h"

namespace kinesis::auth {
namespace {

// STS's pattern [\w+=,.@-]*, and ':' '/' besides for an external id.
bool AllOf(std::string_view text, std::string_view extra) {
  return std::all_of(text.begin(), text.end(), [extra](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_+=,.@-").find(c) != std::string_view::npos ||
           extra.find(c) != std::string_view::npos;
  });
}

Status CheckText(std::string_view text, std::string_view name, std::string_view what, size_t min,
                 size_t max, std::string_view extra) {
  const std::string quoted = "'" + std::string(text) + "'";
  if (text.size() < min || text.size() > max) {
    return Status::InvalidArgument(std::string(what) + ": " + std::string(name) + " " + quoted +
                                   " has " + std::to_string(text.size()) +
                                   " characters; STS takes " + std::to_string(min) + ".." +
                                   std::to_string(max));
  }
  if (!AllOf(text, extra)) {
    return Status::InvalidArgument(std::string(what) + ": " + std::string(name) + " " + quoted +
                                   " has a character outside letters, digits and _+=,.@-" +
                                   std::string(extra));
  }
  return Status::Ok();
}

}  // namespace

Status AssumeRoleCredentialsProvider::Validate(const Settings& settings, std::string_view what) {
  const std::string& arn = settings.role_arn;
  if (arn.rfind("arn:", 0) != 0 || arn.find(":role/") == std::string::npos) {
    return Status::InvalidArgument(std::string(what) + ": role_arn '" + arn +
                                   "' is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
  }
  if (!settings.external_id.empty()) {
    KINESIS_RETURN_IF_ERROR(CheckText(settings.external_id, "external_id", what, 2, 1224, ":/"));
  }
  if (!settings.session_name.empty()) {
    KINESIS_RETURN_IF_ERROR(CheckText(settings.session_name, "role_session_name", what, 2, 64, ""));
  }
  if (settings.duration_seconds && (*settings.duration_seconds < kMinDurationSeconds ||
                                    *settings.duration_seconds > kMaxDurationSeconds)) {
    return Status::InvalidArgument(std::string(what) + ": duration_seconds " +
                                   std::to_string(*settings.duration_seconds) + " is outside " +
                                   std::to_string(kMinDurationSeconds) + ".." +
                                   std::to_string(kMaxDurationSeconds));
  }
  return Status::Ok();
}

Result<int64_t> AssumeRoleCredentialsProvider::ParseDuration(std::string_view text,
                                                             std::string_view what) {
  int64_t seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      seconds < kMinDurationSeconds || seconds > kMaxDurationSeconds) {
    return Status::InvalidArgument(std::string(what) + ": duration_seconds '" + std::string(text) +
                                   "' is not a number of seconds in " +
                                   std::to_string(kMinDurationSeconds) + ".." +
                                   std::to_string(kMaxDurationSeconds));
  }
  return seconds;
}

Result<Credentials> AssumeRoleCredentialsProvider::Assume(const Settings& settings,
                                                          const Credentials& source,
                                                          HttpFetcher& http,
                                                          const Options& options) {
  StsRequest request;
  request.endpoint = options.endpoint;
  request.action = "AssumeRole";
  request.role_arn = settings.role_arn;
  request.fields = {{"RoleArn", settings.role_arn},
                    {"RoleSessionName",
                     settings.session_name.empty() ? DefaultSessionName() : settings.session_name}};
  if (!settings.external_id.empty())
    request.fields.emplace_back("ExternalId", settings.external_id);
  if (settings.duration_seconds) {
    request.fields.emplace_back("DurationSeconds", std::to_string(*settings.duration_seconds));
  }
  request.signing_credentials = &source;
  request.region = options.region;
  request.timeout = options.timeout;
  return CallSts(http, request);
}

AssumeRoleCredentialsProvider::AssumeRoleCredentialsProvider(
    Settings settings, std::unique_ptr<CredentialsProvider> source,
    std::shared_ptr<HttpFetcher> http, Options options)
    : settings_(std::move(settings)),
      source_(std::move(source)),
      http_(std::move(http)),
      options_(std::move(options)) {}

Result<Credentials> AssumeRoleCredentialsProvider::Fetch() {
  KINESIS_RETURN_IF_ERROR(Validate(settings_, options_.origin));
  Result<Credentials> source = source_->Fetch();
  if (!source.ok()) {
    const std::string text = "no source credentials to assume role '" + settings_.role_arn +
                             "' with: " + source.status().message();
    if (source.status().code() == StatusCode::kNotFound) return Status::FailedPrecondition(text);
    return Status(source.status().code(), text);
  }
  return Assume(settings_, *source, *http_, options_);
}

}  // namespace kinesis::auth
