// The Kinesis wire layer on one core: PutRecords request bodies (JSON with base64 in place, and
// CBOR) and PutRecords responses (500 entries, JSON with simdjson, and CBOR).
//
//   build/release/bench/client_wire_benchmark
//
// Encoding reports bytes/s of record data (what the target counts); parsing reports
// the time per 500-entry response.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "wire/base64.h"
#include "wire/cbor_codec.h"
#include "wire/json_requests.h"
#include "wire/json_responses.h"

namespace kinesis::wire {
namespace {

struct Batch {
  std::vector<std::string> data, keys;
  std::vector<PutRecordsEntry> entries;
  size_t data_bytes = 0;
};

Batch MakeBatch(size_t records, size_t size) {
  Batch b;
  std::mt19937_64 rng(3);
  b.data.resize(records);
  b.keys.resize(records);
  for (size_t i = 0; i < records; ++i) {
    b.data[i].resize(size);
    for (char& c : b.data[i]) c = static_cast<char>(rng());
    b.keys[i] = "partition-key-" + std::to_string(rng() % 1000000);
    b.data_bytes += size;
  }
  for (size_t i = 0; i < records; ++i) b.entries.push_back({b.data[i], b.keys[i], {}});
  return b;
}

// `build` is BuildPutRecordsJson or BuildPutRecordsCbor; `hashed`: with the body's SHA-256
// computed while writing it, as KinesisClient asks (the "Hashed" rows).
template <auto build, bool hashed>
void BM_PutRecordsEncode(benchmark::State& state) {
  Batch b = MakeBatch(500, static_cast<size_t>(state.range(0)));
  std::string out;
  kinesis::auth::Sha256::Digest digest;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(build({"bench-stream", {}}, b.entries, out, hashed ? &digest : nullptr));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * b.data_bytes));
}
BENCHMARK(BM_PutRecordsEncode<BuildPutRecordsJson, false>)
    ->Name("BM_PutRecordsJsonEncode")
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10240);
BENCHMARK(BM_PutRecordsEncode<BuildPutRecordsCbor, false>)
    ->Name("BM_PutRecordsCborEncode")
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10240);
BENCHMARK(BM_PutRecordsEncode<BuildPutRecordsJson, true>)
    ->Name("BM_PutRecordsJsonEncodeHashed")
    ->Arg(100)
    ->Arg(10240);
BENCHMARK(BM_PutRecordsEncode<BuildPutRecordsCbor, true>)
    ->Name("BM_PutRecordsCborEncodeHashed")
    ->Arg(100)
    ->Arg(10240);

void BM_Base64Encode(benchmark::State& state) {
  std::string in(static_cast<size_t>(state.range(0)), 'x');
  std::string out;
  for (auto _ : state) {
    out.clear();
    AppendBase64(in, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_Base64Encode)->Arg(1000)->Arg(65536);

// A 500-entry answer as the service writes it: 56-digit sequence numbers, every tenth entry
// throttled.
std::string PutRecordsResponseJson() {
  std::string body = "{\"FailedRecordCount\":50,\"Records\":[";
  for (int i = 0; i < 500; ++i) {
    if (i > 0) body += ',';
    if (i % 10 == 9) {
      body +=
          "{\"ErrorCode\":\"ProvisionedThroughputExceededException\",\"ErrorMessage\":\"Rate "
          "exceeded for shard shardId-000000000007 in stream bench-stream under account "
          "123456789012.\"}";
    } else {
      std::string seq =
          "4963274839276438457682983749283746582938475629384756" + std::to_string(1000 + i);
      body += "{\"SequenceNumber\":\"" + seq + "\",\"ShardId\":\"shardId-0000000000" +
              std::to_string(10 + i % 64) + "\"}";
    }
  }
  body += "]}";
  return body;
}

// The client hands the body over (the entries view it), so each parse takes a fresh copy: the
// timing includes that copy, which stands for the transport writing the body (hot in cache, as
// a body just received is).
void BM_PutRecordsJsonParse500(benchmark::State& state) {
  const std::string body = PutRecordsResponseJson();
  for (auto _ : state) {
    auto r = ParsePutRecordsJson(body, 500);
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_PutRecordsJsonParse500)->Unit(benchmark::kMicrosecond);

// The same answer in CBOR (definite-length map of two keys; Records an array of maps).
void Head(uint8_t major, uint64_t n, std::string& out) {
  if (n < 24) {
    out += static_cast<char>(major << 5 | n);
  } else if (n < 256) {
    out += static_cast<char>(major << 5 | 24);
    out += static_cast<char>(n);
  } else {
    out += static_cast<char>(major << 5 | 25);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xff);
  }
}
void Text(std::string_view s, std::string& out) {
  Head(3, s.size(), out);
  out += s;
}
std::string PutRecordsResponseCbor() {
  std::string out;
  Head(5, 2, out);
  Text("FailedRecordCount", out);
  Head(0, 50, out);
  Text("Records", out);
  Head(4, 500, out);
  for (int i = 0; i < 500; ++i) {
    Head(5, 2, out);
    if (i % 10 == 9) {
      Text("ErrorCode", out);
      Text("ProvisionedThroughputExceededException", out);
      Text("ErrorMessage", out);
      Text("Rate exceeded for shard shardId-000000000007.", out);
    } else {
      Text("SequenceNumber", out);
      Text("4963274839276438457682983749283746582938475629384756" + std::to_string(1000 + i), out);
      Text("ShardId", out);
      Text("shardId-0000000000" + std::to_string(10 + i % 64), out);
    }
  }
  return out;
}

void BM_PutRecordsCborParse500(benchmark::State& state) {
  const std::string body = PutRecordsResponseCbor();
  for (auto _ : state) {
    auto r = ParsePutRecordsCbor(body, 500);
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PutRecordsCborParse500)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kinesis::wire

BENCHMARK_MAIN();
