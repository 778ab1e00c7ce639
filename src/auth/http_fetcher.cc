#include "auth/http_fetcher.h"

#include <curl/curl.h>

#include <mutex>
#include <utility>

namespace kinesis::auth {
namespace {

constexpr size_t kMaxBodyBytes = 1 << 20;

struct Sink {
  std::string body;
  bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t bytes = size * count;
  if (sink->body.size() + bytes > kMaxBodyBytes) {
    sink->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  sink->body.append(data, bytes);
  return bytes;
}

}  // namespace

CurlHttpFetcher::CurlHttpFetcher(HttpProxy proxy) : proxy_(std::move(proxy)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<HttpFetchResponse> CurlHttpFetcher::Send(const HttpFetchRequest& request) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("curl_easy_init failed");
  CURL* h = curl.get();
  Sink sink;
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  // No "Expect: 100-continue" round trip for small bodies.
  headers = curl_slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                          curl_slist_free_all);
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "PUT" || request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  if (!request.use_proxy) {
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  } else if (!proxy_.url.empty()) {
    curl_easy_setopt(h, CURLOPT_PROXY, proxy_.url.c_str());
    if (!proxy_.user_name.empty()) {
      curl_easy_setopt(h, CURLOPT_PROXYAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl_easy_setopt(h, CURLOPT_PROXYUSERNAME, proxy_.user_name.c_str());
      curl_easy_setopt(h, CURLOPT_PROXYPASSWORD, proxy_.password.c_str());
    }
  }

  CURLcode code = curl_easy_perform(h);
  if (sink.too_large) {
    return Status::Unavailable("answer from " + request.url + " is larger than " +
                               std::to_string(kMaxBodyBytes) + " bytes");
  }
  if (code != CURLE_OK) {
    std::string what = error[0] != '\0' ? error : curl_easy_strerror(code);
    std::string message = request.method + " " + request.url + " failed: " + what;
    if (code == CURLE_OPERATION_TIMEDOUT) return Status::DeadlineExceeded(std::move(message));
    return Status::Unavailable(std::move(message));
  }
  HttpFetchResponse response;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(sink.body);
  return response;
}

std::shared_ptr<HttpFetcher> DefaultHttpFetcher() {
  static const std::shared_ptr<HttpFetcher> fetcher = std::make_shared<CurlHttpFetcher>();
  return fetcher;
}

std::shared_ptr<HttpFetcher> HttpFetcherThrough(HttpProxy proxy) {
  if (proxy.url.empty()) return DefaultHttpFetcher();
  return std::make_shared<CurlHttpFetcher>(std::move(proxy));
}

}  // namespace kinesis::auth
