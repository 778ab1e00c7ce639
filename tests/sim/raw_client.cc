#include "raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace kinesis::sim::testing {

RawClient::~RawClient() { Close(); }

void RawClient::Close() {
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
  return true;
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
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
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
    if (poll(&p, 1, timeout_ms_ > 0 ? timeout_ms_ : -1) == 0) {
      response.error = "timeout";
      Close();
      return response;
    }
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
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
