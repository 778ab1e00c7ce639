// Signing throughput: SigV4 header signing of a Kinesis-style POST with bodies of 1 KB, 64 KB,
// 1 MB and 5 MB on one core. The payload SHA-256 is the cost; bytes/s counts request body.
//
//   build/release/bench/auth_sigv4_benchmark
#include <benchmark/benchmark.h>

#include <string>

#include "auth/sha256.h"
#include "auth/sigv4_signer.h"

namespace kinesis::auth {
namespace {

void BM_SignPost(benchmark::State& state) {
  const std::string body(static_cast<size_t>(state.range(0)), 'x');
  SigV4Signer signer("us-east-1", "kinesis");
  Credentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                          "session-token-example", std::nullopt};
  SignableRequest request{"POST",
                          "/",
                          "",
                          {{"Host", "kinesis.us-east-1.amazonaws.com"},
                           {"Content-Type", "application/x-amz-json-1.1"},
                           {"X-Amz-Target", "Kinesis_20131202.PutRecords"}},
                          body};
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    auto headers = signer.Sign(request, credentials, now);
    if (!headers.ok()) state.SkipWithError(headers.status().ToString().c_str());
    benchmark::DoNotOptimize(headers);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_SignPost)->Arg(1 << 10)->Arg(64 << 10)->Arg(1 << 20)->Arg(5 << 20);

// The floor under signing: SHA-256 of the body alone.
void BM_Sha256(benchmark::State& state) {
  const std::string body(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    auto digest = Sha256::Hash(body);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(1 << 10)->Arg(1 << 20);

}  // namespace
}  // namespace kinesis::auth

BENCHMARK_MAIN();
