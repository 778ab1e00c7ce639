// Puts records into a Kinesis data stream with the C++ API and reports each one's result.
//
//   ./put STREAM [COUNT] [kpl.properties]
//
// Region, endpoint and credentials come from the properties file when given, else from the
// environment (AWS_REGION, AWS_ENDPOINT_URL_KINESIS, AWS_ACCESS_KEY_ID, profiles, ...).
// Exits 0 when every record was written.
#include <kinesis/http_backend.h>
#include <kinesis/producer.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

static int Fail(const char* what, const kinesis::Status& status) {
  std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s STREAM [COUNT] [kpl.properties]\n", argv[0]);
    return 2;
  }
  const std::string stream = argv[1];
  const long count = argc > 2 ? std::atol(argv[2]) : 1000;

  kinesis::ProducerConfig config;  // the defaults; or set fields: config.region = "eu-west-1"
  if (argc > 3) {
    auto loaded = kinesis::LoadProducerConfig(argv[3]);  // a KPL .properties file, unchanged
    if (!loaded.ok()) return Fail("properties", loaded.status());
    config = *loaded;
  }
  config.record_max_buffered_time_ms = 50;
  auto backend = kinesis::CreateHttpBackend(config);  // SigV4, libcurl, JSON or CBOR
  if (!backend.ok()) return Fail("backend", backend.status());
  auto producer = kinesis::Producer::Create(config, *backend);
  if (!producer.ok()) return Fail("producer", producer.status());

  std::atomic<long> written{0};
  std::atomic<long> failed{0};
  for (long i = 0; i < count; ++i) {
    std::string key = "user-" + std::to_string(i % 97);
    std::string data = "{\"event\": " + std::to_string(i) + "}";
    // Runs on the producer's callback thread, exactly once per accepted record.
    auto on_result = [&written, &failed](const kinesis::PutResult& r) {
      if (r.success) {
        ++written;
        return;
      }
      ++failed;
      std::fprintf(stderr, "record failed: %s: %s\n", r.error_code.c_str(),
                   r.error_message.c_str());
    };
    // data is moved in; PutCopy copies data from a buffer of yours instead.
    kinesis::Status put = (*producer)->Put(stream, key, std::move(data), std::nullopt, on_result);
    if (!put.ok()) {  // refused at once (bad record, QueueFull, closed): no callback
      Fail("put", put);
      break;
    }
  }
  // Every record put before has its result once the flush is ready.
  kinesis::Status flushed = (*producer)->Flush().get();
  if (!flushed.ok()) Fail("flush", flushed);
  // Drains, then fails what is left with ProducerClosed.
  kinesis::Status closed = (*producer)->Close(std::chrono::seconds(10));
  if (!closed.ok()) Fail("close", closed);

  std::printf("%ld written, %ld failed\n", written.load(), failed.load());
  return written == count ? 0 : 1;
}
