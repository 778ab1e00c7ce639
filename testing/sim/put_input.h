// The parsed form of PutRecords and PutRecord requests, as both decoders (JSON in put_json.h,
// CBOR in put_cbor.h) leave them for the one validation and write path (put_actions.h).
//
// Every view points into the request body (or a decoder's scratch): valid while the request is.
//
// Thread safety: values.
#ifndef KINESIS_SIM_PUT_INPUT_H_
#define KINESIS_SIM_PUT_INPUT_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "kinesis/hash_key.h"

namespace kinesis::sim {

struct ParsedRecord {
  std::string_view data;  // JSON: the base64 text as sent; CBOR: the bytes
  std::string_view partition_key;
  std::string_view explicit_hash_key;
  bool has_data = false;
  bool has_key = false;
  bool has_hash = false;
  // Set by validation.
  HashKey hash;
  size_t data_size = 0;  // decoded
};

// StreamName and StreamARN as sent; which one wins is the action's rule.
struct StreamField {
  std::string_view name;
  std::string_view arn;
  bool has_name = false;
  bool has_arn = false;
};

struct PutRecordsInput {
  StreamField stream;
  bool has_records = false;
  std::vector<ParsedRecord>* records = nullptr;  // borrowed; the decoder appends
};

struct PutRecordInput {
  StreamField stream;
  ParsedRecord record;  // SequenceNumberForOrdering is read (type-checked) and not kept
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_PUT_INPUT_H_
