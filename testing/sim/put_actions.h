// PutRecord and PutRecords: validation as the service does it, routing, per-shard limits,
// per-record faults, storage and counters. The hot path of kinesis-sim.
//
// Both wire formats take one path: the JSON and CBOR decoders (put_json.h, put_cbor.h) leave
// the same parsed records (put_input.h), which are validated, applied and stored alike; only
// the answer is written in the request's format.
//
// Thread safety: each takes state.mu itself (after parsing and validating without it).
#ifndef KINESIS_SIM_PUT_ACTIONS_H_
#define KINESIS_SIM_PUT_ACTIONS_H_

#include <string_view>

#include "sim/request_args.h"
#include "sim/sim_state.h"

namespace kinesis::sim {

// `body` must have kBodyPadding readable bytes after its end (the JSON decoder reads past it).
ActionOutput PutRecords(SimState& state, std::string_view body, WireFormat format);
// PutRecord in JSON, its arguments read as the other actions read theirs.
ActionOutput PutRecord(SimState& state, const RequestArgs& args);
// PutRecord in CBOR.
ActionOutput PutRecordCbor(SimState& state, std::string_view body);

// Length of a UTF-8 string in UTF-16 code units, as the service (Java) counts a partition key.
size_t Utf16Length(std::string_view utf8);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_PUT_ACTIONS_H_
