// kinesis_config_*: a ProducerConfig behind an opaque handle.
#include <fstream>
#include <sstream>

#include "capi/c_handles.h"
#include "capi/last_error.h"
#include "kinesis/c/producer.h"

using kinesis::Status;
using kinesis::capi::Guarded;
using kinesis::capi::NullArgument;

extern "C" {

kinesis_config* kinesis_config_new(void) {
  try {
    return new kinesis_config();
  } catch (...) {
    kinesis::capi::Report(Status::ResourceExhausted("out of memory"));
    return nullptr;
  }
}

void kinesis_config_free(kinesis_config* config) { delete config; }

kinesis_status kinesis_config_set(kinesis_config* config, const char* key, const char* value) {
  return Guarded([&]() -> Status {
    if (config == nullptr) return NullArgument("config");
    if (key == nullptr) return NullArgument("key");
    if (value == nullptr) return NullArgument("value");
    return kinesis::ApplySetting(config->config, key, value);
  });
}

kinesis_status kinesis_config_load_properties(kinesis_config* config, const char* path) {
  return Guarded([&]() -> Status {
    if (config == nullptr) return NullArgument("config");
    if (path == nullptr) return NullArgument("path");
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound(std::string("cannot open properties file ") + path);
    std::ostringstream text;
    text << in.rdbuf();
    // Applied to a copy, so a file with a bad line leaves the configuration as it was.
    kinesis::ProducerConfig updated = config->config;
    KINESIS_RETURN_IF_ERROR(kinesis::ApplyProperties(updated, text.str(), path));
    config->config = std::move(updated);
    return Status::Ok();
  });
}

}  // extern "C"
