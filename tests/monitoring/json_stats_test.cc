// JSON statistics: parsed back with simdjson and checked against the registry.
#include "monitoring/json_stats.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <condition_variable>
#include <mutex>

namespace kinesis::monitoring {
namespace {

using simdjson::dom::element;

class JsonStatsTest : public ::testing::Test {
 protected:
  JsonStatsTest() : registry_(MetricsLevel::kDetailed, MetricsGranularity::kShard) {
    registry_.SetClockForTesting([] { return int64_t{7000}; });
  }
  element Parse(const std::string& json) {
    auto result = parser_.parse(json);
    EXPECT_EQ(result.error(), simdjson::SUCCESS) << json;
    return result.value_unsafe();
  }
  static double Num(element e) {
    if (e.is_uint64()) return static_cast<double>(uint64_t(e));
    if (e.is_int64()) return static_cast<double>(int64_t(e));
    return double(e);
  }
  MetricsRegistry registry_;
  simdjson::dom::parser parser_;
};

TEST_F(JsonStatsTest, DocumentHoldsTotalsStreamsShardsAndErrors) {
  registry_.Record(Metric::kUserRecordsPut, "orders", "shardId-1", 1, 6);
  registry_.Record(Metric::kUserRecordsPut, "orders", "shardId-2", 1, 4);
  registry_.Record(Metric::kUserRecordsPut, "clicks", "shardId-1", 1, 1);
  for (int ms = 1; ms <= 100; ++ms) {
    registry_.Record(Metric::kBufferingTime, "orders", "shardId-1", ms);
  }
  registry_.Record(Metric::kErrorsByCode, "orders", "shardId-2", 1, 3,
                   "ProvisionedThroughputExceededException");
  registry_.Record(Metric::kUserRecordsPending, "", "", 12);

  JsonStatsHeader header{"producer-\"1\"", 1764052200123, 5, 60};
  std::string json = RenderJsonStats(registry_.Read(std::chrono::seconds(60)), header);
  element doc = Parse(json);
  EXPECT_EQ(std::string_view(doc["name"]), "producer-\"1\"");
  EXPECT_EQ(std::string_view(doc["type"]), "producer");
  EXPECT_EQ(int64_t(doc["ts_ms"]), 1764052200123);
  EXPECT_EQ(uint64_t(doc["seq"]), 5u);
  EXPECT_EQ(uint64_t(doc["window_s"]), 60u);

  element put = doc["totals"]["UserRecordsPut"];
  EXPECT_EQ(std::string_view(put["unit"]), "Count");
  EXPECT_EQ(uint64_t(put["count"]), 11u);
  EXPECT_EQ(Num(put["sum"]), 11);
  EXPECT_EQ(Num(put["min"]), 1);
  EXPECT_EQ(Num(put["max"]), 1);
  EXPECT_EQ(Num(put["mean"]), 1);
  EXPECT_EQ(put["p50"].error(), simdjson::NO_SUCH_FIELD);  // counts carry no percentiles
  EXPECT_EQ(Num(doc["totals"]["UserRecordsPending"]["sum"]), 12);

  element bt = doc["totals"]["BufferingTime"];
  EXPECT_EQ(std::string_view(bt["unit"]), "Milliseconds");
  EXPECT_EQ(Num(bt["sum"]), 5050);
  EXPECT_EQ(Num(bt["mean"]), 50.5);
  EXPECT_NEAR(Num(bt["p50"]), 50, 5);
  EXPECT_NEAR(Num(bt["p90"]), 90, 5);
  EXPECT_NEAR(Num(bt["p99"]), 99, 5);
  EXPECT_NEAR(Num(bt["p999"]), 100, 5);

  EXPECT_EQ(uint64_t(doc["errors_by_code"]["ProvisionedThroughputExceededException"]["count"]), 3u);
  element orders = doc["streams"]["orders"];
  EXPECT_EQ(Num(orders["metrics"]["UserRecordsPut"]["sum"]), 10);
  EXPECT_EQ(Num(orders["errors_by_code"]["ProvisionedThroughputExceededException"]["sum"]), 3);
  EXPECT_EQ(Num(orders["shards"]["shardId-1"]["metrics"]["UserRecordsPut"]["sum"]), 6);
  EXPECT_EQ(Num(orders["shards"]["shardId-2"]["metrics"]["UserRecordsPut"]["sum"]), 4);
  EXPECT_EQ(uint64_t(orders["shards"]["shardId-1"]["metrics"]["BufferingTime"]["count"]), 100u);
  EXPECT_EQ(uint64_t(orders["shards"]["shardId-2"]["errors_by_code"]
                           ["ProvisionedThroughputExceededException"]["count"]),
            3u);
  EXPECT_EQ(orders["shards"]["shardId-1"]["errors_by_code"].get_object().size(), 0u);
  EXPECT_EQ(
      Num(doc["streams"]["clicks"]["shards"]["shardId-1"]["metrics"]["UserRecordsPut"]["sum"]), 1);
  EXPECT_EQ(doc["streams"].get_object().size(), 2u);
}

TEST_F(JsonStatsTest, EmptyRegistryIsAValidDocument) {
  element doc = Parse(RenderJsonStats({}, JsonStatsHeader{}));
  EXPECT_EQ(doc["totals"].get_object().size(), 0u);
  EXPECT_EQ(doc["errors_by_code"].get_object().size(), 0u);
  EXPECT_EQ(doc["streams"].get_object().size(), 0u);
}

TEST_F(JsonStatsTest, StringsAreEscapedAndNonFiniteIsNull) {
  MetricValue v{"AllErrors", "Count", {{"StreamName", "a\"b\\c\n\x01"}},      1, 1,
                1,           1,       std::numeric_limits<double>::infinity()};
  element doc = Parse(RenderJsonStats({v}, JsonStatsHeader{}));
  auto e = doc["streams"]["a\"b\\c\n\x01"]["metrics"]["AllErrors"];
  EXPECT_EQ(e.error(), simdjson::SUCCESS);
  EXPECT_TRUE(e["mean"].is_null());
}

TEST_F(JsonStatsTest, ReporterCallsBackWithIncreasingSequence) {
  registry_.Record(Metric::kUserRecordsPut, "s", "shardId-1", 1, 2);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> docs;
  JsonStatsOptions options;
  options.name = "p";
  options.interval = std::chrono::milliseconds(10);
  auto reporter = JsonStatsReporter::Start(registry_, options, [&](const std::string& json) {
    std::lock_guard lock(mu);
    docs.push_back(json);
    cv.notify_all();
  });
  ASSERT_TRUE(reporter.ok()) << reporter.status().ToString();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return docs.size() >= 3; }));
  }
  reporter->reset();  // stops the thread
  std::lock_guard lock(mu);
  for (size_t i = 0; i < docs.size(); ++i) {
    element doc = Parse(docs[i]);
    EXPECT_EQ(uint64_t(doc["seq"]), i + 1);
    EXPECT_EQ(uint64_t(doc["window_s"]), 1u);  // 10 ms rounded up to a second
    EXPECT_EQ(std::string_view(doc["name"]), "p");
    EXPECT_EQ(Num(doc["totals"]["UserRecordsPut"]["sum"]), 2);
  }
}

TEST_F(JsonStatsTest, BadOptionsAreRefused) {
  auto noop = [](const std::string&) {};
  JsonStatsOptions zero;
  zero.interval = std::chrono::milliseconds(0);
  EXPECT_EQ(JsonStatsReporter::Start(registry_, zero, noop).status().code(),
            StatusCode::kInvalidArgument);
  JsonStatsOptions wide;
  wide.window = std::chrono::seconds(MetricsRegistry::kSeconds + 1);
  EXPECT_FALSE(JsonStatsReporter::Start(registry_, wide, noop).ok());
  EXPECT_FALSE(JsonStatsReporter::Start(registry_, {}, nullptr).ok());
  auto fine = JsonStatsReporter::Start(registry_, {}, noop);
  ASSERT_TRUE(fine.ok());
  element doc = Parse((*fine)->Snapshot());
  EXPECT_EQ(uint64_t(doc["seq"]), 1u);
  EXPECT_EQ(uint64_t(doc["window_s"]), 5u);
}

}  // namespace
}  // namespace kinesis::monitoring
