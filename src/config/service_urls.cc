#include "config/service_urls.h"

namespace kinesis {

std::string ServiceUrl(std::string_view endpoint, uint64_t port) {
  if (endpoint.empty() || endpoint.find("://") != std::string_view::npos) {
    return std::string(endpoint);
  }
  return "https://" + std::string(endpoint) + ":" + std::to_string(port);
}

std::string ProxyUrl(const ProducerConfig& config) {
  const std::string& host = config.proxy_host;
  if (host.empty()) return "";
  const std::string port = std::to_string(config.proxy_port);
  size_t scheme = host.find("://");
  if (scheme == std::string::npos) return "http://" + host + ":" + port;
  std::string_view authority = std::string_view(host).substr(scheme + 3);
  authority = authority.substr(0, authority.find('/'));
  // A port after the host (and after an IPv6 literal's closing bracket) is kept as written.
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  bool has_port =
      colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
  if (has_port) return host;
  return host.substr(0, scheme + 3) + std::string(authority) + ":" + port;
}

}  // namespace kinesis
