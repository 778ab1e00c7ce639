// Costs of the metrics path: recording (MetricsRegistry::RecordBatch per observation, Record
// and RecordValues as the engine calls them), reading
// every series of 64 shards, and rendering the Prometheus text and the JSON statistics.
//
//   build/dev/bench/monitoring_benchmark
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "metrics/metrics_registry.h"
#include "monitoring/json_stats.h"
#include "monitoring/prometheus_text.h"

namespace kinesis {
namespace {

constexpr int kShards = 64;

std::vector<std::string> ShardIds() {
  std::vector<std::string> ids;
  for (int i = 0; i < kShards; ++i) {
    std::string n = std::to_string(i);
    ids.push_back("shardId-" + std::string(12 - n.size(), '0') + n);
  }
  return ids;
}

// What one engine pass might gather: per shard, records put, bytes, buffering time, and a
// few errors.
std::vector<MetricsRegistry::Observation> Batch(const std::string& stream,
                                                const std::vector<std::string>& shards,
                                                size_t size) {
  static constexpr Metric kMetrics[] = {Metric::kUserRecordsPut, Metric::kUserRecordsDataPut,
                                        Metric::kBufferingTime, Metric::kKinesisRecordsPut,
                                        Metric::kRetriesPerRecord};
  std::vector<MetricsRegistry::Observation> batch;
  for (size_t i = 0; i < size; ++i) {
    batch.push_back({kMetrics[i % std::size(kMetrics)], &stream, shards[i % shards.size()], "",
                     static_cast<double>(i % 100), 1});
  }
  return batch;
}

// Every metric at every shard of one stream, plus two error codes.
void Fill(MetricsRegistry& registry, const std::string& stream) {
  auto shards = ShardIds();
  for (const std::string& shard : shards) {
    for (int m = 0; m < static_cast<int>(Metric::kCount); ++m) {
      for (int v = 1; v <= 20; ++v) {
        registry.Record(static_cast<Metric>(m), stream, shard, v, 1,
                        static_cast<Metric>(m) == Metric::kErrorsByCode
                            ? (v % 2 ? "ProvisionedThroughputExceededException" : "InternalFailure")
                            : "");
      }
    }
  }
}

void BM_RecordBatch(benchmark::State& state) {
  MetricsRegistry registry(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  const std::string stream = "bench-stream";
  auto batch = Batch(stream, ShardIds(), static_cast<size_t>(state.range(0)));
  for (auto _ : state) registry.RecordBatch(batch);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("items = observations; detailed, shard granularity");
}
BENCHMARK(BM_RecordBatch)->Arg(1)->Arg(64)->Arg(1024);

// What the engine does per pass and shard: one Record of a count (any number of records).
void BM_RecordCount(benchmark::State& state) {
  MetricsRegistry registry(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  const std::string stream = "bench-stream";
  auto shards = ShardIds();
  size_t i = 0;
  for (auto _ : state) {
    registry.Record(Metric::kUserRecordsPut, stream, shards[i++ % shards.size()], 1, 100);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("items = Record calls");
}
BENCHMARK(BM_RecordCount);

// What the engine does per pass and stream for latencies: RecordValues of the pass's values.
void BM_RecordValues(benchmark::State& state) {
  MetricsRegistry registry(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  const std::string stream = "bench-stream";
  std::vector<double> values;
  for (int64_t i = 0; i < state.range(0); ++i) values.push_back(static_cast<double>(i % 200));
  for (auto _ : state) registry.RecordValues(Metric::kBufferingTime, stream, {}, values);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("items = values");
}
BENCHMARK(BM_RecordValues)->Arg(500);

void BM_Read64Shards(benchmark::State& state) {
  MetricsRegistry registry(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  Fill(registry, "bench-stream");
  size_t series = 0;
  for (auto _ : state) {
    auto values = registry.Read(std::chrono::seconds(60));
    series = values.size();
    benchmark::DoNotOptimize(values);
  }
  state.counters["series"] = static_cast<double>(series);
}
BENCHMARK(BM_Read64Shards)->Unit(benchmark::kMicrosecond);

void BM_PrometheusRender(benchmark::State& state) {
  MetricsRegistry registry(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  Fill(registry, "bench-stream");
  auto values = registry.Read(std::chrono::seconds(60));
  size_t bytes = 0;
  for (auto _ : state) {
    auto rendered = monitoring::RenderPrometheus(values, 60, 100000, 0);
    bytes = rendered.text.size();
    benchmark::DoNotOptimize(rendered);
  }
  state.counters["series"] = static_cast<double>(values.size());
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_PrometheusRender)->Unit(benchmark::kMicrosecond);

void BM_JsonStatsRender(benchmark::State& state) {
  MetricsRegistry registry(MetricsLevel::kDetailed, MetricsGranularity::kShard);
  Fill(registry, "bench-stream");
  auto values = registry.Read(std::chrono::seconds(60));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = monitoring::RenderJsonStats(values, {"bench", 0, 1, 60});
    bytes = json.size();
    benchmark::DoNotOptimize(json);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_JsonStatsRender)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kinesis

BENCHMARK_MAIN();
