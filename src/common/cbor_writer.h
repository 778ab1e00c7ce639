// Small helpers to write CBOR (RFC 8949), definite lengths only, appended to a string: the
// client's CBOR requests (src/wire/cbor_codec) and kinesis-sim's CBOR answers are written with
// them.
//
// Thread safety: pure functions.
#ifndef KINESIS_COMMON_CBOR_WRITER_H_
#define KINESIS_COMMON_CBOR_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis {

enum class CborMajor : uint8_t {
  kUnsigned = 0,
  kNegative = 1,
  kBytes = 2,
  kText = 3,
  kArray = 4,
  kMap = 5,
  kTag = 6,
  kSimple = 7,
};

// Appends an item head: the major type and its argument (a value, a length or a count) in the
// shortest form.
void AppendCborHead(std::string* out, CborMajor major, uint64_t argument);
// Appends a text string (major 3) or a byte string (major 2).
void AppendCborText(std::string* out, std::string_view text);
void AppendCborBytes(std::string* out, std::string_view bytes);
// Appends a text key and its text value.
void AppendCborField(std::string* out, std::string_view key, std::string_view value);

}  // namespace kinesis

#endif  // KINESIS_COMMON_CBOR_WRITER_H_
