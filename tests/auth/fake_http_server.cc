#include "fake_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace kinesis::auth::testing {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

std::string FakeRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return "";
}

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      ::pipe(wake_pipe_) != 0) {
    std::abort();  // a test helper: no way to go on without a socket
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

FakeHttpServer::~FakeHttpServer() {
  char byte = 'x';
  (void)!::write(wake_pipe_[1], &byte, 1);
  thread_.join();
  for (int fd : stalled_fds_) ::close(fd);
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

std::string FakeHttpServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void FakeHttpServer::set_handler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

void FakeHttpServer::Serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) ServeOne(fd);
  }
}

void FakeHttpServer::ServeOne(int fd) {
  std::string data;
  size_t header_end = std::string::npos;
  size_t content_length = 0;
  char buffer[4096];
  while (true) {
    if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length) break;
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) <= 0 || fds[1].revents != 0) break;
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (header_end == std::string::npos &&
        (header_end = data.find("\r\n\r\n")) != std::string::npos) {
      std::string head = data.substr(0, header_end);
      for (size_t pos = 0; (pos = head.find("\r\n", pos)) != std::string::npos;) {
        pos += 2;
        size_t end = head.find("\r\n", pos);
        std::string line =
            head.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        size_t colon = line.find(':');
        if (colon != std::string::npos &&
            EqualsIgnoreCase(line.substr(0, colon), "content-length")) {
          content_length = std::strtoul(line.c_str() + colon + 1, nullptr, 10);
        }
      }
    }
  }
  if (header_end == std::string::npos) {
    ::close(fd);
    return;
  }
  FakeRequest request;
  std::string head = data.substr(0, header_end);
  size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  size_t first = request_line.find(' ');
  size_t last = request_line.rfind(' ');
  request.method = request_line.substr(0, first);
  request.target = request_line.substr(first + 1, last - first - 1);
  size_t pos = line_end;
  while (pos != std::string::npos && pos < head.size()) {
    pos += 2;
    size_t end = head.find("\r\n", pos);
    std::string line = head.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      size_t value_start = line.find_first_not_of(' ', colon + 1);
      request.headers.emplace_back(
          line.substr(0, colon), value_start == std::string::npos ? "" : line.substr(value_start));
    }
    pos = end;
  }
  request.body = data.substr(header_end + 4, content_length);

  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    handler = handler_;
  }
  FakeResponse response = handler(request);
  if (response.kind == FakeResponse::Kind::kStall) {
    stalled_fds_.push_back(fd);
    return;
  }
  if (response.kind == FakeResponse::Kind::kAnswer) {
    std::string out =
        "HTTP/1.1 " + std::to_string(response.status) + " " + Reason(response.status) +
        "\r\nContent-Length: " + std::to_string(response.body.size()) + "\r\nConnection: close\r\n";
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "\r\n" + response.body;
    WriteAll(fd, out);
  }
  ::close(fd);
}

}  // namespace kinesis::auth::testing
