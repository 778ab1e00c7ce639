// Java .properties parsing for KPL configuration files.
#include <fstream>
#include <sstream>

#include "kinesis/producer_config.h"

namespace kinesis {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// Reads one logical line starting at `pos`: joins natural lines that end in an odd number of
// backslashes, dropping the backslash and the next line's leading white space. Advances `pos`
// and `line_number` past it.
std::string ReadLogicalLine(std::string_view text, size_t& pos, int& line_number) {
  std::string line;
  for (;;) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view natural = text.substr(pos, end - pos);
    pos = end;
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
    ++line_number;
    size_t backslashes = 0;
    while (backslashes < natural.size() && natural[natural.size() - 1 - backslashes] == '\\') {
      ++backslashes;
    }
    if (backslashes % 2 == 1 && pos < text.size()) {
      line.append(natural.substr(0, natural.size() - 1));
      while (pos < text.size() && IsSpace(text[pos])) ++pos;
      continue;
    }
    line.append(natural);
    return line;
  }
}

// Undoes \t \n \r \f \uXXXX and \<char>.
Result<std::string> Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        if (s.size() - i <= 4) return Status::InvalidArgument("incomplete \\u escape");
        uint32_t cp = 0;
        for (int k = 1; k <= 4; ++k) {
          char h = s[i + k];
          int v = h >= '0' && h <= '9'   ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                         : -1;
          if (v < 0) return Status::InvalidArgument("bad \\u escape");
          cp = cp * 16 + static_cast<uint32_t>(v);
        }
        i += 4;
        // UTF-8 of a BMP code point (the .properties format has no other).
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xc0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3f));
        } else {
          out += static_cast<char>(0xe0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
          out += static_cast<char>(0x80 | (cp & 0x3f));
        }
        break;
      }
      default:
        out += c;
    }
  }
  return out;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Status ApplyProperties(ProducerConfig& config, std::string_view text, std::string_view origin) {
  size_t pos = 0;
  int line_number = 0;
  while (pos < text.size()) {
    int first_line = line_number + 1;
    std::string line = ReadLogicalLine(text, pos, line_number);
    std::string_view rest = line;
    while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
    if (rest.empty() || rest.front() == '#' || rest.front() == '!') continue;

    // The key ends at the first unescaped '=', ':' or white space.
    size_t k = 0;
    while (k < rest.size() && rest[k] != '=' && rest[k] != ':' && !IsSpace(rest[k])) {
      k += rest[k] == '\\' ? 2 : 1;
    }
    k = std::min(k, rest.size());
    std::string_view raw_key = rest.substr(0, k);
    size_t v = k;
    while (v < rest.size() && IsSpace(rest[v])) ++v;
    if (v < rest.size() && (rest[v] == '=' || rest[v] == ':')) ++v;
    while (v < rest.size() && IsSpace(rest[v])) ++v;
    std::string_view raw_value = TrimRight(rest.substr(v));

    std::string where = std::string(origin) + ":" + std::to_string(first_line) + ": ";
    Result<std::string> key = Unescape(raw_key);
    Result<std::string> value = Unescape(raw_value);
    if (!key.ok() || !value.ok()) {
      return Status::InvalidArgument(where + (key.ok() ? value : key).status().message());
    }
    Status applied = ApplySetting(config, *key, *value);
    if (!applied.ok()) return Status(applied.code(), where + applied.message());
  }
  Status valid = config.Validate();
  if (!valid.ok()) return Status(valid.code(), std::string(origin) + ": " + valid.message());
  return Status::Ok();
}

Result<ProducerConfig> LoadProducerConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open configuration file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read configuration file '" + path + "'");
  ProducerConfig config;
  KINESIS_RETURN_IF_ERROR(ApplyProperties(config, text.str(), path));
  return config;
}

}  // namespace kinesis
