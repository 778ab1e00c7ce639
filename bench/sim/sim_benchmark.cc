// Load generator for kinesis-sim: how many PutRecords bytes and requests one server worker
// thread absorbs with storage and limits off.
//
//   build/dev/bench/sim_benchmark [--seconds S] [--clients C] [--threads T] [--format json|cbor]
//
// Client threads (default 2, one keep-alive connection each) send pre-built PutRecords bodies
// of 500 records back to back and read every answer, in JSON 1.1 (data in base64, the default)
// or CBOR 1.1 (data as raw bytes). Two scenarios:
//   large: 500 records x 1000 bytes of data (~690 KB bodies) -> MB/s of bodies absorbed
//   small: 500 records x 100 bytes of data  (~90 KB bodies)  -> PutRecords requests/s
// Prints one line per scenario; the server's CPU time is reported so "one core" can be checked.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "common/cbor_writer.h"
#include "sim/base64.h"
#include "sim/kinesis_sim.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string JsonBody(size_t data_bytes, int records, int variant) {
  std::string data = kinesis::sim::Base64Encode(std::string(data_bytes, 'x'));
  std::string body = "{\"StreamName\":\"bench\",\"Records\":[";
  for (int i = 0; i < records; ++i) {
    if (i) body += ",";
    body += "{\"Data\":\"" + data + "\",\"PartitionKey\":\"pk-" + std::to_string(variant) + "-" +
            std::to_string(i) + "\"}";
  }
  return body + "]}";
}

// The same request as the producer's CBOR encoder writes it (src/wire/cbor_codec.cc).
std::string CborBody(size_t data_bytes, int records, int variant) {
  using kinesis::CborMajor;
  std::string body;
  kinesis::AppendCborHead(&body, CborMajor::kMap, 2);
  kinesis::AppendCborText(&body, "Records");
  kinesis::AppendCborHead(&body, CborMajor::kArray, records);
  for (int i = 0; i < records; ++i) {
    kinesis::AppendCborHead(&body, CborMajor::kMap, 2);
    kinesis::AppendCborText(&body, "Data");
    kinesis::AppendCborBytes(&body, std::string(data_bytes, 'x'));
    kinesis::AppendCborField(&body, "PartitionKey",
                             "pk-" + std::to_string(variant) + "-" + std::to_string(i));
  }
  kinesis::AppendCborField(&body, "StreamName", "bench");
  return body;
}

std::string BuildRequest(size_t data_bytes, int records, int variant, bool cbor) {
  std::string body =
      cbor ? CborBody(data_bytes, records, variant) : JsonBody(data_bytes, records, variant);
  return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: Kinesis_20131202.PutRecords\r\n"
         "Content-Type: " +
         std::string(cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1") +
         "\r\nX-Amz-Date: 20260101T000000Z\r\n"
         "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/"
         "aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

int Connect(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

// Sends `request` and reads one answer; returns its status.
int RoundTrip(int fd, const std::string& request, std::string* buffer) {
  for (size_t sent = 0; sent < request.size();) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return 0;
    sent += static_cast<size_t>(n);
  }
  buffer->clear();
  size_t need = std::string::npos;
  char chunk[1 << 16];
  while (need == std::string::npos || buffer->size() < need) {
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return 0;
    buffer->append(chunk, static_cast<size_t>(n));
    if (need == std::string::npos) {
      size_t head = buffer->find("\r\n\r\n");
      if (head == std::string::npos) continue;
      const char* cl = strcasestr(buffer->c_str(), "content-length:");
      need = head + 4 + std::strtoull(cl + 15, nullptr, 10);
    }
  }
  return std::atoi(buffer->c_str() + 9);
}

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void Run(const char* name, uint16_t port, size_t data_bytes, int clients, double seconds,
         bool cbor) {
  std::vector<std::string> requests;
  for (int v = 0; v < 4; ++v) requests.push_back(BuildRequest(data_bytes, 500, v, cbor));
  size_t body_bytes = requests[0].size() - requests[0].find("\r\n\r\n") - 4;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> done{0}, failed{0};
  std::vector<std::thread> threads;
  std::atomic<double> client_cpu{0};
  double cpu0 = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  auto start = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      int fd = Connect(port);
      std::string buffer;
      for (uint64_t i = c; !stop.load(std::memory_order_relaxed); ++i) {
        if (RoundTrip(fd, requests[i % requests.size()], &buffer) == 200) {
          done.fetch_add(1, std::memory_order_relaxed);
        } else {
          failed.fetch_add(1, std::memory_order_relaxed);
        }
      }
      close(fd);
      double mine = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
      for (double seen = client_cpu.load(); !client_cpu.compare_exchange_weak(seen, seen + mine);) {
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true);
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  double n = static_cast<double>(done.load());
  // Server CPU: the process's minus the clients' (the main thread only sleeps).
  double server_cpu = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0 - client_cpu.load();
  std::printf(
      "%-6s %4zu B/record  body %7.1f KB  %8.0f PutRecords/s  %9.0f records/s  "
      "%7.1f MB/s of bodies  server CPU %3.0f%%  (%llu failed)\n",
      name, data_bytes, static_cast<double>(body_bytes) / 1024, n / elapsed, n * 500 / elapsed,
      n * static_cast<double>(body_bytes) / elapsed / 1e6, 100 * server_cpu / elapsed,
      static_cast<unsigned long long>(failed.load()));
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  int clients = 2;
  int threads = 1;
  bool cbor = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--format") cbor = std::string(argv[i + 1]) == "cbor";
    if (flag == "--seconds") seconds = std::atof(argv[i + 1]);
    if (flag == "--clients") clients = std::atoi(argv[i + 1]);
    if (flag == "--threads") threads = std::atoi(argv[i + 1]);
  }
  kinesis::sim::SimOptions options;
  options.storage = false;
  options.limits = false;
  options.threads = threads;
  options.streams = {{"bench", 4}};
  auto sim = kinesis::sim::KinesisSim::Start(options);
  if (!sim.ok()) {
    std::fprintf(stderr, "%s\n", sim.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "kinesis-sim: %d worker thread(s), storage off, limits off; %d client thread(s); "
      "%s\n",
      threads, clients, cbor ? "CBOR" : "JSON");
  Run("large", (*sim)->port(), 1000, clients, seconds, cbor);
  Run("small", (*sim)->port(), 100, clients, seconds, cbor);
  auto c = (*sim)->Counters();
  std::printf("server counted %llu records accepted, %llu bytes\n",
              static_cast<unsigned long long>(c.records_accepted),
              static_cast<unsigned long long>(c.bytes_accepted));
  return 0;
}
