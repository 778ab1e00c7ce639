// The metrics as the KPL uploads them, end to end: a producer over a FakeKinesis that throttles
// about 10% of attempts, fails some records fatally (KMSAccessDeniedException) and lets the
// records of an always-throttled shard expire, uploading to a PutMetricData receiver of the
// tests' own on 127.0.0.1. Per metric, level and granularity, the uploaded names, dimension sets
// and sums (Sum and SampleCount over every upload, the last period before Close included, and
// a producer closed within its first period) equal what the records' results say; and
// Producer::Metrics(0) gives the same totals since start.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../auth/fake_http_server.h"
#include "../monitoring/query_form.h"
#include "fake_kinesis.h"
#include "kinesis/error_codes.h"
#include "kinesis/producer.h"

namespace kinesis {
namespace {

using auth::testing::FakeHttpServer;
using auth::testing::FakeRequest;
using auth::testing::FakeResponse;
using Dims = std::map<std::string, std::string>;

constexpr char kMaxHash[] = "340282366920938463463374607431768211455";
constexpr char kThrottled[] = "ProvisionedThroughputExceededException";
constexpr char kDenied[] = "KMSAccessDeniedException";

struct Stat {
  double sum = 0;
  double count = 0;
};
// By "Name|Dim=value|..." with the dimensions in name order.
using Stats = std::map<std::string, Stat>;

std::string Key(const std::string& name, const Dims& dims) {
  std::string key = name;
  for (const auto& [k, v] : dims) key += "|" + k + "=" + v;
  return key;
}

// Sum and SampleCount of every datum of every PutMetricData call received.
Stats Uploaded(const std::vector<FakeRequest>& requests) {
  Stats out;
  for (const FakeRequest& r : requests) {
    monitoring::testing::Form form = monitoring::testing::ParseForm(r.body);
    EXPECT_EQ(form["Action"], "PutMetricData");
    for (auto& [id, datum] : monitoring::testing::Datums(form)) {
      Dims dims;
      for (int d = 1; datum.count("Dimensions.member." + std::to_string(d) + ".Name"); ++d) {
        std::string p = "Dimensions.member." + std::to_string(d);
        dims[datum[p + ".Name"]] = datum[p + ".Value"];
      }
      Stat& s = out[Key(datum["MetricName"], dims)];
      s.sum += std::stod(datum["StatisticValues.Sum"]);
      s.count += std::stod(datum["StatisticValues.SampleCount"]);
    }
  }
  return out;
}

struct Outcome {
  std::string stream, shard;  // the shard its explicit hash key pins it to
  size_t bytes = 0;
  PutResult result;
};

// The KPL's levels and finest granularity of each of its metrics (metrics_constants.cc, and
// where the KPL puts each one).
struct Kpl {
  bool summary;
  bool shard;   // down to StreamName+ShardId
  bool stream;  // down to StreamName (else global only)
};
const std::map<std::string, Kpl>& KplMetrics() {
  static const std::map<std::string, Kpl> m = {
      {"UserRecordsReceived", {false, false, true}},
      {"UserRecordsPending", {false, false, true}},
      {"UserRecordsPut", {true, true, true}},
      {"UserRecordsDataPut", {false, true, true}},
      {"KinesisRecordsPut", {true, true, true}},
      {"KinesisRecordsDataPut", {false, true, true}},
      {"ErrorsByCode", {true, true, true}},
      {"AllErrors", {true, true, true}},
      {"RetriesPerRecord", {false, true, true}},
      {"UserRecordExpired", {true, true, true}},
      {"BufferingTime", {true, true, true}},
      {"RequestTime", {false, false, true}},
      {"UserRecordsPerKinesisRecord", {false, true, true}},
      {"KinesisRecordsPerPutRecordsRequest", {false, false, true}},
      {"UserRecordsPerPutRecordsRequest", {false, false, true}},
  };
  return m;
}

// What the records' results say each KPL metric must sum to, at every dimension set the KPL
// uploads at `level` and `granularity`. The metrics of Kinesis records and their errors only
// without aggregation (one user record per Kinesis record): with it, the results do not say
// which records shared a failed aggregate.
class Expected {
 public:
  Expected(MetricsLevel level, MetricsGranularity granularity, bool aggregated)
      : level_(level), granularity_(granularity), aggregated_(aggregated) {}

  void Put(const std::string& name, const Outcome& o, double value, double count = 1,
           const std::string& code = "") {
    const Kpl& kpl = KplMetrics().at(name);
    if (level_ == MetricsLevel::kSummary && !kpl.summary) return;
    Dims dims;
    Add(name, dims, value, count);  // ErrorsByCode too, without ErrorCode (the KPL's root)
    if (!code.empty()) dims["ErrorCode"] = code;
    if (!code.empty()) Add(name, dims, value, count);
    if (granularity_ == MetricsGranularity::kGlobal || !kpl.stream) return;
    dims["StreamName"] = o.stream;
    Add(name, dims, value, count);
    if (granularity_ != MetricsGranularity::kShard || !kpl.shard) return;
    dims["ShardId"] = o.shard;
    Add(name, dims, value, count);
  }

  void Record(const Outcome& o) {
    const PutResult& r = o.result;
    Put("UserRecordsReceived", o, 1);
    Put("UserRecordsPut", o, r.success ? 1 : 0);  // a 0 datum per failure: Average = ratio
    if (r.success) Put("UserRecordsDataPut", o, static_cast<double>(o.bytes));
    if (r.error_code == errors::kExpired) Put("UserRecordExpired", o, 1);
    if (!r.attempts.empty()) {
      Put("RetriesPerRecord", o, static_cast<double>(r.attempts.size() - 1));
    }
    if (aggregated_) return;
    for (const Attempt& a : r.attempts) {
      // Each attempt is one Kinesis record of one PutRecords request, answered by an entry.
      Put("KinesisRecordsPut", o, a.success ? 1 : 0);
      Put("AllErrors", o, a.success ? 0 : 1);
      if (!a.success) Put("ErrorsByCode", o, 1, 1, a.error_code);
      Put("UserRecordsPerKinesisRecord", o, 1);
      Put("KinesisRecordsPerPutRecordsRequest", o, 1, 0);  // sums only: 1 per record sent
      Put("UserRecordsPerPutRecordsRequest", o, 1, 0);
    }
  }

  // Checked sums (and counts, but for the per-request ones).
  const Stats& stats() const { return stats_; }

 private:
  void Add(const std::string& name, const Dims& dims, double value, double count) {
    Stat& s = stats_[Key(name, dims)];
    s.sum += value;
    s.count += count;
  }
  MetricsLevel level_;
  MetricsGranularity granularity_;
  bool aggregated_;
  Stats stats_;
};

struct Scenario {
  MetricsLevel level;
  MetricsGranularity granularity;
  uint64_t upload_period_ms;  // 60000: the producer is closed within its first period
  bool aggregation = false;
};

class ProducerMetricsUpload : public ::testing::TestWithParam<Scenario> {};

TEST_P(ProducerMetricsUpload, UploadedSumsEqualTheRecordsResults) {
  const Scenario scenario = GetParam();
  FakeHttpServer cloudwatch(
      [](const FakeRequest&) { return FakeResponse::Answer(200, "<PutMetricDataResponse/>"); });
  auto kinesis = std::make_shared<testing::FakeKinesis>();
  kinesis->CreateStream("orders", 2);  // shardId-000000000000 and -000000000001
  kinesis->CreateStream("stuck", 1);   // shardId-000000000002: always throttled, expires
  testing::FakeKinesis::Faults faults;
  faults.throttle_rate = 0.1;
  faults.throttle_shards = {"shardId-000000000002"};
  faults.fatal_record_code = kDenied;
  faults.fatal_key_prefix = "deny-";
  kinesis->SetFaults(faults);

  ProducerConfig c = testing::FastTestConfig();
  c.aggregation_enabled = scenario.aggregation;
  c.record_ttl_ms = 400;
  c.metrics_level = scenario.level;
  c.metrics_granularity = scenario.granularity;
  c.aws_access_key_id = "AKIDEXAMPLE";
  c.aws_secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.cloudwatch_endpoint = cloudwatch.url();
  c.metrics_upload_delay_ms = scenario.upload_period_ms;
  auto producer = Producer::Create(c, kinesis).value();

  std::mutex mu;
  std::vector<Outcome> outcomes;
  auto put = [&](const std::string& stream, const std::string& key, const std::string& shard,
                 const std::string& hash, size_t bytes) {
    Outcome o{stream, shard, bytes, {}};
    ASSERT_TRUE(producer
                    ->Put(stream, key, std::string(bytes, 'x'), hash,
                          [&, o](const PutResult& r) mutable {
                            o.result = r;
                            std::lock_guard lock(mu);
                            outcomes.push_back(std::move(o));
                          })
                    .ok());
  };
  constexpr int kRecords = 3000;
  for (int i = 0; i < kRecords; ++i) {
    bool high = i % 2 == 1;
    std::string key = (i % 25 == 0 ? "deny-" : "k-") + std::to_string(i);
    put("orders", key, high ? "shardId-000000000001" : "shardId-000000000000",
        high ? kMaxHash : "0", 50 + static_cast<size_t>(i % 7));
    if (i % 100 == 0) put("stuck", "s-" + std::to_string(i), "shardId-000000000002", "0", 60);
    // Over about two seconds: several upload periods, the last one before Close included.
    if (i % 2 == 1) std::this_thread::sleep_for(std::chrono::microseconds(1300));
  }
  ASSERT_TRUE(producer->Flush().get().ok());
  ASSERT_TRUE(producer->Close(std::chrono::seconds(20)).ok());
  const Stats since_start = [&] {
    Stats s;
    for (const MetricValue& v : producer->Metrics(std::chrono::seconds(0))) {
      Stat& stat = s[Key(v.name, v.dimensions)];
      stat.sum += v.sum;
      stat.count += static_cast<double>(v.count);
    }
    return s;
  }();
  producer.reset();

  std::lock_guard lock(mu);
  ASSERT_EQ(outcomes.size(), static_cast<size_t>(kRecords + kRecords / 100));
  Expected expected(scenario.level, scenario.granularity, scenario.aggregation);
  int throttled = 0, denied = 0, expired = 0, succeeded = 0;
  for (const Outcome& o : outcomes) {
    expected.Record(o);
    succeeded += o.result.success ? 1 : 0;
    denied += o.result.error_code == kDenied ? 1 : 0;
    expired += o.result.error_code == errors::kExpired ? 1 : 0;
    for (const Attempt& a : o.result.attempts) throttled += a.error_code == kThrottled ? 1 : 0;
  }
  // The scenario has what it is meant to have.
  ASSERT_GT(succeeded, kRecords / 2);
  if (!scenario.aggregation) {
    ASSERT_GT(denied, 0);  // aggregates have outer keys of their own
  }
  ASSERT_GT(expired, 0);
  ASSERT_GT(throttled, kRecords / 20);

  const Stats uploaded = Uploaded(cloudwatch.requests());
  ASSERT_FALSE(uploaded.empty()) << "nothing uploaded";
  const std::set<std::string> sums_only = {"KinesisRecordsPerPutRecordsRequest",
                                           "UserRecordsPerPutRecordsRequest"};
  for (const auto& [key, want] : expected.stats()) {
    std::string name = key.substr(0, key.find('|'));
    auto got = uploaded.find(key);
    ASSERT_NE(got, uploaded.end()) << key << " was not uploaded";
    EXPECT_DOUBLE_EQ(got->second.sum, want.sum) << key << " Sum";
    if (!sums_only.count(name)) {
      EXPECT_DOUBLE_EQ(got->second.count, want.count) << key << " SampleCount";
    }
    auto total = since_start.find(key);
    ASSERT_NE(total, since_start.end()) << key << " is not in Metrics(0)";
    EXPECT_DOUBLE_EQ(total->second.sum, want.sum) << key << " Metrics(0) sum";
  }
  // Every KPL metric is uploaded at the KPL's dimension sets only, at the KPL's levels.
  for (const auto& [key, stat] : uploaded) {
    std::string name = key.substr(0, key.find('|'));
    auto kpl = KplMetrics().find(name);
    if (kpl == KplMetrics().end()) {
      EXPECT_NE(scenario.level, MetricsLevel::kSummary) << key << ": ours, at summary";
      continue;
    }
    if (scenario.level == MetricsLevel::kSummary) {
      EXPECT_TRUE(kpl->second.summary) << key;
    }
    bool has_stream = key.find("|StreamName=") != std::string::npos;
    bool has_shard = key.find("|ShardId=") != std::string::npos;
    EXPECT_TRUE(!has_stream ||
                (kpl->second.stream && scenario.granularity != MetricsGranularity::kGlobal))
        << key;
    EXPECT_TRUE(!has_shard ||
                (kpl->second.shard && scenario.granularity == MetricsGranularity::kShard))
        << key;
    if (expected.stats().count(name)) {
      EXPECT_TRUE(expected.stats().count(key)) << key << " is not a KPL dimension set here";
    }
  }
  // The per-request and sampled metrics the results cannot check, at the KPL's dimensions.
  if (scenario.level == MetricsLevel::kDetailed &&
      scenario.granularity != MetricsGranularity::kGlobal) {
    for (const char* name : {"RequestTime", "UserRecordsPending"}) {
      EXPECT_TRUE(uploaded.count(Key(name, {{"StreamName", "orders"}}))) << name;
    }
    EXPECT_DOUBLE_EQ(uploaded.at("RequestTime").count, kinesis->requests());
  }
  if (scenario.aggregation) {
    // KinesisRecordsPut: the aggregates put, each one (shard, sequence number) of the results.
    std::set<std::pair<std::string, std::string>> aggregates;
    for (const Outcome& o : outcomes) {
      if (o.result.success) aggregates.emplace(o.result.shard_id, o.result.sequence_number);
    }
    ASSERT_LT(aggregates.size(), static_cast<size_t>(succeeded));  // some were aggregated
    EXPECT_DOUBLE_EQ(uploaded.at("KinesisRecordsPut").sum, static_cast<double>(aggregates.size()));
    return;
  }
  // BufferingTime: once per user record sent, in the shard it was sent to.
  double sends = 0;
  for (const Outcome& o : outcomes) sends += static_cast<double>(o.result.attempts.size());
  ASSERT_TRUE(uploaded.count("BufferingTime"));
  EXPECT_DOUBLE_EQ(uploaded.at("BufferingTime").count, sends);
}

// Close's last upload keeps to Close's deadline: against a CloudWatch that never answers, with a
// request timeout far longer, Close returns about when its deadline passes.
TEST(ProducerMetricsClose, TheLastUploadKeepsToClosesDeadline) {
  FakeHttpServer cloudwatch([](const FakeRequest&) {
    FakeResponse stall;
    stall.kind = FakeResponse::Kind::kStall;
    return stall;
  });
  auto kinesis = testing::FakeWithStream("s", 1);
  ProducerConfig c = testing::FastTestConfig();
  c.aws_access_key_id = "AKIDEXAMPLE";
  c.aws_secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.cloudwatch_endpoint = cloudwatch.url();
  c.request_timeout_ms = 120000;
  c.connect_timeout_ms = 120000;
  auto producer = Producer::Create(c, kinesis).value();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(producer->Put("s", "k" + std::to_string(i), "data", std::nullopt, nullptr).ok());
  }
  ASSERT_TRUE(producer->Flush().get().ok());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(producer->Close(std::chrono::milliseconds(1500)).ok());  // upload failures are logged
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(60)) << "Close waited for the request timeout";
  EXPECT_GE(took, std::chrono::milliseconds(1000)) << "the upload was not tried";
  EXPECT_FALSE(cloudwatch.requests().empty());
}

INSTANTIATE_TEST_SUITE_P(
    LevelsGranularitiesPeriods, ProducerMetricsUpload,
    ::testing::Values(Scenario{MetricsLevel::kDetailed, MetricsGranularity::kShard, 300},
                      Scenario{MetricsLevel::kDetailed, MetricsGranularity::kShard, 60000},
                      Scenario{MetricsLevel::kSummary, MetricsGranularity::kStream, 300},
                      Scenario{MetricsLevel::kDetailed, MetricsGranularity::kGlobal, 60000},
                      Scenario{MetricsLevel::kDetailed, MetricsGranularity::kShard, 300, true}),
    [](const ::testing::TestParamInfo<Scenario>& param) {
      std::string name = param.param.level == MetricsLevel::kSummary ? "Summary" : "Detailed";
      name += param.param.granularity == MetricsGranularity::kShard    ? "Shard"
              : param.param.granularity == MetricsGranularity::kStream ? "Stream"
                                                                       : "Global";
      name += param.param.upload_period_ms >= 60000 ? "ClosedInFirstPeriod" : "ManyPeriods";
      if (param.param.aggregation) name += "Aggregated";
      return name;
    });

}  // namespace
}  // namespace kinesis
