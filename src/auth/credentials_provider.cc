#include "auth/credentials_provider.h"

#include <algorithm>
#include <cstdlib>

namespace kinesis::auth {

std::string Redact(std::string text, std::initializer_list<std::string_view> secrets) {
  for (std::string_view secret : secrets) {
    if (secret.empty()) continue;
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), "<redacted>");
      pos += 10;
    }
  }
  return text;
}

}  // namespace kinesis::auth
