#include "raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace kinesis::sim::testing {

RawClient::~RawClient() {
  Close();
  if (ssl_ctx_) SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
}

void RawClient::Close() {
  if (ssl_) SSL_free(static_cast<SSL*>(ssl_));
  ssl_ = nullptr;
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool RawClient::Connect(std::string* error) {
  if (fd_ >= 0) return true;
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    Close();
    return false;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return !tls_ || StartTls(error);
}

bool RawClient::StartTls(std::string* error) {
  if (!ssl_ctx_) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (!ca_file_.empty()) SSL_CTX_load_verify_locations(ctx, ca_file_.c_str(), nullptr);
    ssl_ctx_ = ctx;
  }
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
  ssl_ = ssl;
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
  SSL_set_fd(ssl, fd_);
  if (SSL_connect(ssl) != 1) {
    long verify = SSL_get_verify_result(ssl);
    *error = "tls: handshake failed, verify result " + std::to_string(verify) + " (" +
             X509_verify_cert_error_string(verify) + ")";
    ERR_clear_error();
    Close();
    return false;
  }
  return true;
}

long RawClient::Write(const char* data, size_t len) {
  if (ssl_) return SSL_write(static_cast<SSL*>(ssl_), data, static_cast<int>(len));
  return send(fd_, data, len, MSG_NOSIGNAL);
}

long RawClient::Read(char* data, size_t len) {
  if (ssl_) return SSL_read(static_cast<SSL*>(ssl_), data, static_cast<int>(len));
  return recv(fd_, data, len, 0);
}

RawResponse RawClient::Call(std::string_view action, std::string_view body) {
  std::string headers = "X-Amz-Target: Kinesis_20131202." + std::string(action) +
                        "\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Date: 20260101T000000Z\r\n"
                        "Authorization: " +
                        std::string(kDummyAuthorization) + "\r\n";
  return Send("POST", "/", headers, body);
}

RawResponse RawClient::Send(std::string_view method, std::string_view path,
                            std::string_view headers, std::string_view body) {
  std::string request = std::string(method) + " " + std::string(path) +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(headers) +
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                        std::string(body);
  return SendRaw(request);
}

RawResponse RawClient::SendRaw(std::string_view bytes) {
  RawResponse response;
  if (!Connect(&response.error)) return response;
  size_t sent = 0;
  while (sent < bytes.size()) {
    long n = Write(bytes.data() + sent, bytes.size() - sent);
    if (n <= 0) {
      response.error = std::string("send: ") + std::strerror(errno);
      Close();
      return response;
    }
    sent += static_cast<size_t>(n);
  }
  return ReadResponse();
}

RawResponse RawClient::ReadResponse() {
  RawResponse response;
  while (true) {
    size_t head_end = buffer_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      std::string head = buffer_.substr(0, head_end);
      int status = std::atoi(head.c_str() + 9);
      size_t length = 0;
      for (size_t at = 0; (at = head.find("\r\n", at)) != std::string::npos;) {
        at += 2;
        if (strncasecmp(head.c_str() + at, "content-length:", 15) == 0) {
          length = std::strtoull(head.c_str() + at + 15, nullptr, 10);
        }
      }
      if (status == 100) {
        buffer_.erase(0, head_end + 4);
        continue;
      }
      if (buffer_.size() >= head_end + 4 + length) {
        response.status = status;
        response.body = buffer_.substr(head_end + 4, length);
        buffer_.erase(0, head_end + 4 + length);
        return response;
      }
    }
    pollfd p{fd_, POLLIN, 0};
    bool buffered = ssl_ && SSL_pending(static_cast<SSL*>(ssl_)) > 0;
    if (!buffered && poll(&p, 1, timeout_ms_ > 0 ? timeout_ms_ : -1) == 0) {
      response.error = "timeout";
      Close();
      return response;
    }
    char chunk[65536];
    long n = Read(chunk, sizeof(chunk));
    if (n <= 0) {
      response.error = n == 0 ? "closed" : std::string("recv: ") + std::strerror(errno);
      Close();
      return response;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

std::string JsonString(std::string_view body, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\"";
  size_t at = body.find(needle);
  if (at == std::string_view::npos) return "";
  at = body.find('"', body.find(':', at + needle.size()));
  if (at == std::string_view::npos) return "";
  size_t end = body.find('"', at + 1);
  return std::string(body.substr(at + 1, end - at - 1));
}

}  // namespace kinesis::sim::testing
