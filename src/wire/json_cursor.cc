#include "wire/json_cursor.h"

#include <cstring>

namespace kinesis::wire {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char* PutUtf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | cp >> 6);
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | cp >> 12);
    *out++ = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | cp >> 18);
    *out++ = static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

}  // namespace

bool JsonCursor::Fail(const char* what) {
  if (error_ == nullptr) {
    error_ = what;
    error_at_ = static_cast<size_t>(p_ - begin_);
  }
  return false;
}

std::string JsonCursor::Error() const {
  if (error_ == nullptr) return "";
  return std::string(error_) + " at byte " + std::to_string(error_at_);
}

bool JsonCursor::ExpectFailed(char c) {
  switch (c) {
    case '{':
      return Fail(p_ == end_ ? "unexpected end, expected an object" : "expected an object");
    case '[':
      return Fail(p_ == end_ ? "unexpected end, expected an array" : "expected an array");
    case ':':
      return Fail("expected ':'");
    case '}':
      return Fail("expected ',' or '}'");
    case ']':
      return Fail("expected ',' or ']'");
    default:
      return Fail("unexpected character");
  }
}

bool JsonCursor::AtEnd() {
  SkipSpace();
  return p_ == end_;
}

bool JsonCursor::StringTail(char* start, std::string_view& out) {
  char* write = nullptr;         // where the string's bytes go once an escape has shortened it
  auto keep = [&](char* from) {  // [from, p_) belongs to the string
    if (write == nullptr) return;
    std::memmove(write, from, static_cast<size_t>(p_ - from));
    write += p_ - from;
  };
  while (p_ != end_ && *p_ != '"') {  // at a special byte
    unsigned char c = static_cast<unsigned char>(*p_);
    if (c == '\\') {
      if (write == nullptr) write = p_;
      if (!Escaped(write)) return false;
    } else if (c < 0x20) {
      return Fail("control character in a string");
    } else {
      char* sequence = p_;
      if (!Utf8()) return false;
      keep(sequence);
    }
    char* run = p_;
    p_ = FindSpecial(p_, end_);
    keep(run);
  }
  if (p_ == end_) return Fail("unterminated string");
  out = std::string_view(start, static_cast<size_t>((write != nullptr ? write : p_) - start));
  ++p_;  // the closing quote
  return true;
}

bool JsonCursor::Escaped(char*& out) {
  ++p_;  // the backslash
  if (p_ == end_) return Fail("unterminated string");
  static constexpr std::string_view kNamed = "\"\\/bfnrt";
  static constexpr std::string_view kMeans = "\"\\/\b\f\n\r\t";
  char e = *p_++;
  if (size_t i = kNamed.find(e); i != std::string_view::npos) {
    *out++ = kMeans[i];
    return true;
  }
  if (e != 'u') {
    --p_;
    return Fail("invalid escape");
  }
  auto hex4 = [this](uint32_t& v) {
    if (end_ - p_ < 4) return Fail("truncated \\u escape");
    v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(p_[i]);
      if (h < 0) return Fail("invalid \\u escape");
      v = v << 4 | static_cast<uint32_t>(h);
    }
    p_ += 4;
    return true;
  };
  uint32_t cp = 0;
  if (!hex4(cp)) return false;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail("lone low surrogate in \\u escape");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    uint32_t low = 0;
    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
      return Fail("lone high surrogate in \\u escape");
    p_ += 2;
    if (!hex4(low)) return false;
    if (low < 0xDC00 || low > 0xDFFF) return Fail("high surrogate without a low one in \\u escape");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  out = PutUtf8(cp, out);
  return true;
}

bool JsonCursor::Utf8() {
  const auto* s = reinterpret_cast<const unsigned char*>(p_);
  size_t left = static_cast<size_t>(end_ - p_);
  unsigned char c = s[0];
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return Fail("invalid UTF-8");
  }
  if (left < n) return Fail("truncated UTF-8");
  for (size_t i = 1; i < n; ++i) {
    if ((s[i] & 0xC0) != 0x80) return Fail("invalid UTF-8");
    cp = cp << 6 | (s[i] & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
    return Fail("overlong or out-of-range UTF-8");
  }
  if (cp >= 0xD800 && cp <= 0xDFFF) return Fail("UTF-8 encoded surrogate");
  p_ += n;
  return true;
}

bool JsonCursor::StringOrNull(std::string_view& out) {
  SkipSpace();
  if (p_ < end_ && *p_ == 'n') {
    out = {};
    return Literal("null");
  }
  return String(out);
}

bool JsonCursor::Uint(uint64_t& out, bool* present) {
  SkipSpace();
  if (p_ < end_ && *p_ == 'n') {
    if (present != nullptr) *present = false;
    return Literal("null");
  }
  if (present != nullptr) *present = true;
  char* start = p_;
  if (!Number()) return false;
  uint64_t v = 0;
  for (char* q = start; q < p_; ++q) {
    if (*q < '0' || *q > '9') {
      p_ = start;
      return Fail("expected a non-negative integer");
    }
    uint64_t digit = static_cast<uint64_t>(*q - '0');
    if (v > (UINT64_MAX - digit) / 10) {
      p_ = start;
      return Fail("integer out of range");
    }
    v = v * 10 + digit;
  }
  out = v;
  return true;
}

bool JsonCursor::Literal(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() ||
      std::memcmp(p_, word.data(), word.size()) != 0) {
    return Fail("invalid literal");
  }
  p_ += word.size();
  return true;
}

bool JsonCursor::Number() {
  auto digits = [this] {
    char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > start;
  };
  if (p_ < end_ && *p_ == '-') ++p_;
  if (p_ < end_ && *p_ == '0') {
    ++p_;
  } else if (!digits()) {
    return Fail("invalid number");
  }
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    if (!digits()) return Fail("invalid number");
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (!digits()) return Fail("invalid number");
  }
  return true;
}

bool JsonCursor::SkipValue(int depth) {
  if (depth >= kMaxDepth) return Fail("nested too deeply");
  SkipSpace();
  if (p_ == end_) return Fail("unexpected end, expected a value");
  switch (*p_) {
    case '{':
      return Object([&](std::string_view) { return SkipValue(depth + 1); });
    case '[':
      return Array([&] { return SkipValue(depth + 1); });
    case '"': {
      std::string_view ignored;
      return String(ignored);
    }
    case 't':
      return Literal("true");
    case 'f':
      return Literal("false");
    case 'n':
      return Literal("null");
    default:
      return Number();
  }
}

}  // namespace kinesis::wire
