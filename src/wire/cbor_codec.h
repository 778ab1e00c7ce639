// Kinesis CBOR 1.1 (Content-Type application/x-amz-cbor-1.1): PutRecords and PutRecord bodies
// with record data as CBOR byte strings (no base64), and decoders for their responses and for
// error bodies. Same shapes and field names as the JSON protocol (see json_requests.h).
//
// Decoders take untrusted bytes: any malformed, truncated or mistyped input gives kCorruption,
// never a crash; nesting deeper than 32 is refused. Indefinite-length items and tags are
// accepted; unknown fields are skipped; null reads as absent.
//
// Thread safety: pure functions.
#ifndef KINESIS_WIRE_CBOR_CODEC_H_
#define KINESIS_WIRE_CBOR_CODEC_H_

#include <span>
#include <string>
#include <string_view>

#include "kinesis/status.h"
#include "wire/json_requests.h"
#include "wire/responses.h"

namespace kinesis::wire {

// With `body_sha256` set, also its SHA-256, computed while writing (wire/body_digest.h).
Status BuildPutRecordsCbor(StreamRef stream, std::span<const PutRecordsEntry> records,
                           std::string& out, auth::Sha256::Digest* body_sha256 = nullptr);
Status BuildPutRecordCbor(const PutRecordRequest& request, std::string& out);

// Same checks as ParsePutRecordsJson (count, FailedRecordCount).
Result<PutRecordsResult> ParsePutRecordsCbor(std::string_view body, size_t expected_records);
Result<PutRecordResult> ParsePutRecordCbor(std::string_view body);
Result<ServiceErrorBody> ParseErrorCbor(std::string_view body);

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_CBOR_CODEC_H_
