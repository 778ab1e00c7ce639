// libFuzzer target: HashKey::Parse and partition-key validation on arbitrary text. A parsed key
// must format back to the same text; a valid partition key must hash without trouble.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kinesis/hash_key.h"
#include "kinesis/user_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kinesis;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<HashKey> key = HashKey::Parse(text);
  if (key.ok() && key->ToString() != text) std::abort();
  if (!key.ok() && key.status().message().empty()) std::abort();
  Result<HashKey> routed = ValidateUserRecord({text, text, std::nullopt}, RecordLimits{});
  if (routed.ok() && *routed != HashPartitionKey(text)) std::abort();
  return 0;
}
