#include "wire/base64.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "common/cpu_features.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace kinesis::wire {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// kPairs[v] holds the two characters of the 12-bit value v, in memory order.
struct PairTable {
  std::array<uint16_t, 4096> pairs{};
  constexpr PairTable() {
    for (unsigned v = 0; v < 4096; ++v) {
      unsigned char hi = static_cast<unsigned char>(kAlphabet[v >> 6]);
      unsigned char lo = static_cast<unsigned char>(kAlphabet[v & 63]);
      // Little-endian store: first character in the low byte.
      pairs[v] = static_cast<uint16_t>(hi | (lo << 8));
    }
  }
};
constexpr PairTable kTable;

struct DecodeTable {
  std::array<int8_t, 256> values{};
  constexpr DecodeTable() {
    for (auto& v : values) v = -1;
    for (int i = 0; i < 64; ++i)
      values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
};
constexpr DecodeTable kDecode;

inline uint64_t LoadBigEndian64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

}  // namespace

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the pair table assumes little endian");

char* Base64EncodePortable(const char* data, size_t n, char* out) {
  const uint16_t* pairs = kTable.pairs.data();
  size_t i = 0;
  // 6 input bytes -> 8 characters, reading 8 bytes at once (so stop 8 bytes before the end).
  while (i + 8 <= n) {
    uint64_t v = LoadBigEndian64(data + i);
    uint64_t chars = static_cast<uint64_t>(pairs[(v >> 52) & 0xFFF]) |
                     static_cast<uint64_t>(pairs[(v >> 40) & 0xFFF]) << 16 |
                     static_cast<uint64_t>(pairs[(v >> 28) & 0xFFF]) << 32 |
                     static_cast<uint64_t>(pairs[(v >> 16) & 0xFFF]) << 48;
    std::memcpy(out, &chars, 8);
    out += 8;
    i += 6;
  }
  for (; i + 3 <= n; i += 3) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(data[i])) << 16 |
                 static_cast<uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8 |
                 static_cast<unsigned char>(data[i + 2]);
    std::memcpy(out, &pairs[v >> 12], 2);
    std::memcpy(out + 2, &pairs[v & 0xFFF], 2);
    out += 4;
  }
  size_t rest = n - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(data[i])) << 16;
    if (rest == 2) v |= static_cast<uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
    out[0] = kAlphabet[(v >> 18) & 63];
    out[1] = kAlphabet[(v >> 12) & 63];
    out[2] = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out[3] = '=';
    out += 4;
  }
  return out;
}

#if defined(__x86_64__)
namespace {

// 24 input bytes -> 32 characters a step, each 128-bit lane doing 12 -> 16: a byte shuffle puts
// each 3-byte group's bytes where two 16-bit multiplies can shift its four 6-bit values into
// four bytes, and a 16-entry table lookup adds the offset of each value's alphabet range.
__attribute__((target("avx2"))) char* Base64EncodeAvx2(const char* data, size_t n, char* out) {
  const __m256i spread = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,  //
                                          1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  // Per 32-bit group [b1 b0 b2 b1]: bits of the 1st and 3rd values, moved down by mulhi...
  const __m256i first_third = _mm256_set1_epi32(0x0fc0fc00);
  const __m256i first_third_shift = _mm256_set1_epi32(0x04000040);
  // ...and of the 2nd and 4th, moved up into their bytes by mullo.
  const __m256i second_fourth = _mm256_set1_epi32(0x003f03f0);
  const __m256i second_fourth_shift = _mm256_set1_epi32(0x01000010);
  // Offset to add to a 6-bit value, by range: index 0 for 26..51 ('a'), 1..10 for 52..61
  // ('0'), 11 for 62 ('+'), 12 for 63 ('/'), 13 for 0..25 ('A').
  const __m256i offsets =
      _mm256_setr_epi8('a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
                       '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0,  //
                       'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
                       '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
  size_t i = 0;
  // Two 16-byte loads at i and i + 12: stop 28 bytes before the end.
  while (i + 28 <= n) {
    __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i + 12));
    __m256i in =
        _mm256_shuffle_epi8(_mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1), spread);
    __m256i values = _mm256_or_si256(
        _mm256_mulhi_epu16(_mm256_and_si256(in, first_third), first_third_shift),
        _mm256_mullo_epi16(_mm256_and_si256(in, second_fourth), second_fourth_shift));
    __m256i range = _mm256_subs_epu8(values, _mm256_set1_epi8(51));
    __m256i upper = _mm256_cmpgt_epi8(_mm256_set1_epi8(26), values);
    range = _mm256_or_si256(range, _mm256_and_si256(upper, _mm256_set1_epi8(13)));
    __m256i chars = _mm256_add_epi8(_mm256_shuffle_epi8(offsets, range), values);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), chars);
    out += 32;
    i += 24;
  }
  return Base64EncodePortable(data + i, n - i, out);
}

// 48 input bytes -> 64 characters a step with AVX-512 VBMI: a byte permute gathers each 3-byte
// group as [b1 b0 b2 b1], a multishift picks the four 6-bit values out of it (at bits 10, 4,
// 22 and 16 of the group's 32 bits), and a second permute, which reads only an index's low six
// bits, maps them through the alphabet. Twice the AVX2 step's bytes with a third of its work.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) char* Base64EncodeVbmi(const char* data,
                                                                               size_t n,
                                                                               char* out) {
  alignas(64) static constexpr auto kGather = [] {
    std::array<uint8_t, 64> g{};
    for (int k = 0; k < 16; ++k) {
      g[4 * k] = static_cast<uint8_t>(3 * k + 1);
      g[4 * k + 1] = static_cast<uint8_t>(3 * k);
      g[4 * k + 2] = static_cast<uint8_t>(3 * k + 2);
      g[4 * k + 3] = static_cast<uint8_t>(3 * k + 1);
    }
    return g;
  }();
  const __m512i gather = _mm512_load_si512(kGather.data());
  const __m512i shifts = _mm512_set1_epi64(0x3036242a1016040a);
  const __m512i alphabet = _mm512_loadu_si512(kAlphabet);
  // The unmasked intrinsics start from an "undefined" register that GCC 12 then warns about.
  constexpr __mmask64 kAll = ~__mmask64{0};
  size_t i = 0;
  // A 64-byte load for 48 bytes: stop 64 bytes before the end.
  while (i + 64 <= n) {
    __m512i in = _mm512_loadu_si512(data + i);
    __m512i groups = _mm512_maskz_permutexvar_epi8(kAll, gather, in);
    __m512i values = _mm512_maskz_multishift_epi64_epi8(kAll, shifts, groups);
    _mm512_storeu_si512(out, _mm512_maskz_permutexvar_epi8(kAll, values, alphabet));
    out += 64;
    i += 48;
  }
  return Base64EncodeAvx2(data + i, n - i, out);
}

using EncodeFunction = char* (*)(const char*, size_t, char*);

EncodeFunction PickEncoder() {
  if (Cpu().avx512vbmi && Cpu().avx512bw) {
    return Base64EncodeVbmi;
  }
  return Cpu().avx2 ? Base64EncodeAvx2 : Base64EncodePortable;
}

}  // namespace

char* Base64Encode(const char* data, size_t n, char* out) {
  static const EncodeFunction encode = PickEncoder();
  return encode(data, n, out);
}
#else
char* Base64Encode(const char* data, size_t n, char* out) {
  return Base64EncodePortable(data, n, out);
}
#endif

void AppendBase64(std::string_view data, std::string& out) {
  size_t old = out.size();
  out.resize(old + Base64EncodedSize(data.size()));
  Base64Encode(data.data(), data.size(), out.data() + old);
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return Status::Corruption("base64 text of length " + std::to_string(text.size()) +
                              " is not a multiple of 4");
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + static_cast<size_t>(k)];
      bool last_group = i + 4 == text.size();
      if (c == '=' && last_group && k >= 2 && (k == 3 || text[i + 3] == '=')) {
        v[k] = 0;
        pad++;
        continue;
      }
      v[k] = kDecode.values[static_cast<unsigned char>(c)];
      if (v[k] < 0 || pad > 0) {
        return Status::Corruption("invalid base64 character at position " +
                                  std::to_string(i + static_cast<size_t>(k)));
      }
    }
    uint32_t bits = static_cast<uint32_t>(v[0]) << 18 | static_cast<uint32_t>(v[1]) << 12 |
                    static_cast<uint32_t>(v[2]) << 6 | static_cast<uint32_t>(v[3]);
    out.push_back(static_cast<char>(bits >> 16));
    if (pad < 2) out.push_back(static_cast<char>(bits >> 8));
    if (pad < 1) out.push_back(static_cast<char>(bits));
  }
  return out;
}

}  // namespace kinesis::wire
