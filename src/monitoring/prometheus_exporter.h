// PrometheusExporter: an opt-in HTTP endpoint that answers GET /metrics with the producer's
// metrics in the Prometheus text format (see prometheus_text.h for the names and types).
//
// Bound to 127.0.0.1 by default: metrics name streams and shards, and exposing them beyond the
// host is the user's explicit choice (bind_address "0.0.0.0"). One thread serves one connection
// at a time: read the request line and headers (at most 8 KiB, 5 s), answer, close. Scrapes
// are rare (every 10-60 s) and 64 shards x every metric (812 series) read and render in under a
// millisecond (bench/monitoring), so a single blocking thread is enough. Other paths get 404, other
// methods 405, unreadable requests 400.
//
//   auto exporter = PrometheusExporter::Start(registry, {.port = 9464});
//   if (!exporter.ok()) ...;  // e.g. the port is taken
//   // curl http://127.0.0.1:9464/metrics
//
// Thread safety: Start and the destructor from the owning thread; port() and the counters from
// any thread.
#ifndef KINESIS_MONITORING_PROMETHEUS_EXPORTER_H_
#define KINESIS_MONITORING_PROMETHEUS_EXPORTER_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "kinesis/status.h"
#include "metrics/metrics_registry.h"

namespace kinesis::monitoring {

struct PrometheusOptions {
  std::string bind_address = "127.0.0.1";  // an IPv4 address
  uint16_t port = 0;                       // 0: the kernel picks (read it from port())
  // The window values are computed over.
  std::chrono::seconds window{60};
  // At most this many series per scrape; past it shards fold into their stream.
  size_t max_series = 2000;
  // Settings shown beside the metrics, each as a constant gauge kinesis_producer_<name>, so that
  // a dashboard can draw a level against its limit (buffer_bytes / buffer_max_bytes).
  std::vector<std::pair<std::string, double>> settings;
};

// How the endpoint answers a request (its request line; headers are ignored): 200 for GET or
// HEAD /metrics (any query), 404 for other paths, 405 for other methods, 400 when the request
// line is not "METHOD TARGET HTTP/x". `head`: answer without a body.
struct ScrapeRoute {
  int status;
  bool head;
};
ScrapeRoute RouteScrapeRequest(std::string_view request);

class PrometheusExporter {
 public:
  // Binds and starts serving. Fails with kInvalidArgument for a bad address or a window
  // outside 1..MetricsRegistry::kSeconds, kIoError when the address cannot be bound.
  static Result<std::unique_ptr<PrometheusExporter>> Start(const MetricsRegistry& registry,
                                                           PrometheusOptions options);
  ~PrometheusExporter();  // stops the thread and closes the socket
  PrometheusExporter(const PrometheusExporter&) = delete;
  PrometheusExporter& operator=(const PrometheusExporter&) = delete;

  uint16_t port() const { return port_; }
  uint64_t scrapes() const { return scrapes_.load(); }
  uint64_t folded_series_total() const { return folded_total_.load(); }

  // The text a scrape would get now (also used by the server thread).
  std::string Render();

 private:
  PrometheusExporter(const MetricsRegistry& registry, PrometheusOptions options, int listen_fd,
                     uint16_t port);
  void Serve();
  void ServeOne(int fd);

  const MetricsRegistry& registry_;
  const PrometheusOptions options_;
  const int listen_fd_;
  const uint16_t port_;
  int wake_pipe_[2] = {-1, -1};
  std::atomic<uint64_t> scrapes_{0};
  std::atomic<uint64_t> folded_total_{0};
  std::thread thread_;
};

}  // namespace kinesis::monitoring

#endif  // KINESIS_MONITORING_PROMETHEUS_EXPORTER_H_
