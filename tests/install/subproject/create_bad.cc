// Producer::Create with a configuration it must refuse (RecordTtl below its minimum of 100):
// prints the error and exits 1; exits 0 only if the producer was created.
#include <kinesis/producer.h>
#include <kinesis/version.h>

#include <cstdio>

int main() {
  kinesis::ProducerConfig config;
  config.region = "us-east-1";
  config.record_ttl_ms = 0;
  auto producer = kinesis::Producer::Create(config, nullptr);
  if (producer.ok()) {
    std::puts("created");
    return 0;
  }
  std::printf("library %s (headers %s): %s\n", kinesis::LibraryVersion(), KINESIS_PRODUCER_VERSION,
              producer.status().ToString().c_str());
  return 1;
}
