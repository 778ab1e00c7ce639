#include "auth/imds_credentials_provider.h"

#include "auth/credentials_document.h"

namespace kinesis::auth {
namespace {

constexpr std::string_view kCredentialsPath = "/latest/meta-data/iam/security-credentials/";
constexpr std::string_view kTokenTtlSeconds = "21600";

}  // namespace

ImdsCredentialsProvider::ImdsCredentialsProvider(EnvLookup env, std::shared_ptr<HttpFetcher> http,
                                                 Options options)
    : env_(std::move(env)), http_(std::move(http)), options_(std::move(options)) {}

std::string ImdsCredentialsProvider::Endpoint() const {
  std::string endpoint = options_.endpoint;
  if (endpoint.empty()) {
    endpoint =
        NonEmpty(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("http://169.254.169.254");
  }
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  return endpoint;
}

Result<std::string> ImdsCredentialsProvider::Get(const std::string& path,
                                                 const std::string& token) const {
  HttpFetchRequest request;
  request.url = Endpoint() + path;
  request.timeout = options_.timeout;
  request.headers.emplace_back("X-aws-ec2-metadata-token", token);
  Result<HttpFetchResponse> response = http_->Send(request);
  if (!response.ok()) return response.status();
  if (response->status == 404) {
    return Status::NotFound("instance metadata " + request.url +
                            " answered HTTP 404: the instance has no IAM role");
  }
  if (response->status != 200) {
    return Status::Unavailable("instance metadata " + request.url + " answered HTTP " +
                               std::to_string(response->status));
  }
  return std::move(response->body);
}

Result<Credentials> ImdsCredentialsProvider::Fetch() {
  if (EnvIsTrue(env_, "AWS_EC2_METADATA_DISABLED")) {
    return Status::NotFound("instance metadata is disabled (AWS_EC2_METADATA_DISABLED=true)");
  }
  HttpFetchRequest token_request;
  token_request.method = "PUT";
  token_request.url = Endpoint() + "/latest/api/token";
  token_request.timeout = options_.timeout;
  token_request.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", kTokenTtlSeconds);
  Result<HttpFetchResponse> token = http_->Send(token_request);
  if (!token.ok()) return token.status();
  if (token->status == 403) {
    return Status::PermissionDenied("instance metadata " + token_request.url +
                                    " refused a session token (HTTP 403): IMDS is turned off");
  }
  if (token->status != 200 || token->body.empty()) {
    return Status::Unavailable("instance metadata " + token_request.url + " answered HTTP " +
                               std::to_string(token->status) +
                               (token->body.empty() ? " with no token" : ""));
  }
  Result<std::string> roles = Get(std::string(kCredentialsPath), token->body);
  if (!roles.ok()) return roles.status();
  std::string role = roles->substr(0, roles->find_first_of("\r\n"));
  if (role.empty()) {
    return Status::NotFound("instance metadata lists no IAM role at " + Endpoint() +
                            std::string(kCredentialsPath));
  }
  if (role.find_first_of("/?#% ") != std::string::npos) {
    return Status::Corruption("instance metadata gave a role name with URL characters: '" +
                              role.substr(0, 128) + "'");
  }
  Result<std::string> document = Get(std::string(kCredentialsPath) + role, token->body);
  if (!document.ok()) return document.status();
  return ParseCredentialsDocument(*document, CredentialsDocumentKind::kMetadata,
                                  "instance metadata (role '" + role + "')");
}

}  // namespace kinesis::auth
