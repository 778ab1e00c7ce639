// CurlTransport: HttpTransport over libcurl's multi interface.
//
// One event-loop thread drives a curl multi handle: it owns every easy handle (kept in a pool and
// reset for reuse, so a request allocates no curl state), the keep-alive connection pool (bounded
// per host and in total), HTTP/2 multiplexing where negotiated, and runs every completion
// callback. Requests always carry an empty "Expect:" header: some servers (kinesis-mock) never
// answer "100-continue", which would stall each request by a second.
//
// Example:
//   CurlTransportOptions options;
//   options.http_version = HttpVersion::kHttp2Tls;
//   auto transport = CurlTransport::Create(options);
//   (*transport)->Send(std::move(request), [](Result<HttpResponse> r) { ... });
//
// Thread safety: Send from any thread. The destructor stops the loop, completes every request
// still queued or in flight with kFailedPrecondition, and must not run on the loop thread (i.e.
// not from a completion callback).
#ifndef KINESIS_HTTP_CURL_TRANSPORT_H_
#define KINESIS_HTTP_CURL_TRANSPORT_H_

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/http_transport.h"

namespace kinesis::http {

enum class HttpVersion {
  kHttp1,                // HTTP/1.1 only
  kHttp2Tls,             // HTTP/2 over TLS when ALPN agrees, HTTP/1.1 otherwise (default)
  kHttp2PriorKnowledge,  // HTTP/2 without negotiation, also over plain http (h2c)
};

struct CurlTransportOptions {
  HttpVersion http_version = HttpVersion::kHttp2Tls;
  long max_connections_per_host = 24;  // CURLMOPT_MAX_HOST_CONNECTIONS
  long max_total_connections = 64;     // CURLMOPT_MAX_TOTAL_CONNECTIONS
  std::chrono::milliseconds connect_timeout{6000};
  std::chrono::milliseconds request_timeout{30000};  // when a request has none of its own
  bool verify_tls = true;  // false only on explicit request; logged through `log`
  std::string ca_file;     // PEM bundle; empty: the system's
  std::string ca_path;     // directory of hashed certificates; empty: the system's
  std::string proxy;       // e.g. "http://proxy:3128"; empty: none (curl's env vars ignored)
  // With a user name, every request answers the proxy's Basic authentication.
  std::string proxy_user_name;
  std::string proxy_password;  // a secret: never logged
  // Receives one line per notable event (TLS verification off, loop errors). May be empty.
  std::function<void(std::string_view)> log;
};

class CurlTransport final : public HttpTransport {
 public:
  // Fails with kInvalidArgument for impossible options, kInternal when curl cannot start.
  static Result<std::unique_ptr<CurlTransport>> Create(CurlTransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  void Send(HttpRequest request, HttpCallback done) override;

  // Requests sent so far that have not completed (queued or in flight).
  size_t pending() const { return pending_.load(std::memory_order_relaxed); }

 private:
  struct Transfer;
  explicit CurlTransport(CurlTransportOptions options);

  void Loop();
  void StartQueued();           // loop thread
  void FinishDone();            // loop thread
  void* AcquireEasy();          // loop thread
  void ReleaseEasy(void* easy); // loop thread
  Status Configure(Transfer& transfer);  // loop thread
  void Complete(std::unique_ptr<Transfer> transfer, Result<HttpResponse> result);

  const CurlTransportOptions options_;
  void* multi_ = nullptr;  // CURLM*, used by the loop thread (and curl_multi_wakeup from any)
  std::thread loop_;

  std::mutex mu_;
  std::deque<std::unique_ptr<Transfer>> queue_;  // guarded by mu_
  bool stopping_ = false;                        // guarded by mu_

  std::vector<void*> idle_easy_;  // loop thread only
  std::vector<std::unique_ptr<Transfer>> active_;  // loop thread only
  std::atomic<size_t> pending_{0};
};

}  // namespace kinesis::http

#endif  // KINESIS_HTTP_CURL_TRANSPORT_H_
