// The producer's engine without the network: how many user records per second Put() and the
// engine (validate, hash, budget, route, aggregate with MD5, collect, results, callbacks) take,
// against the in-process fake Kinesis with storage off. The HTTP path is measured separately
// (bench/client, bench/sim); this isolates the engine's own cost.
//
//   build/release/bench/producer_engine_benchmark [records] [threads] [shards] [aggregation 0|1]
//       [metrics none|summary|detailed] [granularity global|stream|shard]
//
// Prints records/s (wall), CPU microseconds per record (process user+sys), and the results.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../../tests/producer/fake_kinesis.h"
#include "kinesis/producer.h"
#include "process_usage.h"

using kinesis::bench::CpuSeconds;

int main(int argc, char** argv) {
  long records = argc > 1 ? std::atol(argv[1]) : 2000000;
  int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  int shards = argc > 3 ? std::atoi(argv[3]) : 64;
  bool aggregation = argc > 4 ? std::atoi(argv[4]) != 0 : true;
  const char* metrics_level = argc > 5 ? argv[5] : "detailed";
  const char* granularity = argc > 6 ? argv[6] : "shard";

  auto kinesis = std::make_shared<kinesis::testing::FakeKinesis>();
  kinesis->CreateStream("bench", shards);
  kinesis::testing::FakeKinesis::Faults faults;
  faults.store = false;
  kinesis->SetFaults(faults);

  kinesis::ProducerConfig config;
  config.region = "us-east-1";
  config.aggregation_enabled = aggregation;
  config.rate_limit_percent = 1000000;  // limits off: the fake has none
  for (auto [key, value] :
       {std::pair{"MetricsLevel", metrics_level}, std::pair{"MetricsGranularity", granularity}}) {
    kinesis::Status s = kinesis::ApplySetting(config, key, value);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 2;
    }
  }
  auto producer = kinesis::Producer::Create(config, kinesis).value();

  // Keys and data prepared up front: 32 random characters, 100 bytes.
  const size_t distinct = 1 << 16;
  std::vector<std::string> keys(distinct);
  std::mt19937_64 rng(7);
  for (auto& k : keys) {
    k.resize(32);
    for (auto& c : k) c = static_cast<char>('a' + rng() % 26);
  }
  const std::string data(100, 'x');

  std::atomic<long> ok{0}, failed{0};
  double cpu0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (long i = t; i < records; i += threads) {
        kinesis::Status s = producer->PutCopy(
            "bench", keys[static_cast<size_t>(i) % distinct], data, std::nullopt,
            [&](const kinesis::PutResult& r) { (r.success ? ok : failed).fetch_add(1); });
        if (!s.ok()) {
          std::fprintf(stderr, "put: %s\n", s.ToString().c_str());
          std::exit(1);
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  kinesis::Status flushed = producer->Flush().get();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = CpuSeconds() - cpu0;
  std::printf(
      "records=%ld threads=%d shards=%d aggregation=%d flush=%s\n"
      "succeeded=%ld failed=%ld kinesis_records=%llu requests=%d\n"
      "wall=%.3f s  records/s=%.0f  cpu=%.3f s  cpu_us_per_record=%.3f\n",
      records, threads, shards, aggregation ? 1 : 0, flushed.ToString().c_str(), ok.load(),
      failed.load(), static_cast<unsigned long long>(kinesis->records_written()),
      kinesis->requests(), seconds, static_cast<double>(records) / seconds, cpu,
      cpu * 1e6 / static_cast<double>(records));
  return ok.load() == records ? 0 : 1;
}
