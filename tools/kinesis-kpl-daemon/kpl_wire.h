// Field-level protobuf wire helpers for the KPL protocol's messages (kpl_messages.cc,
// kpl_peer.cc), on the project's varint primitives (aggregation/protobuf_wire.h). Field
// numbers go up to 128 here (Configuration.additional_metric_dims), so tags are varints.
#ifndef KINESIS_TOOLS_KPL_DAEMON_KPL_WIRE_H_
#define KINESIS_TOOLS_KPL_DAEMON_KPL_WIRE_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "aggregation/protobuf_wire.h"
#include "kinesis/status.h"

namespace kinesis::kpl::wire {

using protobuf_wire::WireType;

// Appends fields to a string.
class FieldWriter {
 public:
  explicit FieldWriter(std::string& out) : out_(out) {}

  void Varint(uint32_t field, uint64_t value) {
    Tag(field, protobuf_wire::kVarint);
    Raw(value);
  }
  void Bytes(uint32_t field, std::string_view bytes) {
    Tag(field, protobuf_wire::kLengthDelimited);
    Raw(bytes.size());
    out_.append(bytes);
  }
  void Double(uint32_t field, double value) {
    Tag(field, protobuf_wire::kFixed64);
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }

 private:
  void Tag(uint32_t field, WireType type) { Raw((uint64_t{field} << 3) | type); }
  void Raw(uint64_t v) {
    uint8_t buf[10];
    uint8_t* end = protobuf_wire::WriteVarint(buf, v);
    out_.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(end - buf));
  }
  std::string& out_;
};

// One decoded field: `varint` for varints, `bytes` for length-delimited, `fixed64` for 64-bit.
struct Field {
  uint32_t number = 0;
  WireType type = protobuf_wire::kVarint;
  uint64_t varint = 0;
  uint64_t fixed64 = 0;
  std::string_view bytes;
};

// Calls fn(const Field&) for each field of `message`, which returns a Status (non-OK stops).
// Fails with InvalidArgument naming `what` and the byte offset on truncation or a wire type
// the protocol never uses.
template <typename Fn>
Status ForEachField(std::string_view message, std::string_view what, Fn&& fn) {
  protobuf_wire::Reader reader(message);
  while (!reader.done()) {
    size_t offset = reader.offset_from(message.data());
    uint64_t tag;
    auto bad = [&](std::string_view why) {
      return Status::InvalidArgument(std::string(what) + ": " + std::string(why) + " at byte " +
                                     std::to_string(offset) + " of " +
                                     std::to_string(message.size()));
    };
    if (!reader.ReadVarint(&tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) {
      return bad("malformed field tag");
    }
    Field f;
    f.number = static_cast<uint32_t>(tag >> 3);
    f.type = static_cast<WireType>(tag & 7);
    bool ok = false;
    switch (tag & 7) {
      case protobuf_wire::kVarint:
        ok = reader.ReadVarint(&f.varint);
        break;
      case protobuf_wire::kLengthDelimited:
        ok = reader.ReadLengthDelimited(&f.bytes);
        break;
      case protobuf_wire::kFixed64: {
        std::string_view raw;
        // Fixed-width fields are read through Skip's bounds check, then copied.
        const char* at = message.data() + offset;
        size_t tag_bytes = reader.offset_from(message.data()) - offset;
        ok = reader.Skip(protobuf_wire::kFixed64);
        if (ok) {
          raw = std::string_view(at + tag_bytes, 8);
          for (int i = 7; i >= 0; --i) {
            f.fixed64 = (f.fixed64 << 8) | static_cast<uint8_t>(raw[static_cast<size_t>(i)]);
          }
        }
        break;
      }
      case protobuf_wire::kFixed32:
        ok = reader.Skip(protobuf_wire::kFixed32);
        break;
      default:
        return bad("unsupported wire type " + std::to_string(tag & 7));
    }
    if (!ok) return bad("truncated field " + std::to_string(f.number));
    Status s = fn(static_cast<const Field&>(f));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

inline double AsDouble(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

}  // namespace kinesis::kpl::wire

#endif  // KINESIS_TOOLS_KPL_DAEMON_KPL_WIRE_H_
