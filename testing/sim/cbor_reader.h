// CborReader: reads one CBOR (RFC 8949) item tree from an untrusted request body in one pass,
// without building a tree and without allocating: strings come back as views into the body.
//
// Definite and indefinite lengths are accepted for strings, arrays and maps; tags are skipped
// wherever an item may stand (the tagged item stands for itself); null and undefined can be
// tested for. The joined chunks of an indefinite-length string go to a caller's scratch string,
// reserved once to the body's size so that earlier views into it stay valid (the chunks of one
// body never join to more bytes than the body has).
//
// Every method returns false on malformed, truncated or mistyped input and then failed() is
// true; the reader never reads outside the body. Nesting is limited to kMaxDepth in Skip.
//
// Example, a map of string fields:
//   CborReader reader(body, &scratch);
//   CborReader::Container map;
//   if (!reader.EnterMap(&map)) return error;
//   while (reader.Next(&map)) {
//     std::string_view key, value;
//     if (!reader.String(&key) || !reader.String(&value)) return error;
//   }
//   if (reader.failed() || !reader.AtEnd()) return error;
//
// Thread safety: one instance per body, on one thread.
#ifndef KINESIS_SIM_CBOR_READER_H_
#define KINESIS_SIM_CBOR_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis::sim {

class CborReader {
 public:
  static constexpr int kMaxDepth = 32;

  // A map or array being read: how many items are left, or indefinite (ended by a break).
  struct Container {
    uint64_t remaining = 0;
    bool indefinite = false;
  };

  // `in` and `scratch` must outlive the views the reader hands out.
  CborReader(std::string_view in, std::string* scratch) : in_(in), scratch_(scratch) {}

  // Starts the map or array at the cursor; false when the item there is something else.
  bool EnterMap(Container* map);
  bool EnterArray(Container* array);
  // True when `container` has another item (for a map, another key) and the cursor is at it;
  // false at its end (consuming the break of an indefinite one), or on malformed input.
  bool Next(Container* container);
  // Reads a text or byte string, definite or indefinite; false for any other item.
  bool String(std::string_view* out);
  // True, having consumed it, when the item at the cursor is null or undefined.
  bool Null();
  // Skips the whole item at the cursor, whatever it is.
  bool Skip() { return SkipItem(0); }

  bool AtEnd() const { return pos_ == in_.size(); }
  bool failed() const { return failed_; }
  size_t position() const { return pos_; }

 private:
  struct Head {
    uint8_t major = 0;
    uint64_t argument = 0;  // the value, length or count; 0 when indefinite
    bool indefinite = false;
  };

  bool Fail() {
    failed_ = true;
    return false;
  }
  // Skips any tags, then reads the head of the item they tag.
  bool ReadHead(Head* head);
  bool ReadArgument(uint8_t info, uint64_t* value);
  bool EnterContainer(uint8_t major, Container* container);
  // The chunks of an indefinite string of `major`, up to its break; joined into the scratch
  // when `out` is set, else only skipped.
  bool Chunks(uint8_t major, std::string_view* out);
  bool SkipItem(int depth);

  std::string_view in_;
  std::string* scratch_;
  size_t pos_ = 0;
  bool failed_ = false;
  bool scratch_ready_ = false;
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_CBOR_READER_H_
