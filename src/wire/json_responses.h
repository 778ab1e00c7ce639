// Parsers for Kinesis JSON 1.1 response bodies (simdjson DOM, runtime-dispatched SIMD; the
// PutRecords answer by JsonCursor).
//
// Every parser takes untrusted bytes: malformed, truncated or mistyped input gives kCorruption
// with a message naming the field, never a crash. Unknown fields are skipped; null values read as
// absent. Bodies whose capacity leaves simdjson's padding (the transports reserve it) are parsed
// in place; others are copied first.
//
// Thread safety: any thread; each thread uses its own parser.
#ifndef KINESIS_WIRE_JSON_RESPONSES_H_
#define KINESIS_WIRE_JSON_RESPONSES_H_

#include <string>
#include <string_view>

#include "kinesis/status.h"
#include "wire/responses.h"

namespace kinesis::wire {

// Fails also when the Records count differs from `expected_records` or when FailedRecordCount
// disagrees with the entries that carry an ErrorCode. Takes the body: the result's entries
// view it (read by JsonCursor in one pass, not by simdjson: see json_cursor.h).
Result<PutRecordsResult> ParsePutRecordsJson(std::string body, size_t expected_records);
Result<PutRecordResult> ParsePutRecordJson(const std::string& body);
Result<ListShardsResult> ParseListShardsJson(const std::string& body);
Result<StreamSummary> ParseDescribeStreamSummaryJson(const std::string& body);
Result<std::string> ParseGetShardIteratorJson(const std::string& body);
Result<GetRecordsResult> ParseGetRecordsJson(const std::string& body);
Result<ServiceErrorBody> ParseErrorJson(const std::string& body);

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_JSON_RESPONSES_H_
