// kinesis-sim: a local Kinesis write endpoint (see testing/sim/kinesis_sim.h).
//
//   kinesis-sim --host 127.0.0.1 --port 4567 [--threads N] [--storage on|off]
//               [--limits on|off] [--stream NAME:SHARDS]... [--fault SPEC]...
//               [--shard-bytes-per-second N] [--shard-records-per-second N]
//               [--max-record-bytes N] [--max-request-bytes N]
//               [--tls-dir DIR | --tls-cert PEM --tls-key PEM]
// --tls-dir makes a test CA and server certificate in DIR (ca.pem, server.pem, server.key) and
// serves HTTPS with them; clients trust DIR/ca.pem.
// Runs until SIGINT or SIGTERM. Prints "kinesis-sim listening on HOST:PORT" once serving.
// --help prints the usage, --version "kinesis-sim VERSION".
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "kinesis/version.h"
#include "sim/fault_plan.h"
#include "sim/kinesis_sim.h"
#include "sim/test_certificates.h"

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void OnSignal(int) { stop_requested = 1; }

constexpr const char* kUsage =
    "usage: kinesis-sim --host H --port P [--threads N] "
    "[--storage on|off] [--limits on|off] [--stream NAME:SHARDS]... [--fault SPEC]... "
    "[--shard-bytes-per-second N] [--shard-records-per-second N] "
    "[--max-record-bytes N] [--max-request-bytes N] "
    "[--tls-dir DIR | --tls-cert PEM --tls-key PEM]\n";

int Usage(const char* error) {
  std::fprintf(stderr, "kinesis-sim: %s\n%s", error, kUsage);
  return 2;
}

bool OnOff(const std::string& v, bool* out) {
  if (v == "on" || v == "true" || v == "1") return *out = true, true;
  if (v == "off" || v == "false" || v == "0") return *out = false, true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  kinesis::sim::SimOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (flag == "--version") {
      std::puts("kinesis-sim " KINESIS_PRODUCER_VERSION);
      return 0;
    }
    if (i + 1 >= argc) return Usage(("missing value after " + flag).c_str());
    std::string value = argv[++i];
    char* end = nullptr;
    if (flag == "--host") {
      options.host = value;
    } else if (flag == "--port") {
      long port = std::strtol(value.c_str(), &end, 10);
      if (*end || port < 0 || port > 65535) return Usage(("bad port " + value).c_str());
      options.port = static_cast<uint16_t>(port);
    } else if (flag == "--threads") {
      options.threads = std::atoi(value.c_str());
      if (options.threads < 1) return Usage(("bad thread count " + value).c_str());
    } else if (flag == "--storage") {
      if (!OnOff(value, &options.storage)) return Usage("--storage takes on or off");
    } else if (flag == "--limits") {
      if (!OnOff(value, &options.limits)) return Usage("--limits takes on or off");
    } else if (flag == "--stream") {
      size_t colon = value.rfind(':');
      int shards = colon == std::string::npos ? 1 : std::atoi(value.c_str() + colon + 1);
      options.streams.emplace_back(value.substr(0, colon), shards);
    } else if (flag == "--fault") {
      kinesis::Status s = kinesis::sim::ApplyFaultSpec(value, &options.faults);
      if (!s.ok()) return Usage(s.message().c_str());
    } else if (flag == "--shard-bytes-per-second") {
      options.shard_bytes_per_second = std::strtod(value.c_str(), nullptr);
    } else if (flag == "--shard-records-per-second") {
      options.shard_records_per_second = std::strtod(value.c_str(), nullptr);
    } else if (flag == "--max-record-bytes") {
      options.max_record_bytes = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--max-request-bytes") {
      options.max_request_bytes = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--tls-cert") {
      options.tls_cert_file = value;
    } else if (flag == "--tls-key") {
      options.tls_key_file = value;
    } else if (flag == "--tls-dir") {
      auto certs = kinesis::sim::GenerateTestCertificates(value);
      if (!certs.ok()) return Usage(certs.status().message().c_str());
      options.tls_cert_file = certs->cert_file;
      options.tls_key_file = certs->key_file;
      std::printf("kinesis-sim: test CA in %s\n", certs->ca_file.c_str());
    } else {
      return Usage(("unknown flag " + flag).c_str());
    }
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  auto sim = kinesis::sim::KinesisSim::Start(options);
  if (!sim.ok()) {
    std::fprintf(stderr, "kinesis-sim: %s\n", sim.status().ToString().c_str());
    return 1;
  }
  std::printf("kinesis-sim listening on %s:%u\n", options.host.c_str(), (*sim)->port());
  std::fflush(stdout);
  while (!stop_requested) pause();
  (*sim)->Stop();
  return 0;
}
