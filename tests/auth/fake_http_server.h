// FakeHttpServer: a tiny HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) for the
// credential providers' tests. One thread serves one connection at a time and closes it after
// the answer; the test's handler decides the answer, or to close without one, or to stall
// (hold the connection unanswered until the server stops), so timeouts are tested without
// depending on timing.
//
// Thread safety: construct and destroy on the test thread; the handler runs on the server
// thread; requests() and set_handler() may be called from any thread.
#ifndef KINESIS_TESTS_AUTH_FAKE_HTTP_SERVER_H_
#define KINESIS_TESTS_AUTH_FAKE_HTTP_SERVER_H_

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace kinesis::auth::testing {

struct FakeRequest {
  std::string method;
  std::string target;  // path and query, e.g. "/latest/api/token"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The first header with this name (case-insensitive), or "" when absent.
  std::string Header(std::string_view name) const;
};

struct FakeResponse {
  enum class Kind { kAnswer, kCloseWithoutAnswer, kStall };
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  Kind kind = Kind::kAnswer;

  static FakeResponse Answer(int status, std::string body) {
    FakeResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  explicit FakeHttpServer(Handler handler);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string url() const;
  std::vector<FakeRequest> requests() const;
  void set_handler(Handler handler);

 private:
  void Serve();
  void ServeOne(int fd);

  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  mutable std::mutex mu_;
  Handler handler_;                    // guarded by mu_
  std::vector<FakeRequest> requests_;  // guarded by mu_
  std::vector<int> stalled_fds_;       // server thread only
  std::thread thread_;
};

}  // namespace kinesis::auth::testing

#endif  // KINESIS_TESTS_AUTH_FAKE_HTTP_SERVER_H_
