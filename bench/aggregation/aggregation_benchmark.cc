// Aggregation micro-benchmarks: partition-key hashing, encoding (hand-written against
// libprotobuf), and deaggregation with checksums. One thread.
//
//   build/release/bench/aggregation_benchmark
//
// Workload of issue 2: 100-byte data, 32-character random partition keys, aggregates of 500
// records (about 70 KB, under the KPL's 51,200-byte default it would be fewer; the per-record
// cost hardly depends on the count).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "aggregated_record.pb.h"
#include "aggregation/md5.h"
#include "kinesis/aggregation.h"
#include "kinesis/hash_key.h"

namespace kinesis {
namespace {

constexpr size_t kKeyLength = 32;
constexpr size_t kDataLength = 100;
constexpr size_t kPerAggregate = 500;

struct Workload {
  std::vector<std::string> keys;
  std::vector<std::string> data;

  explicit Workload(size_t n) {
    std::mt19937_64 rng(1);
    static const char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (size_t i = 0; i < n; ++i) {
      std::string k(kKeyLength, ' ');
      for (auto& c : k) c = kAlphabet[rng() % 62];
      std::string d(kDataLength, ' ');
      for (auto& c : d) c = static_cast<char>(rng());
      keys.push_back(std::move(k));
      data.push_back(std::move(d));
    }
  }
};

const Workload& Records() {
  static const Workload w(kPerAggregate * 8);
  return w;
}

void BM_HashPartitionKey(benchmark::State& state) {
  const Workload& w = Records();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(HashPartitionKey(w.keys[i]));
    if (++i == w.keys.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HashPartitionKey);

// The same hash through OpenSSL's EVP interface with a reused context, for comparison.
void BM_HashPartitionKeyOpenSslEvp(benchmark::State& state) {
  const Workload& w = Records();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  size_t i = 0;
  for (auto _ : state) {
    uint8_t digest[16];
    unsigned int n;
    EVP_DigestInit_ex2(ctx, md5, nullptr);
    EVP_DigestUpdate(ctx, w.keys[i].data(), w.keys[i].size());
    EVP_DigestFinal_ex(ctx, digest, &n);
    benchmark::DoNotOptimize(HashKey::FromBigEndian(digest));
    if (++i == w.keys.size()) i = 0;
  }
  EVP_MD_free(md5);
  EVP_MD_CTX_free(ctx);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HashPartitionKeyOpenSslEvp);

// Our own MD5 on a long input (Md5Digest hands long inputs to OpenSSL: this is why).
void BM_Md5Throughput(benchmark::State& state) {
  std::string buf(static_cast<size_t>(state.range(0)), 'x');
  uint8_t digest[16];
  for (auto _ : state) {
    Md5 md5;
    md5.Update(buf);
    md5.Final(digest);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Md5Throughput)->Arg(65536);

void BM_Md5ThroughputOpenSsl(benchmark::State& state) {
  std::string buf(static_cast<size_t>(state.range(0)), 'x');
  uint8_t digest[16];
  unsigned int n;
  for (auto _ : state) {
    EVP_Digest(buf.data(), buf.size(), digest, &n, EVP_md5(), nullptr);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Md5ThroughputOpenSsl)->Arg(65536);

// The trailers of a request's worth of aggregates at once (Md5DigestMany: eight in AVX2 lanes):
// 96 messages of the given size, about 51 KB as the producer seals them.
void BM_Md5ManyThroughput(benchmark::State& state) {
  std::vector<std::string> messages(96, std::string(static_cast<size_t>(state.range(0)), 'x'));
  std::vector<std::array<uint8_t, 16>> digests(messages.size());
  std::vector<Md5Job> jobs;
  for (size_t i = 0; i < messages.size(); ++i) {
    jobs.push_back(Md5Job{messages[i].data(), messages[i].size(), digests[i].data()});
  }
  for (auto _ : state) {
    Md5DigestMany(jobs);
    benchmark::DoNotOptimize(digests.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0) *
                          static_cast<int64_t>(messages.size()));
}
BENCHMARK(BM_Md5ManyThroughput)->Arg(51200);

// Encode aggregates of 500 records: adding every record (key-table lookup, size accounting)
// and building the bytes with the MD5 trailer.
void BM_Aggregate(benchmark::State& state) {
  const Workload& w = Records();
  AggregateEncoder encoder;
  size_t next = 0;
  for (auto _ : state) {
    encoder.Clear();
    for (size_t i = 0; i < kPerAggregate; ++i, ++next) {
      if (next == w.keys.size()) next = 0;
      encoder.Add({w.keys[next], w.data[next], std::nullopt});
    }
    std::string out = encoder.Build();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kPerAggregate);
}
BENCHMARK(BM_Aggregate);

// The same aggregates through schema-generated libprotobuf code and OpenSSL MD5.
void BM_AggregateLibprotobuf(benchmark::State& state) {
  const Workload& w = Records();
  size_t next = 0;
  for (auto _ : state) {
    reference::AggregatedRecord message;
    for (size_t i = 0; i < kPerAggregate; ++i, ++next) {
      if (next == w.keys.size()) next = 0;
      message.add_partition_key_table(w.keys[next]);
      reference::Record* r = message.add_records();
      r->set_partition_key_index(i);
      r->set_data(w.data[next]);
    }
    std::string body = message.SerializeAsString();
    uint8_t digest[16];
    unsigned int n;
    EVP_Digest(body.data(), body.size(), digest, &n, EVP_md5(), nullptr);
    std::string out(reinterpret_cast<const char*>(kAggregationMagic), 4);
    out += body;
    out.append(reinterpret_cast<const char*>(digest), 16);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kPerAggregate);
}
BENCHMARK(BM_AggregateLibprotobuf);

std::string OneAggregate() {
  const Workload& w = Records();
  AggregateEncoder encoder;
  for (size_t i = 0; i < kPerAggregate; ++i) encoder.Add({w.keys[i], w.data[i], std::nullopt});
  return encoder.Build();
}

void BM_Deaggregate(benchmark::State& state) {
  std::string aggregate = OneAggregate();
  DeaggregateOptions options;
  options.verify_checksum = state.range(0) != 0;
  std::vector<DeaggregatedRecord> out;
  for (auto _ : state) {
    out.clear();
    Status s = Deaggregate(aggregate, "outer", std::nullopt, options, &out);
    benchmark::DoNotOptimize(s.ok());
  }
  state.SetItemsProcessed(state.iterations() * kPerAggregate);
  state.SetLabel(options.verify_checksum ? "with checksum" : "no checksum");
}
BENCHMARK(BM_Deaggregate)->Arg(1)->Arg(0);

void BM_DeaggregateLibprotobuf(benchmark::State& state) {
  std::string aggregate = OneAggregate();
  for (auto _ : state) {
    uint8_t digest[16];
    unsigned int n;
    EVP_Digest(aggregate.data() + 4, aggregate.size() - 20, digest, &n, EVP_md5(), nullptr);
    reference::AggregatedRecord message;
    bool ok = message.ParseFromArray(aggregate.data() + 4, static_cast<int>(aggregate.size() - 20));
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations() * kPerAggregate);
}
BENCHMARK(BM_DeaggregateLibprotobuf);

}  // namespace
}  // namespace kinesis

BENCHMARK_MAIN();
