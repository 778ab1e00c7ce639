#include "http/endpoint.h"

#include <cstdlib>

namespace kinesis::http {

std::string Endpoint::Url() const {
  return (tls ? "https://" : "http://") + host + ":" + std::to_string(port) + "/";
}

std::string Endpoint::HostHeader() const {
  if (port == (tls ? 443 : 80)) return host;
  return host + ":" + std::to_string(port);
}

namespace {

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

Status Bad(std::string_view url, std::string_view why) {
  return Status::InvalidArgument("malformed endpoint URL '" + std::string(url) + "': " +
                                 std::string(why));
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view url) {
  Endpoint endpoint;
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    endpoint.tls = false;
    endpoint.port = 80;
    rest = url.substr(7);
  } else {
    return Bad(url, "the scheme must be http:// or https://");
  }
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return Bad(url, "an endpoint has no path, query or fragment");
  }
  if (rest.find('@') != std::string_view::npos) return Bad(url, "user info is not allowed");
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with('[')) {  // IPv6 literal
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return Bad(url, "unterminated IPv6 address");
    host = rest.substr(0, close + 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Bad(url, "unexpected text after the IPv6 address");
      port = after.substr(1);
      if (port.empty()) return Bad(url, "empty port");
    }
    for (char c : host.substr(1, host.size() - 2)) {
      if (!(IsHostChar(c) || c == ':')) return Bad(url, "invalid character in the IPv6 address");
    }
    if (host.size() == 2) return Bad(url, "empty host");
  } else {
    size_t colon = rest.find(':');
    if (colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      if (port.empty()) return Bad(url, "empty port");
    }
    if (host.empty()) return Bad(url, "empty host");
    for (char c : host) {
      if (!IsHostChar(c)) return Bad(url, "invalid character in the host");
    }
  }
  if (!port.empty()) {
    uint32_t value = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return Bad(url, "the port must be a number");
      value = value * 10 + static_cast<uint32_t>(c - '0');
      if (value > 65535) return Bad(url, "the port must be in 1..65535");
    }
    if (value == 0) return Bad(url, "the port must be in 1..65535");
    endpoint.port = static_cast<uint16_t>(value);
  }
  endpoint.host = std::string(host);
  return endpoint;
}

Status ValidateRegion(std::string_view region) {
  if (region.empty()) return Status::InvalidArgument("the region is empty");
  if (region.size() > 64) {
    return Status::InvalidArgument("region '" + std::string(region) + "' is longer than 64");
  }
  for (char c : region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return Status::InvalidArgument("region '" + std::string(region) +
                                     "' is not of the form us-east-1 (a-z, 0-9, '-')");
    }
  }
  if (region.front() == '-' || region.back() == '-') {
    return Status::InvalidArgument("region '" + std::string(region) + "' starts or ends with '-'");
  }
  return Status::Ok();
}

bool IsAwsHost(std::string_view host) {
  if (host.ends_with('.')) host.remove_suffix(1);
  std::string lower(host);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (std::string_view suffix : {".amazonaws.com", ".amazonaws.com.cn", ".api.aws"}) {
    if (lower.size() > suffix.size() && std::string_view(lower).ends_with(suffix)) return true;
  }
  return false;
}

Result<Endpoint> ResolveEndpoint(std::string_view override_url, std::string_view region,
                                 const EnvLookup& env) {
  if (!override_url.empty()) return ParseEndpoint(override_url);
  for (const char* name : {"AWS_ENDPOINT_URL_KINESIS", "AWS_ENDPOINT_URL"}) {
    if (auto value = env(name); value.has_value() && !value->empty()) {
      auto parsed = ParseEndpoint(*value);
      if (!parsed.ok()) {
        return Status::InvalidArgument(std::string(name) + ": " + parsed.status().message());
      }
      return parsed;
    }
  }
  KINESIS_RETURN_IF_ERROR(ValidateRegion(region));
  std::string suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return ParseEndpoint("https://kinesis." + std::string(region) + suffix);
}

}  // namespace kinesis::http
