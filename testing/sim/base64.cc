#include "sim/base64.h"

#include <array>
#include <cstdint>

namespace kinesis::sim {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kBad = 0xFF;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kBad;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  return table;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

size_t PaddingOf(std::string_view text) {
  if (text.empty()) return 0;
  if (text.back() != '=') return 0;
  return text[text.size() - 2] == '=' ? 2 : 1;
}

}  // namespace

long long Base64DecodedSize(std::string_view text) {
  if (text.size() % 4 != 0) return -1;
  size_t pad = PaddingOf(text);
  return static_cast<long long>(text.size() / 4 * 3 - pad);
}

bool Base64Valid(std::string_view text) {
  if (Base64DecodedSize(text) < 0) return false;
  size_t body = text.size() - PaddingOf(text);
  // OR-ing the table entries finds a bad character without a branch per byte.
  uint8_t any = 0;
  for (size_t i = 0; i < body; ++i) any |= kDecode[static_cast<uint8_t>(text[i])];
  return any != kBad && (any & 0xC0) == 0;
}

bool Base64Decode(std::string_view text, std::string* out) {
  long long size = Base64DecodedSize(text);
  if (size < 0) return false;
  out->resize(static_cast<size_t>(size));
  const auto* in = reinterpret_cast<const uint8_t*>(text.data());
  auto* dst = reinterpret_cast<uint8_t*>(out->data());
  size_t pad = PaddingOf(text);
  size_t full = text.size() / 4 - (pad ? 1 : 0);
  uint32_t bad = 0;
  for (size_t q = 0; q < full; ++q, in += 4, dst += 3) {
    uint32_t a = kDecode[in[0]], b = kDecode[in[1]], c = kDecode[in[2]], d = kDecode[in[3]];
    bad |= a | b | c | d;
    uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    dst[0] = static_cast<uint8_t>(v >> 16);
    dst[1] = static_cast<uint8_t>(v >> 8);
    dst[2] = static_cast<uint8_t>(v);
  }
  if (pad) {
    uint32_t a = kDecode[in[0]], b = kDecode[in[1]];
    uint32_t c = pad == 1 ? kDecode[in[2]] : 0;
    bad |= a | b | c;
    uint32_t v = (a << 18) | (b << 12) | (c << 6);
    dst[0] = static_cast<uint8_t>(v >> 16);
    if (pad == 1) dst[1] = static_cast<uint8_t>(v >> 8);
  }
  return (bad & 0xC0) == 0;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.resize((bytes.size() + 2) / 3 * 4);
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  char* dst = out.data();
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3, dst += 4) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    dst[0] = kAlphabet[v >> 18];
    dst[1] = kAlphabet[(v >> 12) & 63];
    dst[2] = kAlphabet[(v >> 6) & 63];
    dst[3] = kAlphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest) {
    uint32_t v = uint32_t{in[i]} << 16;
    if (rest == 2) v |= uint32_t{in[i + 1]} << 8;
    dst[0] = kAlphabet[v >> 18];
    dst[1] = kAlphabet[(v >> 12) & 63];
    dst[2] = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    dst[3] = '=';
  }
  return out;
}

}  // namespace kinesis::sim
