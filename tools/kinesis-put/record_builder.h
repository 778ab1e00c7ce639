// RecordBuilder: turns a frame of input into what kinesis-put puts: data, partition key and
// optional explicit hash key, or an input error that names what is wrong.
//
// Partition keys come from a field of a JSON line (kField), one fixed key (kFixed), or are
// random (kRandom: 16 hex digits, spreading records evenly over the shards). The explicit hash
// key, when asked for, comes from a field of a JSON line. Fields are top-level names or dotted
// paths ("user.id"); string values are used as they are, numbers as written in JSON.
//
// Thread safety: one thread at a time (the random key state).
#ifndef KINESIS_PUT_RECORD_BUILDER_H_
#define KINESIS_PUT_RECORD_BUILDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "data_processing.h"
#include "framer.h"

namespace kinesis::put {

// Kinds of bad input, each counted apart in the summary.
enum class InputError {
  kNone,
  kUnreadableFile,
  kMalformedJson,
  kMissingKeyField,
  kBadKeyField,  // the field is not a string or number, or empty
  kOversized,
  kTruncated,
  kRejected,  // the producer refused the record (its message says why)
};

// The name used in messages and in the summary JSON, e.g. "malformed_json".
std::string_view InputErrorName(InputError error);

// kDeterministic: the MD5 of the record's data, in hex (the Kinesis Agent's DETERMINISTIC):
// equal records go to the same shard.
enum class KeyMode { kRandom, kFixed, kField, kDeterministic };

struct KeyOptions {
  KeyMode mode = KeyMode::kRandom;
  std::string fixed_key;       // kFixed
  std::string key_field;       // kField
  std::string hash_key_field;  // empty: no explicit hash key
  std::string count_field;     // jsonl: the field whose value counts records (--count-by-field)
  uint64_t seed = 0;           // kRandom; 0: from the clock
};

struct BuiltRecord {
  std::string data;
  std::string partition_key;
  std::string explicit_hash_key;  // empty: none
  bool truncated = false;         // cut to the limit, the terminator appended
  bool rewritten = false;         // `data` is what to send (else the frame's data, as it is)
  bool skipped = false;           // a conversion dropped it: nothing to send
  // The value of KeyOptions::count_field ("(none)" when the line has no such string or number).
  std::string count_value;
};

class RecordBuilder {
 public:
  // `max_record_size`: the largest data + partition key (MaxUserRecordSize).
  RecordBuilder(InputFormat format, KeyOptions keys, uint64_t max_record_size);
  ~RecordBuilder();

  // Fills `out` and returns kNone, or returns the error and sets `message` (without the
  // file and line, which the caller knows).
  InputError Build(const Frame& frame, BuiltRecord* out, std::string* message);

  // Lines: a record over the limit is cut to it, ending in `terminator` (the Kinesis Agent's
  // truncatedRecordTerminator), instead of being reported and dropped. The terminator must be
  // shorter than the limit (the options check it).
  void set_truncation(std::string terminator) {
    truncate_ = true;
    terminator_ = std::move(terminator);
  }
  // Lines, as the Kinesis Agent sends them: each keeps its newline and goes through
  // `processor` (null: none) before the limit is checked.
  void set_agent_records(std::unique_ptr<DataProcessor> processor) {
    agent_records_ = true;
    processor_ = std::move(processor);
  }

 private:
  struct Json;
  void RandomKey(std::string& key);

  InputFormat format_;
  KeyOptions keys_;
  uint64_t max_record_size_;
  uint64_t random_state_;
  bool truncate_ = false;
  std::string terminator_;
  bool agent_records_ = false;
  std::unique_ptr<DataProcessor> processor_;
  std::string line_;       // agent records: the line with its newline
  std::string converted_;  // agent records: after the processor
  std::unique_ptr<Json> json_;
};

}  // namespace kinesis::put

#endif  // KINESIS_PUT_RECORD_BUILDER_H_
