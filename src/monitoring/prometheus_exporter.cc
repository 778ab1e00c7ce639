#include "monitoring/prometheus_exporter.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "monitoring/prometheus_text.h"

namespace kinesis::monitoring {
namespace {

constexpr size_t kMaxRequestBytes = 8192;
constexpr auto kReadDeadline = std::chrono::seconds(5);

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the scraper went away; nothing to do
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string Answer(int status, std::string_view reason, std::string_view content_type,
                   std::string_view body, bool head_only) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
                    "\r\nContent-Type: " + std::string(content_type) +
                    "\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n";
  if (!head_only) out += body;
  return out;
}

// Reads what the client still sends (briefly) before closing: closing a socket with unread
// input makes the kernel reset the connection, and the client could lose the answer.
void LingeringClose(int fd) {
  ::shutdown(fd, SHUT_WR);
  char buffer[2048];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (size_t drained = 0; drained < 65536 && std::chrono::steady_clock::now() < deadline;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) break;
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
  ::close(fd);
}

}  // namespace

ScrapeRoute RouteScrapeRequest(std::string_view request) {
  // "GET /metrics HTTP/1.1"
  std::string_view line = request.substr(0, request.find("\r\n"));
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.substr(sp2 + 1, 5) != "HTTP/") return {400, false};
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view path = target.substr(0, target.find('?'));
  bool head = method == "HEAD";
  if (method != "GET" && !head) return {405, false};
  if (path != "/metrics") return {404, head};
  return {200, head};
}

Result<std::unique_ptr<PrometheusExporter>> PrometheusExporter::Start(
    const MetricsRegistry& registry, PrometheusOptions options) {
  if (options.window.count() < 1 || options.window.count() > MetricsRegistry::kSeconds) {
    return Status::InvalidArgument("Prometheus window " + std::to_string(options.window.count()) +
                                   " s is outside 1.." + std::to_string(MetricsRegistry::kSeconds));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(options.port);
  if (::inet_pton(AF_INET, options.bind_address.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument("Prometheus bind address '" + options.bind_address +
                                   "' is not an IPv4 address");
  }
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IoError(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(fd, 16) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return Status::IoError("Prometheus endpoint cannot listen on " + options.bind_address + ":" +
                           std::to_string(options.port) + ": " + why);
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::unique_ptr<PrometheusExporter> exporter(
      new PrometheusExporter(registry, std::move(options), fd, ntohs(addr.sin_port)));
  if (::pipe2(exporter->wake_pipe_, O_CLOEXEC) != 0) {
    return Status::IoError(std::string("pipe: ") + std::strerror(errno));
  }
  exporter->thread_ = std::thread([e = exporter.get()] { e->Serve(); });
  return exporter;
}

PrometheusExporter::PrometheusExporter(const MetricsRegistry& registry, PrometheusOptions options,
                                       int listen_fd, uint16_t port)
    : registry_(registry), options_(std::move(options)), listen_fd_(listen_fd), port_(port) {}

PrometheusExporter::~PrometheusExporter() {
  if (thread_.joinable()) {
    char byte = 0;
    (void)!::write(wake_pipe_[1], &byte, 1);
    thread_.join();
  }
  for (int fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
  }
  ::close(listen_fd_);
}

std::string PrometheusExporter::Render() {
  PrometheusRender rendered = RenderPrometheus(
      registry_.Read(options_.window), registry_.ReadTotals(),
      static_cast<int>(options_.window.count()), options_.max_series, folded_total_.load());
  folded_total_ += rendered.folded_series;
  for (const auto& [name, value] : options_.settings) {
    const std::string family = "kinesis_producer_" + name;
    char number[32];
    std::snprintf(number, sizeof(number), "%.17g", value);
    rendered.text += "# HELP " + family + " The producer's setting (constant)\n# TYPE " + family +
                     " gauge\n" + family + " " + number + "\n";
  }
  return std::move(rendered.text);
}

void PrometheusExporter::Serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ServeOne(fd);
    LingeringClose(fd);
  }
}

void PrometheusExporter::ServeOne(int fd) {
  std::string request;
  auto deadline = std::chrono::steady_clock::now() + kReadDeadline;
  char buffer[2048];
  while (request.find("\r\n\r\n") == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || request.size() > kMaxRequestBytes) {
      WriteAll(fd,
               Answer(400, "Bad Request", "text/plain", "request too slow or too large\n", false));
      return;
    }
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(left.count())) < 0 || fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return;  // closed before a whole request
    request.append(buffer, static_cast<size_t>(n));
  }
  ScrapeRoute route = RouteScrapeRequest(request);
  switch (route.status) {
    case 400:
      WriteAll(fd, Answer(400, "Bad Request", "text/plain", "malformed request line\n", false));
      return;
    case 405:
      WriteAll(fd, Answer(405, "Method Not Allowed", "text/plain", "only GET and HEAD\n", false));
      return;
    case 404:
      WriteAll(fd, Answer(404, "Not Found", "text/plain", "try /metrics\n", route.head));
      return;
    default:
      break;
  }
  ++scrapes_;
  WriteAll(fd, Answer(200, "OK", "text/plain; version=0.0.4; charset=utf-8", Render(), route.head));
}

}  // namespace kinesis::monitoring
