// The logger on untrusted text (messages and field values often quote the network): every
// message is exactly one line, a registered secret never reaches the sink, and secret-named
// fields arrive redacted.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/log.h"

namespace {
constexpr std::string_view kSecret = "S3cr3t-Va1ue";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static kinesis::Logger* logger = [] {
    auto* l = new kinesis::Logger();
    l->SetRateLimit({0, std::chrono::seconds(1)});
    l->AddSecret(std::string(kSecret));
    return l;
  }();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // message \0 key \0 value
  size_t a = input.find('\0');
  std::string_view message = input.substr(0, a);
  std::string_view rest = a == std::string_view::npos ? "" : input.substr(a + 1);
  size_t b = rest.find('\0');
  std::string_view key = rest.substr(0, b);
  std::string_view value = b == std::string_view::npos ? "" : rest.substr(b + 1);
  std::string secret_value = "tok-" + std::string(value) + "-tok";
  bool ok = true;
  logger->SetSink([&](const kinesis::LogEntry& e) {
    if (e.line.find('\n') != std::string::npos || e.line.find('\r') != std::string::npos)
      ok = false;
    if (e.line.find(kSecret) != std::string::npos) ok = false;
    if (e.fields.size() != 3 || e.fields[1].second != "<redacted>") ok = false;
    if (kinesis::IsSecretFieldName(key) && e.fields[0].second != "<redacted>") ok = false;
  });
  logger->Log(kinesis::LogLevel::kError, "fuzz", message,
              {{key, value}, {"session_token", secret_value}, {"note", message}});
  if (!ok) std::abort();
  return 0;
}
