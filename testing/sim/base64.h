// Base64 (RFC 4648, standard alphabet, padded) as Kinesis JSON carries record data.
//
// Table-driven and allocation-free where it can be: the simulator decodes only what it must
// (the decoded size follows from the encoded length and the padding).
//
// Thread safety: pure functions; call from any thread.
#ifndef KINESIS_SIM_BASE64_H_
#define KINESIS_SIM_BASE64_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace kinesis::sim {

// The decoded size of a padded base64 text, or -1 when its length is not a multiple of 4 or
// its padding is misplaced. Does not look at the other characters.
long long Base64DecodedSize(std::string_view text);

// True when every character is in the alphabet and the padding is well placed.
bool Base64Valid(std::string_view text);

// Decodes `text` into `out` (replacing its content). False when `text` is not valid base64.
bool Base64Decode(std::string_view text, std::string* out);

// Encodes `bytes` with padding.
std::string Base64Encode(std::string_view bytes);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_BASE64_H_
