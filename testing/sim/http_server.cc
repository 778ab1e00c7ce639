#include "sim/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <unordered_map>

#include "sim/http_parse.h"

namespace kinesis::sim {
namespace {

// Microseconds: a delay counted in whole milliseconds from a truncated "now" answered up to a
// millisecond early.
int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Conn {
  int fd = -1;
  SSL* ssl = nullptr;
  std::string in;  // in.size() >= in_len + kBodyPadding always
  size_t in_len = 0;
  size_t in_pos = 0;
  std::string out;
  size_t out_pos = 0;
  bool close_after_write = false;
  bool continue_sent = false;
  bool want_write = false;
  // An answer held back (latency or stall).
  bool waiting = false;
  bool forever = false;
  int64_t due_us = 0;
  std::string pending;
};

}  // namespace

class HttpServer::Worker {
 public:
  Worker(int listen_fd, const Options& options, HttpHandler handler, SSL_CTX* tls)
      : listen_fd_(listen_fd), tls_(tls), options_(options), handler_(std::move(handler)) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    Watch(listen_fd_, EPOLLIN);
    Watch(wake_fd_, EPOLLIN);
  }
  ~Worker() {
    for (auto& [fd, conn] : conns_) {
      if (conn.ssl) SSL_free(conn.ssl);
      close(fd);
    }
    close(listen_fd_);
    close(wake_fd_);
    close(epoll_fd_);
  }

  void Stop() {
    stop_.store(true);
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof(one));
  }

  void Run() {
    epoll_event events[64];
    while (!stop_.load()) {
      int n = epoll_wait(epoll_fd_, events, 64, NextTimeoutMs());
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == wake_fd_) continue;
        if (fd == listen_fd_) {
          Accept();
          continue;
        }
        auto it = conns_.find(fd);
        if (it == conns_.end()) continue;
        Conn& c = it->second;
        if (events[i].events & (EPOLLERR | EPOLLHUP)) {
          CloseConn(fd, false);
          continue;
        }
        if ((events[i].events & EPOLLIN) && !OnReadable(c)) continue;
        if (events[i].events & EPOLLOUT) {
          // A TLS handshake or read may be waiting for the socket to take bytes.
          if (c.ssl && !OnReadable(c)) continue;
          Flush(c);
        }
      }
      FireTimers();
    }
  }

 private:
  void Watch(int fd, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  }

  void Accept() {
    while (true) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      Conn& c = conns_[fd];
      c.fd = fd;
      c.in.resize(16384 + kBodyPadding);
      if (tls_) {
        c.ssl = SSL_new(tls_);
        SSL_set_fd(c.ssl, fd);
        SSL_set_accept_state(c.ssl);
      }
      Watch(fd, EPOLLIN | EPOLLRDHUP);
    }
  }

  // Returns false when the connection was closed.
  bool OnReadable(Conn& c) {
    while (true) {
      if (c.in.size() < c.in_len + kBodyPadding + 4096) c.in.resize(c.in.size() * 2);
      ssize_t n = ReadSome(c, c.in.data() + c.in_len, c.in.size() - c.in_len - kBodyPadding);
      if (n > 0) {
        c.in_len += static_cast<size_t>(n);
        continue;
      }
      if (n == 0) {
        // The peer half-closed; answer what is complete, then close.
        c.close_after_write = true;
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      CloseConn(c.fd, false);
      return false;
    }
    if (!Process(c)) return false;
    return Flush(c);
  }

  // read() or SSL_read(): > 0 bytes, 0 at the end, -1 with errno (EAGAIN: try later).
  ssize_t ReadSome(Conn& c, char* dst, size_t len) {
    if (!c.ssl) return read(c.fd, dst, len);
    int n = SSL_read(c.ssl, dst, static_cast<int>(len));
    return n > 0 ? n : TlsFailure(c, n);
  }

  ssize_t WriteSome(Conn& c, const char* src, size_t len) {
    if (!c.ssl) return send(c.fd, src, len, MSG_NOSIGNAL);
    int n = SSL_write(c.ssl, src, static_cast<int>(len));
    return n > 0 ? n : TlsFailure(c, n);
  }

  ssize_t TlsFailure(Conn& c, int n) {
    switch (SSL_get_error(c.ssl, n)) {
      case SSL_ERROR_WANT_WRITE:
        SetWriteInterest(c, true);
        errno = EAGAIN;
        return -1;
      case SSL_ERROR_WANT_READ:
        errno = EAGAIN;
        return -1;
      case SSL_ERROR_ZERO_RETURN:
        return 0;
      default:
        ERR_clear_error();
        errno = EIO;
        return -1;
    }
  }

  // Handles every complete request not held behind a delayed answer. False: closed.
  bool Process(Conn& c) {
    while (!c.waiting) {
      ParsedHead head;
      std::string_view avail(c.in.data() + c.in_pos, c.in_len - c.in_pos);
      HeadResult r = ParseHead(avail, &head);
      if (r == HeadResult::kIncomplete) break;
      if (r != HeadResult::kOk || head.content_length > options_.max_body_bytes) {
        int status = r == HeadResult::kTooLarge      ? 431
                     : r == HeadResult::kOk          ? 413
                     : r == HeadResult::kUnsupported ? 501
                                                     : 400;
        AppendResponse(&c.out, status, "text/plain", "");
        c.close_after_write = true;
        c.in_pos = c.in_len;
        break;
      }
      size_t body_end = c.in_pos + head.head_bytes + head.content_length;
      if (body_end > c.in_len) {
        if (c.in.size() < body_end + kBodyPadding) c.in.resize(body_end + kBodyPadding + 4096);
        if (head.expect_continue && !c.continue_sent) {
          c.out.append("HTTP/1.1 100 Continue\r\n\r\n");
          c.continue_sent = true;
        }
        break;
      }
      c.continue_sent = false;
      HttpRequest req = head.request;
      req.body = std::string_view(c.in.data() + c.in_pos + head.head_bytes, head.content_length);
      HttpResponse resp;
      handler_(req, &resp);
      c.in_pos = body_end;
      if (head.close) c.close_after_write = true;
      using D = HttpResponse::Disposition;
      if (resp.disposition == D::kResetBefore || resp.disposition == D::kResetAfter) {
        CloseConn(c.fd, true);
        return false;
      }
      if (resp.disposition == D::kStall || resp.delay_ms > 0) {
        c.waiting = true;
        c.forever = resp.disposition == D::kStall && resp.delay_ms == 0;
        c.due_us = NowUs() + resp.delay_ms * 1000;
        c.pending.clear();
        AppendResponse(&c.pending, resp.status, resp.content_type, resp.body);
        break;
      }
      AppendResponse(&c.out, resp.status, resp.content_type, resp.body);
      if (c.close_after_write && c.in_pos >= c.in_len) break;
    }
    if (c.in_pos > 0) {
      std::memmove(c.in.data(), c.in.data() + c.in_pos, c.in_len - c.in_pos);
      c.in_len -= c.in_pos;
      c.in_pos = 0;
    }
    return true;
  }

  // Writes what is queued. False when the connection was closed.
  bool Flush(Conn& c) {
    while (c.out_pos < c.out.size()) {
      ssize_t n = WriteSome(c, c.out.data() + c.out_pos, c.out.size() - c.out_pos);
      if (n > 0) {
        c.out_pos += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        SetWriteInterest(c, true);
        return true;
      }
      CloseConn(c.fd, false);
      return false;
    }
    c.out.clear();
    c.out_pos = 0;
    SetWriteInterest(c, false);
    if (c.close_after_write && !c.waiting) {
      CloseConn(c.fd, false);
      return false;
    }
    return true;
  }

  void SetWriteInterest(Conn& c, bool on) {
    if (c.want_write == on) return;
    c.want_write = on;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
    ev.data.fd = c.fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  int NextTimeoutMs() {
    int64_t next = -1;
    for (auto& [fd, c] : conns_) {
      if (c.waiting && !c.forever && (next < 0 || c.due_us < next)) next = c.due_us;
    }
    if (next < 0) return -1;
    int64_t wait = next - NowUs();
    return wait <= 0 ? 0 : static_cast<int>((wait + 999) / 1000);  // rounded up
  }

  void FireTimers() {
    int64_t now = NowUs();
    std::vector<int> due;
    for (auto& [fd, c] : conns_) {
      if (c.waiting && !c.forever && c.due_us <= now) due.push_back(fd);
    }
    for (int fd : due) {
      auto it = conns_.find(fd);
      if (it == conns_.end()) continue;
      Conn& c = it->second;
      c.waiting = false;
      c.out.append(c.pending);
      c.pending.clear();
      if (!Process(c)) continue;
      Flush(c);
    }
  }

  void CloseConn(int fd, bool reset) {
    if (reset) {
      // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
      linger lg{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    auto it = conns_.find(fd);
    if (it != conns_.end() && it->second.ssl) SSL_free(it->second.ssl);
    close(fd);
    conns_.erase(fd);
  }

  int listen_fd_;
  SSL_CTX* tls_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  Options options_;
  HttpHandler handler_;
  std::atomic<bool> stop_{false};
  std::unordered_map<int, Conn> conns_;
};

HttpServer::HttpServer() = default;
HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const Options& options, HttpHandler handler) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, options.host.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument("host '" + options.host + "' is not an IPv4 address");
  }
  addr.sin_port = htons(options.port);
  SSL_CTX* tls = nullptr;
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    tls = SSL_CTX_new(TLS_server_method());
    tls_ctx_ = tls;
    if (SSL_CTX_use_certificate_chain_file(tls, options.tls_cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls, options.tls_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      ERR_clear_error();
      Stop();
      return Status::InvalidArgument("cannot load TLS certificate '" + options.tls_cert_file +
                                     "' and key '" + options.tls_key_file + "'");
    }
    // Our output buffer may move between a blocked SSL_write and its retry.
    SSL_CTX_set_mode(tls, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    std::signal(SIGPIPE, SIG_IGN);
  }
  int threads = options.threads < 1 ? 1 : options.threads;
  for (int i = 0; i < threads; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(fd, 1024) != 0) {
      std::string err = std::strerror(errno);
      close(fd);
      Stop();
      return Status::IoError("cannot listen on " + options.host + ":" +
                             std::to_string(ntohs(addr.sin_port)) + ": " + err);
    }
    if (i == 0) {
      socklen_t len = sizeof(addr);
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
      port_ = ntohs(addr.sin_port);
    }
    workers_.push_back(std::make_unique<Worker>(fd, options, handler, tls));
  }
  for (auto& w : workers_) threads_.emplace_back([worker = w.get()] { worker->Run(); });
  return Status::Ok();
}

void HttpServer::Stop() {
  for (auto& w : workers_) w->Stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  workers_.clear();
  if (tls_ctx_) SSL_CTX_free(static_cast<SSL_CTX*>(tls_ctx_));
  tls_ctx_ = nullptr;
}

}  // namespace kinesis::sim
