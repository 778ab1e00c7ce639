#include "auth/flat_json.h"

#include <cstdint>

#include "auth/utf8.h"

namespace kinesis::auth {

constexpr size_t kMaxJsonBytes = 1 << 20;
constexpr int kMaxJsonDepth = 16;

// Recursive-descent parser over the whole text; on failure remembers only the offset and reason.
class FlatJsonParser {
 public:
  explicit FlatJsonParser(std::string_view text) : text_(text) {}

  Status ParseDocument(FlatJson& out) {
    SkipSpace();
    if (Peek() != '{') return Fail("a JSON object ('{')");
    KINESIS_RETURN_IF_ERROR(ParseObject(out, "", 1));
    SkipSpace();
    if (pos_ != text_.size()) return Fail("the end of the document");
    return Status::Ok();
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool AtEnd() const { return pos_ >= text_.size(); }

  void SkipSpace() {
    while (!AtEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                        text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Status Fail(std::string_view expected) const {
    return Status::Corruption("malformed JSON at offset " + std::to_string(pos_) + " of " +
                              std::to_string(text_.size()) + " bytes: expected " +
                              std::string(expected));
  }

  // Called with Peek() == '{'.
  Status ParseObject(FlatJson& out, const std::string& prefix, int depth) {
    if (depth > kMaxJsonDepth) return Fail("nesting of at most 16 levels");
    ++pos_;
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      return Status::Ok();
    }
    while (true) {
      SkipSpace();
      if (Peek() != '"') return Fail("a member name in quotes");
      std::string name;
      KINESIS_RETURN_IF_ERROR(ParseString(name));
      SkipSpace();
      if (Peek() != ':') return Fail("':' after a member name");
      ++pos_;
      std::string path = prefix.empty() ? name : prefix + "." + name;
      KINESIS_RETURN_IF_ERROR(ParseValue(out, &path, depth));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '}') {
        ++pos_;
        return Status::Ok();
      }
      return Fail("',' or '}' in an object");
    }
  }

  // Called with Peek() == '['. Elements are checked, not kept.
  Status ParseArray(FlatJson& out, int depth) {
    if (depth > kMaxJsonDepth) return Fail("nesting of at most 16 levels");
    ++pos_;
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      return Status::Ok();
    }
    while (true) {
      KINESIS_RETURN_IF_ERROR(ParseValue(out, nullptr, depth));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') {
        ++pos_;
        return Status::Ok();
      }
      return Fail("',' or ']' in an array");
    }
  }

  // `path` is null inside arrays: the value is parsed and dropped.
  Status ParseValue(FlatJson& out, const std::string* path, int depth) {
    SkipSpace();
    char c = Peek();
    FlatJson::Value value;
    if (c == '{') {
      FlatJson ignored;
      return ParseObject(path != nullptr ? out : ignored, path != nullptr ? *path : "", depth + 1);
    }
    if (c == '[') return ParseArray(out, depth + 1);
    if (c == '"') {
      value.type = FlatJson::Type::kString;
      KINESIS_RETURN_IF_ERROR(ParseString(value.text));
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      value.type = FlatJson::Type::kNumber;
      KINESIS_RETURN_IF_ERROR(ParseNumber(value.text));
    } else if (Literal("true")) {
      value = {FlatJson::Type::kBool, "true"};
    } else if (Literal("false")) {
      value = {FlatJson::Type::kBool, "false"};
    } else if (Literal("null")) {
      value = {FlatJson::Type::kNull, ""};
    } else {
      return Fail("a JSON value");
    }
    if (path != nullptr) out.values_[*path] = std::move(value);
    return Status::Ok();
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status ParseNumber(std::string& out) {
    size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    } else {
      return Fail("a digit");
    }
    if (Peek() == '.') {
      ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("a digit after '.'");
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("a digit in the exponent");
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    out.assign(text_.substr(start, pos_ - start));
    return Status::Ok();
  }

  Status ParseHex4(uint32_t& out) {
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = Peek();
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return Fail("four hex digits after \\u");
      }
      out = out * 16 + digit;
      ++pos_;
    }
    return Status::Ok();
  }

  // Called with Peek() == '"'.
  Status ParseString(std::string& out) {
    ++pos_;
    while (true) {
      if (AtEnd()) return Fail("a closing '\"'");
      char c = text_[pos_++];
      if (c == '"') return Status::Ok();
      if (static_cast<unsigned char>(c) < 0x20) return Fail("no control character in a string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      char e = Peek();
      ++pos_;
      switch (e) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          KINESIS_RETURN_IF_ERROR(ParseHex4(cp));
          if (cp >= 0xd800 && cp <= 0xdbff) {
            uint32_t low;
            if (!Literal("\\u")) return Fail("a low surrogate after a high surrogate");
            KINESIS_RETURN_IF_ERROR(ParseHex4(low));
            if (low < 0xdc00 || low > 0xdfff) return Fail("a low surrogate (DC00-DFFF)");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            return Fail("no lone low surrogate");
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          --pos_;
          return Fail("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Result<FlatJson> FlatJson::Parse(std::string_view text) {
  if (text.size() > kMaxJsonBytes) {
    return Status::Corruption("JSON document of " + std::to_string(text.size()) +
                              " bytes is larger than the limit of " +
                              std::to_string(kMaxJsonBytes) + " bytes");
  }
  FlatJson out;
  FlatJsonParser parser(text);
  KINESIS_RETURN_IF_ERROR(parser.ParseDocument(out));
  return out;
}

std::optional<std::string> FlatJson::String(const std::string& path) const {
  auto it = values_.find(path);
  if (it == values_.end() || it->second.type != Type::kString) return std::nullopt;
  return it->second.text;
}

std::optional<std::string> FlatJson::Number(const std::string& path) const {
  auto it = values_.find(path);
  if (it == values_.end() || it->second.type != Type::kNumber) return std::nullopt;
  return it->second.text;
}

std::optional<bool> FlatJson::Bool(const std::string& path) const {
  auto it = values_.find(path);
  if (it == values_.end() || it->second.type != Type::kBool) return std::nullopt;
  return it->second.text == "true";
}

}  // namespace kinesis::auth
