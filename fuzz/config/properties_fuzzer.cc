// libFuzzer target: the .properties parser and every setting's value parser on arbitrary text.
// Whatever the input, the result is OK with a valid config, or an error with a message.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kinesis/producer_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kinesis;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ProducerConfig config;
  Status s = ApplyProperties(config, text, "fuzz");
  if (s.ok() && !config.Validate().ok()) std::abort();
  if (!s.ok() && s.message().empty()) std::abort();
  return 0;
}
