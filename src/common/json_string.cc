#include "common/json_string.h"

#include <cstring>

namespace kinesis {
namespace {

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

}  // namespace

char* WriteJsonString(std::string_view s, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out++ = '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (!NeedsEscape(c)) {
      *out++ = ch;
    } else if (c == '"' || c == '\\') {
      *out++ = '\\';
      *out++ = ch;
    } else {
      const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      std::memcpy(out, escape, 6);
      out += 6;
    }
  }
  *out++ = '"';
  return out;
}

void AppendJsonString(std::string& out, std::string_view s) {
  size_t old = out.size();
  out.resize(old + JsonStringBound(s.size()));
  out.resize(static_cast<size_t>(WriteJsonString(s, out.data() + old) - out.data()));
}

}  // namespace kinesis
