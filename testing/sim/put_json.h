// The JSON 1.1 decoder of PutRecords bodies (simdjson on-demand, one pass, no copies: record
// data stays base64 as sent). PutRecord's JSON body is read with RequestArgs.
//
// Thread safety: pure function (thread-local parser).
#ifndef KINESIS_SIM_PUT_JSON_H_
#define KINESIS_SIM_PUT_JSON_H_

#include <string_view>

#include "sim/api_error.h"
#include "sim/put_input.h"

namespace kinesis::sim {

// Fills `input` (appending to *input->records). `body` must have kBodyPadding readable bytes
// after its end. Malformed JSON or a mistyped field: SerializationException.
MaybeError DecodePutRecordsJson(std::string_view body, PutRecordsInput* input);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_PUT_JSON_H_
