// Fuzzes the shared credentials/config file parser with both file kinds. Every profile the
// parser returns must have a non-empty name; parsing never crashes or reads out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/profile_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto kind : {kinesis::auth::ProfileFile::Kind::kCredentials,
                    kinesis::auth::ProfileFile::Kind::kConfig}) {
    auto file = kinesis::auth::ProfileFile::Parse(text, kind, "fuzz");
    if (!file.ok()) continue;
    for (const auto& [name, properties] : file->profiles()) {
      if (name.empty()) std::abort();
      for (const auto& [key, value] : properties) {
        if (key.empty()) std::abort();
      }
    }
  }
  return 0;
}
