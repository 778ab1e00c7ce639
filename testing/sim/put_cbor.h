// The CBOR 1.1 decoders of PutRecords and PutRecord bodies (Content-Type
// application/x-amz-cbor-1.1), in one pass with CborReader: record data arrives as raw bytes
// and stays a view into the body (or into `scratch` for indefinite-length strings).
//
// Fields as the JSON protocol names them; each string field may be a text or a byte string,
// of definite or indefinite length; null reads as absent; unknown fields are skipped.
// Malformed, truncated or mistyped input, or bytes after the map: SerializationException.
//
// Thread safety: pure functions.
#ifndef KINESIS_SIM_PUT_CBOR_H_
#define KINESIS_SIM_PUT_CBOR_H_

#include <string>
#include <string_view>

#include "sim/api_error.h"
#include "sim/put_input.h"

namespace kinesis::sim {

// Fills `input` (appending to *input->records). `scratch` must outlive the views in `input`.
MaybeError DecodePutRecordsCbor(std::string_view body, std::string* scratch,
                                PutRecordsInput* input);
MaybeError DecodePutRecordCbor(std::string_view body, std::string* scratch, PutRecordInput* input);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_PUT_CBOR_H_
