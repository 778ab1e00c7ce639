// The few pieces of the protobuf wire format that the aggregated-record format uses:
// base-128 varints and field tags. Written by hand because AggregatedRecord is three
// fields deep and libprotobuf's generic paths cost more than the format itself
// (bench/aggregation/aggregation_benchmark.cc measures both).
#ifndef KINESIS_AGGREGATION_PROTOBUF_WIRE_H_
#define KINESIS_AGGREGATION_PROTOBUF_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kinesis::protobuf_wire {

enum WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

constexpr uint8_t Tag(uint32_t field, WireType type) {
  return static_cast<uint8_t>((field << 3) | type);
}

// AggregatedRecord and Record field tags (docs/aggregation-format.md).
inline constexpr uint8_t kPartitionKeyTableTag = Tag(1, kLengthDelimited);
inline constexpr uint8_t kExplicitHashKeyTableTag = Tag(2, kLengthDelimited);
inline constexpr uint8_t kRecordsTag = Tag(3, kLengthDelimited);
inline constexpr uint8_t kPartitionKeyIndexTag = Tag(1, kVarint);
inline constexpr uint8_t kExplicitHashKeyIndexTag = Tag(2, kVarint);
inline constexpr uint8_t kDataTag = Tag(3, kLengthDelimited);

inline size_t VarintSize(uint64_t v) {
  // 1 byte per 7 bits, at least one.
  int bits = 64 - __builtin_clzll(v | 1);
  return static_cast<size_t>((bits + 6) / 7);
}

inline uint8_t* WriteVarint(uint8_t* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}

// Size of a length-delimited field of `length` payload bytes, tag included.
inline size_t LengthDelimitedFieldSize(size_t length) { return 1 + VarintSize(length) + length; }

// A bounds-checked reader over untrusted bytes.
class Reader {
 public:
  explicit Reader(std::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(p_ + bytes.size()) {}

  bool done() const { return p_ == end_; }
  size_t offset_from(const void* base) const {
    return static_cast<size_t>(p_ - static_cast<const uint8_t*>(base));
  }

  // False on truncation or a varint longer than 10 bytes.
  bool ReadVarint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      uint8_t b = *p_++;
      result |= uint64_t{b & 0x7fu} << shift;
      if (b < 0x80) {
        *v = result;
        return true;
      }
    }
    return false;
  }

  // Reads a varint length and that many bytes.
  bool ReadLengthDelimited(std::string_view* out) {
    uint64_t length;
    if (!ReadVarint(&length) || length > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(reinterpret_cast<const char*>(p_), static_cast<size_t>(length));
    p_ += length;
    return true;
  }

  // Skips a field of an unknown number. False on truncation or a group wire type (3, 4),
  // which the format never uses.
  bool Skip(WireType type) {
    uint64_t ignored;
    std::string_view ignored_bytes;
    switch (type) {
      case kVarint:
        return ReadVarint(&ignored);
      case kLengthDelimited:
        return ReadLengthDelimited(&ignored_bytes);
      case kFixed64:
        return Advance(8);
      case kFixed32:
        return Advance(4);
    }
    return false;
  }

 private:
  bool Advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }

  const uint8_t* p_;
  const uint8_t* end_;
};

}  // namespace kinesis::protobuf_wire

#endif  // KINESIS_AGGREGATION_PROTOBUF_WIRE_H_
