// Endpoint: where Kinesis requests go (scheme, host, port), parsed from a URL and checked.
//
// ResolveEndpoint picks, in order: an explicit override, AWS_ENDPOINT_URL_KINESIS,
// AWS_ENDPOINT_URL, then https://kinesis.<region>.amazonaws.com (".amazonaws.com.cn" for cn-
// regions).
//
// Thread safety: values and pure functions.
#ifndef KINESIS_HTTP_ENDPOINT_H_
#define KINESIS_HTTP_ENDPOINT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/env.h"
#include "kinesis/status.h"

namespace kinesis::http {

struct Endpoint {
  bool tls = true;   // https
  std::string host;  // "kinesis.us-east-1.amazonaws.com", "127.0.0.1", "[::1]"
  uint16_t port = 443;

  // "https://host:port/" -- the URL requests are posted to.
  std::string Url() const;
  // The Host header: "host" on the scheme's default port, "host:port" otherwise.
  std::string HostHeader() const;
};

// Parses "http(s)://host[:port][/]". Rejects other schemes, user info, paths, queries,
// fragments, whitespace, empty hosts and ports outside 1..65535, naming the offending part.
Result<Endpoint> ParseEndpoint(std::string_view url);

// Checks a region name's shape ("us-east-1": lower-case letters, digits and dashes).
Status ValidateRegion(std::string_view region);

// True for a host of AWS's own: "*.amazonaws.com", "*.amazonaws.com.cn", "*.api.aws" (ASCII
// case ignored, one trailing dot allowed).
bool IsAwsHost(std::string_view host);

// See the file comment. `override_url` empty means none.
Result<Endpoint> ResolveEndpoint(std::string_view override_url, std::string_view region,
                                 const EnvLookup& env);

}  // namespace kinesis::http

#endif  // KINESIS_HTTP_ENDPOINT_H_
