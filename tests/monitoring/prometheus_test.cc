// The Prometheus endpoint, scraped over a socket on 127.0.0.1 and its text parsed back.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "monitoring/prometheus_exporter.h"
#include "monitoring/prometheus_text.h"

namespace kinesis::monitoring {
namespace {

struct HttpAnswer {
  int status = 0;
  std::string headers;
  std::string body;
};

// Sends `request` as it is and reads the answer until the server closes.
HttpAnswer Fetch(uint16_t port, const std::string& request) {
  HttpAnswer answer;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return answer;
  }
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string data;
  char buffer[4096];
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20000) <= 0) break;  // a hung server fails the test, never hangs it
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    data.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  size_t end = data.find("\r\n\r\n");
  if (data.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return answer;
  answer.status = std::stoi(data.substr(9, 3));
  answer.headers = data.substr(0, end);
  answer.body = data.substr(end + 4);
  return answer;
}

HttpAnswer Get(uint16_t port, const std::string& path) {
  return Fetch(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n");
}

struct Exposition {
  std::map<std::string, std::string> types;  // family -> type
  std::map<std::string, double> samples;     // "name{labels}" -> value
  std::map<std::string, int> helps;          // family -> HELP lines
};

Exposition Parse(const std::string& text) {
  Exposition e;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    EXPECT_FALSE(line.empty());
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream l(line.substr(7));
      std::string name, type;
      l >> name >> type;
      EXPECT_TRUE(e.types.emplace(name, type).second) << "TYPE twice: " << name;
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) {
      std::string rest = line.substr(7);
      ++e.helps[rest.substr(0, rest.find(' '))];
      continue;
    }
    size_t space = line.rfind(' ');
    EXPECT_NE(space, std::string::npos) << line;
    std::string series = line.substr(0, space);
    EXPECT_TRUE(e.samples.emplace(series, std::stod(line.substr(space + 1))).second)
        << "sample twice: " << series;
  }
  return e;
}

class PrometheusTest : public ::testing::Test {
 protected:
  PrometheusTest() : registry_(MetricsLevel::kDetailed, MetricsGranularity::kShard) {
    registry_.SetClockForTesting([] { return int64_t{9000}; });
  }
  MetricsRegistry registry_;
};

TEST_F(PrometheusTest, ScrapeAnswersEveryMetricWithTypesLabelsAndQuantiles) {
  registry_.Record(Metric::kUserRecordsPut, "orders", "shardId-1", 1, 7);
  registry_.Record(Metric::kUserRecordsDataPut, "orders", "shardId-1", 100, 3);
  for (int ms = 1; ms <= 100; ++ms)
    registry_.Record(Metric::kBufferingTime, "orders", "shardId-1", ms);
  registry_.Record(Metric::kRetriesPerRecord, "orders", "shardId-1", 2, 5);
  registry_.Record(Metric::kUserRecordsPending, "orders", "", 40);
  registry_.Record(Metric::kUserRecordsPending, "orders", "", 60);
  registry_.Record(Metric::kErrorsByCode, "orders", "shardId-1", 1, 4,
                   "ProvisionedThroughputExceededException");
  auto exporter = PrometheusExporter::Start(registry_, {});
  ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();
  HttpAnswer a = Get((*exporter)->port(), "/metrics");
  ASSERT_EQ(a.status, 200) << a.headers;
  EXPECT_NE(a.headers.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(a.headers.find("Content-Length: " + std::to_string(a.body.size())), std::string::npos);
  Exposition e = Parse(a.body);

  EXPECT_EQ(e.types["kinesis_producer_user_records_put_total"], "counter");
  EXPECT_EQ(e.samples["kinesis_producer_user_records_put_total"], 7);
  EXPECT_EQ(e.samples["kinesis_producer_user_records_put_total{stream=\"orders\"}"], 7);
  EXPECT_EQ(
      e.samples["kinesis_producer_user_records_put_total{stream=\"orders\",shard=\"shardId-1\"}"],
      7);
  EXPECT_EQ(e.types["kinesis_producer_user_records_data_put_bytes_total"], "counter");
  EXPECT_EQ(e.samples["kinesis_producer_user_records_data_put_bytes_total"], 300);

  const std::string bt = "kinesis_producer_buffering_time_milliseconds";
  EXPECT_EQ(e.types[bt], "summary");
  const std::string shard_labels = "{stream=\"orders\",shard=\"shardId-1\"";
  for (const char* q : {"0.5", "0.9", "0.99", "0.999"}) {
    ASSERT_TRUE(e.samples.count(bt + shard_labels + ",quantile=\"" + q + "\"}")) << q;
  }
  double p50 = e.samples[bt + shard_labels + ",quantile=\"0.5\"}"];
  double p99 = e.samples[bt + shard_labels + ",quantile=\"0.99\"}"];
  EXPECT_NEAR(p50, 50, 5);
  EXPECT_NEAR(p99, 99, 5);
  EXPECT_LE(p50, p99);
  EXPECT_EQ(e.samples[bt + "_sum" + shard_labels + "}"], 5050);
  EXPECT_EQ(e.samples[bt + "_count" + shard_labels + "}"], 100);
  EXPECT_EQ(e.samples[bt + "_count"], 100);

  EXPECT_EQ(e.types["kinesis_producer_retries_per_record"], "summary");
  EXPECT_EQ(e.samples["kinesis_producer_retries_per_record_sum{stream=\"orders\"}"], 10);
  EXPECT_EQ(e.samples["kinesis_producer_retries_per_record_count{stream=\"orders\"}"], 5);
  EXPECT_FALSE(
      e.samples.count("kinesis_producer_retries_per_record{stream=\"orders\",quantile=\"0.5\"}"));

  EXPECT_EQ(e.types["kinesis_producer_user_records_pending"], "gauge");
  EXPECT_EQ(e.samples["kinesis_producer_user_records_pending{stream=\"orders\"}"], 50);

  EXPECT_EQ(e.samples["kinesis_producer_errors_by_code_total{stream=\"orders\",shard=\"shardId-1\","
                      "error_code=\"ProvisionedThroughputExceededException\"}"],
            4);
  EXPECT_EQ(e.samples["kinesis_producer_series_folded"], 0);
  EXPECT_EQ(e.types["kinesis_producer_series_folded_total"], "counter");
  EXPECT_EQ(e.samples["kinesis_producer_metrics_window_seconds"], 60);
  for (const auto& [family, type] : e.types) EXPECT_EQ(e.helps[family], 1) << family;
  EXPECT_EQ((*exporter)->scrapes(), 1u);
}

// Event counts are counters since start, monotonic across scrapes (rate() works), the errors
// with an error_code label; the window only bounds the quantiles and the gauges.
TEST(PrometheusCounters, EventCountsAreMonotonicTotalsWithErrorCodeLabels) {
  MetricsRegistry registry(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  int64_t now = 9000;
  registry.SetClockForTesting([&now] { return now; });
  registry.Record(Metric::kUserRecordsPut, "orders", "shardId-1", 1, 7);
  registry.Record(Metric::kErrorsByCode, "orders", "shardId-1", 1, 4,
                  "ProvisionedThroughputExceededException");
  registry.Record(Metric::kBufferingTime, "orders", "shardId-1", 20, 3);
  auto exporter = PrometheusExporter::Start(registry, {});
  ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();
  const std::string put = "kinesis_producer_user_records_put_total";
  const std::string errors =
      "kinesis_producer_errors_by_code_total{stream=\"orders\",shard=\"shardId-1\","
      "error_code=\"ProvisionedThroughputExceededException\"}";
  Exposition first = Parse(Get((*exporter)->port(), "/metrics").body);
  EXPECT_EQ(first.types[put], "counter");
  EXPECT_EQ(first.samples[put + "{stream=\"orders\",shard=\"shardId-1\"}"], 7);
  EXPECT_EQ(first.types["kinesis_producer_errors_by_code_total"], "counter");
  EXPECT_EQ(first.samples[errors], 4);
  EXPECT_FALSE(first.types.count("kinesis_producer_user_records_put")) << "a gauge left over";

  now += 500;  // far past any window
  registry.Record(Metric::kUserRecordsPut, "orders", "shardId-1", 1, 3);
  registry.Record(Metric::kBufferingTime, "orders", "shardId-1", 40, 1);
  Exposition second = Parse(Get((*exporter)->port(), "/metrics").body);
  EXPECT_EQ(second.samples[put], 10);  // 7 + 3: it never goes down
  EXPECT_EQ(second.samples[errors], 4);
  const std::string bt = "kinesis_producer_buffering_time_milliseconds";
  EXPECT_EQ(second.samples[bt + "_count"], 4);  // the summary's _sum and _count too
  EXPECT_EQ(second.samples[bt + "_sum"], 100);
}

TEST_F(PrometheusTest, CardinalityCapFoldsShardsIntoTheirStream) {
  for (int s = 0; s < 50; ++s) {
    std::string shard = "shardId-" + std::string(s < 10 ? "0" : "") + std::to_string(s);
    registry_.Record(Metric::kUserRecordsPut, "big", shard, 1, 1);
    registry_.Record(Metric::kKinesisRecordsPut, "big", shard, 1, 1);
  }
  PrometheusOptions options;
  options.max_series = 4 + 2 * 10;  // 4 unsharded (2 metrics x global/stream) + 10 shards
  auto exporter = PrometheusExporter::Start(registry_, options);
  ASSERT_TRUE(exporter.ok());
  for (int scrape = 1; scrape <= 2; ++scrape) {
    Exposition e = Parse(Get((*exporter)->port(), "/metrics").body);
    size_t shard_series = 0;
    for (const auto& [series, value] : e.samples) {
      if (series.find("shard=") != std::string::npos) ++shard_series;
    }
    EXPECT_EQ(shard_series, 20u);
    // The first ten shards in name order, each with both metrics.
    EXPECT_TRUE(e.samples.count(
        "kinesis_producer_user_records_put_total{stream=\"big\",shard=\"shardId-09\"}"));
    EXPECT_TRUE(e.samples.count(
        "kinesis_producer_kinesis_records_put_total{stream=\"big\",shard=\"shardId-09\"}"));
    EXPECT_FALSE(e.samples.count(
        "kinesis_producer_user_records_put_total{stream=\"big\",shard=\"shardId-10\"}"));
    // The stream level still counts every shard.
    EXPECT_EQ(e.samples["kinesis_producer_user_records_put_total{stream=\"big\"}"], 50);
    EXPECT_EQ(e.samples["kinesis_producer_series_folded"], 80);
    EXPECT_EQ(e.samples["kinesis_producer_series_folded_total"], 80.0 * scrape);
  }
  EXPECT_EQ((*exporter)->folded_series_total(), 160u);
}

TEST_F(PrometheusTest, OtherPathsMethodsAndGarbage) {
  auto exporter = PrometheusExporter::Start(registry_, {});
  ASSERT_TRUE(exporter.ok());
  uint16_t port = (*exporter)->port();
  EXPECT_EQ(Get(port, "/").status, 404);
  EXPECT_EQ(Get(port, "/metrics/x").status, 404);
  EXPECT_EQ(Get(port, "/metrics?name=x").status, 200);
  EXPECT_EQ(Fetch(port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n").status, 405);
  EXPECT_EQ(Fetch(port, "garbage\r\n\r\n").status, 400);
  EXPECT_EQ(Fetch(port, std::string(9000, 'x')).status, 400);
  HttpAnswer head = Fetch(port, "HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  // Still serving after all that.
  EXPECT_EQ(Get(port, "/metrics").status, 200);
}

TEST_F(PrometheusTest, BadSettingsAndTakenPortFail) {
  PrometheusOptions bad;
  bad.bind_address = "localhost:80";
  auto r = PrometheusExporter::Start(registry_, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  PrometheusOptions window;
  window.window = std::chrono::seconds(0);
  EXPECT_FALSE(PrometheusExporter::Start(registry_, window).ok());

  auto first = PrometheusExporter::Start(registry_, {});
  ASSERT_TRUE(first.ok());
  PrometheusOptions same;
  same.port = (*first)->port();
  auto second = PrometheusExporter::Start(registry_, same);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kIoError);
  EXPECT_NE(second.status().message().find(std::to_string(same.port)), std::string::npos);
}

TEST(PrometheusNames, SnakeCaseAndUnits) {
  EXPECT_EQ(SnakeCase("UserRecordsPerKinesisRecord"), "user_records_per_kinesis_record");
  EXPECT_EQ(PrometheusName("BufferBytes", "Bytes"), "kinesis_producer_buffer_bytes");
  EXPECT_EQ(PrometheusName("RequestTime", "Milliseconds"),
            "kinesis_producer_request_time_milliseconds");
  EXPECT_EQ(PrometheusName("AllErrors", "Count"), "kinesis_producer_all_errors");
}

TEST(PrometheusText, LabelValuesAreEscaped) {
  MetricValue v{"AllErrors", "Count", {{"StreamName", "a\"b\\c\nd"}}, 1, 1, 1, 1, 1};
  auto r = RenderPrometheus({v}, 60, 100, 0);
  EXPECT_NE(r.text.find("kinesis_producer_all_errors_total{stream=\"a\\\"b\\\\c\\nd\"} 1\n"),
            std::string::npos)
      << r.text;
}

}  // namespace
}  // namespace kinesis::monitoring
