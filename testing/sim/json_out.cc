#include "sim/json_out.h"

namespace kinesis::sim {

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendJsonField(std::string* out, std::string_view key, std::string_view value) {
  AppendJsonString(out, key);
  out->push_back(':');
  AppendJsonString(out, value);
}

void AppendJsonNumber(std::string* out, std::string_view key, int64_t value) {
  AppendJsonString(out, key);
  out->push_back(':');
  out->append(std::to_string(value));
}

std::string ErrorBody(std::string_view type, std::string_view message) {
  std::string out = "{";
  AppendJsonField(&out, "__type", type);
  out.push_back(',');
  AppendJsonField(&out, "message", message);
  out.push_back('}');
  return out;
}

}  // namespace kinesis::sim
