// End-to-end producer benchmark: user records through the whole producer (validation, hashing,
// aggregation, collection, SigV4, HTTP, JSON) into kinesis-sim, acknowledged.
//
//   bench/run-producer-benchmark            (starts kinesis-sim, runs the cases below, stops it)
//   build/release/bench/producer_benchmark --endpoint http://127.0.0.1:PORT --stream bench
//       [--records N] [--size BYTES] [--threads T] [--rate RECORDS_PER_S] [--aggregation 0|1]
//       [--metrics none|summary|detailed] [--granularity global|stream|shard]
//       [--keys random|hot:N|skew] [--rate-limit PERCENT] [--max-connections N]
//       [--output text|json] [--set KplKey=value]... [--breakdown 1]
//
// Prints one line of figures (key=value, or a JSON object with --output json): records/s and
// MB/s acknowledged (wall), CPU seconds of this process per record, peak resident memory,
// put-to-result latency p50/p99 of every 8th record (most meaningful with --rate, an offered
// load below the maximum), and what throttling did: records failed, retries, throttled attempts.
//
// Keys (the same in every peer of bench/compare): a pool of 32-character random keys, record i
// takes pool[i % pool size]. random: 65,536 keys; hot:N: N keys; skew: every third record has
// the one key "hot-key", the others the 65,536 random keys.
// --rate-limit is the producer's RateLimit setting (percent of the shard limits); the default
// effectively turns the limiter off, for a sim started with --limits off.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kinesis/http_backend.h"
#include "kinesis/producer.h"
#include "process_usage.h"

namespace {

using kinesis::bench::CpuSeconds;
using kinesis::bench::PeakRssKb;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Key of record i; see the comment at the top.
class KeyChooser {
 public:
  static std::optional<KeyChooser> Parse(const std::string& spec) {
    size_t pool = 1 << 16;
    bool skew = false;
    if (spec.rfind("hot:", 0) == 0) {
      pool = static_cast<size_t>(std::atol(spec.c_str() + 4));
      if (pool == 0) return std::nullopt;
    } else if (spec == "skew") {
      skew = true;
    } else if (spec != "random") {
      return std::nullopt;
    }
    return KeyChooser(pool, skew);
  }

  const std::string& Key(long i) const {
    if (skew_ && i % 3 == 0) return hot_;
    return keys_[static_cast<size_t>(i) % keys_.size()];
  }

 private:
  KeyChooser(size_t pool, bool skew) : keys_(pool), skew_(skew) {
    std::mt19937_64 rng(11);
    for (auto& k : keys_) {
      k.resize(32);
      for (auto& c : k) c = static_cast<char>('a' + rng() % 26);
    }
  }

  std::vector<std::string> keys_;
  bool skew_;
  std::string hot_ = "hot-key";
};

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint, stream = "bench";
  long records = 1000000;
  size_t size = 100;
  int threads = 1;
  double rate = 0;  // records/s offered; 0: as fast as possible
  bool aggregation = true;
  std::string metrics_level = "detailed", granularity = "shard";  // the KPL's defaults
  std::string key_spec = "random", output = "text";
  uint64_t rate_limit_percent = 1000000;  // the sim runs with limits off
  uint64_t max_connections = 8;
  std::vector<std::pair<std::string, std::string>> settings;  // --set Key=value, applied last
  bool breakdown = false;  // --breakdown 1: the producer's latency metrics on stderr
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--endpoint")
      endpoint = value;
    else if (flag == "--stream")
      stream = value;
    else if (flag == "--records")
      records = std::atol(value.c_str());
    else if (flag == "--size")
      size = static_cast<size_t>(std::atol(value.c_str()));
    else if (flag == "--threads")
      threads = std::atoi(value.c_str());
    else if (flag == "--rate")
      rate = std::atof(value.c_str());
    else if (flag == "--aggregation")
      aggregation = value != "0";
    else if (flag == "--metrics")
      metrics_level = value;
    else if (flag == "--granularity")
      granularity = value;
    else if (flag == "--keys")
      key_spec = value;
    else if (flag == "--rate-limit")
      rate_limit_percent = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--max-connections")
      max_connections = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--output")
      output = value;
    else if (flag == "--breakdown")
      breakdown = value != "0";
    else if (flag == "--set" && value.find('=') != std::string::npos) {
      settings.emplace_back(value.substr(0, value.find('=')), value.substr(value.find('=') + 1));
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  std::optional<KeyChooser> keys = KeyChooser::Parse(key_spec);
  if (endpoint.empty() || !keys || (output != "text" && output != "json")) {
    std::fprintf(stderr,
                 "usage: producer_benchmark --endpoint URL [--stream S] [--records N] "
                 "[--size B] [--threads T] [--rate R] [--aggregation 0|1] "
                 "[--metrics none|summary|detailed] [--granularity global|stream|shard] "
                 "[--keys random|hot:N|skew] [--rate-limit PERCENT] "
                 "[--max-connections N] [--output text|json] [--set KplKey=value]... "
                 "[--breakdown 1]\n");
    return 2;
  }
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  kinesis::ProducerConfig config;
  config.region = "us-east-1";
  config.kinesis_endpoint = endpoint;
  config.aws_access_key_id = "AKIDBENCHMARK";
  config.aws_secret_key = "benchmark-secret";
  config.aggregation_enabled = aggregation;
  config.rate_limit_percent = rate_limit_percent;
  config.max_connections = max_connections;
  settings.insert(settings.begin(),
                  {{"MetricsLevel", metrics_level}, {"MetricsGranularity", granularity}});
  for (const auto& [key, value] : settings) {
    kinesis::Status s = kinesis::ApplySetting(config, key, value);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 2;
    }
  }
  auto backend = kinesis::CreateHttpBackend(config);
  if (!backend.ok()) {
    std::fprintf(stderr, "backend: %s\n", backend.status().ToString().c_str());
    return 1;
  }
  auto producer = kinesis::Producer::Create(config, backend.value()).value();

  std::mt19937_64 rng(12);
  std::string data(size, 'x');
  for (auto& c : data) c = static_cast<char>('a' + rng() % 26);

  // What the callbacks count. A callback captures a pointer to this and the put time: 16 bytes,
  // which std::function keeps without an allocation (capturing each counter by reference took
  // one per record, charged to this process like the producer's own work).
  struct Tally {
    std::atomic<long> ok{0}, failed{0}, retries{0}, throttled{0};
    std::mutex latency_mu;
    std::vector<double> latencies_ms;  // guarded by latency_mu

    void Add(const kinesis::PutResult& r, int64_t put_ns) {
      (r.success ? ok : failed).fetch_add(1, std::memory_order_relaxed);
      if (r.attempts.size() > 1) {
        retries.fetch_add(static_cast<long>(r.attempts.size() - 1), std::memory_order_relaxed);
      }
      for (const auto& a : r.attempts) {
        if (a.error_code == "ProvisionedThroughputExceededException") {
          throttled.fetch_add(1, std::memory_order_relaxed);
        }
      }
      if (put_ns == 0) return;  // not a timed record
      double ms = static_cast<double>(NowNs() - put_ns) * 1e-6;
      std::lock_guard lock(latency_mu);
      latencies_ms.push_back(ms);
    }
  } tally;
  auto& [ok, failed, retries, throttled, latency_mu, latencies_ms] = tally;
  latencies_ms.reserve(static_cast<size_t>(records / 8 + 1));
  double cpu0 = CpuSeconds();
  int64_t t0 = NowNs();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (long i = t; i < records; i += threads) {
        if (rate > 0) {
          int64_t due = t0 + static_cast<int64_t>(static_cast<double>(i) / rate * 1e9);
          // Sleep, not spin: the process's CPU time is one of the figures. Only when a
          // millisecond ahead: a sleep per record (4 us apart at 250,000/s) cost more CPU than
          // the put, and is finer pacing than any producer's timers see.
          int64_t wait = due - NowNs();
          if (wait > 1000000) std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
        }
        // Every 8th record is timed: reading the clock twice and taking a lock for every record
        // cost this process 0.1 us a record, a tenth of the producer's own budget.
        int64_t put_ns = i % 8 == 0 ? NowNs() : 0;
        Tally* counts = &tally;
        kinesis::Status s = producer->PutCopy(
            stream, keys->Key(i), data, std::nullopt,
            [counts, put_ns](const kinesis::PutResult& r) { counts->Add(r, put_ns); });
        if (!s.ok()) {
          std::fprintf(stderr, "put: %s\n", s.ToString().c_str());
          std::exit(1);
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  kinesis::Status flushed = producer->Flush().get();
  double seconds = static_cast<double>(NowNs() - t0) * 1e-9;
  double cpu = CpuSeconds() - cpu0;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double q) {
    return latencies_ms.empty()
               ? 0.0
               : latencies_ms[std::min(latencies_ms.size() - 1,
                                       static_cast<size_t>(q * latencies_ms.size()))];
  };
  const std::string metrics = metrics_level + "/" + granularity;
  const char* format =
      output == "json"
          ? "{\"records\": %ld, \"size\": %zu, \"threads\": %d, \"aggregation\": %d, "
            "\"metrics\": \"%s\", \"rate\": %.0f, \"keys\": \"%s\", \"flush\": \"%s\", "
            "\"acked\": %ld, \"failed\": %ld, \"retries\": %ld, \"throttled\": %ld, "
            "\"wall_s\": %.3f, \"records_per_s\": %.0f, \"MB_per_s\": %.2f, \"cpu_s\": %.3f, "
            "\"cpu_us_per_record\": %.3f, \"peak_rss_MB\": %.1f, \"p50_ms\": %.2f, "
            "\"p99_ms\": %.2f}\n"
          : "records=%ld size=%zu threads=%d aggregation=%d metrics=%s rate=%.0f keys=%s "
            "flush=%s ok=%ld failed=%ld retries=%ld throttled=%ld wall_s=%.3f "
            "records_per_s=%.0f MB_per_s=%.2f cpu_s=%.3f cpu_us_per_record=%.3f "
            "peak_rss_MB=%.1f p50_ms=%.2f p99_ms=%.2f\n";
  std::printf(format, records, size, threads, aggregation ? 1 : 0, metrics.c_str(), rate,
              key_spec.c_str(), flushed.ok() ? "ok" : "failed", ok.load(), failed.load(),
              retries.load(), throttled.load(), seconds, static_cast<double>(ok.load()) / seconds,
              static_cast<double>(ok.load()) * static_cast<double>(size) / seconds / 1e6, cpu,
              cpu * 1e6 / static_cast<double>(records), static_cast<double>(PeakRssKb()) / 1024,
              pct(0.5), pct(0.99));
  if (breakdown) {
    // Where the put-to-result time goes, from the producer's own metrics (global level).
    for (const kinesis::MetricValue& m : producer->Metrics(std::chrono::seconds(600))) {
      if (!m.dimensions.empty() || m.unit != "Milliseconds") continue;
      std::fprintf(stderr, "%s: count=%llu p50=%.2f p99=%.2f max=%.2f ms\n", m.name.c_str(),
                   static_cast<unsigned long long>(m.count), m.p50, m.p99, m.max);
    }
  }
  return ok.load() == records ? 0 : 1;
}
