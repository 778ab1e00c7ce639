#include <gtest/gtest.h>

#include <random>

#include "metrics/histogram.h"
#include "metrics/metrics_registry.h"

namespace kinesis {
namespace {

TEST(HistogramTest, QuantilesWithinThreePercent) {
  Histogram h;
  std::vector<uint64_t> values;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100000; ++i) {
    uint64_t v = 1 + rng() % 1000000;
    values.push_back(v);
    h.Add(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    double exact = static_cast<double>(values[static_cast<size_t>(q * values.size()) - 1]);
    EXPECT_NEAR(h.Quantile(q), exact, exact * 0.035) << q;
  }
  EXPECT_EQ(h.total(), 100000u);
}

TEST(HistogramTest, SmallValuesAreExactAndBucketsTile) {
  Histogram h;
  for (uint64_t v = 0; v < 16; ++v) h.Add(v);
  EXPECT_EQ(h.Quantile(0.5), 7);
  for (int b = 1; b < Histogram::kBuckets; ++b) {
    ASSERT_EQ(Histogram::Bucket(Histogram::BucketStart(b)), b);
    ASSERT_EQ(Histogram::Bucket(Histogram::BucketStart(b) - 1), b - 1);
  }
  Histogram empty;
  EXPECT_EQ(empty.Quantile(0.99), 0);
}

class RegistryTest : public ::testing::Test {
 protected:
  int64_t now_ = 1000;
  std::function<int64_t()> Clock() {
    return [this] { return now_; };
  }
};

const MetricValue* Get(const std::vector<MetricValue>& values, std::string_view name,
                       std::map<std::string, std::string> dims) {
  for (const MetricValue& v : values) {
    if (v.name == name && v.dimensions == dims) return &v;
  }
  return nullptr;
}

TEST_F(RegistryTest, RecordsAtEveryGranularityAndReadsWindows) {
  MetricsRegistry r(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  r.SetClockForTesting(Clock());
  r.Record(Metric::kUserRecordsPut, "s", "shard-1", 1, 10);
  r.Record(Metric::kUserRecordsPut, "s", "shard-2", 1, 5);
  now_ += 30;
  r.Record(Metric::kUserRecordsPut, "s", "shard-1", 1, 1);
  auto all = r.Read(std::chrono::seconds(60));
  ASSERT_NE(Get(all, "UserRecordsPut", {}), nullptr);
  EXPECT_EQ(Get(all, "UserRecordsPut", {})->count, 16u);
  EXPECT_EQ(Get(all, "UserRecordsPut", {{"StreamName", "s"}})->sum, 16);
  EXPECT_EQ(Get(all, "UserRecordsPut", {{"StreamName", "s"}, {"ShardId", "shard-1"}})->count, 11u);
  auto recent = r.Read(std::chrono::seconds(10));
  EXPECT_EQ(Get(recent, "UserRecordsPut", {})->count, 1u);
  now_ += 500;  // everything has aged out of the ring
  EXPECT_TRUE(r.Read(std::chrono::seconds(60)).empty());
}

// A window of 0 reads everything since the start (the KPL's getMetrics without a duration),
// past the two minutes the ring keeps, with the seconds it covers; ErrorsByCode also has the
// KPL's global series without ErrorCode.
TEST_F(RegistryTest, AWindowOfZeroReadsTotalsSinceStart) {
  MetricsRegistry r(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  r.SetClockForTesting(Clock());
  r.Record(Metric::kUserRecordsPut, "s", "shard-1", 1, 10);
  r.Record(Metric::kUserRecordsPut, "s", "shard-1", 0, 2);
  r.Record(Metric::kErrorsByCode, "s", "shard-1", 1, 2, "InternalFailure");
  r.Record(Metric::kErrorsByCode, "s", "shard-1", 1, 1, "AccessDeniedException");
  now_ += 500;
  r.RecordValues(Metric::kBufferingTime, "s", "shard-1", {5, 15});
  EXPECT_EQ(Get(r.Read(std::chrono::seconds(120)), "UserRecordsPut", {}), nullptr);
  auto totals = r.Read(std::chrono::seconds(0));
  const MetricValue* put =
      Get(totals, "UserRecordsPut", {{"StreamName", "s"}, {"ShardId", "shard-1"}});
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->count, 12u);
  EXPECT_EQ(put->sum, 10);
  EXPECT_EQ(put->min, 0);
  EXPECT_EQ(put->max, 1);
  EXPECT_NEAR(put->mean, 10.0 / 12, 1e-12);
  EXPECT_EQ(put->seconds, 500u);
  const MetricValue* errors = Get(totals, "ErrorsByCode", {});
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(errors->sum, 3);
  EXPECT_EQ(Get(totals, "ErrorsByCode", {{"ErrorCode", "InternalFailure"}})->sum, 2);
  const MetricValue* buffering = Get(totals, "BufferingTime", {});
  ASSERT_NE(buffering, nullptr);
  EXPECT_EQ(buffering->count, 2u);
  EXPECT_EQ(buffering->min, 5);
  EXPECT_EQ(buffering->max, 15);
  EXPECT_EQ(Get(r.Read(std::chrono::seconds(60)), "BufferingTime", {})->seconds, 60u);
}

TEST_F(RegistryTest, LevelAndGranularityFilter) {
  MetricsRegistry summary(MetricsLevel::kSummary, MetricsGranularity::kStream);
  summary.SetClockForTesting(Clock());
  summary.Record(Metric::kUserRecordsPut, "s", "shard-1", 1);
  summary.Record(Metric::kRetriesPerRecord, "s", "shard-1", 2);  // detailed only
  auto v = summary.Read(std::chrono::seconds(60));
  EXPECT_NE(Get(v, "UserRecordsPut", {{"StreamName", "s"}}), nullptr);
  EXPECT_EQ(Get(v, "UserRecordsPut", {{"StreamName", "s"}, {"ShardId", "shard-1"}}), nullptr);
  EXPECT_EQ(Get(v, "RetriesPerRecord", {}), nullptr);

  MetricsRegistry none(MetricsLevel::kNone, MetricsGranularity::kShard);
  none.Record(Metric::kUserRecordsPut, "s", "", 1);
  EXPECT_TRUE(none.Read(std::chrono::seconds(60)).empty());
}

TEST_F(RegistryTest, LatencyMetricsHavePercentilesAndErrorsHaveCodes) {
  MetricsRegistry r(MetricsLevel::kDetailed, MetricsGranularity::kStream);
  r.SetClockForTesting(Clock());
  std::string stream = "s";
  std::vector<MetricsRegistry::Observation> batch;
  for (int i = 1; i <= 1000; ++i) {
    batch.push_back({Metric::kPutLatency, &stream, "", "", static_cast<double>(i), 1});
  }
  batch.push_back({Metric::kErrorsByCode, &stream, "shard-1", "InternalFailure", 1, 3});
  r.RecordBatch(batch);
  auto v = r.Read(std::chrono::seconds(60));
  const MetricValue* latency = Get(v, "PutLatency", {{"StreamName", "s"}});
  ASSERT_NE(latency, nullptr);
  EXPECT_EQ(latency->count, 1000u);
  EXPECT_EQ(latency->min, 1);
  EXPECT_EQ(latency->max, 1000);
  EXPECT_NEAR(latency->mean, 500.5, 1e-9);
  EXPECT_NEAR(latency->p50, 500, 20);
  EXPECT_NEAR(latency->p99, 990, 35);
  EXPECT_EQ(latency->unit, "Milliseconds");
  const MetricValue* errors =
      Get(v, "ErrorsByCode", {{"StreamName", "s"}, {"ErrorCode", "InternalFailure"}});
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(errors->count, 3u);
}

TEST(MetricsRegistryTest, ManyValuesAtOnceEqualTheSameValuesOneByOne) {
  // RecordValues (the engine's per-pass latencies) must keep exactly what Record would, at
  // every granularity, in a second already holding data and in a fresh one.
  std::mt19937_64 rng(3);
  std::vector<double> first, second;
  for (int i = 0; i < 1000; ++i) first.push_back(static_cast<double>(rng() % 5000) / 10);
  for (int i = 0; i < 300; ++i) second.push_back(static_cast<double>(rng() % 200));
  int64_t now = 100;
  MetricsRegistry batched(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  MetricsRegistry single(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  batched.SetClockForTesting([&] { return now; });
  single.SetClockForTesting([&] { return now; });
  single.Record(Metric::kPutLatency, "s", "", 7.0);
  batched.Record(Metric::kPutLatency, "s", "", 7.0);
  for (const std::vector<double>* values : {&first, &second}) {
    batched.RecordValues(Metric::kPutLatency, "s", "", *values);
    for (double v : *values) single.Record(Metric::kPutLatency, "s", "", v);
    ++now;
  }
  std::vector<MetricValue> a = batched.Read(std::chrono::seconds(60));
  std::vector<MetricValue> b = single.Read(std::chrono::seconds(60));
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), 2u);  // global and stream
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].dimensions, b[i].dimensions);
    EXPECT_EQ(a[i].count, 1301u);
    EXPECT_EQ(a[i].count, b[i].count);
    EXPECT_NEAR(a[i].sum, b[i].sum, 1e-6);
    EXPECT_EQ(a[i].min, b[i].min);
    EXPECT_EQ(a[i].max, b[i].max);
    EXPECT_EQ(a[i].p50, b[i].p50);
    EXPECT_EQ(a[i].p99, b[i].p99);
  }
}

}  // namespace
}  // namespace kinesis
