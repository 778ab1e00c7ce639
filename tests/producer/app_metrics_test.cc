// Application metrics through the producer (Producer::AppMetrics): counted and timed by the
// application, uploaded in the producer's PutMetricData calls (to a receiver of the tests' own on
// 127.0.0.1) next to the KPL's metrics, in its namespace or the configured one; shown on the
// Prometheus endpoint and in the JSON statistics; and refused, with the value and the limit
// named, past the cardinality limit or with names CloudWatch would refuse.
#include "kinesis/app_metrics.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "../auth/fake_http_server.h"
#include "../monitoring/query_form.h"
#include "fake_kinesis.h"
#include "kinesis/producer.h"
#include "local_http.h"

namespace kinesis {
namespace {

using auth::testing::FakeHttpServer;
using auth::testing::FakeRequest;
using auth::testing::FakeResponse;
using testing::FreePort;
using testing::HttpGet;

void PutAndFlush(Producer& producer, const std::string& stream, int n) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(producer.Put(stream, "k" + std::to_string(i), "data", std::nullopt, nullptr).ok());
  }
  ASSERT_TRUE(producer.Flush().get().ok());
}

ProducerConfig UploadingConfig(const std::string& cloudwatch_url) {
  ProducerConfig c = testing::FastTestConfig();
  c.aws_access_key_id = "AKIDEXAMPLE";
  c.aws_secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.cloudwatch_endpoint = cloudwatch_url;
  c.metrics_upload_delay_ms = 60000;  // only the last upload, at Close
  return c;
}

struct Datum {
  std::string ns;
  monitoring::testing::Form fields;
};

// Every datum of every PutMetricData call, by "name|dim=value|...".
std::map<std::string, Datum> Uploaded(const std::vector<FakeRequest>& requests) {
  std::map<std::string, Datum> out;
  for (const FakeRequest& r : requests) {
    monitoring::testing::Form form = monitoring::testing::ParseForm(r.body);
    for (auto& [id, datum] : monitoring::testing::Datums(form)) {
      out[id] = Datum{form["Namespace"], datum};
    }
  }
  return out;
}

TEST(AppMetrics, UploadedInThePutMetricDataCallsNextToTheKplMetrics) {
  FakeHttpServer cloudwatch(
      [](const FakeRequest&) { return FakeResponse::Answer(200, "<PutMetricDataResponse/>"); });
  auto kinesis = testing::FakeWithStream("clicks", 1);
  auto producer = Producer::Create(UploadingConfig(cloudwatch.url()), kinesis).value();

  auto home = producer->AppMetrics().Counter("ClickEvents", {{"Page", "/home"}});
  auto cart = producer->AppMetrics().Counter("ClickEvents", {{"Page", "/cart"}});
  auto checkout = producer->AppMetrics().Histogram("CheckoutTime", {{"Page", "/cart"}});
  ASSERT_TRUE(home.ok()) << home.status().ToString();
  ASSERT_TRUE(cart.ok()) << cart.status().ToString();
  ASSERT_TRUE(checkout.ok()) << checkout.status().ToString();
  home->Add(3);
  home->Add();
  cart->Add(2);
  for (double ms : {10.0, 20.0, 30.0}) ASSERT_TRUE(checkout->Record(ms).ok());
  PutAndFlush(*producer, "clicks", 20);
  ASSERT_TRUE(producer->Close(std::chrono::seconds(10)).ok());

  auto uploaded = Uploaded(cloudwatch.requests());
  ASSERT_TRUE(uploaded.count("ClickEvents|Page=/home")) << "application metric not uploaded";
  const Datum& clicks = uploaded.at("ClickEvents|Page=/home");
  EXPECT_EQ(clicks.ns, "KinesisProducerLibrary");  // the producer's namespace by default
  EXPECT_EQ(clicks.fields.at("Unit"), "Count");
  EXPECT_EQ(std::stod(clicks.fields.at("StatisticValues.Sum")), 4);
  EXPECT_EQ(std::stod(uploaded.at("ClickEvents|Page=/cart").fields.at("StatisticValues.Sum")), 2);
  const Datum& time = uploaded.at("CheckoutTime|Page=/cart");
  EXPECT_EQ(time.fields.at("Unit"), "Milliseconds");
  EXPECT_EQ(std::stod(time.fields.at("StatisticValues.SampleCount")), 3);
  EXPECT_EQ(std::stod(time.fields.at("StatisticValues.Minimum")), 10);
  EXPECT_EQ(std::stod(time.fields.at("StatisticValues.Maximum")), 30);
  ASSERT_TRUE(uploaded.count("UserRecordsPut")) << "the KPL's metric is missing";
  EXPECT_EQ(std::stod(uploaded.at("UserRecordsPut").fields.at("StatisticValues.Sum")), 20);
  // One call carries both (they fit in one): the body a reader of CloudWatch would see.
  bool together = false;
  for (const FakeRequest& r : cloudwatch.requests()) {
    if (r.body.find("ClickEvents") != std::string::npos &&
        r.body.find("UserRecordsPut") != std::string::npos) {
      together = true;
      if (const char* path = std::getenv("KINESIS_SAVE_PUT_METRIC_DATA")) {
        std::ofstream(path) << r.body;
      }
    }
  }
  EXPECT_TRUE(together);
}

TEST(AppMetrics, ApplicationNamespaceGetsItsOwnCalls) {
  FakeHttpServer cloudwatch(
      [](const FakeRequest&) { return FakeResponse::Answer(200, "<PutMetricDataResponse/>"); });
  auto kinesis = testing::FakeWithStream("clicks", 1);
  ProducerConfig c = UploadingConfig(cloudwatch.url());
  c.app_metrics_namespace = "ClickApp";
  auto producer = Producer::Create(c, kinesis).value();
  producer->AppMetrics().Counter("ClickEvents", {{"Page", "/home"}})->Add(5);
  PutAndFlush(*producer, "clicks", 5);
  ASSERT_TRUE(producer->Close(std::chrono::seconds(10)).ok());
  auto uploaded = Uploaded(cloudwatch.requests());
  ASSERT_TRUE(uploaded.count("ClickEvents|Page=/home"));
  EXPECT_EQ(uploaded.at("ClickEvents|Page=/home").ns, "ClickApp");
  ASSERT_TRUE(uploaded.count("UserRecordsPut"));
  EXPECT_EQ(uploaded.at("UserRecordsPut").ns, "KinesisProducerLibrary");
}

TEST(AppMetrics, PrometheusEndpointShowsThem) {
  auto kinesis = testing::FakeWithStream("clicks", 1);
  ProducerConfig c = testing::FastTestConfig();
  c.prometheus_port = FreePort();
  auto producer = Producer::Create(c, kinesis).value();
  producer->AppMetrics().Counter("ClickEvents", {{"Page", "/home"}})->Add(7);
  ASSERT_TRUE(producer->AppMetrics().Histogram("CheckoutTime")->Record(12).ok());
  PutAndFlush(*producer, "clicks", 3);
  std::string scrape = HttpGet(static_cast<uint16_t>(c.prometheus_port), "/metrics");
  EXPECT_NE(scrape.find("# TYPE kinesis_app_click_events_total counter"), std::string::npos)
      << scrape;
  EXPECT_NE(scrape.find("kinesis_app_click_events_total{page=\"/home\"} 7\n"), std::string::npos)
      << scrape;
  EXPECT_NE(scrape.find("# TYPE kinesis_app_checkout_time_milliseconds summary"),
            std::string::npos);
  EXPECT_NE(scrape.find("kinesis_app_checkout_time_milliseconds_count 1\n"), std::string::npos);
  EXPECT_NE(scrape.find("kinesis_producer_user_records_put_total"), std::string::npos);
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());
}

TEST(AppMetrics, JsonStatsShowThem) {
  auto kinesis = testing::FakeWithStream("clicks", 1);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> docs;
  ProducerConfig c = testing::FastTestConfig();
  c.stats_interval_ms = 50;
  c.stats_callback = [&](const std::string& json) {
    std::lock_guard lock(mu);
    docs.push_back(json);
    cv.notify_all();
  };
  auto producer = Producer::Create(c, kinesis).value();
  producer->AppMetrics().Counter("ClickEvents", {{"Page", "/home"}})->Add(2);
  std::unique_lock lock(mu);
  size_t before = docs.size();
  ASSERT_TRUE(
      cv.wait_for(lock, std::chrono::seconds(30), [&] { return docs.size() > before + 1; }));
  const std::string want =
      "\"application\":[{\"name\":\"ClickEvents\",\"dimensions\":{\"Page\":\"/home\"},"
      "\"unit\":\"Count\",\"count\":1,\"sum\":2";
  EXPECT_NE(docs.back().find(want), std::string::npos) << docs.back();
  lock.unlock();
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());
}

TEST(AppMetrics, CardinalityLimitRefusesANewSetNamingTheLimit) {
  auto kinesis = testing::FakeWithStream("clicks", 1);
  ProducerConfig c = testing::FastTestConfig();
  c.app_metrics_max_series = 3;
  auto producer = Producer::Create(c, kinesis).value();
  ApplicationMetrics& m = producer->AppMetrics();
  for (const char* page : {"/a", "/b", "/c"}) {
    ASSERT_TRUE(m.Counter("ClickEvents", {{"Page", page}}).ok()) << page;
  }
  // The same set again is the same series, not a new one.
  ASSERT_TRUE(m.Counter("ClickEvents", {{"Page", "/a"}}).ok());
  auto fourth = m.Counter("ClickEvents", {{"Page", "/d"}});
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(fourth.status().message().find("ClickEvents{Page=/d}"), std::string::npos)
      << fourth.status().ToString();
  EXPECT_NE(fourth.status().message().find("AppMetricsMaxSeries is 3"), std::string::npos)
      << fourth.status().ToString();
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());
}

TEST(AppMetrics, NamesCloudWatchWouldRefuseAreRefused) {
  auto kinesis = testing::FakeWithStream("clicks", 1);
  auto producer = Producer::Create(testing::FastTestConfig(), kinesis).value();
  ApplicationMetrics& m = producer->AppMetrics();
  auto expect_error = [](const Status& s, const std::string& part) {
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find(part), std::string::npos) << s.ToString();
  };
  expect_error(m.Counter("").status(), "empty");
  expect_error(m.Counter(std::string(256, 'n')).status(), "256 characters; at most 255");
  expect_error(m.Counter("Clicks", {{std::string(256, 'd'), "v"}}).status(),
               "256 characters; at most 255");
  expect_error(m.Counter("Clicks", {{"Page", ""}}).status(), "empty");
  expect_error(m.Counter("Clicks", {{"Page", std::string(1025, 'v')}}).status(),
               "1025 characters; at most 1024");
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 31; ++i) many.emplace_back("D" + std::to_string(i), "v");
  expect_error(m.Counter("Clicks", many).status(), "31 dimensions; at most 30");
  expect_error(m.Counter("Clicks", {{"Page", "a"}, {"Page", "b"}}).status(), "twice");
  expect_error(m.Counter("UserRecordsPut").status(), "the producer's own metric");
  expect_error(m.Histogram("Latency", {}, "Parsecs").status(), "Parsecs");
  ASSERT_TRUE(m.Counter("Clicks").ok());
  expect_error(m.Histogram("Clicks").status(), "already a counter");
  auto h = m.Histogram("Latency");
  ASSERT_TRUE(h.ok());
  expect_error(h->Record(-1), "-1");
  expect_error(h->Record(std::numeric_limits<double>::quiet_NaN()), "nan");
  ASSERT_TRUE(producer->Close(std::chrono::seconds(5)).ok());
}

TEST(AppMetrics, SettingsLoadAndAreChecked) {
  ProducerConfig c;
  ASSERT_TRUE(ApplySetting(c, "AppMetricsNamespace", "ClickApp").ok());
  EXPECT_EQ(c.app_metrics_namespace, "ClickApp");
  ASSERT_TRUE(ApplySetting(c, "AppMetricsMaxSeries", "50").ok());
  EXPECT_EQ(c.app_metrics_max_series, 50u);
  Status bad = ApplySetting(c, "AppMetricsMaxSeries", "0");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("AppMetricsMaxSeries"), std::string::npos) << bad.ToString();
}

}  // namespace
}  // namespace kinesis
