// CurlTransport against a small HTTP/1.1 server of the test's own on 127.0.0.1.
#include "http/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

namespace kinesis::http {
namespace {

// Serves keep-alive HTTP/1.1: answers each request "200 <body length>" and records the request
// heads. With `silent`, accepts connections and never answers. With `reset_request` n > 0, the
// n-th request (counting from 1) is read in full, recorded, then its connection is reset instead
// of answered: carried out, answer lost.
class TestServer {
 public:
  explicit TestServer(bool silent = false, int reset_request = 0)
      : silent_(silent), reset_request_(reset_request) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 64);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~TestServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    acceptor_.join();
    std::lock_guard<std::mutex> lock(mu_);
    for (int c : clients_) shutdown(c, SHUT_RDWR);
    for (auto& t : workers_) t.join();
    for (int c : clients_) close(c);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  int connections() const { return connections_.load(); }
  std::vector<std::string> heads() {
    std::lock_guard<std::mutex> lock(mu_);
    return heads_;
  }

 private:
  void Accept() {
    for (;;) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      connections_++;
      std::lock_guard<std::mutex> lock(mu_);
      clients_.push_back(c);
      if (!silent_) workers_.emplace_back([this, c] { Serve(c); });
    }
  }
  void Serve(int c) {
    std::string buffer;
    char chunk[65536];
    for (;;) {
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = read(c, chunk, sizeof(chunk));
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      std::string head = buffer.substr(0, end);
      size_t length = 0;
      if (size_t p = head.find("Content-Length: "); p != std::string::npos) {
        length = std::stoul(head.substr(p + 16));
      }
      while (buffer.size() < end + 4 + length) {
        ssize_t n = read(c, chunk, sizeof(chunk));
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      buffer.erase(0, end + 4 + length);
      bool reset;
      {
        std::lock_guard<std::mutex> lock(mu_);
        heads_.push_back(head);
        reset = static_cast<int>(heads_.size()) == reset_request_;
      }
      if (reset) {
        linger lg{1, 0};  // close() sends RST
        setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        shutdown(c, SHUT_RDWR);
        return;
      }
      std::string body = std::to_string(length);
      std::string answer = "HTTP/1.1 200 OK\r\nX-Test: yes\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body;
      if (write(c, answer.data(), answer.size()) < 0) return;
    }
  }

  bool silent_;
  int reset_request_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread acceptor_;
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::vector<int> clients_;           // guarded by mu_
  std::vector<std::thread> workers_;   // guarded by mu_
  std::vector<std::string> heads_;     // guarded by mu_
};

std::unique_ptr<CurlTransport> MakeTransport(CurlTransportOptions options = {}) {
  options.http_version = HttpVersion::kHttp1;
  auto t = CurlTransport::Create(std::move(options));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(*t);
}

Result<HttpResponse> SendAndWait(HttpTransport& t, HttpRequest r) {
  std::promise<Result<HttpResponse>> p;
  auto f = p.get_future();
  t.Send(std::move(r), [&p](Result<HttpResponse> result) { p.set_value(std::move(result)); });
  return f.get();
}

HttpRequest Post(const std::string& url, std::string body) {
  HttpRequest r;
  r.url = url;
  r.headers = {{"Content-Type", "application/x-amz-json-1.1"}};
  r.body = std::move(body);
  return r;
}

TEST(CurlTransport, PostsBodyAndReadsStatusHeadersBody) {
  TestServer server;
  auto t = MakeTransport();
  auto r = SendAndWait(*t, Post(server.url(), "hello"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "5");
  EXPECT_EQ(r->Header("x-test"), "yes");
}

TEST(CurlTransport, LargeBodyIsSentWithoutExpectContinue) {
  TestServer server;
  auto t = MakeTransport();
  auto r = SendAndWait(*t, Post(server.url(), std::string(2 << 20, 'x')));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, std::to_string(2 << 20));
  auto heads = server.heads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].find("Expect"), std::string::npos) << heads[0];
  EXPECT_NE(heads[0].find("Content-Type: application/x-amz-json-1.1"), std::string::npos);
}

TEST(CurlTransport, SequentialRequestsReuseOneKeepAliveConnection) {
  TestServer server;
  auto t = MakeTransport();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(SendAndWait(*t, Post(server.url(), "x")).ok());
  EXPECT_EQ(server.connections(), 1);
}

// libcurl resends a request by itself when a reused connection dies before any answer byte,
// even when the request was sent in full: the server may have carried it out, so the resend can
// write it twice, and the caller would never know. The transport refuses that resend: the
// caller gets the failure and decides (the producer retries and counts possible duplicates).
TEST(CurlTransport, RequestSentOnAReusedConnectionThatDiesIsNotSentAgain) {
  TestServer server(/*silent=*/false, /*reset_request=*/2);
  auto t = MakeTransport();
  ASSERT_TRUE(SendAndWait(*t, Post(server.url(), "first")).ok());  // the connection to reuse
  auto r = SendAndWait(*t, Post(server.url(), "second"));
  ASSERT_FALSE(r.ok()) << "answered " << r->status << " after the server reset the connection";
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
  EXPECT_NE(r.status().message().find("may have been carried out"), std::string::npos)
      << r.status().ToString();
  EXPECT_EQ(server.heads().size(), 2u) << "the request reached the server again";
  // The transport still works, on a fresh connection.
  auto third = SendAndWait(*t, Post(server.url(), "third"));
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->body, "5");
  EXPECT_EQ(server.heads().size(), 3u);
}

TEST(CurlTransport, ManyInFlightAllCompleteWithinConnectionLimit) {
  TestServer server;
  CurlTransportOptions options;
  options.max_connections_per_host = 4;
  auto t = MakeTransport(options);
  constexpr int kRequests = 64;
  std::mutex mu;
  std::condition_variable cv;
  int done = 0, ok = 0;
  for (int i = 0; i < kRequests; ++i) {
    t->Send(Post(server.url(), std::string(static_cast<size_t>(i), 'y')),
            [&, i](Result<HttpResponse> r) {
              std::lock_guard<std::mutex> lock(mu);
              if (r.ok() && r->body == std::to_string(i)) ok++;
              done++;
              cv.notify_all();
            });
  }
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done == kRequests; });
  EXPECT_EQ(ok, kRequests);
  EXPECT_LE(server.connections(), 4);
  EXPECT_EQ(t->pending(), 0u);
}

TEST(CurlTransport, RefusedConnectionIsUnavailable) {
  int port;
  {
    TestServer server;  // take a free port, then close it
    port = std::stoi(server.url().substr(17));
  }
  auto t = MakeTransport();
  auto r = SendAndWait(*t, Post("http://127.0.0.1:" + std::to_string(port) + "/", "x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
}

TEST(CurlTransport, SilentServerTimesOutAsDeadlineExceeded) {
  TestServer server(/*silent=*/true);
  auto t = MakeTransport();
  HttpRequest r = Post(server.url(), "x");
  r.timeout = std::chrono::milliseconds(200);
  auto result = SendAndWait(*t, std::move(r));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kDeadlineExceeded) << result.status().ToString();
}

TEST(CurlTransport, UnsupportedSchemeIsInvalidArgument) {
  auto t = MakeTransport();
  auto r = SendAndWait(*t, Post("ftp://127.0.0.1:1/", "x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
}

TEST(CurlTransport, ShutdownCompletesInFlightRequestsOnce) {
  TestServer server(/*silent=*/true);
  auto t = MakeTransport();
  std::atomic<int> calls{0};
  std::atomic<int> failed_precondition{0};
  for (int i = 0; i < 3; ++i) {
    t->Send(Post(server.url(), "x"), [&](Result<HttpResponse> r) {
      calls++;
      if (r.status().code() == StatusCode::kFailedPrecondition) failed_precondition++;
    });
  }
  t.reset();
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(failed_precondition.load(), 3);
}

TEST(CurlTransport, VerificationOffIsLoggedAndBadOptionsRejected) {
  std::vector<std::string> lines;
  CurlTransportOptions options;
  options.verify_tls = false;
  options.log = [&](std::string_view line) { lines.emplace_back(line); };
  auto t = CurlTransport::Create(options);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("verification is OFF"), std::string::npos);
  CurlTransportOptions bad;
  bad.max_total_connections = 0;
  EXPECT_EQ(CurlTransport::Create(bad).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kinesis::http
