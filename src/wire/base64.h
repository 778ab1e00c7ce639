// Base64 (RFC 4648, standard alphabet, '=' padding), written for the PutRecords hot path: the
// encoder writes into caller memory, so a request body is built without intermediate strings.
// With AVX-512 VBMI (checked once at run time) it encodes 48 bytes a step, with AVX2 24;
// elsewhere, and for the tail, 6 bytes a step through a 4096-entry table of character pairs.
//
// Thread safety: pure functions.
#ifndef KINESIS_WIRE_BASE64_H_
#define KINESIS_WIRE_BASE64_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "kinesis/status.h"

namespace kinesis::wire {

constexpr size_t Base64EncodedSize(size_t n) { return (n + 2) / 3 * 4; }

// Writes Base64EncodedSize(n) characters at `out`; returns the end.
char* Base64Encode(const char* data, size_t n, char* out);
// The same without SIMD (what Base64Encode uses on CPUs without AVX2; tests compare the two).
char* Base64EncodePortable(const char* data, size_t n, char* out);

// Appends the encoding of `data` to `out`.
void AppendBase64(std::string_view data, std::string& out);

// Decodes padded standard base64; kCorruption names the first bad position.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_BASE64_H_
