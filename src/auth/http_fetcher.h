// HttpFetcher: the one blocking HTTP call the network credential providers need (STS, container
// and instance metadata), with short timeouts. CurlHttpFetcher implements it with the libcurl
// easy interface; it runs on the credentials refresh thread, never on the data path.
//
// Thread safety: Send may be called from several threads at once (each call has its own handle).
#ifndef KINESIS_AUTH_HTTP_FETCHER_H_
#define KINESIS_AUTH_HTTP_FETCHER_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kinesis/status.h"

namespace kinesis::auth {

struct HttpFetchRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds timeout{3000};
  // Metadata endpoints are link-local and must not go through a proxy; STS may.
  bool use_proxy = false;
};

struct HttpFetchResponse {
  long status = 0;
  std::string body;
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // Any HTTP status is a response; only transport failures are errors: kDeadlineExceeded for
  // timeouts, kUnavailable for the rest (connection refused, DNS, reset, a body over 1 MiB).
  // Messages name the URL and the failure, never headers or bodies.
  virtual Result<HttpFetchResponse> Send(const HttpFetchRequest& request) = 0;
};

// The proxy of requests with use_proxy; an empty url leaves the choice to the environment
// (http_proxy, https_proxy, no_proxy), as curl does.
struct HttpProxy {
  std::string url;        // "http://proxy:3128"
  std::string user_name;  // non-empty: Basic authentication to the proxy
  std::string password;   // a secret: never logged
};

class CurlHttpFetcher : public HttpFetcher {
 public:
  CurlHttpFetcher() : CurlHttpFetcher(HttpProxy{}) {}
  explicit CurlHttpFetcher(HttpProxy proxy);  // initializes libcurl once per process
  Result<HttpFetchResponse> Send(const HttpFetchRequest& request) override;

 private:
  const HttpProxy proxy_;
};

// A process-wide CurlHttpFetcher.
std::shared_ptr<HttpFetcher> DefaultHttpFetcher();

// DefaultHttpFetcher() when `proxy.url` is empty, else a CurlHttpFetcher through that proxy.
std::shared_ptr<HttpFetcher> HttpFetcherThrough(HttpProxy proxy);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_HTTP_FETCHER_H_
