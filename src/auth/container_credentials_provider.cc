#include "auth/container_credentials_provider.h"

#include <array>

#include "auth/credentials_document.h"
#include "auth/read_file.h"

namespace kinesis::auth {
bool IsAllowedContainerHttpUrl(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (url.substr(0, kHttp.size()) != kHttp) return false;
  std::string_view authority = url.substr(kHttp.size());
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return false;
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  static constexpr std::array<std::string_view, 5> kAllowed = {
      "localhost", "[::1]", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"};
  for (std::string_view allowed : kAllowed) {
    if (host == allowed) return true;
  }
  // 127.0.0.0/8: four dotted numbers starting with 127.
  if (host.substr(0, 4) != "127.") return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

ContainerCredentialsProvider::ContainerCredentialsProvider(EnvLookup env,
                                                           std::shared_ptr<HttpFetcher> http,
                                                           Options options)
    : env_(std::move(env)), http_(std::move(http)), options_(std::move(options)) {}

Result<std::string> ContainerCredentialsProvider::Url() const {
  if (std::optional<std::string> relative =
          NonEmpty(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    if (relative->front() != '/') {
      return Status::InvalidArgument("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI '" + *relative +
                                     "' must start with '/'");
    }
    return options_.relative_uri_host + *relative;
  }
  std::optional<std::string> full = NonEmpty(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!full) {
    return Status::NotFound(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not "
        "set");
  }
  if (full->rfind("https://", 0) == 0 || IsAllowedContainerHttpUrl(*full)) return *full;
  return Status::InvalidArgument(
      "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + *full +
      "' must be https, or http to a loopback address, 169.254.170.2, 169.254.170.23 or "
      "fd00:ec2::23");
}

Result<std::string> ContainerCredentialsProvider::AuthorizationToken() const {
  std::string token;
  if (std::optional<std::string> file = NonEmpty(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    Result<std::string> content = ReadSmallFile(*file, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (!content.ok()) {
      // A token file that is configured but missing is a broken setup, not "not configured".
      if (content.status().code() == StatusCode::kNotFound) {
        return Status::IoError(content.status().message());
      }
      return content.status();
    }
    token = TrimWhitespace(std::move(*content));
  } else {
    token = NonEmpty(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("");
  }
  if (token.find_first_of("\r\n") != std::string::npos) {
    return Status::InvalidArgument("the container authorization token contains a line break");
  }
  return token;
}

Result<Credentials> ContainerCredentialsProvider::Fetch() {
  Result<std::string> url = Url();
  if (!url.ok()) return url.status();
  Result<std::string> token = AuthorizationToken();
  if (!token.ok()) return token.status();
  HttpFetchRequest request;
  request.url = *url;
  request.timeout = options_.timeout;
  request.headers.emplace_back("Accept", "application/json");
  if (!token->empty()) request.headers.emplace_back("Authorization", *token);
  Result<HttpFetchResponse> response = http_->Send(request);
  if (!response.ok()) return response.status();
  if (response->status == 401 || response->status == 403) {
    return Status::PermissionDenied("container credentials endpoint " + *url +
                                    " refused with HTTP " + std::to_string(response->status) +
                                    " (check the authorization token)");
  }
  if (response->status != 200) {
    return Status::Unavailable("container credentials endpoint " + *url + " answered HTTP " +
                               std::to_string(response->status));
  }
  return ParseCredentialsDocument(response->body, CredentialsDocumentKind::kMetadata,
                                  "container credentials endpoint " + *url);
}

}  // namespace kinesis::auth
