// JsonCursor: a strict, single-pass JSON reader over a buffer it may write into, for the one
// answer on the hot path (PutRecords). It reads RFC 8259 JSON (whitespace, escapes, UTF-8,
// number syntax, nesting up to kMaxDepth) without building a tree: the caller walks the
// document and asks for what it wants, skipping the rest. Strings come back as views into the
// buffer itself; a string with escapes is unescaped in place (an escape never grows, and the
// bytes written are ones already read), so reading allocates nothing.
//
// The simdjson DOM (json_responses.cc) reads every other answer; this exists because building a
// DOM and copying 1,000 strings out of it took twice the time the PutRecords answer may cost.
//
// Thread safety: one cursor per thread; it owns nothing.
#ifndef KINESIS_WIRE_JSON_CURSOR_H_
#define KINESIS_WIRE_JSON_CURSOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kinesis::wire {

class JsonCursor {
 public:
  static constexpr int kMaxDepth = 128;

  // Reads [data, data + size); strings with escapes are rewritten inside it.
  JsonCursor(char* data, size_t size) : begin_(data), p_(data), end_(data + size) {}

  // Calls field(key) for each member of the object at the cursor, with the cursor on the
  // member's value: field must read or Skip() it and return false only after a failure.
  template <typename F>
  bool Object(F&& field) {
    if (!Expect('{')) return false;
    if (Consume('}')) return true;
    do {
      std::string_view key;
      if (!String(key) || !Expect(':') || !field(key)) return false;
    } while (Consume(','));
    return Expect('}');
  }

  // Calls item() for each element of the array at the cursor; item reads one value.
  template <typename F>
  bool Array(F&& item) {
    if (!Expect('[')) return false;
    if (Consume(']')) return true;
    do {
      if (!item()) return false;
    } while (Consume(','));
    return Expect(']');
  }

  // A string; a view into the buffer, valid while the buffer is.
  bool String(std::string_view& out) {
    SkipSpace();
    if (p_ == end_ || *p_ != '"') return Fail("expected a string");
    char* start = ++p_;
    p_ = FindSpecial(p_, end_);
    if (p_ != end_ && *p_ == '"') {  // no escape, no control, no multi-byte character
      out = std::string_view(start, static_cast<size_t>(p_ - start));
      ++p_;
      return true;
    }
    return StringTail(start, out);
  }
  // A string, or null read as empty.
  bool StringOrNull(std::string_view& out);
  // A non-negative integer without fraction or exponent; null leaves `out` and sets *present
  // false.
  bool Uint(uint64_t& out, bool* present = nullptr);
  // Any value, checked as strictly as the rest.
  bool Skip() { return SkipValue(0); }
  // True at the first non-space byte of `c`, which is then consumed.
  bool Consume(char c) {
    SkipSpace();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  // True when only whitespace is left.
  bool AtEnd();

  bool failed() const { return error_ != nullptr; }
  // "<what> at byte <offset>", for the first failure.
  std::string Error() const;
  // Records a failure of the caller's (a wrong type for a known field).
  bool Fail(const char* what);

 private:
  // Bytes a string cannot hold as they are: '"', '\\', controls, and the first byte of a
  // multi-byte UTF-8 sequence (checked on the slow path).
  static bool Special(unsigned char c) { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80; }

  // The first special byte in [p, end), or end.
  static char* FindSpecial(char* p, char* end) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    // Signed compare: bytes >= 0x80 are negative, so "less than 0x20" catches them too.
    auto mask16 = [&](const char* at) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
      __m128i hit =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                       _mm_cmplt_epi8(v, space));
      return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(hit)));
    };
    while (end - p >= 16) {
      uint64_t mask = mask16(p);
      if (mask != 0) return p + __builtin_ctzll(mask);
      p += 16;
    }
#endif
    while (p < end && !Special(static_cast<unsigned char>(*p))) ++p;
    return p;
  }

  bool Expect(char c) { return Consume(c) || ExpectFailed(c); }
  bool ExpectFailed(char c);
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  // The rest of a string whose first special byte, at p_, is not its closing quote.
  bool StringTail(char* start, std::string_view& out);
  bool SkipValue(int depth);
  bool Literal(std::string_view word);
  bool Number();
  // Unescapes from p_ (just after a backslash-free run ending at a '\\') into `out`.
  bool Escaped(char*& out);
  // Checks the UTF-8 sequence at p_ (a byte >= 0x80) and moves past it.
  bool Utf8();

  char* const begin_;
  char* p_;
  char* const end_;
  const char* error_ = nullptr;
  size_t error_at_ = 0;
};

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_JSON_CURSOR_H_
