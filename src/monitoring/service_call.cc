#include "monitoring/service_call.h"

#include <algorithm>
#include <string_view>

namespace kinesis::monitoring {
namespace {

bool ValidAuthority(std::string_view a) {
  if (a.empty()) return false;
  size_t colon = a.rfind(':');
  std::string_view host = a, port;
  if (colon != std::string_view::npos && a.find(']', colon) == std::string_view::npos) {
    host = a.substr(0, colon);
    port = a.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
    int n = std::stoi(std::string(port));
    if (n < 1 || n > 65535) return false;
  }
  if (host.empty()) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '[' || c == ']' || c == ':';
  });
}

}  // namespace

Result<ServiceEndpoint> ParseServiceEndpoint(const std::string& endpoint,
                                             const std::string& default_host,
                                             const std::string& setting) {
  if (endpoint.empty()) return ServiceEndpoint{"https://" + default_host + "/", default_host};
  std::string_view rest = endpoint;
  std::string scheme = "https";
  if (size_t sep = rest.find("://"); sep != std::string_view::npos) {
    scheme = std::string(rest.substr(0, sep));
    rest.remove_prefix(sep + 3);
    if (scheme != "http" && scheme != "https") {
      return Status::InvalidArgument(setting + " '" + endpoint + "' has scheme '" + scheme +
                                     "'; expected http or https");
    }
  }
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = rest.substr(authority.size());
  if (!ValidAuthority(authority) || (!path.empty() && path != "/")) {
    return Status::InvalidArgument(setting + " '" + endpoint +
                                   "' is not scheme://host[:port] with a port of 1..65535");
  }
  return ServiceEndpoint{scheme + "://" + std::string(authority) + "/", std::string(authority)};
}

Status CheckRegion(const std::string& region, const std::string& service) {
  if (region.empty() || !std::all_of(region.begin(), region.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      })) {
    return Status::InvalidArgument(service + " region '" + region +
                                   "' is empty or not like us-east-1");
  }
  return Status::Ok();
}

Result<auth::HttpFetchResponse> PostSigned(auth::HttpFetcher& http, const auth::SigV4Signer& signer,
                                           const auth::Credentials& credentials,
                                           const ServiceEndpoint& endpoint,
                                           const SignedPost& post) {
  auth::SignableRequest signable{
      "POST", "/", "", {{"Host", endpoint.host}, {"Content-Type", post.content_type}}, post.body};
  for (const auto& header : post.headers) signable.headers.push_back(header);
  auto signed_headers = signer.Sign(signable, credentials, std::chrono::system_clock::now());
  if (!signed_headers.ok()) return signed_headers.status();
  auth::HttpFetchRequest request;
  request.method = "POST";
  request.url = endpoint.url;
  request.headers = std::move(signable.headers);
  for (auto& header : *signed_headers) request.headers.push_back(std::move(header));
  request.body = post.body;
  request.connect_timeout = post.connect_timeout;
  request.timeout = post.timeout;
  request.use_proxy = post.use_proxy;
  return http.Send(request);
}

}  // namespace kinesis::monitoring
