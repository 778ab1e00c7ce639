// The Grafana dashboard (monitoring/grafana/kinesis-producer.json) against a real scrape: a
// producer writes through the HTTP client into kinesis-sim while the sim refuses every record
// of one shard and half of the others', loses answers (so records are resent) and at the end
// throttles everything until records expire; then every metric selector of every panel and variable
// must match at least one series the producer's Prometheus endpoint serves, labels included.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "../producer/local_http.h"
#include "auth/http_fetcher.h"
#include "kinesis/http_backend.h"
#include "kinesis/producer.h"
#include "sim/kinesis_sim.h"

namespace kinesis {
namespace {

struct Series {
  std::string name;
  std::map<std::string, std::string> labels;
};

// Every PromQL expression of the dashboard: panels' targets and the variables' queries.
std::vector<std::string> DashboardQueries(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element dashboard = parser.load(path);
  std::vector<std::string> queries;
  for (simdjson::dom::element panel : dashboard["panels"].get_array()) {
    for (simdjson::dom::element target : panel["targets"].get_array()) {
      queries.emplace_back(std::string_view(target["expr"].get_string()));
    }
  }
  for (simdjson::dom::element variable : dashboard["templating"]["list"].get_array()) {
    simdjson::dom::element query;
    if (variable["type"].get_string().value() != "query") continue;
    if (variable["query"]["query"].get(query) == simdjson::SUCCESS) {
      queries.emplace_back(std::string_view(query.get_string()));
    }
  }
  return queries;
}

// The samples of a Prometheus text answer.
std::vector<Series> ParseScrape(const std::string& text) {
  std::vector<Series> out;
  static const std::regex kLabel(R"re(([a-z_]+)="([^"]*)")re");
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end == std::string::npos ? end : end - pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    if (line.empty() || line[0] == '#') continue;
    Series s;
    size_t brace = line.find('{');
    size_t space = line.find(' ');
    s.name = line.substr(0, std::min(brace, space));
    if (brace < space) {
      std::string labels = line.substr(brace, line.find('}') - brace);
      for (std::sregex_iterator it(labels.begin(), labels.end(), kLabel), last; it != last; ++it) {
        s.labels[(*it)[1]] = (*it)[2];
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Whether one series satisfies `label op "value"` (an absent label reads as "").
bool Matches(const Series& s, const std::string& label, const std::string& op,
             const std::string& value) {
  auto it = s.labels.find(label);
  const std::string actual = it == s.labels.end() ? "" : it->second;
  if (op == "=") return actual == value;
  if (op == "!=") return actual != value;
  bool full = std::regex_match(actual, std::regex(value));
  return op == "=~" ? full : !full;
}

// The selectors of `query` that no series matches; every variable of the dashboard reads as
// "all" (.*). label_values(metric, label) asks for series of `metric` with `label`.
std::vector<std::string> Unmatched(std::string query, const std::vector<Series>& scrape) {
  query = std::regex_replace(query, std::regex(R"(\$stream)"), ".*");
  query = std::regex_replace(query, std::regex(R"(label_values\((\w+), (\w+)\))"), "$1{$2!=\"\"}");
  static const std::regex kSelector(R"((kinesis_producer_\w+)(\{([^}]*)\})?)");
  static const std::regex kMatcher(R"re(\s*(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"\s*)re");
  std::vector<std::string> missing;
  int selectors = 0;
  for (std::sregex_iterator it(query.begin(), query.end(), kSelector), last; it != last; ++it) {
    ++selectors;
    const std::string name = (*it)[1];
    std::vector<std::smatch> matchers;
    const std::string inside = (*it)[3];
    for (std::sregex_iterator m(inside.begin(), inside.end(), kMatcher), none; m != none; ++m) {
      matchers.push_back(*m);
    }
    bool found = false;
    for (const Series& s : scrape) {
      if (s.name != name) continue;
      bool all = true;
      for (const std::smatch& m : matchers) all = all && Matches(s, m[1], m[2], m[3]);
      found = found || all;
    }
    if (!found) missing.push_back((*it)[0]);
  }
  if (selectors == 0) missing.push_back("no kinesis_producer_ metric in: " + query);
  return missing;
}

void PutAndFlush(Producer& producer, const std::string& stream, int records) {
  for (int i = 0; i < records; ++i) {
    Status put = producer.Put(stream, "key-" + std::to_string(i % 50),
                              "{\"n\": " + std::to_string(i) + "}", std::nullopt, nullptr);
    ASSERT_TRUE(put.ok()) << put.ToString();
  }
  Status flushed = producer.Flush(std::nullopt, std::chrono::seconds(120)).get();
  ASSERT_TRUE(flushed.ok()) << flushed.ToString();
}

TEST(GrafanaDashboardTest, EveryQueryNamesSeriesTheEndpointServes) {
  std::vector<std::string> queries =
      DashboardQueries(std::string(KP_SOURCE_DIR) + "/monitoring/grafana/kinesis-producer.json");
  ASSERT_GE(queries.size(), 15u);

  sim::SimOptions options;
  options.limits = false;
  options.streams = {{"clicks", 4}, {"logs", 2}};
  auto sim = sim::KinesisSim::Start(options);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  ASSERT_TRUE((*sim)
                  ->SetFaults("seed=7,record_throttle_rate=0.5,throttle_shards=shardId-"
                              "000000000001,reset_after_rate=0.05")
                  .ok());
  ProducerConfig config;
  config.region = "us-east-1";
  config.aws_access_key_id = "AKIDDASHBOARD";
  config.aws_secret_key = "dashboard-secret";
  config.kinesis_endpoint = (*sim)->endpoint();
  config.record_max_buffered_time_ms = 20;
  config.retry_backoff_base_ms = 5;
  config.retry_backoff_max_ms = 50;
  config.record_ttl_ms = 2000;
  config.prometheus_port = kinesis::testing::FreePort();
  auto backend = CreateHttpBackend(config);
  ASSERT_TRUE(backend.ok()) << backend.status().ToString();
  auto producer = Producer::Create(config, *backend);
  ASSERT_TRUE(producer.ok()) << producer.status().ToString();
  PutAndFlush(**producer, "clicks", 3000);
  PutAndFlush(**producer, "logs", 1000);
  // Then nothing gets through: records expire.
  ASSERT_TRUE((*sim)->SetFaults("record_throttle_rate=1,reset_after_rate=0").ok());
  PutAndFlush(**producer, "logs", 20);

  auth::HttpFetchRequest get;
  get.url = "http://127.0.0.1:" + std::to_string(config.prometheus_port) + "/metrics";
  auto scrape = auth::DefaultHttpFetcher()->Send(get);
  ASSERT_TRUE(scrape.ok()) << scrape.status().ToString();
  ASSERT_EQ(scrape->status, 200);
  std::vector<Series> series = ParseScrape(scrape->body);
  for (const std::string& query : queries) {
    std::vector<std::string> missing = Unmatched(query, series);
    EXPECT_TRUE(missing.empty()) << query
                                 << "\n  matches nothing: " << ::testing::PrintToString(missing);
  }
  // The limits the budget and in-flight panels divide by.
  EXPECT_NE(scrape->body.find("\nkinesis_producer_buffer_max_bytes " +
                              std::to_string(config.buffer_max_bytes) + "\n"),
            std::string::npos);
  EXPECT_NE(scrape->body.find("\nkinesis_producer_max_connections " +
                              std::to_string(config.max_connections) + "\n"),
            std::string::npos);

  // The check can fail: a name or a label the endpoint does not serve.
  EXPECT_FALSE(Unmatched("rate(kinesis_producer_no_such_metric_total[1m])", series).empty());
  EXPECT_FALSE(
      Unmatched("kinesis_producer_buffer_bytes{stream!=\"\"}", series).empty());  // global only
  EXPECT_FALSE(Unmatched("rate(kinesis_producer_throttled_records_total{shard=\"shardId-"
                         "000000000009\"}[1m])",
                         series)
                   .empty());
}

}  // namespace
}  // namespace kinesis
