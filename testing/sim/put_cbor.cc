#include "sim/put_cbor.h"

#include <vector>

#include "sim/cbor_reader.h"

namespace kinesis::sim {
namespace {

// Where a string field goes: its view and its presence flag (none: a field to skip).
struct Slot {
  std::string_view* value = nullptr;
  bool* present = nullptr;
};

Slot RecordSlot(std::string_view key, ParsedRecord* r) {
  if (key == "Data") return {&r->data, &r->has_data};
  if (key == "PartitionKey") return {&r->partition_key, &r->has_key};
  if (key == "ExplicitHashKey") return {&r->explicit_hash_key, &r->has_hash};
  return {};
}

Slot StreamSlot(std::string_view key, StreamField* stream) {
  if (key == "StreamName") return {&stream->name, &stream->has_name};
  if (key == "StreamARN") return {&stream->arn, &stream->has_arn};
  return {};
}

// Reads a field's value into its slot (null leaves the slot absent), or skips it.
bool ReadSlot(CborReader& reader, Slot slot) {
  if (slot.value == nullptr) return reader.Skip();
  if (reader.Null()) return true;
  if (!reader.String(slot.value)) return false;
  *slot.present = true;
  return true;
}

// Calls `field(key)` for each key of the map at the cursor; it reads or skips the value.
template <typename F>
bool ForEachField(CborReader& reader, F&& field) {
  CborReader::Container map;
  if (!reader.EnterMap(&map)) return false;
  while (reader.Next(&map)) {
    std::string_view key;
    if (!reader.String(&key) || !field(key)) return false;
  }
  return !reader.failed();
}

bool ReadRecords(CborReader& reader, PutRecordsInput* input) {
  if (reader.Null()) return true;
  CborReader::Container array;
  if (!reader.EnterArray(&array)) return false;
  input->has_records = true;
  while (reader.Next(&array)) {
    ParsedRecord* r = &input->records->emplace_back();
    if (!ForEachField(reader,
                      [&](std::string_view key) { return ReadSlot(reader, RecordSlot(key, r)); })) {
      return false;
    }
  }
  return !reader.failed();
}

}  // namespace

MaybeError DecodePutRecordsCbor(std::string_view body, std::string* scratch,
                                PutRecordsInput* input) {
  CborReader reader(body, scratch);
  bool ok = ForEachField(reader, [&](std::string_view key) {
    if (key == "Records") return ReadRecords(reader, input);
    return ReadSlot(reader, StreamSlot(key, &input->stream));
  });
  if (!ok || !reader.AtEnd()) return SerializationError();
  return std::nullopt;
}

MaybeError DecodePutRecordCbor(std::string_view body, std::string* scratch, PutRecordInput* input) {
  CborReader reader(body, scratch);
  std::string_view ordering;  // type-checked, not used: the simulator orders by arrival
  bool has_ordering = false;
  bool ok = ForEachField(reader, [&](std::string_view key) {
    Slot slot = StreamSlot(key, &input->stream);
    if (slot.value == nullptr) slot = RecordSlot(key, &input->record);
    if (key == "SequenceNumberForOrdering") slot = {&ordering, &has_ordering};
    return ReadSlot(reader, slot);
  });
  if (!ok || !reader.AtEnd()) return SerializationError();
  return std::nullopt;
}

}  // namespace kinesis::sim
