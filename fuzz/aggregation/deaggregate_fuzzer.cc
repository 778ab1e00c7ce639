// libFuzzer target: Deaggregate on untrusted bytes, with and without checksum checks and with a
// shard range. Every accepted aggregate must re-encode to a record set that decodes the same.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "kinesis/aggregation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kinesis;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<DeaggregatedRecord> out;
  DeaggregateOptions options;
  options.verify_checksum = false;  // let the fuzzer reach the protobuf parser
  Status status = Deaggregate(bytes, "outer", std::nullopt, options, &out);
  if (!status.ok()) {
    if (!out.empty()) std::abort();  // a rejected record must add nothing
    return 0;
  }
  // Round trip: what we accepted, we can write, and reading that gives the same records.
  AggregateEncoder encoder;
  for (const DeaggregatedRecord& r : out) {
    encoder.Add({r.partition_key, r.data, r.explicit_hash_key});
  }
  std::string again = encoder.Build();
  std::vector<DeaggregatedRecord> back;
  options.verify_checksum = true;
  if (!Deaggregate(again, "outer", std::nullopt, options, &back).ok()) std::abort();
  if (back.size() != out.size() && out[0].aggregated) std::abort();
  for (size_t i = 0; i < back.size() && out[0].aggregated; ++i) {
    if (back[i].partition_key != out[i].partition_key || back[i].data != out[i].data ||
        back[i].explicit_hash_key != out[i].explicit_hash_key) {
      std::abort();
    }
  }
  options.shard_hash_key_range = std::make_pair(HashKey(1, 0), HashKey(1u << 31, 0));
  back.clear();
  (void)Deaggregate(again, "outer", std::nullopt, options, &back);
  return 0;
}
