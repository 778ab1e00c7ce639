// HttpServer: a small HTTP/1.1 keep-alive server on epoll for kinesis-sim.
//
// A fixed number of worker threads, each with its own epoll loop and its own listening socket
// on the same port (SO_REUSEPORT), so a connection stays on one thread. Requests are parsed
// only as far as the simulator needs (method, path, a few headers, a Content-Length body);
// pipelined requests are answered in order. An answer can be delayed, held forever, or
// replaced by a connection reset before or after the handler ran.
//
// Thread safety: Start and Stop from one controlling thread; the handler is called on the
// worker threads, concurrently when there are several.
#ifndef KINESIS_SIM_HTTP_SERVER_H_
#define KINESIS_SIM_HTTP_SERVER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "kinesis/status.h"

namespace kinesis::sim {

struct HttpRequest {
  std::string_view method;
  std::string_view path;    // with the query string
  std::string_view target;  // X-Amz-Target
  std::string_view content_type;
  std::string_view authorization;
  bool has_authorization = false;
  bool has_date = false;  // X-Amz-Date or Date
  // The body; at least kBodyPadding readable bytes follow it (simdjson reads past the end).
  std::string_view body;
};
inline constexpr size_t kBodyPadding = 64;

struct HttpResponse {
  enum class Disposition { kAnswer, kResetBefore, kResetAfter, kStall };
  int status = 200;
  std::string body;
  std::string content_type = "application/x-amz-json-1.1";
  Disposition disposition = Disposition::kAnswer;
  int64_t delay_ms = 0;  // kAnswer: sent after this; kStall: held this long (0: forever)
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse*)>;

class HttpServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    uint16_t port = 0;
    int threads = 1;
    size_t max_body_bytes = 16 * 1024 * 1024;
    // Both set: HTTPS only (PEM files). TLS makes the process ignore SIGPIPE, since OpenSSL
    // writes to sockets without MSG_NOSIGNAL.
    std::string tls_cert_file;
    std::string tls_key_file;
  };

  HttpServer();
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Status Start(const Options& options, HttpHandler handler);
  uint16_t port() const { return port_; }
  // Closes every connection and joins the workers. Idempotent.
  void Stop();

 private:
  class Worker;

  std::vector<std::unique_ptr<Worker>> workers_;
  void* tls_ctx_ = nullptr;  // SSL_CTX*, shared by the workers
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_HTTP_SERVER_H_
