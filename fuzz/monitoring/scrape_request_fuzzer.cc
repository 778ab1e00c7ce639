// The Prometheus endpoint's request routing on untrusted bytes: never crashes, and answers 200
// only to GET or HEAD of /metrics.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "monitoring/prometheus_exporter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view request(reinterpret_cast<const char*>(data), size);
  auto route = kinesis::monitoring::RouteScrapeRequest(request);
  if (route.status != 200 && route.status != 400 && route.status != 404 && route.status != 405) {
    std::abort();
  }
  if (route.status == 200 && request.rfind("GET /metrics", 0) != 0 &&
      request.rfind("HEAD /metrics", 0) != 0) {
    std::abort();
  }
  if (route.head && request.rfind("HEAD ", 0) != 0) std::abort();
  return 0;
}
